// Job records and lifecycle events.
import * as df from "durable-functions";
import type { InvocationContext } from "@azure/functions";
import { ACTIVITY, type SaveJobRecordInput } from "../../shared/workflow/activities";
import { JOB_TERMINAL_STATES } from "../../shared/workflow/jobRecord";
import { toCloudEvents, type EventDraft } from "../runtime/events";
import { services } from "../runtime/services";
import { observeBilledNodeMinutes, observePublishedEvents } from "../runtime/telemetryMetrics";
import { jobCost, liveLedgers } from "../store/costReader";

const clientInput = df.input.durableClient();

df.app.activity(ACTIVITY.saveJobRecord, {
  extraInputs: [clientInput],
  handler: async (input: SaveJobRecordInput, context: InvocationContext) => {
    const s = services();
    await s.jobs.save(input.record, input.previousState);
    const { record, previousState } = input;
    if (JOB_TERMINAL_STATES.includes(record.state) && !JOB_TERMINAL_STATES.includes((previousState ?? "queued") as never)) {
      // The billed node-minutes metric: the job's ledger share when it ended (as GET /api/jobs shows it then).
      const cost = await jobCost(s, record, liveLedgers(df.getClient(context))).catch(() => undefined);
      if (cost) observeBilledNodeMinutes(record.state, cost.nodeHours * 60);
    }
    return { saved: true };
  },
});

df.app.activity(ACTIVITY.publishEvents, {
  handler: async (drafts: EventDraft[]) => {
    const s = services();
    await s.cloud.events.publish(toCloudEvents(drafts));
    observePublishedEvents(drafts);
    return { published: drafts.length };
  },
});
