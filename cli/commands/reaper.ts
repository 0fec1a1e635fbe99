// `jobflow reaper [--cluster NAME] [--limit N] [--json]` lists the reaper's audited decisions, newest first;
// `jobflow reaper run [--dry-run] [--json]` runs it now (the app's JOBFLOW_REAPER_DRY_RUN always wins).
// apiRequest: the policy routes are issue 6's, so their calls live with these commands rather than in apiClient.ts.
import { URLSearchParams } from "node:url";
import type { Command } from "../main";
import { entraTokenSource, errorFromResponse, ApiError, type JobflowApi } from "../apiClient";
import { shortTime, table } from "../format";
import { EXIT } from "../exitCodes";
import { intOption, remoteCommand } from "../remote";

const USAGE = "jobflow reaper [run [--dry-run]] [--cluster NAME] [--limit N]";

/** One call to the API with the target's auth; non-2xx → ApiError with the problem+json body. */
export async function apiRequest<T>(api: JobflowApi, method: string, path: string, body?: unknown): Promise<T> {
  const { target } = api;
  const headers: Record<string, string> = { accept: "application/json, application/problem+json" };
  if (body !== undefined) headers["content-type"] = "application/json";
  if (target.auth.kind === "functionKey") headers["x-functions-key"] = target.auth.key;
  else headers.authorization = `Bearer ${await entraTokenSource(target.auth.scope).getToken()}`;
  let res: Response;
  try {
    res = await fetch(`${target.baseUrl}/api${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(60_000),
    });
  } catch (err) {
    throw new ApiError(0, `cannot reach ${target.baseUrl}`, (err as Error).message);
  }
  if (!res.ok) throw await errorFromResponse(res);
  const text = await res.text();
  return (text ? JSON.parse(text) : {}) as T;
}

interface Decision {
  clusterName: string;
  resourceGroup: string;
  action: string;
  rule: string;
  reason: string;
  outcome: string;
  dryRun: boolean;
  decidedAt: string;
  evidence: { ageMinutes?: number; idleForMinutes?: number; holders?: string[] };
}

export function decisionTable(rows: readonly Decision[]): string[] {
  return table(rows, [
    { header: "DECIDED", value: (d) => shortTime(d.decidedAt) },
    { header: "CLUSTER", value: (d) => d.clusterName },
    { header: "OUTCOME", value: (d) => d.outcome + (d.dryRun ? " (dry run)" : "") },
    { header: "RULE", value: (d) => d.rule },
    { header: "AGE", value: (d) => (d.evidence.ageMinutes === undefined ? "-" : `${d.evidence.ageMinutes}m`), right: true },
    { header: "IDLE", value: (d) => (d.evidence.idleForMinutes === undefined ? "-" : `${d.evidence.idleForMinutes}m`), right: true },
    { header: "REASON", value: (d) => d.reason },
  ]);
}

export const command: Command = {
  summary: "reaper decisions (newest first); `reaper run [--dry-run]` runs it now",
  usage: USAGE,
  options: {
    "dry-run": { type: "boolean", description: "run: decide and record, delete nothing" },
    cluster: { type: "string", value: "NAME", description: "list: only the decisions about this cluster" },
    limit: { type: "string", value: "N", description: "list: at most N decisions (default 50)" },
  },
  examples: ["jobflow reaper --limit 20", "jobflow reaper run --dry-run"],
  run: remoteCommand(async (ctx) => {
    const { args, out, api } = ctx;
    const [sub, ...extra] = args.positional;
    if ((sub !== undefined && sub !== "run") || extra.length) {
      out.error(`usage: ${USAGE}`);
      return EXIT.usage;
    }
    let decisions: Decision[];
    if (sub === "run") {
      const result = await apiRequest<{ runId: string; dryRun: boolean; decisions: Decision[] }>(api, "POST", "/reaper/run", {
        dryRun: args.options["dry-run"] === true,
      });
      if (args.json) {
        out.json(result);
        return 0;
      }
      out.line(`reaper run ${result.runId}${result.dryRun ? " (dry run: nothing deleted)" : ""}: ${result.decisions.length} cluster(s)`);
      decisions = result.decisions;
    } else {
      const limit = intOption(ctx, "limit", 50, 1);
      if (limit === null) return EXIT.usage;
      const q = new URLSearchParams({ limit: String(limit) });
      const cluster = args.options.cluster;
      if (typeof cluster === "string") q.set("cluster", cluster);
      decisions = (await apiRequest<{ decisions: Decision[] }>(api, "GET", `/reaper/decisions?${q}`)).decisions;
      if (args.json) {
        out.json({ decisions });
        return 0;
      }
    }
    if (decisions.length === 0) out.line("no decisions");
    else for (const line of decisionTable(decisions)) out.line(line);
    return 0;
  }),
};
