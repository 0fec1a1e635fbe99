// HTTP API: run a schedule now and backfill it (issue 15). `POST /schedules/{id}/run {parameters?}` submits one
// manual run now; `POST /schedules/{id}/backfill {from, to, maxConcurrent?, parameters?}` starts one run per
// logical date between from and to (shared/policies/scheduleRules.ts backfillRuns) in the scheduleBackfill
// orchestration, whose id derives from (schedule, from, to): posting the same backfill again returns it and
// creates nothing; `GET /schedules/{id}/backfills/{backfillId}` shows its progress. Built from RouteDeps like every
// API route (functions/http/routes.ts lists where each is served, register.ts registers them).
import { createHash } from "node:crypto";
import type { HttpRequest, HttpResponseInit } from "@azure/functions";
import type { DurableClient } from "durable-functions";
import type { Problem } from "../../shared/errors";
import { backfillProblems, backfillRuns, MAX_BACKFILL_RUNS } from "../../shared/policies/scheduleRules";
import type { BackfillInput, BackfillStatus } from "../../shared/policies/workflowTypes";
import { validateJobDocument } from "../../shared/spec";
import { ajvProblems, compileSchema } from "../../shared/spec/ajv";
import { parameterValuesSchema } from "../../shared/spec/jobSchema";
import { ORCHESTRATION } from "../../shared/workflow/activities";
import { json, problem } from "../http/problem";
import type { RouteDeps } from "../http/routeDeps";
import type { ApiHandlers } from "../http/routes";
import { templateRun } from "../submit";
import { submitScheduleRun } from "./scheduleRuns";

const MAX_BODY_BYTES = 64 * 1024;
const validValues = compileSchema(parameterValuesSchema);
type Values = Record<string, string | number | boolean>;

async function readBody(
  request: HttpRequest,
  allowed: string[],
): Promise<{ ok: true; body: Record<string, unknown> } | { ok: false; problems: Problem[] }> {
  const text = await request.text();
  if (Buffer.byteLength(text) > MAX_BODY_BYTES)
    return { ok: false, problems: [{ pointer: "", message: `must be at most ${MAX_BODY_BYTES} bytes` }] };
  let body: unknown = {};
  try {
    if (text.trim()) body = JSON.parse(text);
  } catch {
    return { ok: false, problems: [{ pointer: "", message: "body must be JSON" }] };
  }
  if (typeof body !== "object" || body === null || Array.isArray(body))
    return { ok: false, problems: [{ pointer: "", message: "body must be a JSON object" }] };
  const problems: Problem[] = Object.keys(body)
    .filter((k) => !allowed.includes(k))
    .map((k) => ({ pointer: `/${k}`, message: `is not a known field (allowed: ${allowed.join(", ")})` }));
  const values = (body as { parameters?: unknown }).parameters;
  if (values !== undefined && !validValues(values)) problems.push(...ajvProblems(validValues.errors, "/parameters"));
  return problems.length ? { ok: false, problems } : { ok: true, body: body as Record<string, unknown> };
}

async function schedulesRunNow(deps: RouteDeps, request: HttpRequest, client: DurableClient): Promise<HttpResponseInit> {
  const id = request.params.id;
  const read = await readBody(request, ["parameters"]);
  if (!read.ok) return problem(400, "Invalid request", undefined, read.problems);
  const record = await deps.schedules.get(id);
  if (!record || record.state === "deleted") return problem(404, "Not found", `no schedule '${id}'`);
  const now = deps.clock.now().toISOString();
  const result = await submitScheduleRun({ schedules: deps.schedules, clock: deps.clock, submitJob: deps.submitJob }, client, {
    scheduleId: id,
    kind: "manual",
    logicalDate: now,
    dataIntervalEnd: now,
    key: `${id}@manual@${now}`,
    parameters: read.body.parameters as Values | undefined,
  });
  if (result.outcome !== "submitted") return problem(400, "Invalid job document", result.reason, result.problems);
  const url = `${new URL(request.url).origin}/api/jobs/${result.jobId}`;
  return json(202, { scheduleId: id, jobId: result.jobId, statusUrl: url }, { location: url });
}

const backfillId = (scheduleId: string, from: string, to: string): string =>
  `bf-${createHash("sha256")
    .update(`${scheduleId}|${new Date(from).toISOString()}|${new Date(to).toISOString()}`)
    .digest("hex")
    .slice(0, 20)}`;

