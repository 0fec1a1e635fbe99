// The embedded default of DESIGN §4 in one call: Azurite (child process) + the HTTPS Azure sandbox + the local
// Functions/Durable host running this app, all on one clock. Used by `npm start` (scaled clock, fixed port) and by
// the integration tests (manual clock, ephemeral ports, temp folders).
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { BlobServiceClient } from "@azure/storage-blob";
import type { VirtualClock } from "./clock/virtualClock";
import { startAzurite, type AzuriteInstance } from "./azurite";
import { startHost, type Host, type StartHostOptions } from "./host/host";
import { startSandbox, type SandboxHandle, type StartSandboxOptions } from "./sandbox/sandbox";
import { registerEmbeddedRuntime } from "../functions/runtime/embedded";
import type { EmbeddedTelemetry } from "../functions/runtime/telemetry";
import type { CloudEvent } from "../shared/cloud/events";
import { SETTINGS, type SettingSpec } from "../shared/config";
import { mintLoginToken, newConsoleSecret, type ConsoleRole } from "../functions/http/consoleAuth";

export const LOCAL_SUBSCRIPTION = "00000000-0000-0000-0000-000000000000";
export const LOCAL_RESOURCE_GROUP = "jobflow-local";
export const LOCAL_EDGE_VMS = ["dss-edge-01", "jupyter-edge-01"];

/** Secrets the local Key Vault stand-in starts with (sandbox-only values; never used against Azure). */
export const LOCAL_SECRETS: Record<string, string> = {
  "cluster-gateway-password": "Local-Gateway-Passw0rd!",
  "cluster-ssh-password": "Local-Ssh-Passw0rd!",
  "s3-readonly": JSON.stringify({ accessKey: "LOCALACCESSKEY", secretKey: "local-secret-key-value" }),
  "s3-partner": JSON.stringify({ accessKey: "LOCALPARTNERACCESSKEY", secretKey: "local-partner-secret-key" }),
};

export interface StackOptions {
  /** Folder for the sandbox, host store and (if persisted) Azurite data. */
  dataDir: string;
  clock: VirtualClock;
  /** Host port (0 = free port). */
  port?: number;
  /** Keep Azurite's data under dataDir (npm start) instead of in memory (tests). */
  persistStorage?: boolean;
  sandbox?: Partial<StartSandboxOptions>;
  /** Extra or overriding app settings. */
  settings?: Record<string, string>;
  host?: Partial<
    Pick<StartHostOptions, "logSink" | "functionKeys" | "limits" | "serviceBus" | "foreground" | "durableWorkers" | "durableWorkerNiceness">
  >;
  /** In-process span processors / metric readers handed to the app (tests; functions/runtime/telemetry.ts). */
  telemetry?: EmbeddedTelemetry;
}

export interface Stack {
  apiUrl: string;
  functionKey: string;
  masterKey: string;
  host: Host;
  sandbox: SandboxHandle;
  azurite: AzuriteInstance;
  clock: VirtualClock;
  settings: Record<string, string>;
  /** fetch() against the API with the function key. `path` is relative to /api, e.g. "/jobs". */
  api(path: string, init?: RequestInit): Promise<Response>;
  /** Events published on the local events topic, oldest first. */
  events(): CloudEvent[];
  /** A one-time console login URL (JOBFLOW_CONSOLE_URL) for a session of `role` (default operator). */
  consoleLoginUrl(role?: ConsoleRole): string;
  stop(): Promise<void>;
}

const APP_ROOT = resolve(__dirname, "..");

