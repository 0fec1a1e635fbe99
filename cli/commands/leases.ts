// `jobflow leases [--json]` lists compute leases (newest first); `jobflow leases show ID` prints one. Leases are
// requested by other systems with an HMAC-signed POST /compute-requests (docs/policies.md), not from the CLI.
import type { Command } from "../main";
import { shortTime, table } from "../format";
import { EXIT } from "../exitCodes";
import { remoteCommand } from "../remote";
import type { LeaseStatus } from "../../shared/policies/workflowTypes";
import { apiRequest } from "./reaper";

const USAGE = "jobflow leases [show ID]";

export function leaseTable(rows: readonly LeaseStatus[]): string[] {
  return table(rows, [
    { header: "LEASE", value: (l) => l.leaseId },
    { header: "CALLER", value: (l) => l.caller ?? "-" },
    { header: "STATE", value: (l) => l.state },
    { header: "CLUSTER", value: (l) => l.clusterName ?? "-" },
    { header: "REQUESTED", value: (l) => shortTime(l.requestedAt) },
    { header: "EXPIRES", value: (l) => shortTime(l.expiresAt) },
    { header: "RENEWALS", value: (l) => String(l.renewals ?? 0), right: true },
  ]);
}

export const command: Command = {
  summary: "compute leases requested by other systems; `leases show ID`",
  usage: USAGE,
  examples: ["jobflow leases", "jobflow leases show lease-7f3a --output json"],
  run: remoteCommand(async (ctx) => {
    const { args, out, api } = ctx;
    const [sub, id, ...extra] = args.positional;
    if (sub === undefined) {
      const { leases } = await apiRequest<{ leases: LeaseStatus[] }>(api, "GET", "/compute-requests?limit=500");
      if (args.json) out.json({ leases });
      else if (leases.length === 0) out.line("no leases");
      else for (const line of leaseTable(leases)) out.line(line);
      return 0;
    }
    if (sub !== "show" || !id || extra.length) {
      out.error(`usage: ${USAGE}`);
      return EXIT.usage;
    }
    const lease = await apiRequest<LeaseStatus>(api, "GET", `/compute-requests/${encodeURIComponent(id)}`);
    if (args.json) out.json(lease);
    else {
      for (const line of leaseTable([lease])) out.line(line);
      if (lease.error) out.line(`error: ${lease.error}`);
    }
    return 0;
  }),
};