async function backfillStatus(client: DurableClient, id: string): Promise<BackfillStatus | undefined> {
  const st = await client.getStatus(id).catch(() => undefined);
  if (!st || st.name !== ORCHESTRATION.backfill) return undefined;
  return ((st.output ?? st.customStatus) || undefined) as BackfillStatus | undefined;
}

async function schedulesBackfill(deps: RouteDeps, request: HttpRequest, client: DurableClient): Promise<HttpResponseInit> {
  const id = request.params.id;
  const read = await readBody(request, ["from", "to", "maxConcurrent", "parameters"]);
  if (!read.ok) return problem(400, "Invalid backfill", undefined, read.problems);
  const b = read.body as { from: string; to: string; maxConcurrent?: number; parameters?: Values };
  const problems = backfillProblems(b);
  if (problems.length) return problem(400, "Invalid backfill", undefined, problems);
  const record = await deps.schedules.get(id);
  if (!record || record.state === "deleted") return problem(404, "Not found", `no schedule '${id}'`);
  const { runs, truncated } = backfillRuns({ cron: record.cron, timezone: record.timezone }, b.from, b.to);
  if (truncated)
    return problem(400, "Invalid backfill", undefined, [
      { pointer: "/to", message: `more than ${MAX_BACKFILL_RUNS} runs between from and to; backfill in parts` },
    ]);
  if (runs.length === 0)
    return problem(400, "Invalid backfill", undefined, [
      { pointer: "/from", message: `no logical time of '${record.cron}' (${record.timezone}) lies between from and to` },
    ]);
  const bfId = backfillId(id, b.from, b.to);
  const url = `${new URL(request.url).origin}/api/schedules/${id}/backfills/${bfId}`;
  const existing = await backfillStatus(client, bfId);
  if (existing || (await client.getStatus(bfId).catch(() => undefined)))
    return json(200, { backfillId: bfId, duplicate: true, runs: runs.length, statusUrl: url });
  // The job must render for these runs: check the first one now rather than fail every run.
  const now = deps.clock.now().toISOString();
  const values = { ...record.parameters, ...b.parameters };
  const checked = validateJobDocument(
    { job: record.job, parameters: values },
    {
      profiles: await deps.profiles(),
      knownEdges: deps.config.edgeVms,
      run: templateRun(
        { kind: "backfill", logicalDate: runs[0].logicalDate, dataIntervalEnd: runs[0].dataIntervalEnd },
        now,
        `backfill@${now}`,
      ),
    },
  );
  if (!checked.ok) return problem(400, "Invalid backfill", "the schedule's job does not render for this backfill", checked.problems);
  const input: BackfillInput = { backfillId: bfId, scheduleId: id, runs, maxConcurrent: b.maxConcurrent ?? 1, requestedAt: now };
  if (b.parameters) input.parameters = b.parameters;
  try {
    await client.startNew(ORCHESTRATION.backfill, { instanceId: bfId, input });
  } catch (err) {
    if (await client.getStatus(bfId).catch(() => undefined))
      return json(200, { backfillId: bfId, duplicate: true, runs: runs.length, statusUrl: url });
    throw err;
  }
  return json(202, { backfillId: bfId, duplicate: false, runs: runs.length, statusUrl: url }, { location: url });
}

async function schedulesBackfillGet(request: HttpRequest, client: DurableClient): Promise<HttpResponseInit> {
  const status = await backfillStatus(client, request.params.backfillId);
  if (!status || status.scheduleId !== request.params.id) {
    // Started a moment ago, before its first custom status: say so rather than 404.
    const st = await client.getStatus(request.params.backfillId).catch(() => undefined);
    if (st?.name === ORCHESTRATION.backfill)
      return json(200, { backfillId: request.params.backfillId, scheduleId: request.params.id, state: "running", runs: [] });
    return problem(404, "Not found", `no backfill '${request.params.backfillId}' of schedule '${request.params.id}'`);
  }
  return json(200, status);
}

type ScheduleRunHandlers = Pick<ApiHandlers, "schedulesRunNow" | "schedulesBackfill" | "schedulesBackfillGet">;

export function scheduleRunRoutes(deps: RouteDeps): ScheduleRunHandlers {
  return {
    schedulesRunNow: (request, client) => schedulesRunNow(deps, request, client),
    schedulesBackfill: (request, client) => schedulesBackfill(deps, request, client),
    schedulesBackfillGet,
  };
}
