// One reaper run: list clusters in the watched resource groups, gather the evidence for each (tags, ARM state,
// the cluster orchestration's status, Livy/YARN activity only where it matters), decide with the pure rules
// (shared/policies/reaperRules.ts), act, and audit the decisions (Blob record + CloudEvent): every delete, dry-run
// delete and failure, and a kept cluster's decision only when it (or its reason) changed since its last audit —
// a warm cluster kept every 5 minutes for the same reason is news once.
// Acting: a cluster whose orchestration is live gets a "reap" command — the orchestration refuses it if a job
// acquired the cluster since we looked; any other cluster gets a direct, idempotent beginDelete.
import { randomBytes } from "node:crypto";
import type { DurableClient } from "durable-functions";
import { isLiveRuntimeStatus } from "../../shared/states/orchestration";
import type { ClusterInfo } from "../../shared/cloud/clusters";
import { TAG } from "../../shared/builders/clusterRequest";
import { auditKey, decideReap, needsActivityProbe, shouldAudit, type ReaperActivity, type ReaperOrchestrationView } from "../../shared/policies/reaperRules";
import { EVENT, clusterInstanceId, type ClusterCommand } from "../../shared/workflow/activities";
import { appClock } from "../runtime/appClock";
import { toCloudEvents, type EventDraft } from "../runtime/events";
import { services } from "../runtime/services";
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

export function auditStore(): ReaperAuditStore {
  const s = services();
  return new ReaperAuditStore(s.cloud.blobs, s.config.containers.audit);
}

export async function runReaper(client: DurableClient, options: { dryRun: boolean }): Promise<ReaperRunResult> {
  const s = services();
  const startedMs = appClock().nowMs();
  const runId = `${startedMs.toString(36)}${randomBytes(3).toString("hex")}`;
  const clusters = (await Promise.all(s.config.reaperResourceGroups.map((rg) => s.cloud.clusters.list({ resourceGroup: rg })))).flat();
  const decisions = await Promise.all(clusters.map((c) => decideAndAct(client, c, runId, options.dryRun)));
  observeClusterDecisions(decisions); // the clusters live/idle gauge (docs/operations.md)
  const audit = auditStore();
  const lastKeys = await audit.lastKeys();
  const keys: Record<string, string> = {};
  const news: ReaperAuditRecord[] = [];
  for (const d of decisions) {
    const key = auditKey(d, d.outcome);
    keys[d.clusterName] = key;
    if (shouldAudit(d.outcome, key, lastKeys[d.clusterName])) news.push(d);
  }
  await Promise.all(news.map((d) => audit.put(d)));
  const changed = Object.keys(keys).length !== Object.keys(lastKeys).length || Object.entries(keys).some(([name, key]) => lastKeys[name] !== key);
  if (changed) await audit.saveLastKeys(keys);
  const drafts: EventDraft[] = news.map((d) => ({ type: "jobflow.reaper.decision", subject: `clusters/${d.clusterName}`, data: { ...d } }));
  if (drafts.length) await s.cloud.events.publish(toCloudEvents(drafts));
  return { runId, dryRun: options.dryRun, startedAt: new Date(startedMs).toISOString(), decisions };
}

async function decideAndAct(client: DurableClient, cluster: ClusterInfo, runId: string, dryRun: boolean): Promise<ReaperAuditRecord> {
  const s = services();
  const nowMs = appClock().nowMs();
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
  const view = { name: cluster.name, resourceGroup: cluster.resourceGroup, tags: cluster.tags, provisioningState: cluster.provisioningState,
    clusterState: cluster.clusterState, ...(cluster.createdDate ? { createdDate: cluster.createdDate } : {}) };
  let activity: ReaperActivity = { probed: false };
  if (needsActivityProbe(view, orchestration, nowMs)) activity = await probeActivity(cluster, profileName);
  const decision = decideReap({ cluster: view, orchestration, activity, nowMs, dryRun });
  const record: ReaperAuditRecord = { ...decision, runId, decidedAt: new Date(nowMs).toISOString(), outcome: "kept" };
  try {
    if (decision.tagUpdate) {
      const tags = { ...cluster.tags, ...decision.tagUpdate.set };
      for (const name of decision.tagUpdate.remove ?? []) delete tags[name];
      await s.cloud.clusters.updateTags(cluster.name, tags, { resourceGroup: cluster.resourceGroup });
    }
    if (decision.action === "delete") {
      if (dryRun) record.outcome = "wouldDelete";
      else if (orchestration) {
        const cmd: ClusterCommand = { type: "reap", reason: `${decision.rule}: ${decision.reason}` };
        await client.raiseEvent(clusterInstanceId(cluster.name), EVENT.clusterCommand, cmd);
        record.outcome = "reapRequested";
      } else {
        await s.cloud.clusters.beginDelete(cluster.name, { resourceGroup: cluster.resourceGroup });
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
async function probeActivity(cluster: ClusterInfo, profileName: string): Promise<ReaperActivity> {
  const s = services();
  try {
    const secretName = cluster.tags[GATEWAY_SECRET_TAG];
    let credentials: { username: string; password: string };
    if (secretName) credentials = { username: cluster.tags[GATEWAY_USER_TAG] ?? "admin", password: await s.cloud.secrets.getSecret(secretName) };
    else {
      // A Jobflow cluster: the pinned, cached login it was created with (survives a rotation of the secret).
      const login = await s.gatewayLogins.login(cluster.name, profileName);
      credentials = { username: login.username, password: login.password };
    }
    const [batches, apps] = await Promise.all([s.cloud.livy(cluster.name, credentials).listBatches({ size: 100 }), s.cloud.gateway(cluster.name, credentials).runningApps()]);
    return { probed: true, activeBatches: batches.sessions.filter((b) => !FINAL_LIVY_STATES.includes(b.state)).length, runningApps: apps.length };
  } catch (err) {
    return { probed: false, error: `${(err as Error).name}: ${(err as Error).message}`.slice(0, 300) };
  }
}
