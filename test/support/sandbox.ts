// One Azure sandbox per test file: a temp data folder, a manual virtual clock, and the real SDK clients pointed at
// it (endpoint = sandbox URL, tlsOptions.ca = its certificate, ARM's credential scope, a static credential).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll } from "vitest";
import type { AccessToken, TokenCredential } from "@azure/core-auth";
import { HDInsightManagementClient } from "@azure/arm-hdinsight";
import { ComputeManagementClient } from "@azure/arm-compute";
import { VirtualClock } from "../../local/clock/virtualClock";
import { startSandbox, type SandboxHandle, type StartSandboxOptions } from "../../local/sandbox/sandbox";

export const TEST_SUBSCRIPTION = "00000000-0000-0000-0000-0000000000aa";
export const TEST_RESOURCE_GROUP = "rg-jobflow-test";
/** A fixed virtual start, so test output is reproducible. */
export const TEST_START_MS = Date.parse("2026-11-21T10:00:00Z");
const ARM_SCOPE = "https://management.azure.com/.default";

/** A credential that hands out an unsigned JWT naming `principal` (the sandbox throttles per principal). */
export function staticCredential(principal = "test-principal"): TokenCredential {
  const part = (o: object): string => Buffer.from(JSON.stringify(o)).toString("base64url");
  const token = `${part({ alg: "none", typ: "JWT" })}.${part({ oid: principal, aud: "https://management.azure.com" })}.sig`;
  return { getToken: async (): Promise<AccessToken> => ({ token, expiresOnTimestamp: Date.now() + 3_600_000 }) };
}

export interface TestSandbox {
  sandbox: SandboxHandle;
  clock: VirtualClock;
  dataDir: string;
  /** arm-hdinsight client against the sandbox; `retries` bounds SDK retries (default 3, short delays). */
  hdinsight(options?: { principal?: string; maxRetries?: number }): HDInsightManagementClient;
  compute(options?: { principal?: string; maxRetries?: number }): ComputeManagementClient;
  stop(): Promise<void>;
}

export interface TestSandboxOptions extends Partial<Omit<StartSandboxOptions, "dataDir">> {
  /** Reuse this data folder (restart tests); otherwise a fresh temp folder, removed at stop. */
  dataDir?: string;
}

export async function startTestSandbox(options: TestSandboxOptions = {}): Promise<TestSandbox> {
  const ownsDir = !options.dataDir;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), "jobflow-sandbox-"));
  const clock = options.clock ?? new VirtualClock({ mode: "manual", startMs: TEST_START_MS });
  // Retry-After 0 on long-running operations: tests advance the manual clock first, then poll without waiting.
  const sandbox = await startSandbox({
    throttling: true,
    ...options,
    settings: { lroRetryAfterSeconds: 0, ...options.settings },
    dataDir,
    clock,
  });
  const clientOptions = (o: { maxRetries?: number } = {}) => ({
    endpoint: sandbox.url,
    tlsOptions: { ca: sandbox.caPem },
    credentialScopes: [ARM_SCOPE],
    retryOptions: { maxRetries: o.maxRetries ?? 3, retryDelayInMs: 10, maxRetryDelayInMs: 50 },
  });
  return {
    sandbox,
    clock,
    dataDir,
    hdinsight: (o = {}) => new HDInsightManagementClient(staticCredential(o.principal), TEST_SUBSCRIPTION, clientOptions(o)),
    compute: (o = {}) => new ComputeManagementClient(staticCredential(o.principal), TEST_SUBSCRIPTION, clientOptions(o)),
    stop: async () => {
      await sandbox.stop();
      if (ownsDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Starts a sandbox before this file's tests and stops it after; read `.current` inside tests. */
export function useTestSandbox(options: TestSandboxOptions = {}): { current: TestSandbox } {
  const holder = {} as { current: TestSandbox };
  beforeAll(async () => {
    holder.current = await startTestSandbox(options);
  });
  afterAll(async () => {
    await holder.current?.stop();
  });
  return holder;
}
