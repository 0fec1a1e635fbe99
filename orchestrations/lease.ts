// A compute lease (instance id = lease id): take an idle warm cluster of its profile if there is one (it serves the
// lease before a new one is created, and stays warm after it), else make sure its own cluster's orchestration runs;
// acquire the cluster as holder {leaseId}, start the signed "ready" callback (fire-and-forget, so a receiver that never answers cannot
// block anything), then wait for renew, release or expiry — whichever comes first — and release the cluster
// (keepWarmMinutes 0 and reuse "never": deleted unless someone else holds it). Renewals are clipped to the hard
// cap, which is also the cluster's max lifetime, so no caller can keep a cluster past it.
import * as df from "durable-functions";
import type { OrchestrationContext, OrchestrationHandler, Task } from "durable-functions";
import { ACTIVITY, EVENT, ORCHESTRATION, type ClusterNotice, type ClusterOrchestrationInput } from "../shared/workflow/activities";
import { renewedExpiryMs, type LeaseCommand } from "../shared/policies/leaseRules";
import { callerSecretName } from "../shared/policies/webhookNames";
import { leaseMachine, type LeaseEvent } from "../shared/states/lease";
import { transition } from "../shared/states/machine";
import type { LeaseEndpoints, LeaseOrchestrationInput, LeaseStatus, WebhookDeliveryInput } from "../shared/policies/workflowTypes";
import { failureText } from "../shared/workflow/activityFailure";
import { callCloud } from "./cloudCall";
import { sendClusterCommand } from "./jobCluster";
import { at, cloudRetry, nowIso, nowMs } from "./waits";
import { callActivityTyped } from "./activityCall";

const CALLBACK_MAX_ATTEMPTS = 8;

