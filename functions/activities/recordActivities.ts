// Job records and lifecycle events (and, with a job's final save, its step durations: functions/store/stepDurations.ts).
import { ACTIVITY } from "../../shared/workflow/activities";
import { JOB_TERMINAL_STATES } from "../../shared/workflow/jobRecord";
import { toCloudEvents } from "../runtime/events";
import { observeBilledNodeMinutes, observeJobRecord, observePublishedEvents } from "../runtime/telemetryMetrics";
import { jobCost, liveLedgers } from "../store/costReader";
import { CostStore } from "../store/costStore";
import { JobStore } from "../store/jobStore";
import { StepDurationStore } from "../store/stepDurations";
import type { SaveJobRecordInput, StepSaveRider } from "../../shared/workflow/activities";
import type { ActivityDeps, ActivityHandlers, ActivityInvocation } from "./activityDeps";

/** Writes the record (moving its index entry), then publishes the events announcing it: saveJobRecord's work. */
/**
 * A job record save riding on another activity (StepSaveRider: step calls, acquireCluster, raiseEventTo), best
 * effort, run after that call's own work succeeded: a failed save never fails (and so never repeats) that work, and
 * work that fails and is retried never writes and publishes the save twice — the orchestration keeps the save and
 * sends it again with its next call or on its own. `{}` when there was none, else whether it was written.
 */
export function ridingSaver(deps: ActivityDeps): (input: StepSaveRider, invocation: ActivityInvocation) => Promise<{ saved?: boolean }> {
  const saveRecord = jobRecordSaver(deps);
  return async (input, invocation) => {
    if (!input.save) return {};
    try {
      await saveRecord(input.save, invocation);
      return { saved: true };
    } catch {
      return { saved: false };
    }
  };
}

export function jobRecordSaver(deps: ActivityDeps): (input: SaveJobRecordInput, invocation: ActivityInvocation) => Promise<void> {
  const { config, blobs, clock } = deps;
  const jobs = new JobStore(blobs, config.containers.jobs);
  const costs = new CostStore(blobs, config.containers.jobs);
  const durations = new StepDurationStore(blobs, config.containers.jobs);
  return async (input, invocation) => {
    await jobs.save(input.record, input.previousState);
    const { record, previousState } = input;
    // The job metrics (queue-to-start, completed by state) from the write itself, whichever activity it rode on.
    observeJobRecord(record, previousState);
    if (JOB_TERMINAL_STATES.includes(record.state) && !JOB_TERMINAL_STATES.includes((previousState ?? "queued") as never)) {
      // The billed node-minutes metric: the job's ledger share when it ended (as GET /api/jobs shows it then).
      const cost = await jobCost({ config, costs, clock }, record, liveLedgers(invocation.durableClient())).catch(() => undefined);
      if (cost) observeBilledNodeMinutes(record.state, cost.nodeHours * 60);
    }
    if (input.events && input.events.length > 0) {
      await deps.events.publish(toCloudEvents(input.events, clock));
      observePublishedEvents(input.events);
    }
    // The job's step durations for its name's next jobs: an optimisation, so a failure here never fails the save.
    if (input.stepDurations) await durations.record(input.stepDurations).catch(() => undefined);
  };
}

export function recordActivities(
  deps: ActivityDeps,
): Pick<ActivityHandlers, typeof ACTIVITY.saveJobRecord | typeof ACTIVITY.publishEvents> {
  const save = jobRecordSaver(deps);
  return {
    [ACTIVITY.saveJobRecord]: async (input, invocation) => {
      await save(input, invocation);
      return { saved: true as const };
    },

    [ACTIVITY.publishEvents]: async (drafts) => {
      await deps.events.publish(toCloudEvents(drafts, deps.clock));
      observePublishedEvents(drafts);
      return { published: drafts.length };
    },
  };
}
