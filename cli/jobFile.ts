// Reads and validates a job file (a Jobflow job document or a bare EMR steps file) for the offline commands:
// profiles from --profiles or JOBFLOW_PROFILES_PATH, edge names from JOBFLOW_EDGE_VMS, the file's base name as the
// job name of a bare EMR steps file, the secret scope and webhook allow-list from JOBFLOW_* settings (defaults otherwise).
import { readFile } from "node:fs/promises";
import { basename, extname } from "node:path";
import type { Problem } from "../shared/errors";
import type { JobSpec } from "../shared/model/job";
import type { ProfileCatalog } from "../shared/profiles";
import { loadProfilesFromFolder } from "../shared/profiles/loadFromFolder";
import { parseJobText } from "../shared/spec";
import { readSetting } from "../shared/config";
import { jobSecurityOptions } from "../shared/security/jobPolicy";
import { scopeList } from "../shared/security/secretScope";
import { sha256Hex } from "../shared/builders/sha256";
import { airflowRunId } from "../shared/templates/builtins";
import { parseParams, stringOption, type ParsedArgs } from "./args";

/** The job id POST /api/jobs derives from an idempotency key (functions/submit.ts jobIdFor), else a stand-in. */
function offlineJobId(key: string | undefined): string {
  return key ? `j-${sha256Hex(key).slice(0, 24)}` : "j-offline";
}

export type JobFileResult = { ok: true; job: JobSpec; profiles: ProfileCatalog } | { ok: false; problems: Problem[] };

export async function readJobFile(file: string, args: ParsedArgs, env: Record<string, string | undefined>): Promise<JobFileResult> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    return { ok: false, problems: [{ pointer: "", message: `cannot read ${file}: ${(err as Error).message}` }] };
  }
  const loaded = await loadProfilesFromFolder(stringOption(args, "profiles") ?? env.JOBFLOW_PROFILES_PATH);
  if (loaded.problems.length)
    return { ok: false, problems: loaded.problems.map((p) => ({ pointer: p.pointer, message: `(profile) ${p.message}` })) };
  // Templates: -p values, and the built-ins of a manual run now (or at --at).
  const params = parseParams(args);
  if (!params.ok) return { ok: false, problems: params.errors.map((message) => ({ pointer: "/parameters", message })) };
  const at = stringOption(args, "at");
  const logicalDate = at !== undefined && !Number.isNaN(Date.parse(at)) ? new Date(Date.parse(at)).toISOString() : new Date().toISOString();
  const knownEdges = (env.JOBFLOW_EDGE_VMS ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const result = parseJobText(text, {
    profiles: loaded.catalog,
    knownEdges: knownEdges.length ? knownEdges : undefined,
    emrJobName: basename(file, extname(file)),
    parameters: params.values,
    run: (request) => {
      const logical = request.logicalDate ?? logicalDate;
      return { logicalDate: logical, runId: airflowRunId("manual", logical), jobId: offlineJobId(request.idempotencyKey) };
    },
    // The deployment's secret scope and webhook allow-list when set in the environment, else the defaults.
    ...jobSecurityOptions(
      {
        jobSecrets: {
          prefixes: scopeList(readSetting(env, "JOBFLOW_JOB_SECRET_PREFIXES")),
          names: scopeList(readSetting(env, "JOBFLOW_JOB_SECRET_NAMES")),
        },
        webhookAllowHosts: scopeList(readSetting(env, "JOBFLOW_WEBHOOK_ALLOW_HOSTS")),
        ownHosts: [],
        notifySecretName: readSetting(env, "JOBFLOW_NOTIFY_SECRET_NAME") ?? "webhook-notify",
      },
      loaded.catalog,
    ),
  });
  return result.ok ? { ok: true, job: result.job, profiles: loaded.catalog } : result;
}
