// Helpers shared by the end-to-end job tests: job documents with sandbox-scripted steps, waiting for a job's end,
// reading clusters (through the API and the sandbox's request log) and the after-test "nothing left" check.
import { afterAll, afterEach, beforeAll, expect } from "vitest";
import { startTestStack, type TestStack } from "../../support/stack";
import type { JobRecord } from "../../../shared/workflow/jobRecord";
import { main } from "../../../cli/main";

export const TERMINAL = ["succeeded", "failed", "cancelled", "completedWithFailures"];

export interface ScriptedStep {
  id: string;
  dependsOn?: string[];
  /** Virtual seconds the Livy batch runs (sandbox conf). */
  seconds?: number;
  outcome?: "success" | "dead";
  actionOnFailure?: "TERMINATE_CLUSTER" | "CANCEL_AND_WAIT" | "CONTINUE";
  retries?: number;
  timeoutMinutes?: number;
  conf?: Record<string, string>;
}

/** A step document whose Livy batch the sandbox runs for `seconds` and ends with `outcome`. */
export function step(s: ScriptedStep): Record<string, unknown> {
  const conf: Record<string, string> = { ...s.conf };
  if (s.seconds !== undefined) conf["spark.jobflow.sandbox.durationSeconds"] = String(s.seconds);
  if (s.outcome) conf["spark.jobflow.sandbox.outcome"] = s.outcome;
  const doc: Record<string, unknown> = { id: s.id, file: `abfss://code@jobflowlake.dfs.core.windows.net/${s.id}.py`, conf };
  if (s.dependsOn) doc.dependsOn = s.dependsOn;
  if (s.actionOnFailure) doc.actionOnFailure = s.actionOnFailure;
  if (s.retries !== undefined) doc.retries = s.retries;
  if (s.timeoutMinutes !== undefined) doc.timeoutMinutes = s.timeoutMinutes;
  return doc;
}

export function jobDoc(name: string, steps: ScriptedStep[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { name, cluster: { profile: "default", reuse: "never", keepWarmMinutes: 0 }, steps: steps.map(step), ...extra };
}

export async function record(stack: TestStack, id: string): Promise<JobRecord> {
  return (await stack.job(id)) as unknown as JobRecord;
}

/** Runs virtual time until the job is in a terminal state; returns its record. */
export async function finish(stack: TestStack, id: string): Promise<JobRecord> {
  await stack.runUntil(async () => TERMINAL.includes((await stack.job(id)).state), { what: `job ${id} finished` });
  return record(stack, id);
}

export interface ClusterRow {
  name: string;
  provisioningState: string;
  clusterState: string;
  tags: Record<string, string>;
  lifecycle: { phase?: string; holders?: string[] } | null;
}

export async function clusters(stack: TestStack): Promise<ClusterRow[]> {
  const res = await stack.api("/clusters");
  expect(res.status).toBe(200);
  return ((await res.json()) as { clusters: ClusterRow[] }).clusters;
}

/** Runs virtual time until the sandbox holds no cluster except `keep` (the after-test check). */
export async function expectNoClustersLeft(stack: TestStack, keep: string[] = []): Promise<void> {
  await stack.runUntil(async () => (await clusters(stack)).every((c) => keep.includes(c.name)), {
    what: "no cluster left",
    maxVirtualMs: 6 * 3_600_000,
  });
  expect((await clusters(stack)).map((c) => c.name).filter((n) => !keep.includes(n))).toEqual([]);
}

/** Cluster create requests (ARM PUT of a cluster resource) seen by the sandbox, by cluster name. */
export function createPuts(stack: TestStack): string[] {
  return stack.sandbox.control
    .requests({ component: "arm" })
    .filter((r) => r.method === "PUT" && /\/providers\/Microsoft\.HDInsight\/clusters\/[^/]+$/i.test(r.path) && r.status < 300)
    .map((r) => r.path.split("/").pop() as string);
}

/** Livy requests of a method seen by the sandbox gateway for a cluster (e.g. DELETE = batch killed/cleaned). */
export function gatewayRequests(
  stack: TestStack,
  cluster: string,
  method: string,
  pathPart = "/livy/batches",
): { path: string; status: number }[] {
  return stack.sandbox.control
    .requests({ component: "gateway" })
    .filter((r) => r.method === method && r.path.includes(`/gateway/${cluster}`) && r.path.includes(pathPart));
}

export const ms = (iso?: string): number => (iso ? Date.parse(iso) : NaN);

/** A request to the sandbox's HTTP control API (/_sandbox/…), e.g. the gateway's batch inspection or faults. */
export async function sandboxControl<T>(
  stack: TestStack,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const { request } = await import("node:https");
  const url = new URL(`${stack.sandbox.url}/_sandbox${path}`);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method, ca: stack.sandbox.caPem, headers: { authorization: "Bearer test-control", "content-type": "application/json" } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          resolve({ status: res.statusCode ?? 0, body: (text ? JSON.parse(text) : undefined) as T });
        });
      },
    );
    req.on("error", reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

export interface SandboxBatch {
  cluster: string;
  id: number;
  state: string;
  deletedThroughLivy: boolean;
  request: { name?: string; file: string };
}

/** Every Livy batch the sandbox gateway holds for a cluster (also those Livy has forgotten). */
export async function sandboxBatches(stack: TestStack, cluster: string): Promise<SandboxBatch[]> {
  const res = await sandboxControl<{ batches: SandboxBatch[] }>(stack, "GET", `/gateway/batches?cluster=${encodeURIComponent(cluster)}`);
  expect(res.status).toBe(200);
  return res.body.batches;
}

/**
 * One embedded stack per test file, handed to `onStarted`; stopped after the file; after every test, no cluster
 * may be left in the sandbox.
 */
export function useStackPerFile(
  onStarted: (stack: TestStack) => void,
  options: () => Parameters<typeof startTestStack>[0] = () => ({}),
): void {
  let stack: TestStack | undefined;
  beforeAll(async () => {
    stack = await startTestStack(options());
    onStarted(stack);
  }, 120_000);
  afterAll(async () => {
    await stack?.stop();
  });
  afterEach(async () => {
    await expectNoClustersLeft(stack as TestStack);
  }, 60_000);
}

/** Runs the CLI in-process against the stack (its URL and function key), collecting its errors and JSON output. */
export async function runCli(stack: TestStack, argv: string[]): Promise<{ code: number; json?: unknown; errors: string[] }> {
  const errors: string[] = [];
  let json: unknown;
  const out = { line: () => undefined, error: (t: string) => void errors.push(t), json: (v: unknown) => void (json = v) };
  const code = await main(argv, out, { JOBFLOW_URL: stack.apiUrl.replace(/\/api$/, ""), JOBFLOW_KEY: stack.functionKey });
  return { code, json, errors };
}
