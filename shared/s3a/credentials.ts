// S3A credential conf for a job's data.s3a section, per credential shape, scoped per bucket (fs.s3a.bucket.<b>.*)
// or for all buckets. Secret values never appear here: conf keys that need one hold a placeholder and a SecretRef
// says which field of which secret fills it in (inside the submit activity). Pure.
import type { S3aCredentialsKind, S3aDataAccess } from "../model/job";

/** Fields of a credentials secret (JSON `{accessKey, secretKey[, sessionToken]}` in Key Vault / local store). */
export type S3aSecretField = "accessKey" | "secretKey" | "sessionToken";

export interface SecretRef {
  /** Key in `body.conf` whose value is the placeholder to replace. */
  confKey: string;
  /** Secret name (Key Vault / local secret store). */
  secret: string;
  field: S3aSecretField;
  /** When the secret lacks this field, the conf key is removed instead of failing (session tokens). */
  optional?: boolean;
}

export const S3A_PROVIDERS = {
  simple: "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider",
  temporary: "org.apache.hadoop.fs.s3a.TemporaryAWSCredentialsProvider",
  anonymous: "org.apache.hadoop.fs.s3a.AnonymousAWSCredentialsProvider",
  assumedRole: "org.apache.hadoop.fs.s3a.auth.AssumedRoleCredentialProvider",
} as const;

/** "keys": session credentials when the secret has a token, else access/secret keys (S3A tries them in order). */
export const S3A_CREDENTIALS_PROVIDERS = `${S3A_PROVIDERS.temporary},${S3A_PROVIDERS.simple}`;

/** The value a conf key holds until `resolveSecretRefs` fills it in. Never a valid credential. */
export function secretPlaceholder(secret: string, field: S3aSecretField): string {
  return `<secretRef:${secret}#${field}>`;
}

const PROVIDER: Record<S3aCredentialsKind, string> = {
  keys: S3A_CREDENTIALS_PROVIDERS,
  session: S3A_PROVIDERS.temporary,
  anonymous: S3A_PROVIDERS.anonymous,
  assumedRole: S3A_PROVIDERS.assumedRole,
};

/** Which secret fields a shape reads: [conf suffix, field, optional]. */
function secretFields(kind: S3aCredentialsKind): [string, S3aSecretField, boolean][] {
  if (kind === "anonymous") return [];
  const base: [string, S3aSecretField, boolean][] = [
    ["access.key", "accessKey", false],
    ["secret.key", "secretKey", false],
  ];
  if (kind === "keys") return [...base, ["session.token", "sessionToken", true]];
  if (kind === "session") return [...base, ["session.token", "sessionToken", false]];
  return base; // assumedRole: long-lived base keys that call STS AssumeRole
}

/** The conf (placeholders for secrets) and secret refs of a data.s3a section. */
export function s3aDataConf(s3a: S3aDataAccess): { conf: Record<string, string>; secretRefs: SecretRef[] } {
  const kind = s3a.credentials ?? "keys";
  const scopes = s3a.buckets.length === 0 ? ["spark.hadoop.fs.s3a."] : s3a.buckets.map((b) => `spark.hadoop.fs.s3a.bucket.${b}.`);
  const conf: Record<string, string> = {};
  const secretRefs: SecretRef[] = [];
  for (const scope of scopes) {
    conf[`${scope}endpoint`] = s3a.endpoint;
    if (s3a.region !== undefined) conf[`${scope}endpoint.region`] = s3a.region;
    conf[`${scope}path.style.access`] = String(s3a.pathStyleAccess);
    conf[`${scope}connection.ssl.enabled`] = String(!s3a.endpoint.toLowerCase().startsWith("http://"));
    conf[`${scope}aws.credentials.provider`] = PROVIDER[kind];
    if (kind === "assumedRole" && s3a.assumedRole) {
      const role = s3a.assumedRole;
      conf[`${scope}assumed.role.arn`] = role.roleArn;
      conf[`${scope}assumed.role.credentials.provider`] = S3A_PROVIDERS.simple;
      if (role.sessionName !== undefined) conf[`${scope}assumed.role.session.name`] = role.sessionName;
      if (role.sessionDurationMinutes !== undefined) conf[`${scope}assumed.role.session.duration`] = `${role.sessionDurationMinutes}m`;
      if (role.stsEndpoint !== undefined) conf[`${scope}assumed.role.sts.endpoint`] = role.stsEndpoint;
      if (role.stsRegion !== undefined) conf[`${scope}assumed.role.sts.endpoint.region`] = role.stsRegion;
    }
    const secret = s3a.credentialsSecret;
    if (secret === undefined) continue;
    for (const [suffix, field, optional] of secretFields(kind)) {
      const confKey = `${scope}${suffix}`;
      conf[confKey] = secretPlaceholder(secret, field);
      secretRefs.push(optional ? { confKey, secret, field, optional } : { confKey, secret, field });
    }
  }
  return { conf, secretRefs };
}
