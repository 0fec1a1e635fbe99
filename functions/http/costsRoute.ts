// HTTP API: GET /api/costs?from=&to=&groupBy=profile|job|day|tag:<name> — what was spent, where, and how much of it
// was idle (docs/costs.md). Authenticated like every route (apiRoute).
import type { HttpRequest } from "@azure/functions";
import type { DurableClient } from "durable-functions";
import { parseGroupBy } from "../../shared/cost/report";
import { costReport, liveLedgers } from "../store/costReader";
import { json, problem } from "./problem";
import type { RouteDeps } from "./routeDeps";
import type { ApiHandlers } from "./routes";

const DEFAULT_PERIOD_DAYS = 30;
const MAX_PERIOD_DAYS = 366;

export function costsRoutes(deps: RouteDeps): Pick<ApiHandlers, "costsReport"> {
  const costsReport = async (request: HttpRequest, client: DurableClient) => {
    const problems: { pointer: string; message: string }[] = [];
    const time = (name: "from" | "to"): number | undefined => {
      const v = request.query.get(name);
      if (v === null || v === "") return undefined;
      const t = /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2}))?$/.test(v) ? Date.parse(v) : NaN;
      if (Number.isNaN(t))
        problems.push({
          pointer: `/query/${name}`,
          message: `must be an ISO 8601 date or date-time (e.g. 2026-11-21 or 2026-11-21T08:00:00Z), got '${v}'`,
        });
      return t;
    };
    const to = time("to") ?? deps.clock.nowMs();
    const from = time("from") ?? to - DEFAULT_PERIOD_DAYS * 86_400_000;
    const groupBy = parseGroupBy(request.query.get("groupBy"));
    if (typeof groupBy === "string") problems.push({ pointer: "/query/groupBy", message: groupBy });
    if (!problems.length && from >= to) problems.push({ pointer: "/query/from", message: "must be before to" });
    if (!problems.length && to - from > MAX_PERIOD_DAYS * 86_400_000)
      problems.push({ pointer: "/query/from", message: `the period may span at most ${MAX_PERIOD_DAYS} days` });
    if (problems.length || typeof groupBy === "string") return problem(400, "Invalid query", `${problems.length} problem(s)`, problems);
    return json(200, await costReport(deps, { fromMs: from, toMs: to, groupBy }, liveLedgers(client)));
  };
  return { costsReport };
}
