// `npm start`: the embedded default. With no configuration (JOBFLOW_TARGET unset or "local") it starts Azurite, the
// HTTPS Azure sandbox and the local host on one scaled clock (JOBFLOW_SPEED virtual seconds per real second,
// default 60) and serves the API on http://127.0.0.1:7071. With JOBFLOW_TARGET=azure (and the Azure settings of
// shared/config.ts) the same host drives real Azure on the wall clock. Writes .data/local/jobflow-local.json so
// the CLI finds the API and its key without flags.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { join, resolve } from "node:path";
import { VirtualClock } from "./clock/virtualClock";
import { startHost, type Host } from "./host/host";
import { durableWorkerNicenessFromEnv, durableWorkersFromEnv, startStack, type Stack } from "./stack";
import { logSinkToFile } from "./logFile";
import { loadConfig } from "../shared/config";
import { mintLoginToken, newConsoleSecret } from "../functions/http/consoleAuth";
import { ensureConsoleBuilt } from "../scripts/ensureConsole";

const ROOT = resolve(__dirname, "..");
/** Security settings taken from the environment of `npm start` (the stack's defaults would otherwise win). */
const SECURITY_SETTINGS = [
  "JOBFLOW_WEBHOOK_ALLOW_HOSTS",
  "JOBFLOW_JOB_SECRET_PREFIXES",
  "JOBFLOW_JOB_SECRET_NAMES",
  "JOBFLOW_WEBHOOK_CALLERS",
];

function fromEnvironment(names: string[]): Record<string, string> {
  return Object.fromEntries(names.filter((n) => process.env[n]).map((n) => [n, process.env[n] as string]));
}

const DATA = resolve(process.env.JOBFLOW_DATA_DIR ?? join(ROOT, ".data", "local"));
/**
 * Orchestrations and activities run in one worker thread by default, off the API's event loop (as the HTTP and
 * the Durable functions scale apart in Azure; local/host/README.md "Durable workers", figures in bench/README.md).
 * JOBFLOW_DURABLE_WORKERS=N chooses another count, 0 runs them on the main thread.
 */
const DURABLE_WORKERS = durableWorkersFromEnv() ?? 1;

function stableKeys(): { masterKey: string; hostKeys: string[] } {
  const file = join(DATA, "keys.json");
  if (existsSync(file)) return JSON.parse(readFileSync(file, "utf8")) as { masterKey: string; hostKeys: string[] };
  const keys = { masterKey: randomBytes(24).toString("base64url"), hostKeys: [randomBytes(24).toString("base64url")] };
  writeFileSync(file, JSON.stringify(keys, null, 2), { mode: 0o600 });
  return keys;
}

/** The console's HMAC key survives restarts, so a signed-in browser tab stays signed in. */
function consoleSecret(): string {
  const file = join(DATA, "console-secret");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  const secret = newConsoleSecret();
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

/** The sandbox keeps its port across restarts (its cluster endpoints and any saved LRO URLs stay valid). */
function sandboxPort(): number {
  if (process.env.JOBFLOW_SANDBOX_PORT) return Number(process.env.JOBFLOW_SANDBOX_PORT);
  const file = join(DATA, "sandbox-port");
  if (existsSync(file)) return Number(readFileSync(file, "utf8"));
  const port = 17000 + Math.floor(Math.random() * 20000);
  writeFileSync(file, String(port));
  return port;
}

/** Virtual time continues where the last run stopped (the sandbox's clusters kept "running" meanwhile). */
function restoredClock(speed: number): { clock: VirtualClock; save: () => void } {
  const file = join(DATA, "clock.json");
  const saved = existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as { virtualMs: number; realMs: number }) : undefined;
  const startMs = saved ? saved.virtualMs + Math.max(0, Date.now() - saved.realMs) * speed : Date.now();
  const clock = new VirtualClock({ mode: "scaled", speed, startMs });
  return { clock, save: () => writeFileSync(file, JSON.stringify({ virtualMs: clock.nowMs(), realMs: Date.now() })) };
}

