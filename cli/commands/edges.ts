// `jobflow edges [--json]` lists the registered edge VMs and the cluster each is attached to;
// `jobflow edges attach NAME --cluster C [--wait]` points a VM at a cluster (a switch when it was attached
// elsewhere); `jobflow edges detach NAME [--wait]` detaches it. --wait follows the edge operation to its end.
import type { Clock } from "../../shared/clock";
import type { EdgeOperationStarted, EdgeOperationStatus, JobflowApi } from "../apiClient";
import { shortTime, table } from "../format";
import type { Command } from "../main";
import type { Output } from "../output";
import { EXIT } from "../exitCodes";
import { intOption, remoteCommand } from "../remote";
import { INTERVAL_OPTION, stringOption } from "../args";

const USAGE = "jobflow edges [attach NAME --cluster C | detach NAME] [--wait] [--interval-ms N]";
const FINAL_STATUSES = ["Completed", "Failed", "Terminated", "Canceled"];

/** Polls an edge operation until the orchestration ends, printing each new phase (unless quiet). */
export async function waitForEdgeOperation(
  api: Pick<JobflowApi, "getEdgeOperation">,
  operationId: string,
  options: { clock: Clock; intervalInMs: number; out?: Output },
): Promise<EdgeOperationStatus> {
  let lastPhase = "";
  for (;;) {
    const status = await api.getEdgeOperation(operationId);
    const progress = status.progress as { phase?: unknown } | null;
    const phase = typeof progress?.phase === "string" ? progress.phase : status.runtimeStatus;
    if (phase !== lastPhase) options.out?.line(`  ${phase}`);
    lastPhase = phase;
    if (FINAL_STATUSES.includes(status.runtimeStatus)) return status;
    await options.clock.sleep(options.intervalInMs);
  }
}

/** True when the operation ended well: the orchestration completed and the run command reported success. */
export function edgeOperationSucceeded(status: EdgeOperationStatus): boolean {
  return status.runtimeStatus === "Completed" && status.result?.ok !== false;
}

export const command: Command = {
  summary: "list edge VMs; `edges attach NAME --cluster C` / `edges detach NAME` (--wait to follow)",
  usage: USAGE,
  options: {
    cluster: { type: "string", value: "C", description: "attach: the cluster to point the VM at" },
    wait: { type: "boolean", description: "follow the edge operation to its end; exit 1 if it failed" },
    "interval-ms": INTERVAL_OPTION,
  },
  examples: ["jobflow edges", "jobflow edges attach dss-edge-01 --cluster jf-j-3f1c9a0b7d2e --wait", "jobflow edges detach dss-edge-01"],
  run: remoteCommand(async (ctx) => {
    const { args, out, api, clock } = ctx;
    const [sub, name, ...extra] = args.positional;
    if (sub === undefined) {
      const edges = await api.listEdges();
      if (args.json) out.json({ edges });
      else if (edges.length === 0) out.line("no edge VMs registered (JOBFLOW_EDGE_VMS)");
      else {
        const lines = table(edges, [
          { header: "NAME", value: (e) => e.name },
          { header: "ATTACHED TO", value: (e) => e.attachedTo ?? "-" },
          { header: "BY", value: (e) => e.requestedBy ?? "-" },
          { header: "UPDATED", value: (e) => shortTime(e.updatedAt) },
        ]);
        for (const line of lines) out.line(line);
      }
      return 0;
    }
    const cluster = stringOption(args, "cluster");
    const intervalInMs = intOption(ctx, "interval-ms", 2000, 1);
    const valid = (sub === "attach" && cluster) || (sub === "detach" && cluster === undefined);
    if (!valid || !name || extra.length || intervalInMs === null || intervalInMs === undefined) {
      out.error(`usage: ${USAGE}`);
      return EXIT.usage;
    }
    const started: EdgeOperationStarted = sub === "attach" ? await api.attachEdge(name, cluster as string) : await api.detachEdge(name);
    const what = started.mode === "detach" ? `detach of ${started.vm}` : `${started.mode} of ${started.vm} to ${started.cluster}`;
    if (args.options.wait !== true) {
      if (args.json) out.json(started);
      else out.line(`${what} started (operation ${started.operationId})`);
      return 0;
    }
    if (!args.json) out.line(`${what} (operation ${started.operationId}):`);
    const status = await waitForEdgeOperation(api, started.operationId, { clock, intervalInMs, out: args.json ? undefined : out });
    const ok = edgeOperationSucceeded(status);
    if (args.json) out.json({ ...started, ok, status });
    else {
      const message = status.result?.message ? `: ${status.result.message}` : "";
      out.line(
        ok
          ? `${what} done${message}`
          : `${what} failed (${status.runtimeStatus}${status.result?.exitCode !== undefined ? `, exit ${status.result.exitCode}` : ""})${message}`,
      );
    }
    return ok ? EXIT.ok : EXIT.failed;
  }),
};
