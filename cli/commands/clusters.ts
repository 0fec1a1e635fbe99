// `jobflow clusters [--json]` lists the clusters in Jobflow's resource group (managed ones with their lifecycle);
// `jobflow clusters delete NAME [--json]` asks for a managed cluster's deletion (its holders are told first).
import type { Command } from "../main";
import { shortTime, table } from "../format";
import { EXIT } from "../exitCodes";
import { remoteCommand } from "../remote";
import type { ClusterRow } from "../apiClient";
import { TAG } from "../../shared/builders/clusterRequest";

const USAGE = "jobflow clusters [delete NAME]";

/** The phase of the cluster orchestration's custom status, when it has one. */
function phaseOf(row: ClusterRow): string {
  const l = row.lifecycle as { phase?: unknown; holders?: unknown } | null;
  if (!l || typeof l !== "object") return "-";
  const holders = Array.isArray(l.holders) ? ` (${l.holders.length} holder${l.holders.length === 1 ? "" : "s"})` : "";
  return typeof l.phase === "string" ? l.phase + holders : "-";
}

export function clusterTable(rows: readonly ClusterRow[]): string[] {
  return table(rows, [
    { header: "NAME", value: (c) => c.name },
    { header: "STATE", value: (c) => c.clusterState ?? "-" },
    { header: "PROVISIONING", value: (c) => c.provisioningState ?? "-" },
    { header: "MANAGED", value: (c) => (c.managed ? "yes" : "no") },
    { header: "LIFECYCLE", value: phaseOf },
    { header: "EXPIRES", value: (c) => shortTime(c.tags?.[TAG.expiresAt]) },
    { header: "CREATED", value: (c) => shortTime(c.createdDate) },
  ]);
}

export const command: Command = {
  summary: "list clusters; `clusters delete NAME` deletes a Jobflow-managed one",
  usage: USAGE,
  examples: ["jobflow clusters", "jobflow clusters delete jf-j-3f1c9a0b7d2e --output json"],
  run: remoteCommand(async (ctx) => {
    const { args, out, api } = ctx;
    const [sub, name, ...extra] = args.positional;
    if (sub === undefined) {
      const clusters = await api.listClusters();
      if (args.json) out.json({ clusters });
      else if (clusters.length === 0) out.line("no clusters");
      else for (const line of clusterTable(clusters)) out.line(line);
      return 0;
    }
    if (sub !== "delete" || !name || extra.length) {
      out.error(`usage: ${USAGE}`);
      return EXIT.usage;
    }
    const result = await api.deleteCluster(name);
    if (args.json) out.json(result);
    else out.line(result.deleteRequested ? `delete requested for cluster ${name}` : `cluster ${name} does not exist (nothing to delete)`);
    return 0;
  }),
};
