// The activity factory: every activity handler, built from its dependencies (Temporal's dependency-injection
// pattern). Production builds them once from the composition root (register.ts ← runtime/services.ts); unit
// tests build them from the in-memory fakes of shared/cloud/fake/. The return type is the full contract map
// (shared/workflow/activityContracts.ts): an activity without a handler does not compile.
import { leaseActivities } from "../policies/leaseActivities";
import { scheduleActivities } from "../policies/scheduleActivities";
import { scheduleRunActivities } from "../policies/scheduleRuns";
import { warmupActivities } from "../policies/warmupActivities";
import { webhookActivities } from "../policies/webhookActivities";
import type { ActivityDeps, ActivityHandlers } from "./activityDeps";
import { clusterActivities } from "./clusterActivities";
import { clusterEffectsActivities } from "./clusterEffectsActivities";
import { costActivities } from "./costActivities";
import { durableClientActivities } from "./durableClientActivities";
import { edgeActivities } from "./edgeActivities";
import { keepWarmActivities } from "./keepWarmActivities";
import { recordActivities } from "./recordActivities";
import { stepActivities } from "./stepActivities";

export function createActivities(deps: ActivityDeps): ActivityHandlers {
  return {
    ...recordActivities(deps),
    ...durableClientActivities(deps),
    ...clusterActivities(deps),
    ...clusterEffectsActivities(deps),
    ...stepActivities(deps),
    ...edgeActivities(deps),
    ...costActivities(deps),
    ...keepWarmActivities(deps),
    ...webhookActivities(deps),
    ...leaseActivities(deps),
    ...scheduleActivities(deps),
    ...scheduleRunActivities(deps),
    ...warmupActivities(deps),
  };
}
