// One reaper run: list clusters in the watched resource groups, gather the evidence for each (tags, ARM state,
// the cluster orchestration's status, Livy/YARN activity only where it matters), decide with the pure rules
// (shared/policies/reaperRules.ts), act, and audit the decisions (Blob record + CloudEvent): every delete, dry-run
// delete and failure, and a kept cluster's decision only when it (or its reason) changed since its last audit —
// a warm cluster kept every 5 minutes for the same reason is news once.
// Acting: a cluster whose orchestration is live gets a "reap" command — the orchestration refuses it if a job
// acquired the cluster since we looked; any other cluster gets a direct, idempotent beginDelete.
// Dependencies are injected (ReaperDeps: cloud clients, clock, config); reaperFunctions.ts passes the app's.
import { randomBytes } from "node:crypto";
import type { DurableClient } from "durable-functions";
import type { Clock } from "../../shared/clock";
import type { ClusterGatewayInfo } from "../../shared/cloud/ambari";
import type { JobflowBlobStore } from "../../shared/cloud/blobStore";
import type { HDInsightClusters } from "../../shared/cloud/clusters";
import type { EventPublisher } from "../../shared/cloud/events";
import type { LivyClient } from "../../shared/cloud/livy";
import type { SecretStore } from "../../shared/cloud/secrets";
import type { JobflowConfig } from "../../shared/config";
import { isLiveRuntimeStatus } from "../../shared/states/orchestration";
import type { ClusterInfo } from "../../shared/cloud/clusters";
import { TAG } from "../../shared/builders/clusterRequest";
import {
  auditKey,
  decideReap,
  needsActivityProbe,
  shouldAudit,
  type ReaperActivity,
  type ReaperOrchestrationView,
} from "../../shared/policies/reaperRules";
import { EVENT, clusterInstanceId, type ClusterCommand } from "../../shared/workflow/activities";
import { toCloudEvents, type EventDraft } from "../runtime/events";
import { observeClusterDecisions } from "../runtime/telemetryMetrics";
import { ReaperAuditStore, type ReaperAuditRecord } from "./auditStore";

const FINAL_LIVY_STATES = ["success", "dead", "killed", "error"];
/** Tags an opted-in hand-made cluster may carry so the reaper can read its Livy/YARN activity. */
export const GATEWAY_SECRET_TAG = "jobflow-gateway-secret";
export const GATEWAY_USER_TAG = "jobflow-gateway-user";

export interface ReaperRunResult {
  runId: string;
  dryRun: boolean;
  startedAt: string;
  decisions: ReaperAuditRecord[];
}

/** What a reaper run uses. */
export interface ReaperDeps {
  config: JobflowConfig;
  clock: Clock;
  clusters: HDInsightClusters;
  secrets: SecretStore;
  blobs: JobflowBlobStore;
  events: EventPublisher;
  /** The pinned gateway login of a Jobflow cluster (runtime/gatewayCredentials.ts). */
  gatewayLogin(clusterName: string, profileName: string): Promise<{ username: string; password: string }>;
  /** Livy / Ambari+YARN clients of a cluster with the given login. */
  livyWith(clusterName: string, credentials: { username: string; password: string }): LivyClient;
  gatewayWith(clusterName: string, credentials: { username: string; password: string }): ClusterGatewayInfo;
}

export function auditStoreOf(deps: Pick<ReaperDeps, "blobs" | "config">): ReaperAuditStore {
  return new ReaperAuditStore(deps.blobs, deps.config.containers.audit);
}

export async function runReaper(deps: ReaperDeps, client: DurableClient, options: { dryRun: boolean }): Promise<ReaperRunResult> {
  const startedMs = deps.clock.nowMs();
  const runId = `${startedMs.toString(36)}${randomBytes(3).toString("hex")}`;
  const clusters = (await Promise.all(deps.config.reaperResourceGroups.map((rg) => deps.clusters.list({ resourceGroup: rg })))).flat();
  const decisions = await Promise.all(clusters.map((c) => decideAndAct(deps, client, c, runId, options.dryRun)));
  observeClusterDecisions(decisions); // the clusters live/idle gauge (docs/operations.md)
  const audit = auditStoreOf(deps);
  const lastKeys = await audit.lastKeys();
  const keys: Record<string, string> = {};
  const news: ReaperAuditRecord[] = [];
  for (const d of decisions) {
    const key = auditKey(d, d.outcome);
    keys[d.clusterName] = key;
    if (shouldAudit(d.outcome, key, lastKeys[d.clusterName])) news.push(d);
  }
  await Promise.all(news.map((d) => audit.put(d)));
  const changed =
    Object.keys(keys).length !== Object.keys(lastKeys).length || Object.entries(keys).some(([name, key]) => lastKeys[name] !== key);
  if (changed) await audit.saveLastKeys(keys);
  const drafts: EventDraft[] = news.map((d) => ({ type: "jobflow.reaper.decision", subject: `clusters/${d.clusterName}`, data: { ...d } }));
  if (drafts.length) await deps.events.publish(toCloudEvents(drafts, deps.clock));
  return { runId, dryRun: options.dryRun, startedAt: new Date(startedMs).toISOString(), decisions };
}

