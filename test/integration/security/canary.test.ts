// The canary suite (issue 11): every secret of the local vault holds a distinctive canary value; jobs (an S3A job
// with keys by reference and a notify webhook, a job whose in-scope secret is malformed, a job that tries to read
// the SSH password — refused by the API, then started around validation to reach the activity's own check), a
// compute lease and an edge attach run on the embedded stack; then the data folder, the host log, Azurite's blobs,
// the Service Bus topic, every API response, the webhook receiver, this process's output and the sandbox's Livy
// batches and batch logs (read live from the cluster's gateway) are scanned: no canary anywhere. Only the vault's
// own files (where secrets live) are not scanned.
import { randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { BlobServiceClient } from "@azure/storage-blob";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../../shared/config";
import { effectiveProfile, profileCatalog } from "../../../shared/profiles";
import { placeholderValuesFromConfig } from "../../../shared/profiles/placeholders";
import { validateJobDocument } from "../../../shared/spec";
import type { JobRunInput } from "../../../shared/workflow/jobRunInput";
import { startTestStack, type TestStack } from "../../support/stack";
import { finish, jobDoc, sandboxControl } from "../jobs/jobHelpers";
import { signedPost, startReceiver, type Receiver } from "../policies/helpers";

const T = randomBytes(5).toString("hex");
const CALLER_SECRET = `cnry-caller-${T}-0123456789`;
const CANARY: Record<string, string> = {
  "cluster-gateway-password": `Cnry-Gw-${T}-Pw9!`,
  "cluster-ssh-password": `Cnry-Ssh-${T}-Pw9!`,
  "s3-readonly": JSON.stringify({ accessKey: `CNRYRO${T.toUpperCase()}AK`, secretKey: `cnry-ro-secret-${T}` }),
  "s3-partner": JSON.stringify({ accessKey: `CNRYPT${T.toUpperCase()}AK`, secretKey: `cnry-pt-secret/${T}+x` }),
  "s3-broken": `cnry-not-json-${T}-value`,
  "webhook-airflow": CALLER_SECRET,
  "webhook-notify": `cnry-notify-${T}-9876543210`,
};
/** Every string to look for: each value, and each field of a JSON value. */
const NEEDLES = Object.values(CANARY).flatMap((v) => {
  try {
    return [v, ...Object.values(JSON.parse(v) as Record<string, string>)];
  } catch {
    return [v];
  }
});
/** Files of the vault itself (where the secrets live by design): the Key Vault stand-in's state and its seed. */
const VAULT_FILES = /(^|\/)(keyvault-state\.json|seed-secrets\.json)$/;

let stack: TestStack;
let receiver: Receiver;
let dataDir: string;
const hostLog: string[] = [];
const output: string[] = [];
const responses: string[] = [];
const livyLogs: string[] = [];

/** GET on the sandbox's cluster gateway with the gateway login (the canary password), as the cluster admin. */
async function gatewayGet(path: string): Promise<string> {
  const { request } = await import("node:https");
  const auth = Buffer.from(`admin:${CANARY["cluster-gateway-password"]}`).toString("base64");
  return new Promise((resolve, reject) => {
    const req = request(
      new URL(`${stack.sandbox.url}${path}`),
      { ca: stack.sandbox.caPem, headers: { authorization: `Basic ${auth}` } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
      },
    );
    req.on("error", reject);
    req.end();
  });
}
const restoreOutput: (() => void)[] = [];

function captureOutput(stream: NodeJS.WriteStream): void {
  const original = stream.write.bind(stream);
  stream.write = ((chunk: unknown, ...rest: unknown[]) => {
    output.push(typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString("utf8"));
    return (original as (...a: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof stream.write;
  restoreOutput.push(() => void (stream.write = original));
}

/** An API call whose response body is kept for the scan. */
async function api(path: string, init: RequestInit = {}): Promise<{ status: number; text: string }> {
  const res = await stack.api(path, init);
  const text = await res.text();
  responses.push(`${res.status} ${path}\n${JSON.stringify([...res.headers])}\n${text}`);
  return { status: res.status, text };
}
const post = (path: string, body: unknown) =>
  api(path, { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json" } });

function hits(where: string, text: string): string[] {
  return NEEDLES.filter((n) => text.includes(n)).map((n) => `${where}: canary ${JSON.stringify(n.slice(0, 12))}…`);
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

beforeAll(async () => {
  captureOutput(process.stdout);
  captureOutput(process.stderr);
  receiver = await startReceiver();
  dataDir = mkdtempSync(join(tmpdir(), "jobflow-canary-"));
  stack = await startTestStack({
    dataDir,
    settings: {
      JOBFLOW_WEBHOOK_CALLERS: "airflow",
      JOBFLOW_WEBHOOK_ALLOW_HOSTS: receiver.hostPort,
      JOBFLOW_REAPER_SCHEDULE: "0 0 0 1 1 *",
    },
    sandbox: { seedSecrets: CANARY },
    host: { logSink: (record) => void hostLog.push(JSON.stringify(record)) },
  });
}, 120_000);

afterAll(async () => {
  await stack?.stop();
  await receiver?.close();
  for (const restore of restoreOutput) restore();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/**
 * Every surface, scanned for canaries. `whileClustersLive`: the sandbox's own state (the emulated Azure: a live
 * cluster's gateway password in the HDInsight RP, a live batch's conf in Livy — what Azure itself holds) is left
 * out; once every cluster is gone it is scanned too. The vault's files are never scanned: secrets live there.
 */
async function scanAll(whileClustersLive: boolean): Promise<string[]> {
  const found: string[] = [];
  let scanned = 0;
  for (const file of filesUnder(dataDir)) {
    const rel = relative(dataDir, file);
    if (VAULT_FILES.test(rel) || (whileClustersLive && rel.startsWith("sandbox"))) continue;
    scanned++;
    found.push(...hits(`data/${rel}`, readFileSync(file).toString("utf8")));
  }
  expect(scanned).toBeGreaterThan(3);
  // Azurite: every blob of every container (records, logs, bundles, audit).
  const service = BlobServiceClient.fromConnectionString(stack.azurite.connectionString);
  let blobs = 0;
  for await (const container of service.listContainers()) {
    const client = service.getContainerClient(container.name);
    for await (const blob of client.listBlobsFlat({ includeMetadata: true })) {
      blobs++;
      const body = (await client.getBlobClient(blob.name).downloadToBuffer()).toString("utf8");
      found.push(...hits(`blob ${container.name}/${blob.name}`, body + JSON.stringify(blob.metadata ?? {})));
    }
  }
  expect(blobs).toBeGreaterThan(3);
  // The Service Bus topic as the host holds it, and the events the app published.
  found.push(
    ...hits("service bus topic", JSON.stringify(stack.host.serviceBus.topicMessages(stack.settings.JOBFLOW_EVENTS_TOPIC as string, 0))),
  );
  found.push(...hits("events", JSON.stringify(stack.events())));
  // The sandbox's Livy batches and their logs as the cluster shows them (no reveal).
  for (const cluster of gatewayClusters()) {
    const batches = await sandboxControl<unknown>(stack, "GET", `/gateway/batches?cluster=${cluster}`);
    found.push(...hits(`sandbox batches of ${cluster}`, JSON.stringify(batches.body)));
  }
  found.push(...hits("sandbox Livy batch logs", livyLogs.join("\n")));
  // The host log, every API response, what the receiver got, and this process's output.
  found.push(...hits("host log", hostLog.join("\n")));
  found.push(...hits("API responses", responses.join("\n")));
  found.push(...hits("webhook receiver", JSON.stringify(receiver.received)));
  found.push(...hits("process output", output.join("")));
  return found;
}

/** Clusters whose gateway was called. */
function gatewayClusters(): string[] {
  const paths = stack.sandbox.control.requests({ component: "gateway" }).map((r) => r.path);
  return [...new Set(paths.map((p) => /\/gateway\/([^/]+)\//.exec(p)?.[1]).filter((c): c is string => !!c))];
}

describe("canary secrets never leave the vault", () => {
  it("runs jobs, a lease and an edge attach that use every secret", async () => {
    // 1. The S3A example job: keys by reference, filled in inside the submit activity; a signed notify webhook.
    const s3aDoc = JSON.parse(readFileSync(join(__dirname, "../../../examples/s3a-read-write.json"), "utf8")) as Record<string, unknown>;
    s3aDoc.notify = { webhook: `${receiver.url}/notify` };
    const s3a = await post("/jobs", s3aDoc);
    expect(s3a.status).toBe(202);
    const s3aId = (JSON.parse(s3a.text) as { id: string }).id;

    // The sandbox Livy's own log of the S3A batch while it runs (read as the cluster's admin would, with the gateway
    // password): the spark-submit command line with Spark's redaction applied.
    await stack.runUntil(
      async () => {
        const rec = JSON.parse((await api(`/jobs/${s3aId}`)).text) as {
          cluster?: { name?: string };
          steps?: { id: string; state: string; attempts?: { batchId?: number }[] }[];
        };
        const curate = rec.steps?.find((x) => x.id === "curate");
        const batchId = curate?.attempts?.[0]?.batchId;
        if (curate?.state !== "running" || batchId === undefined || !rec.cluster?.name) return false;
        const res = await gatewayGet(`/gateway/${rec.cluster.name}/livy/batches/${batchId}/log?from=0&size=1000`);
        livyLogs.push(res);
        return res.includes("spark-submit");
      },
      { what: "S3A batch running with its Livy log" },
    );
    expect(livyLogs.join("\n")).toContain("*********(redacted)");
    // The canaries were really used: the S3A keys reached the "cluster" (shown only by the sandbox's inspection).
    const s3aCluster = (JSON.parse((await api(`/jobs/${s3aId}`)).text) as { cluster: { name: string } }).cluster.name;
    const revealed = await sandboxControl<unknown>(stack, "GET", `/gateway/batches?cluster=${s3aCluster}&reveal=true`);
    expect(JSON.stringify(revealed.body)).toContain(`cnry-pt-secret/${T}+x`);

    // 2. A job naming the SSH password as its S3 credentials: refused by the API with the pointer.
    const evil = jobDoc("read-ssh", [{ id: "s", seconds: 30 }], {
      data: { s3a: { endpoint: "https://s3.example.net", credentialsSecret: "cluster-ssh-password" } },
    });
    (evil.steps as Record<string, unknown>[])[0].args = ["s3a://any-bucket/x"];
    const refused = await post("/jobs", evil);
    expect(refused.status).toBe(400);
    expect(JSON.parse(refused.text)).toMatchObject({
      problems: [{ pointer: "/data/s3a/credentialsSecret", message: expect.stringContaining("platform secret") }],
    });

    // 3. The same job started around validation (with the system key, as only the platform can): the submit
    //    activity refuses to read the secret. On the code before issue 11 this JSON.parse'd the SSH password.
    const allowed = validateJobDocument(
      { ...evil, data: { s3a: { endpoint: "https://s3.example.net", credentialsSecret: "s3-partner" } } },
      { profiles: profileCatalog() },
    );
    if (!allowed.ok) throw new Error(JSON.stringify(allowed.problems));
    const job = structuredClone(allowed.job);
    (job.data.s3a as { credentialsSecret: string }).credentialsSecret = "cluster-ssh-password";
    const eff = effectiveProfile(job, profileCatalog(), placeholderValuesFromConfig(loadConfig(stack.settings)));
    if (!eff.ok) throw new Error(JSON.stringify(eff.problems));
    const bypassId = `j-canary-bypass-${T}`;
    const input: JobRunInput = {
      jobId: bypassId,
      job,
      submittedAt: stack.clock.now().toISOString(),
      profileHash: eff.hash,
      nodes: { head: eff.profile.headNode, worker: eff.profile.workerNode, zookeeper: eff.profile.zookeeperNode },
    };
    const started = await fetch(`${stack.host.url}/runtime/webhooks/durabletask/orchestrators/jobRun/${bypassId}?code=${stack.masterKey}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(input),
    });
    expect(started.status).toBe(202);

    // 4. A job whose in-scope secret is not the expected JSON: a fixed message, not the parser's (which quotes it).
    const brokenDoc = jobDoc("broken-secret", [{ id: "s", seconds: 30 }], {
      data: { s3a: { endpoint: "https://s3.example.net", credentialsSecret: "s3-broken" } },
    });
    (brokenDoc.steps as Record<string, unknown>[])[0].args = ["s3a://any-bucket/x"];
    const broken = await post("/jobs", brokenDoc);
    expect(broken.status).toBe(202);
    const brokenId = (JSON.parse(broken.text) as { id: string }).id;

    // 5. A compute lease (signed with the caller's canary secret, called back signed), then an edge attach to it.
    const lease = await signedPost(
      stack,
      "/compute-requests",
      { profile: "default", durationMinutes: 600, callbackUrl: `${receiver.url}/lease` },
      { secret: CALLER_SECRET },
    );
    expect(lease.status).toBe(202);
    const { leaseId, clusterName } = (await lease.json()) as { leaseId: string; clusterName: string };
    await stack.runUntil(() => receiver.received.some((r) => r.path === "/lease"), { what: "lease ready callback" });
    const attach = await post("/edges/dss-edge-01/attach", { cluster: clusterName });
    expect(attach.status).toBe(202);
    const { operationId } = JSON.parse(attach.text) as { operationId: string };
    await stack.runUntil(
      async () =>
        (JSON.parse((await api(`/edges/operations/${operationId}`)).text) as { runtimeStatus?: string }).runtimeStatus === "Completed",
      { what: "attach done" },
    );

    // While the lease's cluster lives, with an edge attached: Jobflow's own surfaces carry no canary.
    expect(await scanAll(true)).toEqual([]);

    for (const id of [s3aId, bypassId, brokenId]) await finish(stack, id);
    const records = await Promise.all(
      [s3aId, bypassId, brokenId].map(async (id) => JSON.parse((await api(`/jobs/${id}`)).text) as { state: string; error?: string }),
    );
    expect(records[0].state).toBe("succeeded");
    expect(records[1].state).toBe("failed");
    expect(JSON.stringify(records[1])).toContain("secret 'cluster-ssh-password' is a platform secret");
    expect(records[2].state).toBe("failed");
    expect(JSON.stringify(records[2])).toContain("secret 's3-broken' is not a JSON object");

    await api("/edges/dss-edge-01/detach", { method: "POST", body: "{}", headers: { "content-type": "application/json" } });
    expect((await signedPost(stack, `/compute-requests/${leaseId}/release`, {}, { secret: CALLER_SECRET })).status).toBe(202);
    await stack.runUntil(async () => (JSON.parse((await api("/clusters")).text) as { clusters: unknown[] }).clusters.length === 0, {
      what: "no cluster left",
      maxVirtualMs: 6 * 3_600_000,
    });

    // Everything a user or operator can read through the API, once more.
    for (const path of [
      "/jobs?state=succeeded",
      "/jobs?state=failed",
      `/jobs/${s3aId}/steps/curate/log`,
      `/jobs/${s3aId}/steps/report/log`,
      `/jobs/${s3aId}/timeline`,
      `/jobs/${bypassId}/timeline`,
      `/compute-requests/${leaseId}`,
      "/compute-requests",
      "/edges",
      "/clusters",
    ])
      await api(path);
  }, 300_000);

  it("scans every surface once every cluster is gone: zero hits", async () => {
    expect(hostLog.length).toBeGreaterThan(100);
    expect(await scanAll(false)).toEqual([]);
    expect(gatewayClusters().length).toBeGreaterThan(1);
  }, 120_000);
});