const computeLease: OrchestrationHandler = function* (context: OrchestrationContext) {
  const input = context.df.getInput() as LeaseOrchestrationInput;
  const { leaseId } = input;
  // The lease's own cluster, or an idle warm cluster of its profile it joined (which then outlives it, kept warm).
  let clusterName = input.clusterName;
  let joined = false;
  const requestedMs = Date.parse(input.requestedAt);
  const hardCapMs = requestedMs + input.maxTotalMinutes * 60_000;
  let expiryMs = Math.min(hardCapMs, requestedMs + input.durationMinutes * 60_000);
  const status: LeaseStatus = {
    leaseId,
    caller: input.caller,
    state: "requested",
    clusterName,
    requestedAt: input.requestedAt,
    expiresAt: new Date(expiryMs).toISOString(),
    hardCapAt: new Date(hardCapMs).toISOString(),
    callback: "none",
    renewals: 0,
  };
  // Every state change goes through the lease machine (shared/states/lease.ts): a move it does not allow throws.
  const move = (event: LeaseEvent): void => {
    status.state = transition(leaseMachine, status.state, event);
  };
  const publish = function* (change: string, data: Record<string, unknown> = {}): Generator<Task, void, unknown> {
    context.df.setCustomStatus(status);
    yield* callActivityTyped(context, ACTIVITY.publishEvents, [
      {
        type: `jobflow.lease.${change}`,
        subject: `leases/${leaseId}`,
        data: {
          leaseId,
          caller: input.caller,
          clusterName,
          state: status.state,
          expiresAt: status.expiresAt,
          ...data,
          time: nowIso(context),
        },
      },
    ]);
  };
  const callback = function* (kind: string, extra: Record<string, unknown>): Generator<Task, void, unknown> {
    const delivery: WebhookDeliveryInput = {
      post: {
        url: input.callbackUrl,
        secretName: callerSecretName(input.caller),
        signer: "jobflow",
        deliveryId: `${leaseId}-${kind}`,
        body: { type: `jobflow.lease.${kind}`, leaseId, clusterName, state: status.state, expiresAt: status.expiresAt, ...extra },
      },
      maxAttempts: CALLBACK_MAX_ATTEMPTS,
      subject: `leases/${leaseId}`,
    };
    if (kind === "ready") delivery.notAfter = status.expiresAt;
    yield* callCloud(context, ACTIVITY.startWebhookDelivery, { instanceId: `wh-${leaseId}-${kind}`, input: delivery });
  };

  yield* publish("requested", { durationMinutes: input.durationMinutes, profile: input.profileName });
  const clusterInput = (name: string): ClusterOrchestrationInput => ({
    clusterName: name,
    profileName: input.profileName,
    overrides: input.overrides,
    profileHash: input.profileHash,
    owner: { leaseId },
    keepWarmMinutes: 0,
    maxLifetimeMinutes: input.maxTotalMinutes,
    reuse: "never",
    jobTags: { "lease-caller": input.caller },
    adlsAccounts: input.adlsAccounts,
  });
  /** Makes sure the cluster's orchestration runs and asks it for the cluster. */
  const request = function* (): Generator<Task, void, unknown> {
    yield* callActivityTyped(context, ACTIVITY.ensureClusterOrchestration, clusterInput(clusterName), cloudRetry());
    yield* sendClusterCommand(context, clusterName, { type: "acquire", holder: leaseId, replyTo: leaseId });
  };
  let notice: Task = context.df.waitForExternalEvent(EVENT.clusterNotice);
  let command: Task = context.df.waitForExternalEvent(EVENT.leaseCommand);
  let acquireSent = false;
  try {
    // An idle warm cluster of the same profile serves the lease before a new one is created (issue 13).
    const warm = yield* callActivityTyped(
      context,
      ACTIVITY.findWarmCluster,
      { profileHash: input.profileHash, minRemainingMinutes: input.durationMinutes, phases: ["idle"] },
      cloudRetry(),
    );
    if (warm.clusterName) {
      clusterName = status.clusterName = warm.clusterName;
      joined = true;
    }
  } catch {
    // No warm cluster found: the lease's own.
  }
  try {
    yield* request();
    acquireSent = true;
    move("clusterRequested");
    context.df.setCustomStatus(status);
  } catch (err) {
    move("requestFailed");
    status.error = `could not request the cluster: ${(err as Error).message.split("\n")[0]}`;
  }

  while (status.state === "provisioning" || status.state === "ready") {
    const timer = context.df.createTimer(at(Math.max(expiryMs, nowMs(context))));
    const winner = (yield context.df.Task.any([notice, command, timer])) as Task;
    if (winner === timer) {
      move("expire");
      break;
    }
    timer.cancel();
    if (winner === command) {
      const cmd = command.result as LeaseCommand;
      command = context.df.waitForExternalEvent(EVENT.leaseCommand);
      if (cmd.type === "release") {
        move("release");
        break;
      }
      expiryMs = renewedExpiryMs(nowMs(context), expiryMs, cmd.durationMinutes, hardCapMs);
      status.expiresAt = new Date(expiryMs).toISOString();
      status.renewals += 1;
      yield* publish("renewed", { durationMinutes: cmd.durationMinutes, clippedToHardCap: expiryMs === hardCapMs });
      continue;
    }
    const n = notice.result as ClusterNotice;
    notice = context.df.waitForExternalEvent(EVENT.clusterNotice);
    if (n.type === "ready" && status.state === "provisioning") {
      move("clusterReady");
      status.readyAt = nowIso(context);
      let endpoints: LeaseEndpoints;
      try {
        // Classified: a permanent failure (Azure refused Jobflow's credentials) arrives at once, not after retries.
        endpoints = yield* callCloud(context, ACTIVITY.getLeaseEndpoints, { clusterName, profileName: input.profileName });
      } catch (err) {
        move("clusterFailed");
        status.error = `could not read the cluster's endpoints: ${failureText(err)}`;
        break;
      }
      status.callback = "started";
      yield* callback("ready", { endpoints });
      yield* publish("ready", { endpoints });
    } else if (n.type === "unavailable" && joined && status.state === "provisioning") {
      // The idle cluster it joined is going away (deleted meanwhile): the lease gets its own, once.
      joined = false;
      clusterName = status.clusterName = input.clusterName;
      context.df.setCustomStatus(status);
      yield* request();
    } else if (n.type !== "ready") {
      move(n.type === "expiring" ? "expire" : "clusterFailed");
      status.error = n.reason;
    }
  }

  // Always release: the cluster orchestration deletes it once nobody holds it (a release it never saw is harmless).
  status.endedAt = nowIso(context);
  if (acquireSent) {
    yield* sendClusterCommand(context, clusterName, { type: "release", holder: leaseId, terminate: false });
  }
  if (status.state === "expired" || status.state === "failed") yield* callback(status.state, status.error ? { error: status.error } : {});
  yield* publish(status.state, status.error ? { error: status.error } : {});
  return status;
};

df.app.orchestration(ORCHESTRATION.lease, computeLease);
export default computeLease;