async function decideAndAct(
  deps: ReaperDeps,
  client: DurableClient,
  cluster: ClusterInfo,
  runId: string,
  dryRun: boolean,
): Promise<ReaperAuditRecord> {
  const nowMs = deps.clock.nowMs();
  const managed = cluster.tags[TAG.managed] === "true";
  let orchestration: ReaperOrchestrationView | undefined;
  let profileName = "default";
  if (managed) {
    const st = await client.getStatus(clusterInstanceId(cluster.name), { showInput: true }).catch(() => undefined);
    if (st && isLiveRuntimeStatus(st.runtimeStatus)) {
      const custom = (st.customStatus ?? {}) as { phase?: string; holders?: string[]; readyAt?: string; idleSince?: string };
      orchestration = { holders: custom.holders ?? [] };
      if (custom.phase) orchestration.phase = custom.phase;
      if (custom.readyAt) orchestration.readyAt = custom.readyAt;
      if (custom.idleSince) orchestration.idleSince = custom.idleSince;
      profileName = (st.input as { profileName?: string } | undefined)?.profileName ?? profileName;
    }
  }
  const view = {
    name: cluster.name,
    resourceGroup: cluster.resourceGroup,
    tags: cluster.tags,
    provisioningState: cluster.provisioningState,
    clusterState: cluster.clusterState,
    ...(cluster.createdDate ? { createdDate: cluster.createdDate } : {}),
  };
  let activity: ReaperActivity = { probed: false };
  if (needsActivityProbe(view, orchestration, nowMs)) activity = await probeActivity(deps, cluster, profileName);
  const decision = decideReap({ cluster: view, orchestration, activity, nowMs, dryRun });
  const record: ReaperAuditRecord = { ...decision, runId, decidedAt: new Date(nowMs).toISOString(), outcome: "kept" };
  try {
    if (decision.tagUpdate) {
      const tags = { ...cluster.tags, ...decision.tagUpdate.set };
      for (const name of decision.tagUpdate.remove ?? []) delete tags[name];
      await deps.clusters.updateTags(cluster.name, tags, { resourceGroup: cluster.resourceGroup });
    }
    if (decision.action === "delete") {
      if (dryRun) record.outcome = "wouldDelete";
      else if (orchestration) {
        const cmd: ClusterCommand = { type: "reap", reason: `${decision.rule}: ${decision.reason}` };
        await client.raiseEvent(clusterInstanceId(cluster.name), EVENT.clusterCommand, cmd);
        record.outcome = "reapRequested";
      } else {
        await deps.clusters.beginDelete(cluster.name, { resourceGroup: cluster.resourceGroup });
        record.outcome = "deleteRequested";
      }
    }
  } catch (err) {
    record.outcome = "failed";
    record.error = `${(err as Error).name}: ${(err as Error).message}`.slice(0, 500);
  }
  return record;
}

/** Livy batches not final and YARN apps running/accepted, through the gateway with the cluster's credential. */
async function probeActivity(deps: ReaperDeps, cluster: ClusterInfo, profileName: string): Promise<ReaperActivity> {
  try {
    const secretName = cluster.tags[GATEWAY_SECRET_TAG];
    let credentials: { username: string; password: string };
    if (secretName)
      credentials = { username: cluster.tags[GATEWAY_USER_TAG] ?? "admin", password: await deps.secrets.getSecret(secretName) };
    else {
      // A Jobflow cluster: the pinned, cached login it was created with (survives a rotation of the secret).
      credentials = await deps.gatewayLogin(cluster.name, profileName);
    }
    const [batches, apps] = await Promise.all([
      deps.livyWith(cluster.name, credentials).listBatches({ size: 100 }),
      deps.gatewayWith(cluster.name, credentials).runningApps(),
    ]);
    return {
      probed: true,
      activeBatches: batches.sessions.filter((b) => !FINAL_LIVY_STATES.includes(b.state)).length,
      runningApps: apps.length,
    };
  } catch (err) {
    return { probed: false, error: `${(err as Error).name}: ${(err as Error).message}`.slice(0, 300) };
  }
}
