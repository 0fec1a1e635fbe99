// The embedded stack for integration tests: manual virtual clock, temp folders, ephemeral ports, no ARM throttling
// unless a test asks for it. runUntil() drives virtual time: drain the host's durable work, then jump the clock to
// the next due timer, until the condition holds.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { VirtualClock } from "../../local/clock/virtualClock";
import { startHost, type Host } from "../../local/host/host";
import { startStack as startEmbeddedStack, type Stack, type StackOptions } from "../../local/stack";

export interface TestStack extends Stack {
  /** Advances virtual time until `condition` is true; throws after `maxVirtualMs` of virtual time. */
  runUntil(condition: () => Promise<boolean> | boolean, options?: { maxVirtualMs?: number; what?: string }): Promise<void>;
  /** GET a job record. */
  job(id: string): Promise<{ id: string; state: string; [k: string]: unknown }>;
  /** Submits a job document; returns the job id. */
  submit(doc: unknown): Promise<string>;
  /**
   * Stops the local host (in-flight activity calls finish, queued work stays in the durable store), lets
   * `downForMs` of virtual time pass with only the sandbox running, then starts a new host on the same data folder,
   * port and keys — a host killed and restarted. `host` and runUntil() use the new host from then on. Service Bus
   * queues live in the host's memory and do not survive.
   */
  restartHost(options?: { downForMs?: number }): Promise<void>;
  /** Every host log record so far, as JSON lines. */
  logs(): string[];
}

const APP_ROOT = resolve(__dirname, "..", "..");

export const START_MS = Date.parse("2026-11-21T08:00:00Z");

export async function startTestStack(options: Partial<StackOptions> = {}): Promise<TestStack> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), "jobflow-stack-"));
  const clock = options.clock ?? new VirtualClock({ mode: "manual", startMs: START_MS });
  const logs: string[] = [];
  const stack = await startEmbeddedStack({
    dataDir,
    clock,
    sandbox: { throttling: false, ...options.sandbox },
    ...options,
    // Host options add to the captured log sink (a test passing only `durableWorkers` still gets logs()).
    host: { logSink: (record) => void logs.push(JSON.stringify(record)), ...options.host },
  });
  let host: Host = stack.host;
  const runUntil: TestStack["runUntil"] = async (condition, opts = {}) => {
    const deadline = clock.nowMs() + (opts.maxVirtualMs ?? 24 * 3_600_000);
    let idleSpins = 0;
    for (;;) {
      if (await condition()) return;
      await host.waitForIdle();
      if (await condition()) return;
      const next = clock.nextTimerAtMs();
      if (next === undefined || next <= clock.nowMs()) {
        if (++idleSpins > 500)
          throw new Error(`runUntil(${opts.what ?? "condition"}): nothing left to run at ${clock.now().toISOString()}`);
        await new Promise((r) => setTimeout(r, 10));
        continue;
      }
      idleSpins = 0;
      if (next > deadline) throw new Error(`runUntil(${opts.what ?? "condition"}): not reached by ${new Date(deadline).toISOString()}`);
      await clock.advanceTo(next);
    }
  };
  const job: TestStack["job"] = async (id) => {
    const res = await stack.api(`/jobs/${id}`);
    if (res.status !== 200) throw new Error(`GET /jobs/${id} → ${res.status}: ${await res.text()}`);
    return (await res.json()) as { id: string; state: string };
  };
  const submit: TestStack["submit"] = async (doc) => {
    const res = await stack.api("/jobs", {
      method: "POST",
      body: typeof doc === "string" ? doc : JSON.stringify(doc),
      headers: { "content-type": "application/json" },
    });
    const body = (await res.json()) as { id?: string };
    if (res.status !== 202 && res.status !== 200) throw new Error(`POST /jobs → ${res.status}: ${JSON.stringify(body)}`);
    return body.id as string;
  };
  const restartHost: TestStack["restartHost"] = async ({ downForMs = 0 } = {}) => {
    await host.stop();
    if (downForMs > 0) await clock.advanceBy(downForMs);
    host = await startHost({
      appEntry: join(APP_ROOT, "functions", "index.ts"),
      appRoot: APP_ROOT,
      port: Number(new URL(host.url).port),
      clock,
      dataDir: join(dataDir, "host"),
      settings: stack.settings,
      functionKeys: { masterKey: stack.masterKey, hostKeys: [stack.functionKey] },
      logSink: options.host?.logSink ?? ((record) => void logs.push(JSON.stringify(record))),
      durableWorkers: options.host?.durableWorkers,
    });
  };
  return {
    ...stack,
    get host(): Host {
      return host;
    },
    runUntil,
    job,
    submit,
    restartHost,
    logs: () => [...logs],
    stop: async () => {
      await host.stop();
      await stack.stop();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