export async function startStack(options: StackOptions): Promise<Stack> {
  const dataDir = resolve(options.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const azurite = await startAzurite(options.persistStorage ? { dataDir: join(dataDir, "azurite") } : {});
  let sandbox: SandboxHandle | undefined;
  try {
    sandbox = await startSandbox({
      dataDir: join(dataDir, "sandbox"),
      clock: options.clock,
      vms: LOCAL_EDGE_VMS,
      seedSecrets: LOCAL_SECRETS,
      ...options.sandbox,
    });
    await createContainers(azurite.connectionString, ["jobs", "logs", "bundles", "audit"]);
    const settings: Record<string, string> = {
      JOBFLOW_TARGET: "local",
      AZURE_SUBSCRIPTION_ID: LOCAL_SUBSCRIPTION,
      JOBFLOW_RESOURCE_GROUP: LOCAL_RESOURCE_GROUP,
      JOBFLOW_EDGE_RESOURCE_GROUP: LOCAL_RESOURCE_GROUP,
      JOBFLOW_EDGE_VMS: LOCAL_EDGE_VMS.join(","),
      JOBFLOW_LOCATION: "westeurope",
      JOBFLOW_ARM_ENDPOINT: sandbox.url,
      JOBFLOW_GATEWAY_URL_TEMPLATE: `${sandbox.url}/gateway/{cluster}`,
      JOBFLOW_CA_CERT_PATH: sandbox.caPath,
      JOBFLOW_KEY_VAULT_URL: `${sandbox.url}/keyvault`,
      JOBFLOW_PRICES_URL: `${sandbox.url}/api/retail/prices`,
      JOBFLOW_STORAGE_CONNECTION_STRING: azurite.connectionString,
      JOBFLOW_DATA_LAKE_ACCOUNT: "jobflowlake",
      JOBFLOW_TASK_HUB: "jobflow",
      JOBFLOW_JOBS_QUEUE: "jobs",
      ServiceBusConnection: "local",
      JOBFLOW_CONSOLE_AUTH: "local",
      JOBFLOW_CONSOLE_SECRET: newConsoleSecret(),
      ...options.settings,
    };
    // The host resolves %SETTING% expressions from its settings only: give it every declared default.
    for (const spec of SETTINGS as readonly SettingSpec[]) {
      if (spec.default !== undefined && settings[spec.name] === undefined) settings[spec.name] = spec.default;
    }
    const published: CloudEvent[] = [];
    const topic = settings.JOBFLOW_EVENTS_TOPIC ?? "jobflow-events";
    const hostRef: { current?: Host } = {};
    registerEmbeddedRuntime({
      clock: options.clock,
      ...(options.telemetry ? { telemetry: options.telemetry } : {}),
      events: {
        publish: async (events) => {
          for (const e of events) {
            published.push(e);
            hostRef.current?.serviceBus.publish(topic, e, { messageId: e.id });
          }
        },
      },
    });
    const host = await startHost({
      appEntry: join(APP_ROOT, "functions", "index.ts"),
      appRoot: APP_ROOT,
      port: options.port ?? 0,
      clock: options.clock,
      dataDir: join(dataDir, "host"),
      settings,
      durableWorkers: durableWorkersFromEnv(),
      durableWorkerNiceness: durableWorkerNicenessFromEnv(),
      ...options.host,
    });
    hostRef.current = host;
    const started = host;
    const functionKey = started.keys.hostKeys[0];
    const apiUrl = `${started.url}/api`;
    const sb = sandbox;
    return {
      apiUrl,
      functionKey,
      masterKey: started.keys.masterKey,
      host: started,
      sandbox: sb,
      azurite,
      clock: options.clock,
      settings,
      api: (path, init = {}) =>
        fetch(`${apiUrl}${path}`, {
          ...init,
          headers: { "x-functions-key": functionKey, ...(init.headers as Record<string, string> | undefined) },
        }),
      events: () => [...published],
      consoleLoginUrl: (role = "operator") =>
        `${started.url}/api/console/login?token=${mintLoginToken(settings.JOBFLOW_CONSOLE_SECRET as string, role, Date.now())}`,
      stop: async () => {
        await started.stop();
        await sb.stop();
        await azurite.stop();
        registerEmbeddedRuntime(undefined);
      },
    };
  } catch (err) {
    await sandbox?.stop().catch(() => undefined);
    await azurite.stop().catch(() => undefined);
    throw err;
  }
}

/**
 * JOBFLOW_DURABLE_WORKERS=N runs the stack's orchestrations and activities in N worker threads (host.ts
 * `durableWorkers`) unless the caller chose: how the benchmarks compare both ways without a flag of their own.
 */
export function durableWorkersFromEnv(env: Record<string, string | undefined> = process.env): number | undefined {
  return integerFromEnv(env, "JOBFLOW_DURABLE_WORKERS", 16);
}

/**
 * JOBFLOW_DURABLE_WORKER_NICENESS=N: the durable workers' nice increment (host.ts `durableWorkerNiceness`, default
 * 10; 0 = the main thread's priority) unless the caller chose — to compare both ways in any benchmark.
 */
export function durableWorkerNicenessFromEnv(env: Record<string, string | undefined> = process.env): number | undefined {
  return integerFromEnv(env, "JOBFLOW_DURABLE_WORKER_NICENESS", 19);
}

/** An integer setting 0…max from `env[name]`; undefined when unset or blank, an error naming it when invalid. */
function integerFromEnv(env: Record<string, string | undefined>, name: string, max: number): number | undefined {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === "") return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > max) throw new Error(`${name} must be an integer 0–${max}, got '${raw}'`);
  return n;
}

async function createContainers(connectionString: string, names: string[]): Promise<void> {
  const service = BlobServiceClient.fromConnectionString(connectionString);
  for (const name of names) await service.getContainerClient(name).createIfNotExists();
}
