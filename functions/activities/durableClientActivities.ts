// Activities that talk to the Durable runtime itself (orchestrations cannot raise events on other instances or
// start singletons idempotently on their own): raise an event on another instance, make sure a cluster's singleton
// orchestration runs, find a compatible warm cluster among the running cluster orchestrations, and a job's whole
// acquisition (those three) in one activity. The Durable client
// comes with the invocation (register.ts binds it for these activities).
import type { DurableClient } from "durable-functions";
import { LIVE_RUNTIME_STATUSES, isLiveRuntimeStatus } from "../../shared/states/orchestration";
import { errorMessage } from "../../shared/errors";
import {
  ACTIVITY,
  EVENT,
  ORCHESTRATION,
  clusterInstanceId,
  type ClusterCommand,
  type ClusterOrchestrationInput,
  type FindWarmClusterInput,
} from "../../shared/workflow/activities";
import type { ActivityDeps, ActivityHandlers } from "./activityDeps";
import { ridingSaver } from "./recordActivities";
import { demandHistoryOf } from "./keepWarmActivities";

interface ClusterCustomStatus {
  phase?: string;
  profileHash?: string;
  reuse?: string;
  expiresAt?: string;
  holders?: string[];
  /** Set on a cluster nobody may join any more (its gateway login was rejected). */
  drained?: string;
}

/** Phases a job may join: held (ready), kept warm (idle) or still being created (creating). */
const JOINABLE_PHASES = ["ready", "idle", "creating"];

/** A compatible warm cluster the job may join (ready, idle or creating; same profile hash; enough lifetime left). */
async function findWarm(client: DurableClient, input: FindWarmClusterInput, now: number): Promise<string | undefined> {
  const instances = await client.getStatusBy({ runtimeStatus: [...LIVE_RUNTIME_STATUSES] });
  const candidates = instances
    .filter((s) => s.instanceId.startsWith("cluster-") && s.name === ORCHESTRATION.cluster)
    .map((s) => ({ name: s.instanceId.slice("cluster-".length), status: (s.customStatus ?? {}) as ClusterCustomStatus }))
    .filter(({ status }) => status.reuse === "warm" && status.profileHash === input.profileHash && !status.drained)
    .filter(({ status }) => (input.phases ?? JOINABLE_PHASES).filter((p) => JOINABLE_PHASES.includes(p)).includes(status.phase ?? ""))
    .filter(({ status }) => !status.expiresAt || Date.parse(status.expiresAt) - now > input.minRemainingMinutes * 60_000)
    // Prefer a cluster that is up (held or idle) to one being created, then the one that lives longest.
    .sort((a, b) => {
      const upA = a.status.phase !== "creating";
      const upB = b.status.phase !== "creating";
      return upA === upB ? Date.parse(b.status.expiresAt ?? "") - Date.parse(a.status.expiresAt ?? "") : upA ? -1 : 1;
    });
  return candidates[0]?.name;
}

/** `warm-claims/<profileHash>.json`: the cluster the last job that found nothing warm decided to create. */
interface WarmClaim {
  clusterName: string;
  claimedAt: string;
}

/** A claimed cluster not yet visible as warm counts for this long (its job is between claim and create). */
const CLAIM_FRESH_MS = 10 * 60_000;

/** Whether a claim still names a cluster others should join: alive and compatible, or claimed moments ago. */
async function claimHolds(client: DurableClient, claim: WarmClaim, input: FindWarmClusterInput, now: number): Promise<boolean> {
  if (claim.clusterName === input.candidate) return true; // our own claim (a retried activity)
  const status = await client.getStatus(clusterInstanceId(claim.clusterName)).catch(() => undefined);
  if (!status) return now - Date.parse(claim.claimedAt) < CLAIM_FRESH_MS;
  if (!isLiveRuntimeStatus(status.runtimeStatus)) return false;
  const custom = (status.customStatus ?? {}) as ClusterCustomStatus;
  // "new": the name of the requested phase in instances started by older code.
  if (custom.phase && !["new", "requested", ...JOINABLE_PHASES].includes(custom.phase)) return false;
  return !custom.expiresAt || Date.parse(custom.expiresAt) - now > input.minRemainingMinutes * 60_000;
}

type DurableClientActivityName =
  | typeof ACTIVITY.raiseEventTo
  | typeof ACTIVITY.findEndedHolders
  | typeof ACTIVITY.ensureClusterOrchestration
  | typeof ACTIVITY.findWarmCluster
  | typeof ACTIVITY.acquireCluster;