async function main(): Promise<void> {
  mkdirSync(DATA, { recursive: true });
  const port = Number(process.env.JOBFLOW_PORT ?? 7071);
  const keys = stableKeys();
  const logFile = join(DATA, "host.log");
  const config = loadConfig();
  ensureConsoleBuilt((line) => process.stdout.write(`${line}\n`));
  const secret = consoleSecret();
  const consoleUrl = (base: string): string =>
    `JOBFLOW_CONSOLE_URL=${base}/api/console/login?token=${mintLoginToken(secret, "operator", Date.now())}\n`;
  let stop: () => Promise<void>;
  if (config.target === "azure") {
    const host: Host = await startHost({
      appEntry: join(ROOT, "functions", "index.ts"),
      appRoot: ROOT,
      port,
      dataDir: join(DATA, "host-azure"),
      settings: { JOBFLOW_CONSOLE_SECRET: secret },
      functionKeys: keys,
      logSink: logSinkToFile(logFile),
      durableWorkers: DURABLE_WORKERS,
      durableWorkerNiceness: durableWorkerNicenessFromEnv(),
    });
    writeDiscovery({ apiUrl: `${host.url}/api`, functionKey: keys.hostKeys[0], clock: { mode: "real", speed: 1 } });
    process.stdout.write(
      `Jobflow (target: Azure subscription ${config.subscriptionId}, resource group ${config.resourceGroup})\nAPI: ${host.url}/api  key: ${keys.hostKeys[0]}\n` +
        consoleUrl(host.url),
    );
    stop = () => host.stop();
  } else {
    const speed = Number(process.env.JOBFLOW_SPEED ?? 60);
    if (!(speed > 0)) throw new Error(`JOBFLOW_SPEED must be > 0, got ${process.env.JOBFLOW_SPEED}`);
    const { clock, save } = restoredClock(speed);
    const stack: Stack = await startStack({
      dataDir: DATA,
      clock,
      port,
      persistStorage: true,
      settings: { JOBFLOW_CONSOLE_SECRET: secret, ...fromEnvironment(SECURITY_SETTINGS) },
      sandbox: { port: sandboxPort() },
      host: { functionKeys: keys, logSink: logSinkToFile(logFile), durableWorkers: DURABLE_WORKERS },
    });
    const timer = setInterval(save, 5_000);
    writeDiscovery({
      apiUrl: stack.apiUrl,
      functionKey: stack.functionKey,
      sandboxUrl: stack.sandbox.url,
      sandboxCa: stack.sandbox.caPath,
      clock: { mode: "scaled", speed },
    });
    process.stdout.write(
      `JOBFLOW_SANDBOX_URL=${stack.sandbox.url}\nJOBFLOW_SANDBOX_CA=${stack.sandbox.caPath}\n` +
        `Jobflow local runtime — API ${stack.apiUrl} (key in ${join(DATA, "jobflow-local.json")})\n` +
        `Sandbox time runs at ${speed}× (now ${clock.now().toISOString()}); host log: ${logFile}; durable workers: ${DURABLE_WORKERS}\n` +
        `Try: npx jobflow submit examples/pyspark-single-step.json --wait\n` +
        consoleUrl(stack.host.url),
    );
    let seen = 0;
    const events = setInterval(() => {
      for (const e of stack.events().slice(seen)) process.stdout.write(`${e.time} ${e.type} ${e.subject ?? ""}\n`);
      seen = stack.events().length;
    }, 500);
    stop = async () => {
      clearInterval(timer);
      clearInterval(events);
      save();
      await stack.stop();
    };
  }
  let stopping = false;
  const shutdown = (): void => {
    if (stopping) return;
    stopping = true;
    stop().then(
      () => process.exit(0),
      (e: unknown) => {
        process.stderr.write(`jobflow: error while stopping: ${String(e)}\n`);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);
}

function writeDiscovery(d: Record<string, unknown>): void {
  writeFileSync(join(DATA, "jobflow-local.json"), JSON.stringify(d, null, 2) + "\n", { mode: 0o600 });
}

main().catch((e: unknown) => {
  process.stderr.write(`jobflow: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
