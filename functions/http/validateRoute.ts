// POST /api/jobs/validate: validate a job document (or EMR steps file) exactly as POST /api/jobs would, and
// return the plan (HDInsight request, Livy bodies, edge commands; secrets as references) — nothing is created.
// The console shows its problems inline, with their JSON pointers, before anything is submitted.
import type { HttpRequest } from "@azure/functions";
import { planJob } from "../../shared/builders/jobPlan";
import { effectiveProfile } from "../../shared/profiles";
import { placeholderValuesFromConfig } from "../../shared/profiles/placeholders";
import { parseJobText } from "../../shared/spec";
import { jobSecurityOptions } from "../../shared/security/jobPolicy";
import { templateRun } from "../submit";
import { json, problem } from "./problem";
import type { RouteDeps } from "./routeDeps";
import type { ApiHandlers } from "./routes";

const MAX_BODY_BYTES = 256 * 1024;

export function validateRoutes(deps: RouteDeps): Pick<ApiHandlers, "jobsValidate"> {
  const jobsValidate = async (request: HttpRequest) => {
    const text = await request.text();
    if (Buffer.byteLength(text) > MAX_BODY_BYTES) return problem(413, "Job document too large", `at most ${MAX_BODY_BYTES} bytes`);
    const profiles = await deps.profiles();
    const emrJobName = request.query.get("name") ?? undefined;
    // Built-ins render as for a manual run submitted now (job_id as POST /api/jobs would derive it from the key).
    const now = deps.clock.now().toISOString();
    const result = parseJobText(text, {
      profiles,
      knownEdges: deps.config.edgeVms,
      emrJobName,
      ...jobSecurityOptions(deps.config, profiles),
      run: templateRun(undefined, now, `validate@${now}`),
    });
    if (!result.ok)
      return problem(400, "Invalid job document", `${result.problems.length} problem(s); nothing was created`, result.problems);
    const eff = effectiveProfile(result.job, profiles, placeholderValuesFromConfig(deps.config));
    if (!eff.ok) return problem(400, "Invalid job document", `${eff.problems.length} problem(s); nothing was created`, eff.problems);
    const plan = planJob(emrJobName ?? "document", result.job, eff, now);
    return json(200, { valid: true, plan });
  };
  return { jobsValidate };
}
