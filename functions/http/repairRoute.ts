// POST /api/jobs/{id}/repair {steps?: [...]}: start a new run of a finished job that re-runs its failed, timed-out,
// cancelled and skipped steps (or the named ones) and everything depending on them, keeping the succeeded ones
// (shared/workflow/repair.ts). The run is the job's orchestration started again under the same instance id (Durable
// replaces a finished instance, refuses a running one), so cancel, status and the cluster protocol work unchanged.
// A running job is refused (409); a second repair while one is starting or running answers with that one.
import type { HttpRequest } from "@azure/functions";
import type { DurableClient } from "durable-functions";
import { OrchestrationRuntimeStatus } from "durable-functions";
import { ORCHESTRATION } from "../../shared/workflow/activities";
import { JOB_TERMINAL_STATES } from "../../shared/workflow/jobRecord";
import type { JobRunInput } from "../../shared/workflow/jobRunInput";
import { repairPlan, runOf } from "../../shared/workflow/repair";
import { json, problem } from "./problem";
import type { RouteDeps } from "./routeDeps";
import type { ApiHandlers } from "./routes";

const ACTIVE = [OrchestrationRuntimeStatus.Running, OrchestrationRuntimeStatus.Pending, OrchestrationRuntimeStatus.ContinuedAsNew];
const MAX_BODY_BYTES = 16 * 1024;

const sameSet = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x) => b.includes(x));

function parseBody(text: string): { ok: true; steps?: string[] } | { ok: false; message: string; pointer: string } {
  if (text.trim() === "") return { ok: true };
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { ok: false, pointer: "", message: 'body must be JSON: {} or {"steps": ["id", …]}' };
  }
  if (typeof body !== "object" || body === null || Array.isArray(body))
    return { ok: false, pointer: "", message: "body must be a JSON object" };
  for (const key of Object.keys(body))
    if (key !== "steps") return { ok: false, pointer: `/${key}`, message: "is not a known field (allowed: steps)" };
  const steps = (body as { steps?: unknown }).steps;
  if (steps === undefined) return { ok: true };
  if (!Array.isArray(steps) || steps.length > 256 || !steps.every((s) => typeof s === "string" && s.length <= 64)) {
    return { ok: false, pointer: "/steps", message: "must be a list of step ids" };
  }
  return { ok: true, steps: [...new Set(steps as string[])] };
}

export function repairRoutes(deps: RouteDeps): Pick<ApiHandlers, "jobsRepair"> {
  const jobsRepair = async (request: HttpRequest, client: DurableClient) => {
    const id = request.params.id;
    const text = await request.text();
    if (Buffer.byteLength(text) > MAX_BODY_BYTES) return problem(413, "Request too large", `at most ${MAX_BODY_BYTES} bytes`);
    const body = parseBody(text);
    if (!body.ok) return problem(400, "Invalid repair request", undefined, [{ pointer: body.pointer, message: body.message }]);
    const record = await deps.jobs.get(id);
    const status = await client.getStatus(id, { showInput: true }).catch(() => undefined);
    if (!record || !status) return problem(404, "Not found", `no job '${id}'`);
    const statusUrl = `${new URL(request.url).origin}/api/jobs/${id}`;
    const running = status.input as JobRunInput | undefined;
    if (ACTIVE.includes(status.runtimeStatus)) {
      // A repair already running (or just started) answers a second request for the same steps: two repairs at once
      // are one. Anything else is a repair of a running job, refused.
      // Same repair = the request would re-run the same steps (its plan over the record that repair started from).
      const replan = running?.repair ? repairPlan(running.job.steps, running.repair.previous, body.steps) : undefined;
      const same = running?.repair && replan?.ok && sameSet(replan.steps, running.repair.steps);
      if (running?.repair && same)
        return json(202, { id, run: running.repair.run, steps: running.repair.steps, duplicate: true, statusUrl });
      return problem(
        409,
        "Job is running",
        `job '${id}' is ${record.state === "queued" || JOB_TERMINAL_STATES.includes(record.state) ? "starting a run" : record.state}: only a finished job can be repaired (cancel it first)`,
      );
    }
    if (!running) return problem(409, "Job cannot be repaired", `job '${id}' has no run input to repeat`);
    const plan = repairPlan(running.job.steps, record, body.steps);
    if (!plan.ok)
      return problem(plan.status, plan.status === 409 ? "Nothing to repair" : "Invalid repair request", undefined, plan.problems);

    const run = runOf(record) + 1;
    const { repair: _previousRepair, ...base } = running;
    const input: JobRunInput = {
      ...base,
      repair: { run, previous: record, steps: plan.steps, requestedAt: deps.clock.now().toISOString() },
    };
    try {
      await client.startNew(ORCHESTRATION.jobRun, { instanceId: id, input });
    } catch (err) {
      // A concurrent repair started the run first: answer with it.
      const again = await client.getStatus(id, { showInput: true }).catch(() => undefined);
      const other = again?.input as JobRunInput | undefined;
      if (again && ACTIVE.includes(again.runtimeStatus) && other?.repair?.run === run) {
        return json(202, { id, run, steps: other.repair.steps, duplicate: true, statusUrl });
      }
      throw err;
    }
    return json(202, { id, run, steps: plan.steps, duplicate: false, statusUrl }, { location: statusUrl });
  };
  return { jobsRepair };
}
