// POST /api/jobs/validate: validate a job document (or EMR steps file) exactly as POST /api/jobs would, and
// return the plan (HDInsight request, Livy bodies, edge commands; secrets as references) — nothing is created.
// The console shows its problems inline, with their JSON pointers, before anything is submitted.
import type { HttpRequest } from "@azure/functions";
import { planJob } from "../../shared/builders/jobPlan";
import { effectiveProfile } from "../../shared/profiles";
import { placeholderValuesFromConfig } from "../../shared/profiles/placeholders";
import { parseJobText } from "../../shared/spec";
import { jobSecurityOptions } from "../../shared/security/jobPolicy";
import { appClock } from "../runtime/appClock";
import { templateRun } from "../submit";
import { services } from "../runtime/services";
import { apiRoute } from "./apiRoute";
import { json, problem } from "./problem";

const MAX_BODY_BYTES = 256 * 1024;

apiRoute("jobsValidate", { route: "jobs/validate", methods: ["POST"] }, async (request: HttpRequest) => {
  const text = await request.text();
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) return problem(413, "Job document too large", `at most ${MAX_BODY_BYTES} bytes`);
  const s = services();
  const profiles = await s.profiles();
  const emrJobName = request.query.get("name") ?? undefined;
  // Built-ins render as for a manual run submitted now (job_id as POST /api/jobs would derive it from the key).
  const now = appClock().now().toISOString();
  const result = parseJobText(text, {
    profiles,
    knownEdges: s.config.edgeVms,
    emrJobName,
    ...jobSecurityOptions(s.config, profiles),
    run: templateRun(undefined, now, `validate@${now}`),
  });
  if (!result.ok) return problem(400, "Invalid job document", `${result.problems.length} problem(s); nothing was created`, result.problems);
  const eff = effectiveProfile(result.job, profiles, placeholderValuesFromConfig(s.config));
  if (!eff.ok) return problem(400, "Invalid job document", `${eff.problems.length} problem(s); nothing was created`, eff.problems);
  const plan = planJob(emrJobName ?? "document", result.job, eff, now);
  return json(200, { valid: true, plan });
});
