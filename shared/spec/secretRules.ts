// The job document's security rules (issue 11): Spark conf keys that carry credentials (or redirect where they are
// sent), the secrets a job may name and where its notify.webhook may point (tag values: the schema and
// semantic.ts). Each reads the raw document defensively and never throws; semantic.ts runs them. Pure.
import type { Problem } from "../errors";
import { jobSecretRefusal, type SecretScope } from "../security/secretScope";
import { outboundUrlRefusal, type OutboundPolicy } from "../security/outboundUrl";
import { joinPointer } from "./ajv";

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const own = (o: Obj, k: string): unknown => (Object.prototype.hasOwnProperty.call(o, k) ? o[k] : undefined);

/** Conf keys whose value is a credential (Hadoop/Spark spellings, per-bucket forms included). */
const CREDENTIAL_KEY =
  /(secret|password|passwd|access\.key|account\.key|session\.token|sas\.token|fs\.azure\.sas|encryption\.key|encryption-key|\.token$|_token$)/i;
/** Environment variables set through Spark conf (executor, YARN AM, driver) that would carry a credential. */
const CREDENTIAL_ENV =
  /^spark\.(executorEnv|yarn\.appMasterEnv|yarn\.executorEnv|driverEnv|kubernetes\.driverEnv)\.(.*(SECRET|PASSWORD|PASSWD|TOKEN|ACCESS_KEY|KEY_ID|API_KEY|PRIVATE_KEY|CREDENTIAL).*)$/i;
/** Where S3A sends its signed requests: only data.s3a may say (a step's endpoint would redirect the cluster's keys). */
const S3A_ENDPOINT_KEY = /^spark\.hadoop\.fs\.s3a\.(bucket\.[^.]+\.)?endpoint$/i;

/** Problems of one step's conf keys: credentials never travel in a job. */
export function credentialConfProblems(conf: unknown, stepPointer: string, jobHasS3a: boolean): Problem[] {
  if (!isObj(conf)) return [];
  const problems: Problem[] = [];
  for (const key of Object.keys(conf)) {
    const pointer = joinPointer(`${stepPointer}/conf`, key);
    if (CREDENTIAL_ENV.test(key)) {
      problems.push({
        pointer,
        message:
          "sets a credential environment variable: secrets never travel in a job; use data.s3a.credentialsSecret or the cluster's managed identity",
      });
    } else if (CREDENTIAL_KEY.test(key)) {
      problems.push({
        pointer,
        message: "looks like a credential: secrets never travel in a job; use data.s3a.credentialsSecret or the cluster's managed identity",
      });
    } else if (!jobHasS3a && S3A_ENDPOINT_KEY.test(key)) {
      problems.push({
        pointer,
        message: "the S3A endpoint is set by data.s3a.endpoint (with its credentials secret), not by a step's conf",
      });
    }
  }
  return problems;
}

/** data.s3a.credentialsSecret must be a secret jobs may reference. */
export function secretScopeProblems(doc: Obj, scope: SecretScope): Problem[] {
  const data = own(doc, "data");
  const s3a = isObj(data) ? own(data, "s3a") : undefined;
  const name = isObj(s3a) ? own(s3a, "credentialsSecret") : undefined;
  if (typeof name !== "string") return [];
  const why = jobSecretRefusal(name, scope);
  return why ? [{ pointer: "/data/s3a/credentialsSecret", message: why }] : [];
}

/** notify.webhook must be a public https endpoint (or an allow-listed local receiver). */
export function notifyWebhookProblems(doc: Obj, policy: OutboundPolicy): Problem[] {
  const notify = own(doc, "notify");
  const url = isObj(notify) ? own(notify, "webhook") : undefined;
  if (typeof url !== "string") return [];
  const why = outboundUrlRefusal(url, policy);
  return why ? [{ pointer: "/notify/webhook", message: why }] : [];
}