export function durableClientActivities(deps: ActivityDeps): Pick<ActivityHandlers, DurableClientActivityName> {
  const history = demandHistoryOf(deps);
  const ride = ridingSaver(deps); // the riding record save (recordActivities.ts)

  /** `first`: a command the instance takes with its start when this call starts it (not raised: no episode of its own). */
  const ensureCluster = async (
    client: DurableClient,
    input: ClusterOrchestrationInput,
    first?: ClusterCommand,
  ): Promise<{ instanceId: string; started: boolean }> => {
    const instanceId = clusterInstanceId(input.clusterName);
    const existing = await client.getStatus(instanceId).catch(() => undefined);
    if (existing && isLiveRuntimeStatus(existing.runtimeStatus)) return { instanceId, started: false };
    try {
      // costLedger: this instance keeps a cost ledger (instances started by earlier code replay without one).
      const startInput: ClusterOrchestrationInput = { ...input, costLedger: true, ...(first ? { firstCommands: [first] } : {}) };
      await client.startNew(ORCHESTRATION.cluster, { instanceId, input: startInput });
      return { instanceId, started: true };
    } catch (err) {
      // Another job started it between our status read and our start: that is the singleton we wanted.
      const again = await client.getStatus(instanceId).catch(() => undefined);
      if (again && isLiveRuntimeStatus(again.runtimeStatus)) return { instanceId, started: false };
      throw err;
    }
  };

  const findOrClaimWarm = async (client: DurableClient, input: FindWarmClusterInput): Promise<{ clusterName?: string }> => {
    const now = deps.clock.nowMs();
    // Closes the profile's idle gap, which feeds the break-even keep-warm rule (a failed write never fails the job).
    await history.recordArrival(input.profileHash, now).catch(() => undefined);
    const warm = await findWarm(client, input, now);
    if (warm || !input.candidate) return warm ? { clusterName: warm } : {};
    const container = deps.config.containers.jobs;
    const blob = `warm-claims/${input.profileHash}.json`;
    for (let attempt = 0; attempt < 5; attempt++) {
      const current = await deps.blobs.getJson<WarmClaim>(container, blob);
      if (current && (await claimHolds(client, current.value, input, now))) return { clusterName: current.value.clusterName };
      const claim: WarmClaim = { clusterName: input.candidate, claimedAt: new Date(now).toISOString() };
      try {
        await deps.blobs.putJson(container, blob, claim, current ? { ifMatch: current.etag } : { ifNoneMatch: "*" });
        return { clusterName: input.candidate };
      } catch (err) {
        if ((err as { name?: string }).name !== "ConflictError") throw err;
        // Another job claimed first: read its claim and join it.
      }
    }
    return { clusterName: input.candidate };
  };
  return {
    [ACTIVITY.raiseEventTo]: async (input, invocation) => {
      await invocation.durableClient().raiseEvent(input.instanceId, input.eventName, input.payload);
      return { raised: true as const, ...(await ride(input, invocation)) };
    },

    /**
     * Holders of a cluster (orchestration instance ids: jobs, leases) whose orchestration has ended or never existed:
     * they can no longer release the cluster themselves (self-healing for a lost release, issue 11 §4).
     */
    [ACTIVITY.findEndedHolders]: async (input, invocation) => {
      const client = invocation.durableClient();
      const ended: string[] = [];
      for (const holder of input.holders) {
        const status = await client.getStatus(holder).catch((err: unknown) => {
          if (/HTTP 404/.test(errorMessage(err))) return undefined; // no such instance (purged or never started)
          throw err;
        });
        // A suspended holder is paused, not gone: it may still release the cluster once resumed.
        const alive = status && (isLiveRuntimeStatus(status.runtimeStatus) || status.runtimeStatus === "Suspended");
        if (!alive) ended.push(holder);
      }
      return ended;
    },

    [ACTIVITY.ensureClusterOrchestration]: async (input, invocation) => ensureCluster(invocation.durableClient(), input),

    // Find a warm cluster, or (with a candidate) claim the profile's next one. Jobs that find nothing warm at the same
    // moment race on a conditional Blob write: the first claim wins and the others join its cluster, so a burst of
    // warm jobs with one profile creates one cluster, not one each.
    [ACTIVITY.findWarmCluster]: async (input, invocation) => findOrClaimWarm(invocation.durableClient(), input),

    // A job's acquisition in one hop (one activity, one episode of the job instead of three): warm search or claim,
    // the cluster's singleton orchestration, the "acquire" command. Retried as a whole: each part is idempotent (the
    // claim is the job's own, a live singleton is not started twice, a repeated acquire of a holder is a no-op).
    [ACTIVITY.acquireCluster]: async (input, invocation) => {
      const client = invocation.durableClient();
      let clusterName = input.cluster.clusterName;
      if (input.warm) clusterName = (await findOrClaimWarm(client, input.warm)).clusterName ?? clusterName;
      const acquire: ClusterCommand = { type: "acquire", holder: input.holder, replyTo: input.replyTo };
      // A cluster this call starts takes the acquire with its start; a running one gets it raised.
      const { started } = await ensureCluster(client, { ...input.cluster, clusterName }, acquire);
      if (!started) await client.raiseEvent(clusterInstanceId(clusterName), EVENT.clusterCommand, acquire);
      return { clusterName, joinedWarm: clusterName !== input.cluster.clusterName, ...(await ride(input, invocation)) };
    },
  };
}
