// Edge VM activities: copy the cluster's Ambari client-config bundle to Blob (the VM downloads it with a short-lived
// read SAS passed as a protected parameter), start the edge sync script through Run Command v2, read its instance
// view, and record which cluster a VM is attached to.
import { buildEdgeRunCommand, parseEdgeSyncResult } from "../../shared/builders/edgeRunCommand";
import { JobflowError } from "../../shared/errors";
import { ACTIVITY, type EdgeSyncStatus } from "../../shared/workflow/activities";
import { EdgeStore, type EdgeLastSync } from "../store/edgeStore";
import { toEdgeBundleLayout } from "./edgeBundleLayout";
import { cutUrlSecrets } from "../../shared/security/scrub";
import type { ActivityDeps, ActivityHandlers } from "./activityDeps";
import { classified } from "./classified";

const bundleBlob = (clusterName: string): string => `${clusterName}/client-configs.tar.gz`;
const SAS_MINUTES = 60;
const OUTPUT_TAIL_LINES = 8;
const FINAL_RUN_STATES = ["succeeded", "failed", "timedout", "canceled"];

/** The last lines of a run command's output, safe to keep in a record (SAS signatures and URL tokens cut out). */
function outputTail(output: string | undefined): string | undefined {
  const lines = (output ?? "").split(/\r?\n/).filter((l) => l.trim() !== "");
  return lines.length
    ? lines
        .slice(-OUTPUT_TAIL_LINES)
        .map((l) => cutUrlSecrets(l).slice(0, 300))
        .join("\n")
    : undefined;
}

type EdgeActivityName =
  | typeof ACTIVITY.prepareEdgeBundle
  | typeof ACTIVITY.beginEdgeSync
  | typeof ACTIVITY.getEdgeSync
  | typeof ACTIVITY.recordEdgeSync
  | typeof ACTIVITY.listEdgesAttachedTo;

export function edgeActivities(deps: ActivityDeps): Pick<ActivityHandlers, EdgeActivityName> {
  const { config, blobs, runCommands, clock } = deps;
  const edges = new EdgeStore(blobs, config.containers.jobs);
  // The three cloud activities are classified (./classified.ts): a permanent or not-found failure (403, unknown VM)
  // comes back at once as a value instead of being retried; a busy VM (409) stays transient and is retried.
  return {
    [ACTIVITY.prepareEdgeBundle]: classified(ACTIVITY.prepareEdgeBundle, async (input) => {
      const info = await deps.clusters.get(input.clusterName);
      if (!info) throw new JobflowError("NotFoundError", `cluster ${input.clusterName} does not exist`);
      const gateway = await deps.gateway(input.clusterName, input.profileName);
      const bundle = await toEdgeBundleLayout(await gateway.downloadClientConfigBundle(input.clusterName));
      await blobs.putBytes(config.containers.bundles, bundleBlob(input.clusterName), bundle, { contentType: "application/gzip" });
      const headnodeIp = await gateway.activeHeadnodeIp(input.clusterName);
      return { bundleBlob: bundleBlob(input.clusterName), clusterVersion: info.clusterVersion ?? "5.1", headnodeIp };
    }),

    [ACTIVITY.beginEdgeSync]: classified(ACTIVITY.beginEdgeSync, async (input) => {
      if (!config.edgeVms.includes(input.vm))
        throw new JobflowError("NotFoundError", `edge VM '${input.vm}' is not registered (JOBFLOW_EDGE_VMS)`);
      let target;
      if (input.mode !== "detach") {
        if (!input.clusterName || !input.bundleBlob)
          throw new JobflowError("ValidationError", `${input.mode} needs a cluster and its bundle`);
        const bundleSasUrl = await blobs.createReadSasUrl(config.containers.bundles, input.bundleBlob, { expiresInMinutes: SAS_MINUTES });
        target = {
          clusterName: input.clusterName,
          clusterVersion: input.clusterVersion ?? "5.1",
          headnodeIp: input.headnodeIp ?? "",
          bundleSasUrl,
          env: { JOBFLOW_CLUSTER: input.clusterName, SPARK_HOME: "/usr/hdp/current/spark3-client", HADOOP_CONF_DIR: "/etc/hadoop/conf" },
        };
      }
      const command = buildEdgeRunCommand({ action: input.mode, vmName: input.vm, target, requestedAt: clock.now().toISOString() });
      const parameters = Object.fromEntries(command.parameters.map((p) => [p.name, p.value]));
      const protectedParameters = Object.fromEntries(command.protectedParameters.map((p) => [p.name, p.value]));
      await runCommands.beginRun(input.vm, command.runCommandName, {
        script: command.script,
        parameters,
        protectedParameters,
        timeoutInSeconds: command.timeoutInSeconds,
      });
      return { runCommandName: command.runCommandName };
    }),

    [ACTIVITY.getEdgeSync]: classified(ACTIVITY.getEdgeSync, async (input) => {
      const status = await runCommands.get(input.vm, input.runCommandName);
      if (!status) return { executionState: "Failed", message: `run command ${input.runCommandName} disappeared` };
      const done = FINAL_RUN_STATES.includes(status.executionState.toLowerCase());
      const parsed = status.output ? parseEdgeSyncResult(status.output) : undefined;
      if (done) await runCommands.beginDelete(input.vm, input.runCommandName);
      const result: EdgeSyncStatus = { executionState: status.executionState };
      if (status.exitCode !== undefined) result.exitCode = status.exitCode;
      const message = parsed?.message ?? status.error?.split("\n").filter(Boolean).slice(-1)[0];
      if (message) result.message = cutUrlSecrets(message);
      const tail = done ? outputTail([status.output, status.error].filter(Boolean).join("\n")) : undefined;
      if (tail) result.outputTail = tail;
      return result;
    }),

    // Records a sync's outcome: a successful one moves the VM's attachment (null after a detach); every one, successful
    // or not, becomes the VM's last sync, kept beside the attachment so it survives the operation.
    [ACTIVITY.recordEdgeSync]: async (input) => {
      const r = input.result;
      const at = clock.now().toISOString();
      const lastSync: EdgeLastSync = { at, mode: r.mode, ok: r.ok, clusterName: r.clusterName ?? null };
      if (r.exitCode !== undefined) lastSync.exitCode = r.exitCode;
      if (r.message) lastSync.message = r.message;
      if (r.outputTail) lastSync.outputTail = r.outputTail;
      const attachment = r.ok
        ? { vm: r.vm, clusterName: r.mode === "detach" ? null : (r.clusterName ?? null), requestedBy: input.requestedBy, updatedAt: at }
        : ((await edges.get(r.vm)) ?? { vm: r.vm, clusterName: null, requestedBy: input.requestedBy, updatedAt: at });
      await edges.put({ ...attachment, lastSync });
      return { recorded: true as const };
    },

    [ACTIVITY.listEdgesAttachedTo]: async (input) => {
      const all = await edges.list();
      return all.filter((a) => a.clusterName === input.clusterName).map((a) => a.vm);
    },
  };
}
