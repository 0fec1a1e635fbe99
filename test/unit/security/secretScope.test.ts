// Issue 11, item 1: which secrets a job may reference, the fixed messages of secret failures and the scrubber.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseArgs } from "../../../cli/args";
import { readJobFile } from "../../../cli/jobFile";
import { parseS3aSecret, S3A_SECRET_SHAPE } from "../../../functions/activities/jobSecrets";
import { recordingSecretStore, scrubbingHandler } from "../../../functions/runtime/secretScrub";
import { profileCatalog } from "../../../shared/profiles";
import { jobSecretRefusal, secretScope } from "../../../shared/security/secretScope";
import { REDACTED, scrubDeep, scrubError, scrubText, secretStrings } from "../../../shared/security/scrub";
import { validateJobDocument } from "../../../shared/spec";

const scope = secretScope({ profiles: profileCatalog(), notifySecretName: "webhook-notify" });
const doc = (credentialsSecret: string) => ({
  name: "n",
  steps: [{ id: "a", file: "s3a://b/app.py" }],
  data: { s3a: { endpoint: "https://s3.example.net", credentialsSecret } },
});

describe("secret scope", () => {
  it.each([
    ["s3-partner", undefined],
    ["data-warehouse", undefined],
    ["S3-Partner", undefined],
    ["cluster-ssh-password", "platform secret"],
    ["cluster-gateway-password", "platform secret"],
    ["CLUSTER-SSH-PASSWORD", "platform secret"],
    ["webhook-airflow", "platform secret"],
    ["webhook-notify", "platform secret"],
    ["console-csrf-key", "platform secret"],
    ["gateway-password", "platform secret"],
    ["payroll", "outside the secrets jobs may reference"],
    ["s3", "outside the secrets jobs may reference"],
  ])("%s → %s", (name, expected) => {
    const why = jobSecretRefusal(name, scope);
    if (expected === undefined) expect(why).toBeUndefined();
    else expect(why).toContain(expected);
  });

  it("follows the settings, but never lets a platform secret through", () => {
    const custom = secretScope({
      prefixes: ["team-a-", "cluster-"],
      names: ["legacy-s3", "cluster-ssh-password"],
      profiles: profileCatalog(),
      notifySecretName: "hmac-key",
    });
    expect(jobSecretRefusal("team-a-bucket", custom)).toBeUndefined();
    expect(jobSecretRefusal("legacy-s3", custom)).toBeUndefined();
    expect(jobSecretRefusal("s3-partner", custom)).toContain("outside");
    expect(jobSecretRefusal("cluster-ssh-password", custom)).toContain("platform secret");
    expect(jobSecretRefusal("cluster-anything", custom)).toContain("platform secret");
    expect(jobSecretRefusal("hmac-key", custom)).toContain("platform secret"); // the configured notify key
  });

  it("a profile's own password secret names are platform secrets whatever they are called", () => {
    const base = profileCatalog().default;
    const profiles = profileCatalog([{ ...base, name: "odd", gateway: { ...base.gateway, passwordSecret: "s3-gw-pass" } }]);
    const s = secretScope({ profiles, notifySecretName: "webhook-notify" });
    expect(jobSecretRefusal("s3-gw-pass", s)).toContain("platform secret");
  });

  it("is refused at validation with the JSON pointer (offline: the default scope)", () => {
    const r = validateJobDocument(doc("cluster-ssh-password"));
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.problems).toContainEqual({ pointer: "/data/s3a/credentialsSecret", message: expect.stringContaining("platform secret") });
    expect(validateJobDocument(doc("s3-partner")).ok).toBe(true);
  });
});

describe("secret parsing never quotes the value", () => {
  it("names the secret and the shape only", () => {
    const password = "Hunter2-SSH-Passw0rd!";
    for (const raw of [password, "[1,2]", '{"accessKey": 5}', "null"]) {
      let message = "";
      try {
        parseS3aSecret("s3-x", raw);
      } catch (err) {
        message = (err as Error).message;
      }
      expect(message).toBe(`secret 's3-x' is not ${S3A_SECRET_SHAPE}`);
      expect(message).not.toContain("Hunter2");
    }
    expect(parseS3aSecret("s3-x", '{"accessKey":"A","secretKey":"B","other":1}')).toEqual({ accessKey: "A", secretKey: "B" });
  });
});

