// S3A rules of a job document that need more than the schema: the credential shape's required fields, and
// "a step that touches s3a:// runs on a profile with an S3A connector" — so a job that would die on the cluster
// with ClassNotFoundException S3AFileSystem is refused offline (validate/plan) and by the API (400) before any
// cluster is created. Reads the raw document defensively, never throws. Pure.
import type { Problem } from "../errors";
import { findProfile, type ProfileCatalog } from "../profiles/catalog";
import { missingConnectorMessage } from "./batchParts";
import { s3aMentions } from "./touches";

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const own = (o: Obj, k: string): unknown => (Object.prototype.hasOwnProperty.call(o, k) ? o[k] : undefined);

/** Problems of data.s3a's credential fields (credentials, credentialsSecret, assumedRole). */
export function s3aCredentialProblems(s3a: unknown): Problem[] {
  if (!isObj(s3a)) return [];
  const kind = own(s3a, "credentials") ?? "keys";
  if (typeof kind !== "string") return [];
  const problems: Problem[] = [];
  const hasSecret = own(s3a, "credentialsSecret") !== undefined;
  const hasRole = own(s3a, "assumedRole") !== undefined;
  if (kind === "anonymous" && hasSecret) {
    problems.push({ pointer: "/data/s3a/credentialsSecret", message: "anonymous access uses no credentials: remove credentialsSecret" });
  }
  if (kind !== "anonymous" && !hasSecret) {
    problems.push({
      pointer: "/data/s3a/credentialsSecret",
      message: `is required for credentials '${kind}' (the secret holding accessKey, secretKey${kind === "session" ? ", sessionToken" : ""}; or use credentials 'anonymous' for a public bucket)`,
    });
  }
  if (kind === "assumedRole" && !hasRole) {
    problems.push({
      pointer: "/data/s3a/assumedRole",
      message: "is required for credentials 'assumedRole' ({roleArn}: the IAM role to assume)",
    });
  }
  if (kind !== "assumedRole" && hasRole) {
    problems.push({ pointer: "/data/s3a/assumedRole", message: `assumedRole applies only with credentials 'assumedRole' (not '${kind}')` });
  }
  return problems;
}

/** One problem per step that touches S3A when the job's profile has no S3A connector. */
export function s3aConnectorProblems(doc: Obj, profiles: ProfileCatalog): Problem[] {
  const cluster = own(doc, "cluster");
  const name = isObj(cluster) ? (own(cluster, "profile") ?? "default") : "default";
  if (typeof name !== "string") return [];
  const profile = findProfile(profiles, name);
  if (!profile || profile.s3a?.connector) return []; // an unknown profile is reported elsewhere
  const steps = own(doc, "steps");
  if (!Array.isArray(steps)) return [];
  const problems: Problem[] = [];
  steps.forEach((step, i) => {
    const first = s3aMentions(step)[0];
    if (first === undefined) return;
    const id = isObj(step) && typeof own(step, "id") === "string" ? (own(step, "id") as string) : `#${i}`;
    problems.push({ pointer: `/steps/${i}${first}`, message: missingConnectorMessage(id, name) });
  });
  return problems;
}

/** Conf keys Jobflow fills with S3A secrets (as Spark sees them, per bucket or global). */
const SECRET_CONF_KEYS = ["access.key", "secret.key", "session.token"].flatMap((k) => [
  `spark.hadoop.fs.s3a.${k}`,
  `spark.hadoop.fs.s3a.bucket.b.${k}`,
]);

/** A Java regex as Spark compiles it, in JS: a leading (?i) becomes the i flag. Undefined when it does not compile. */
function sparkRegex(pattern: string): RegExp | undefined {
  const inline = /^\(\?i\)/.test(pattern);
  try {
    return new RegExp(inline ? pattern.slice(4) : pattern, inline ? "i" : "");
  } catch {
    return undefined;
  }
}

/**
 * A step that gets S3A secrets and sets its own spark.redaction.regex must still have them redacted: Livy's log
 * prints the spark-submit command line with only what that regex matches hidden.
 */
export function s3aRedactionProblems(doc: Obj): Problem[] {
  const data = own(doc, "data");
  const s3a = isObj(data) ? own(data, "s3a") : undefined;
  if (!isObj(s3a) || own(s3a, "credentialsSecret") === undefined) return [];
  const steps = own(doc, "steps");
  if (!Array.isArray(steps)) return [];
  const problems: Problem[] = [];
  steps.forEach((step, i) => {
    const conf = isObj(step) ? own(step, "conf") : undefined;
    const pattern = isObj(conf) ? own(conf, "spark.redaction.regex") : undefined;
    if (typeof pattern !== "string" || s3aMentions(step).length === 0) return;
    const regex = sparkRegex(pattern);
    const leaked = regex ? SECRET_CONF_KEYS.filter((k) => !regex.test(k)) : SECRET_CONF_KEYS;
    if (leaked.length === 0) return;
    problems.push({
      pointer: `/steps/${i}/conf/spark.redaction.regex`,
      message:
        `${regex ? "does not match" : "is not a valid regular expression, so Spark cannot redact"} the S3A credential keys ` +
        `(${[...new Set(leaked.map((k) => k.replace(/^.*\.([a-z]+\.[a-z]+)$/, "$1")))].join(", ")}), which would then appear in Livy's log; ` +
        "keep Spark's default terms in it: (?i)secret|password|token|access[.]key",
    });
  });
  return problems;
}

/** Every S3A rule of a job document. */
export function s3aJobProblems(doc: unknown, profiles: ProfileCatalog): Problem[] {
  if (!isObj(doc)) return [];
  const data = own(doc, "data");
  return [
    ...s3aCredentialProblems(isObj(data) ? own(data, "s3a") : undefined),
    ...s3aConnectorProblems(doc, profiles),
    ...s3aRedactionProblems(doc),
  ];
}
