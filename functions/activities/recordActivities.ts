// Job records and lifecycle events.
import * as df from "durable-functions";
import { ACTIVITY, type SaveJobRecordInput } from "../../shared/workflow/activities";
import { toCloudEvents, type EventDraft } from "../runtime/events";
import { services } from "../runtime/services";

df.app.activity(ACTIVITY.saveJobRecord, {
  handler: async (input: SaveJobRecordInput) => {
    await services().jobs.save(input.record, input.previousState);
    return { saved: true };
  },
});

df.app.activity(ACTIVITY.publishEvents, {
  handler: async (drafts: EventDraft[]) => {
    const s = services();
    await s.cloud.events.publish(toCloudEvents(drafts));
    return { published: drafts.length };
  },
});