describe("scrubber", () => {
  const secrets = secretStrings(JSON.stringify({ accessKey: "CANARYACCESS123", secretKey: "canary/secret+key==" }));

  it("removes the value, each JSON field and their JSON-escaped forms", () => {
    expect(secrets).toContain("CANARYACCESS123");
    const text = `failed: {"accessKey":"CANARYACCESS123"} ${JSON.stringify("canary/secret+key==")} canary/secret+key==`;
    const out = scrubText(text, secrets);
    expect(out).not.toContain("CANARYACCESS123");
    expect(out).not.toContain("canary/secret+key==");
    expect(out).toContain(REDACTED);
  });

  it("scrubs errors (message, stack, cause) and results deeply; keeps short values", () => {
    const err = new Error("Unexpected token H in JSON at position 0: Hunter2-SSH-Passw0rd!", { cause: new Error("Hunter2-SSH-Passw0rd!") });
    const s = secretStrings("Hunter2-SSH-Passw0rd!");
    const scrubbed = scrubError(err, s) as Error;
    expect(scrubbed.message).not.toContain("Hunter2");
    expect(scrubbed.stack).not.toContain("Hunter2");
    expect(((scrubbed as { cause?: Error }).cause as Error).message).toBe(REDACTED);
    expect(scrubDeep({ a: ["x Hunter2-SSH-Passw0rd! y"], n: 1 }, s)).toEqual({ a: [`x ${REDACTED} y`], n: 1 });
    expect(secretStrings("true")).toEqual([]);
  });
});

describe("the invocation scrubber (runtime/secretScrub.ts)", () => {
  it("scrubs what an invocation throws and returns of the secret values it read, and only those", async () => {
    const store = recordingSecretStore(() => ({
      getSecret: async (name: string) => (name === "s3-x" ? '{"accessKey":"AKCANARY12","secretKey":"sk-canary-34"}' : "Ssh-Canary-Pw!"),
      getSecretVersion: async () => ({ value: "", version: "v0" }),
    }));
    const failing = scrubbingHandler(async () => {
      const raw = await store.getSecret("s3-x");
      throw new Error(`could not use ${raw} (secretKey sk-canary-34); Ssh-Canary-Pw! was not read here`);
    }, true);
    const err = await (failing() as Promise<unknown>).catch((e: unknown) => e as Error);
    expect((err as Error).message).toBe(`could not use ${REDACTED} (secretKey ${REDACTED}); Ssh-Canary-Pw! was not read here`);
    const returning = scrubbingHandler(async () => ({ note: `read ${await store.getSecret("cluster-ssh-password")}` }), true);
    expect(await returning()).toEqual({ note: `read ${REDACTED}` });
    // A value read by one invocation is scrubbed from later ones too (credentials cached across invocations).
    const later = scrubbingHandler(async () => ({ note: "Ssh-Canary-Pw! from a cache" }), true);
    expect(await later()).toEqual({ note: `${REDACTED} from a cache` });
    // Values nobody read are left alone; and a versioned read ({value, version}) is recorded as well.
    const untouched = scrubbingHandler(async () => ({ note: "Other-Value-Pw!" }), true);
    expect(await untouched()).toEqual({ note: "Other-Value-Pw!" });
    const versioned = recordingSecretStore(() => ({
      getSecret: async () => "",
      getSecretVersion: async () => ({ value: "Versioned-Canary-Pw!", version: "v1" }),
    }));
    await versioned.getSecretVersion();
    expect(await scrubbingHandler(async () => "Versioned-Canary-Pw!", true)()).toBe(REDACTED);
  });
});

describe("offline validate/plan (cli/jobFile.ts)", () => {
  it("applies the scope and webhook rules, with the deployment's settings from the environment", async () => {
    const dir = mkdtempSync(join(tmpdir(), "jobflow-scope-"));
    const write = (name: string, value: unknown) => {
      writeFileSync(join(dir, name), JSON.stringify(value));
      return join(dir, name);
    };
    const ssh = write("ssh.json", doc("cluster-ssh-password"));
    const team = write("team.json", doc("team-a-keys"));
    const hook = write("hook.json", { ...doc("s3-partner"), notify: { webhook: "http://127.0.0.1:9000/hook" } });
    const args = parseArgs([]);
    const refused = await readJobFile(ssh, args, {});
    expect(refused.ok ? [] : refused.problems).toContainEqual({
      pointer: "/data/s3a/credentialsSecret",
      message: expect.stringContaining("platform secret"),
    });
    expect((await readJobFile(ssh, args, { JOBFLOW_JOB_SECRET_NAMES: "cluster-ssh-password" })).ok).toBe(false);
    expect((await readJobFile(team, args, {})).ok).toBe(false);
    expect((await readJobFile(team, args, { JOBFLOW_JOB_SECRET_PREFIXES: "team-a-" })).ok).toBe(true);
    expect((await readJobFile(hook, args, {})).ok).toBe(false);
    expect((await readJobFile(hook, args, { JOBFLOW_WEBHOOK_ALLOW_HOSTS: "127.0.0.1:9000" })).ok).toBe(true);
  });
});
