// Reading the secrets a job references (data.s3a.credentialsSecret), inside the submit activity: the scope is
// checked again here (defence in depth: a job started before a settings change, or a path that skipped
// validation, still cannot make Jobflow read a platform secret), and every failure has a fixed message naming the
// secret and the expected shape — never the value, never a parser's message (JSON.parse quotes its input).
import type { SecretValues } from "../../shared/builders/livyBatch";
import { JobflowError, isErrorNamed } from "../../shared/errors";
import { jobSecurityOptions } from "../../shared/security/jobPolicy";
import { jobSecretRefusal } from "../../shared/security/secretScope";
import type { SecretStore } from "../../shared/cloud/secrets";
import type { JobflowConfig } from "../../shared/config";
import type { ProfileCatalog } from "../../shared/profiles";

/** What reading job secrets needs: the deployment's scope (config + profiles) and the secret store. */
export interface JobSecretDeps {
  config: JobflowConfig;
  profiles(): Promise<ProfileCatalog>;
  secrets: SecretStore;
}

export const S3A_SECRET_SHAPE = 'a JSON object {"accessKey": "…", "secretKey": "…"[, "sessionToken": "…"]} of strings';

/** Parses an S3A credentials secret; the error names the secret and the shape only. */
export function parseS3aSecret(name: string, raw: string): SecretValues[string] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    parsed = undefined;
  }
  const fields = ["accessKey", "secretKey", "sessionToken"] as const;
  const ok =
    typeof parsed === "object" &&
    parsed !== null &&
    !Array.isArray(parsed) &&
    fields.every((f) => (parsed as Record<string, unknown>)[f] === undefined || typeof (parsed as Record<string, unknown>)[f] === "string");
  if (!ok) throw new JobflowError("ValidationError", `secret '${name}' is not ${S3A_SECRET_SHAPE}`);
  const out: SecretValues[string] = {};
  for (const f of fields) {
    const v = (parsed as Record<string, unknown>)[f];
    if (typeof v === "string") out[f] = v;
  }
  return out;
}

/** Reads the named job secrets after checking each against the deployment's scope. */
export async function readJobSecrets(s: JobSecretDeps, names: Iterable<string>): Promise<SecretValues> {
  const { secretScope } = jobSecurityOptions(s.config, await s.profiles());
  const values: SecretValues = {};
  for (const name of new Set(names)) {
    const refusal = jobSecretRefusal(name, secretScope);
    if (refusal) throw new JobflowError("ValidationError", refusal);
    let raw: string;
    try {
      raw = await s.secrets.getSecret(name);
    } catch (err) {
      if (isErrorNamed(err, "NotFoundError"))
        throw new JobflowError("NotFoundError", `secret '${name}' does not exist in the secret store (expected ${S3A_SECRET_SHAPE})`);
      const kind = err instanceof Error ? err.name : "Error";
      throw new JobflowError(
        isErrorNamed(err, "AuthError") ? "AuthError" : "TransientError",
        `secret '${name}' could not be read (${kind})`,
      );
    }
    values[name] = parseS3aSecret(name, raw);
  }
  return values;
}
