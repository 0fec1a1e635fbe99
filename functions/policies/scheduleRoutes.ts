// HTTP API: schedules (DESIGN §6). `POST /schedules {cron, timezone, job}` validates everything (the job with the
// same validator and profiles as POST /jobs) and starts the schedule's eternal orchestration; list, get, pause,
// resume, delete. The Blob record is the source of truth; the orchestration is woken by `scheduleChanged`. The
// warm-up fields (`warmup`, `warmupLeadMinutes`) are typed by the schedule body's schema; GET shows the warm-ups
// with their cost (warmupView.ts). Built from RouteDeps like every API route (functions/http/routes.ts lists where
// each is served, register.ts registers them).
import { randomBytes } from "node:crypto";
import type { HttpRequest, HttpResponseInit } from "@azure/functions";
import type { DurableClient } from "durable-functions";
import { isLiveRuntimeStatus } from "../../shared/states/orchestration";
import type { Problem } from "../../shared/errors";
import { effectiveProfile } from "../../shared/profiles";
import { placeholderValuesFromConfig } from "../../shared/profiles/placeholders";
import { dataIntervalOf, nextOccurrence, scheduleProblems } from "../../shared/policies/scheduleRules";
import { scheduleBodySchema } from "../../shared/policies/scheduleSchema";
import { warmupEnabled, warmupProblems, type WarmupSettings } from "../../shared/policies/warmupRules";
import type { ScheduleOrchestrationInput } from "../../shared/policies/workflowTypes";
import { validateJobDocument } from "../../shared/spec";
import { jobSecurityOptions } from "../../shared/security/jobPolicy";
import { ajvProblems, compileSchema } from "../../shared/spec/ajv";
import { parameterValuesSchema } from "../../shared/spec/jobSchema";
import { templateRun } from "../submit";
import { EVENT, ORCHESTRATION } from "../../shared/workflow/activities";
import { toCloudEvents } from "../runtime/events";
import { json, page, problem } from "../http/problem";
import { warmupsWithCost } from "./warmupView";
import type { ScheduleRecord } from "./scheduleStore";
import type { RouteDeps } from "../http/routeDeps";
import type { ApiHandlers } from "../http/routes";

const MAX_BODY_BYTES = 256 * 1024;
const validValues = compileSchema(parameterValuesSchema);
const validBody = compileSchema(scheduleBodySchema);

async function validateSchedule(deps: RouteDeps, body: unknown): Promise<Problem[]> {
  if (typeof body !== "object" || body === null || Array.isArray(body))
    return [{ pointer: "", message: "body must be a JSON object {cron, timezone, job, parameters?, warmup?, warmupLeadMinutes?}" }];
  const b = body as Record<string, unknown>;
  const problems = scheduleProblems(b);
  // Field names and the warm-up fields' types; cron, zone and job have their own checks (no duplicate problems).
  if (!validBody(b)) problems.push(...ajvProblems(validBody.errors, "").filter((p) => !["/cron", "/timezone", "/job"].includes(p.pointer)));
  if (b.parameters !== undefined && !validValues(b.parameters)) {
    problems.push(...ajvProblems(validValues.errors, "/parameters"));
    return problems;
  }
  const profiles = await deps.profiles();
  // The job renders as its first run would (built-ins of the next occurrence), so a template that can never
  // resolve is refused now rather than at 3 a.m.
  const now = deps.clock.now().toISOString();
  const first = problems.length ? undefined : nextOccurrence({ cron: b.cron as string, timezone: b.timezone as string }, now);
  const interval = first ? dataIntervalOf({ cron: b.cron as string, timezone: b.timezone as string }, first) : { start: now, end: now };
  const run = templateRun({ kind: "scheduled", logicalDate: interval.start, dataIntervalEnd: interval.end }, now, `schedule@${now}`);
  // Validated as the envelope {job, parameters} (the schedule body's own layout), so pointers need no mapping.
  const envelope = b.parameters === undefined ? { job: b.job } : { job: b.job, parameters: b.parameters };
  const result = validateJobDocument(envelope, {
    profiles,
    knownEdges: deps.config.edgeVms,
    ...jobSecurityOptions(deps.config, profiles),
    run,
  });
  if (!result.ok) problems.push(...result.problems);
  else {
    const eff = effectiveProfile(result.job, profiles, placeholderValuesFromConfig(deps.config));
    if (!eff.ok) problems.push(...eff.problems.map((p) => ({ ...p, pointer: `/job${p.pointer}` })));
    problems.push(...warmupProblems(b as WarmupSettings, result.job.cluster.reuse));
  }
  return problems;
}

async function view(client: DurableClient, r: ScheduleRecord): Promise<Record<string, unknown>> {
  const st = await client.getStatus(r.id).catch(() => undefined);
  const custom = (st?.customStatus ?? {}) as { nextRunAt?: string; warmupAt?: string };
  const reuse = (r.job.cluster as { reuse?: "warm" | "never" } | undefined)?.reuse ?? "warm";
  const warmup = {
    ...warmupEnabled(r, reuse),
    leadMinutes: r.warmupLeadMinutes ?? null,
    nextWarmupAt: r.state === "active" ? (custom.warmupAt ?? null) : null,
  };
  return {
    id: r.id,
    cron: r.cron,
    timezone: r.timezone,
    state: r.state,
    jobName: r.job.name,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    nextRunAt: r.state === "active" ? (custom.nextRunAt ?? null) : null,
    warmup,
    runs: r.runs.slice(0, 20),
  };
}

