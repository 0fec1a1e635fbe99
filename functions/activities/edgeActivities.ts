// Edge VM activities: copy the cluster's Ambari client-config bundle to Blob (the VM downloads it with a short-lived
// read SAS passed as a protected parameter), start the edge sync script through Run Command v2, read its instance
// view, and record which cluster a VM is attached to.
import * as df from "durable-functions";
import { buildEdgeRunCommand, parseEdgeSyncResult } from "../../shared/builders/edgeRunCommand";
import { JobflowError } from "../../shared/errors";
import { ACTIVITY, type EdgeSyncInput, type EdgeSyncResult } from "../../shared/workflow/activities";
import type { EdgeLastSync } from "../store/edgeStore";
import { appClock } from "../runtime/appClock";
import { toEdgeBundleLayout } from "./edgeBundleLayout";
import { services } from "../runtime/services";
import { cutUrlSecrets } from "../../shared/security/scrub";
import { classified } from "./classified";

const bundleBlob = (clusterName: string): string => `${clusterName}/client-configs.tar.gz`;
const SAS_MINUTES = 60;
const OUTPUT_TAIL_LINES = 8;

/** The last lines of a run command's output, safe to keep in a record (SAS signatures and URL tokens cut out). */
function outputTail(output: string | undefined): string | undefined {
  const lines = (output ?? "").split(/\r?\n/).filter((l) => l.trim() !== "");
  return lines.length ? lines.slice(-OUTPUT_TAIL_LINES).map((l) => cutUrlSecrets(l).slice(0, 300)).join("\n") : undefined;
}

// The three cloud activities are classified (./classified.ts): a permanent or not-found failure (403, unknown VM)
// comes back at once as a value instead of being retried; a busy VM (409) stays transient and is retried.
df.app.activity(ACTIVITY.prepareEdgeBundle, {
  handler: classified(ACTIVITY.prepareEdgeBundle, async (input: { clusterName: string; profileName: string }) => {
    const s = services();
    const info = await s.cloud.clusters.get(input.clusterName);
    if (!info) throw new JobflowError("NotFoundError", `cluster ${input.clusterName} does not exist`);
    const gateway = await s.gateway(input.clusterName, input.profileName);
    const bundle = await toEdgeBundleLayout(await gateway.downloadClientConfigBundle(input.clusterName));
    await s.cloud.blobs.putBytes(s.config.containers.bundles, bundleBlob(input.clusterName), bundle, { contentType: "application/gzip" });
    const headnodeIp = await gateway.activeHeadnodeIp(input.clusterName);
    return { bundleBlob: bundleBlob(input.clusterName), clusterVersion: info.clusterVersion ?? "5.1", headnodeIp };
  }),
});

df.app.activity(ACTIVITY.beginEdgeSync, {
  handler: classified(ACTIVITY.beginEdgeSync, async (input: EdgeSyncInput & { bundleBlob?: string; clusterVersion?: string; headnodeIp?: string }) => {
    const s = services();
    if (!s.config.edgeVms.includes(input.vm)) throw new JobflowError("NotFoundError", `edge VM '${input.vm}' is not registered (JOBFLOW_EDGE_VMS)`);
    let target;
    if (input.mode !== "detach") {
      if (!input.clusterName || !input.bundleBlob) throw new JobflowError("ValidationError", `${input.mode} needs a cluster and its bundle`);
      const bundleSasUrl = await s.cloud.blobs.createReadSasUrl(s.config.containers.bundles, input.bundleBlob, { expiresInMinutes: SAS_MINUTES });
      target = {
        clusterName: input.clusterName,
        clusterVersion: input.clusterVersion ?? "5.1",
        headnodeIp: input.headnodeIp ?? "",
        bundleSasUrl,
        env: { JOBFLOW_CLUSTER: input.clusterName, SPARK_HOME: "/usr/hdp/current/spark3-client", HADOOP_CONF_DIR: "/etc/hadoop/conf" },
      };
    }
    const command = buildEdgeRunCommand({ action: input.mode, vmName: input.vm, target, requestedAt: appClock().now().toISOString() });
    const parameters = Object.fromEntries(command.parameters.map((p) => [p.name, p.value]));
    const protectedParameters = Object.fromEntries(command.protectedParameters.map((p) => [p.name, p.value]));
    await s.cloud.runCommands.beginRun(input.vm, command.runCommandName, { script: command.script, parameters, protectedParameters, timeoutInSeconds: command.timeoutInSeconds });
    return { runCommandName: command.runCommandName };
  }),
});

df.app.activity(ACTIVITY.getEdgeSync, {
  handler: classified(ACTIVITY.getEdgeSync, async (input: { vm: string; runCommandName: string }) => {
    const s = services();
    const status = await s.cloud.runCommands.get(input.vm, input.runCommandName);
    if (!status) return { executionState: "Failed", message: `run command ${input.runCommandName} disappeared` };
    const done = ["succeeded", "failed", "timedout", "canceled"].includes(status.executionState.toLowerCase());
    const parsed = status.output ? parseEdgeSyncResult(status.output) : undefined;
    if (done) await s.cloud.runCommands.beginDelete(input.vm, input.runCommandName);
    const result: { executionState: string; exitCode?: number; message?: string; outputTail?: string } = { executionState: status.executionState };
    if (status.exitCode !== undefined) result.exitCode = status.exitCode;
    const message = parsed?.message ?? status.error?.split("\n").filter(Boolean).slice(-1)[0];
    if (message) result.message = cutUrlSecrets(message);
    const tail = done ? outputTail([status.output, status.error].filter(Boolean).join("\n")) : undefined;
    if (tail) result.outputTail = tail;
    return result;
  }),
});

// Records a sync's outcome: a successful one moves the VM's attachment (null after a detach); every one, successful
// or not, becomes the VM's last sync, kept beside the attachment so it survives the operation.
df.app.activity(ACTIVITY.recordEdgeSync, {
  handler: async (input: { result: EdgeSyncResult; requestedBy: string }) => {
    const s = services();
    const r = input.result;
    const at = appClock().now().toISOString();
    const lastSync: EdgeLastSync = { at, mode: r.mode, ok: r.ok, clusterName: r.clusterName ?? null };
    if (r.exitCode !== undefined) lastSync.exitCode = r.exitCode;
    if (r.message) lastSync.message = r.message;
    if (r.outputTail) lastSync.outputTail = r.outputTail;
    const attachment = r.ok
      ? { vm: r.vm, clusterName: r.mode === "detach" ? null : r.clusterName ?? null, requestedBy: input.requestedBy, updatedAt: at }
      : (await s.edges.get(r.vm)) ?? { vm: r.vm, clusterName: null, requestedBy: input.requestedBy, updatedAt: at };
    await s.edges.put({ ...attachment, lastSync });
    return { recorded: true };
  },
});

df.app.activity(ACTIVITY.listEdgesAttachedTo, {
  handler: async (input: { clusterName: string }) => {
    const all = await services().edges.list();
    return all.filter((a) => a.clusterName === input.clusterName).map((a) => a.vm);
  },
});
