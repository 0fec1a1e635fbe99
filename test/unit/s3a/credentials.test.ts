// The Spark conf of each S3A credential shape: provider class, role settings, and secrets only as placeholders.
import { describe, expect, it } from "vitest";
import { resolveSecretRefs } from "../../../shared/builders/livyBatch";
import type { S3aDataAccess } from "../../../shared/model/job";
import { S3A_PROVIDERS, S3A_CREDENTIALS_PROVIDERS, s3aDataConf } from "../../../shared/s3a/credentials";

const base: S3aDataAccess = {
  endpoint: "https://s3.eu-west-1.amazonaws.com",
  region: "eu-west-1",
  pathStyleAccess: false,
  buckets: [],
  credentialsSecret: "s3-keys",
};
const P = "spark.hadoop.fs.s3a.";

describe("s3aDataConf per credential shape", () => {
  it("keys (default): access/secret keys, optional session token, Temporary then Simple provider", () => {
    const { conf, secretRefs } = s3aDataConf(base);
    expect(conf[`${P}aws.credentials.provider`]).toBe(S3A_CREDENTIALS_PROVIDERS);
    expect(conf[`${P}access.key`]).toBe("<secretRef:s3-keys#accessKey>");
    expect(conf[`${P}secret.key`]).toBe("<secretRef:s3-keys#secretKey>");
    expect(conf[`${P}session.token`]).toBe("<secretRef:s3-keys#sessionToken>");
    expect(secretRefs.map((r) => [r.field, r.optional ?? false])).toEqual([
      ["accessKey", false],
      ["secretKey", false],
      ["sessionToken", true],
    ]);
  });

  it("session: TemporaryAWSCredentialsProvider and a required session token", () => {
    const { conf, secretRefs } = s3aDataConf({ ...base, credentials: "session" });
    expect(conf[`${P}aws.credentials.provider`]).toBe(S3A_PROVIDERS.temporary);
    expect(secretRefs.find((r) => r.field === "sessionToken")).toEqual({
      confKey: `${P}session.token`,
      secret: "s3-keys",
      field: "sessionToken",
    });
    // A secret without a token cannot be used: the submit activity fails before any POST, naming only the field.
    expect(() =>
      resolveSecretRefs({ file: "f", name: "n", conf }, secretRefs, { "s3-keys": { accessKey: "AK", secretKey: "SK" } }),
    ).toThrow("secret s3-keys has no field sessionToken");
  });

  it("anonymous: AnonymousAWSCredentialsProvider, no keys and no secret refs", () => {
    const { credentialsSecret: _none, ...noSecret } = base;
    const { conf, secretRefs } = s3aDataConf({ ...noSecret, credentials: "anonymous" });
    expect(conf[`${P}aws.credentials.provider`]).toBe(S3A_PROVIDERS.anonymous);
    expect(Object.keys(conf).filter((k) => /key|token/.test(k))).toEqual([]);
    expect(secretRefs).toEqual([]);
  });

  it("assumedRole: AssumedRoleCredentialProvider with the role ARN and base keys by reference", () => {
    const { conf, secretRefs } = s3aDataConf({
      ...base,
      credentials: "assumedRole",
      assumedRole: {
        roleArn: "arn:aws:iam::123456789012:role/reader",
        sessionName: "jobflow",
        sessionDurationMinutes: 30,
        stsEndpoint: "https://sts.eu-west-1.amazonaws.com",
        stsRegion: "eu-west-1",
      },
    });
    expect(conf).toMatchObject({
      [`${P}aws.credentials.provider`]: S3A_PROVIDERS.assumedRole,
      [`${P}assumed.role.arn`]: "arn:aws:iam::123456789012:role/reader",
      [`${P}assumed.role.credentials.provider`]: S3A_PROVIDERS.simple,
      [`${P}assumed.role.session.name`]: "jobflow",
      [`${P}assumed.role.session.duration`]: "30m",
      [`${P}assumed.role.sts.endpoint`]: "https://sts.eu-west-1.amazonaws.com",
      [`${P}assumed.role.sts.endpoint.region`]: "eu-west-1",
      [`${P}access.key`]: "<secretRef:s3-keys#accessKey>",
      [`${P}secret.key`]: "<secretRef:s3-keys#secretKey>",
    });
    expect(conf[`${P}session.token`]).toBeUndefined();
    expect(secretRefs.map((r) => r.field)).toEqual(["accessKey", "secretKey"]);
  });

  it("per-bucket keys: every setting under fs.s3a.bucket.<b>., nothing global", () => {
    const { conf, secretRefs } = s3aDataConf({
      ...base,
      credentials: "assumedRole",
      assumedRole: { roleArn: "arn:aws:iam::123456789012:role/r" },
      buckets: ["raw", "ref"],
    });
    expect(Object.keys(conf).every((k) => k.startsWith(`${P}bucket.raw.`) || k.startsWith(`${P}bucket.ref.`))).toBe(true);
    expect(conf[`${P}bucket.ref.assumed.role.arn`]).toBe("arn:aws:iam::123456789012:role/r");
    expect(secretRefs.map((r) => r.confKey)).toEqual([
      `${P}bucket.raw.access.key`,
      `${P}bucket.raw.secret.key`,
      `${P}bucket.ref.access.key`,
      `${P}bucket.ref.secret.key`,
    ]);
  });

  it("never carries a secret value, whatever the shape", () => {
    for (const credentials of ["keys", "session", "assumedRole"] as const) {
      const { conf } = s3aDataConf({ ...base, credentials, assumedRole: { roleArn: "arn:aws:iam::123456789012:role/r" } });
      const secretKeys = Object.keys(conf).filter((k) => /access\.key|secret\.key|session\.token/.test(k));
      expect(secretKeys.length).toBeGreaterThan(0);
      for (const k of secretKeys) expect(conf[k]).toMatch(/^<secretRef:s3-keys#\w+>$/);
    }
  });
});