async function schedulesCreate(deps: RouteDeps, request: HttpRequest, client: DurableClient): Promise<HttpResponseInit> {
  const text = await request.text();
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) return problem(413, "Schedule too large", `at most ${MAX_BODY_BYTES} bytes`);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return problem(400, "Invalid schedule", undefined, [{ pointer: "", message: "body must be JSON" }]);
  }
  const problems = await validateSchedule(deps, body);
  if (problems.length) return problem(400, "Invalid schedule", `${problems.length} problem(s); nothing was created`, problems);
  const b = body as {
    cron: string;
    timezone: string;
    job: Record<string, unknown>;
    parameters?: ScheduleRecord["parameters"];
  } & WarmupSettings;
  const now = deps.clock.now().toISOString();
  const id = `s-${randomBytes(6).toString("hex")}`;
  const record: ScheduleRecord = {
    id,
    cron: b.cron.trim(),
    timezone: b.timezone,
    job: b.job,
    state: "active",
    createdAt: now,
    updatedAt: now,
    runs: [],
  };
  if (b.parameters !== undefined) record.parameters = b.parameters;
  if (b.warmup !== undefined) record.warmup = b.warmup;
  if (b.warmupLeadMinutes !== undefined) record.warmupLeadMinutes = b.warmupLeadMinutes;
  await deps.schedules.create(record);
  const input: ScheduleOrchestrationInput = { scheduleId: id, after: now };
  await client.startNew(ORCHESTRATION.schedule, { instanceId: id, input });
  await deps.events.publish(
    toCloudEvents([
      {
        type: "jobflow.schedule.created",
        subject: `schedules/${id}`,
        data: { scheduleId: id, cron: record.cron, timezone: record.timezone, time: now },
      },
    ]),
  );
  const url = `${new URL(request.url).origin}/api/schedules/${id}`;
  return json(201, { id, statusUrl: url }, { location: url });
}

async function schedulesList(deps: RouteDeps, request: HttpRequest, client: DurableClient): Promise<HttpResponseInit> {
  const records = (await deps.schedules.list()).filter((r) => r.state !== "deleted");
  const { items, continuationToken } = page(records, request.query);
  const schedules = await Promise.all(items.map((r) => view(client, r)));
  return json(200, continuationToken ? { schedules, continuationToken } : { schedules });
}

async function schedulesGet(deps: RouteDeps, request: HttpRequest, client: DurableClient): Promise<HttpResponseInit> {
  const r = await deps.schedules.get(request.params.id);
  if (!r || r.state === "deleted") return problem(404, "Not found", `no schedule '${request.params.id}'`);
  const warmups = await warmupsWithCost(deps, client, r.id, r.warmups ?? []);
  return json(200, { ...(await view(client, r)), job: r.job, parameters: r.parameters ?? {}, runs: r.runs, warmups });
}

async function changeState(
  deps: RouteDeps,
  request: HttpRequest,
  client: DurableClient,
  state: ScheduleRecord["state"],
): Promise<HttpResponseInit> {
  const id = request.params.id;
  const now = deps.clock.now().toISOString();
  const current = await deps.schedules.get(id);
  if (!current || current.state === "deleted")
    return state === "deleted" ? { status: 204 } : problem(404, "Not found", `no schedule '${id}'`);
  await deps.schedules.update(
    id,
    (r) => {
      r.state = state;
    },
    now,
  );
  const st = await client.getStatus(id).catch(() => undefined);
  if (st && isLiveRuntimeStatus(st.runtimeStatus)) await client.raiseEvent(id, EVENT.scheduleChanged, { state, at: now });
  else if (state === "active") {
    // The orchestration ended (e.g. it was deleted and re-created by hand): start it again from now.
    const input: ScheduleOrchestrationInput = { scheduleId: id, after: now };
    await client.startNew(ORCHESTRATION.schedule, { instanceId: id, input });
  }
  const change = state === "active" ? "resumed" : state;
  await deps.events.publish(
    toCloudEvents([{ type: `jobflow.schedule.${change}`, subject: `schedules/${id}`, data: { scheduleId: id, state, time: now } }]),
  );
  return state === "deleted" ? { status: 204 } : json(200, { id, state });
}

type ScheduleHandlers = Pick<
  ApiHandlers,
  "schedulesCreate" | "schedulesList" | "schedulesGet" | "schedulesPause" | "schedulesResume" | "schedulesDelete"
>;

export function scheduleRoutes(deps: RouteDeps): ScheduleHandlers {
  return {
    schedulesCreate: (request, client) => schedulesCreate(deps, request, client),
    schedulesList: (request, client) => schedulesList(deps, request, client),
    schedulesGet: (request, client) => schedulesGet(deps, request, client),
    schedulesPause: (request, client) => changeState(deps, request, client, "paused"),
    schedulesResume: (request, client) => changeState(deps, request, client, "active"),
    schedulesDelete: (request, client) => changeState(deps, request, client, "deleted"),
  };
}
