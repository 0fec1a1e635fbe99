// Starts Azurite (the official Azure Storage emulator, npm devDependency `azurite`) as a child process on
// 127.0.0.1 with ephemeral ports, for `npm start` and the integration tests. In memory unless a data folder is
// given. Returns once the blob endpoint answers; the child is killed by stop() and when this process exits.
import { spawn, type ChildProcess } from "node:child_process";
import http from "node:http";
import https from "node:https";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

/** Azurite's well-known development account (public, documented; not a secret). */
export const AZURITE_ACCOUNT_NAME = "devstoreaccount1";
export const AZURITE_ACCOUNT_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

export interface AzuriteOptions {
  /** Persist under this folder; omitted = in memory (gone on stop). */
  dataDir?: string;
  /** Also start Queue and Table (costs two more listeners in the same process). Default: blob only. */
  withQueueAndTable?: boolean;
  /** Give up waiting for Azurite after this long (default 30 s). */
  startTimeoutInMs?: number;
  /** Memory cap of in-memory blob content in MB (default 512). */
  extentMemoryLimitMB?: number;
  /** Serve HTTPS with this certificate (PEM); URLs become https://. Needed for bearer tokens. */
  tls?: { certPem: string; keyPem: string };
  /** Accept bearer tokens (Azurite's "basic" OAuth: claims are checked, signatures are not). Requires `tls`. */
  oauth?: boolean;
}

export interface AzuriteInstance {
  /** Process id of the Azurite child. */
  pid: number;
  blobUrl: string;
  queueUrl?: string;
  tableUrl?: string;
  connectionString: string;
  accountName: string;
  accountKey: string;
  stop(): Promise<void>;
}

const AZURITE_DIST = path.dirname(require.resolve("azurite/package.json"));

/** Batches Azurite's extent garbage collection (why: the file's header). Loaded before Azurite. */
export const AZURITE_GC_PATCH = path.join(__dirname, "azuriteExtentGc.cjs");
/** Indexes Azurite's blob metadata lookups (why: the file's header). Loaded before Azurite. */
export const AZURITE_BLOB_INDEX_PATCH = path.join(__dirname, "azuriteBlobIndex.cjs");
/** How the blob index patch says it stood down (Azurite then runs unpatched); repeated here as a warning. */
const STAND_DOWN_LINE = /^\[jobflow\] Azurite blob index patch stands down:.*$/m;

/** Runs as `node -e WATCHDOG <azurite script> <args…>`: process.argv then looks exactly like `node <script> <args…>`. */
const WATCHDOG = [
  "process.stdin.on('data', () => {});",
  "process.stdin.on('end', () => { process.kill(process.pid, 'SIGTERM'); setTimeout(() => process.exit(0), 5000).unref(); });",
  `require(${JSON.stringify(AZURITE_GC_PATCH)});`,
  `require(${JSON.stringify(AZURITE_BLOB_INDEX_PATCH)});`,
  "require(process.argv[1]);",
].join("\n");

export async function startAzurite(options: AzuriteOptions = {}): Promise<AzuriteInstance> {
  const all = options.withQueueAndTable === true;
  const script = path.join(AZURITE_DIST, "dist", "src", all ? "azurite.js" : path.join("blob", "main.js"));
  const args = [script, "--blobHost", "127.0.0.1", "--blobPort", "0"];
  if (all) args.push("--queueHost", "127.0.0.1", "--queuePort", "0", "--tableHost", "127.0.0.1", "--tablePort", "0");
  // --silent: no access log line per request (nobody reads it: the pipes are drained and dropped after start-up).
  args.push("--skipApiVersionCheck", "--loose", "--disableTelemetry", "--silent");
  if (options.oauth && !options.tls) throw new Error("startAzurite: oauth needs tls (Azurite accepts bearer tokens over HTTPS only)");
  let certDir: string | undefined;
  if (options.tls) {
    certDir = mkdtempSync(path.join(tmpdir(), "jobflow-azurite-tls-"));
    writeFileSync(path.join(certDir, "cert.pem"), options.tls.certPem);
    writeFileSync(path.join(certDir, "key.pem"), options.tls.keyPem, { mode: 0o600 });
    args.push("--cert", path.join(certDir, "cert.pem"), "--key", path.join(certDir, "key.pem"));
    if (options.oauth) args.push("--oauth", "basic");
  }
  const removeCertDir = (): void => {
    if (certDir) rmSync(certDir, { recursive: true, force: true });
  };
  if (options.dataDir) {
    mkdirSync(options.dataDir, { recursive: true });
    args.push("--location", options.dataDir);
  } else {
    args.push("--inMemoryPersistence", "--extentMemoryLimit", String(options.extentMemoryLimitMB ?? 512));
  }

  // Azurite runs under a tiny watchdog: it holds our end of a stdin pipe, so when this process dies in any way (even
  // SIGKILL, when no "exit" handler runs) the pipe closes and Azurite is told to shut down.
  const child = spawn(process.execPath, ["-e", WATCHDOG, ...args], {
    cwd: options.dataDir ?? AZURITE_DIST,
    stdio: ["pipe", "pipe", "pipe"],
    env: withoutCustomAccounts(process.env),
  });
  const killOnExit = (): void => {
    if (child.exitCode === null) child.kill("SIGKILL");
  };
  process.on("exit", killOnExit);

  try {
    const urls = await waitForListeners(child, all ? ["Blob", "Queue", "Table"] : ["Blob"], options.startTimeoutInMs ?? 30_000);
    const blobUrl = `${urls.Blob}/${AZURITE_ACCOUNT_NAME}`;
    await waitUntilAnswering(blobUrl, options.startTimeoutInMs ?? 30_000, options.tls?.certPem);
    const queueUrl = urls.Queue ? `${urls.Queue}/${AZURITE_ACCOUNT_NAME}` : undefined;
    const tableUrl = urls.Table ? `${urls.Table}/${AZURITE_ACCOUNT_NAME}` : undefined;
    const connectionString =
      [
        `DefaultEndpointsProtocol=${options.tls ? "https" : "http"}`,
        `AccountName=${AZURITE_ACCOUNT_NAME}`,
        `AccountKey=${AZURITE_ACCOUNT_KEY}`,
        `BlobEndpoint=${blobUrl}`,
        ...(queueUrl ? [`QueueEndpoint=${queueUrl}`] : []),
        ...(tableUrl ? [`TableEndpoint=${tableUrl}`] : []),
      ].join(";") + ";";
    return {
      pid: child.pid ?? -1,
      blobUrl,
      queueUrl,
      tableUrl,
      connectionString,
      accountName: AZURITE_ACCOUNT_NAME,
      accountKey: AZURITE_ACCOUNT_KEY,
      stop: async () => {
        process.off("exit", killOnExit);
        await stopChild(child);
        removeCertDir();
      },
    };
  } catch (err) {
    process.off("exit", killOnExit);
    await stopChild(child);
    removeCertDir();
    throw err;
  }
}

/** Reads Azurite's stdout until every service printed "… successfully listens on|listening at http://host:port". */
function waitForListeners(child: ChildProcess, services: string[], timeoutInMs: number): Promise<Record<string, string>> {
  return new Promise((resolve, reject) => {
    const urls: Record<string, string> = {};
    let output = "";
    const timer = setTimeout(() => fail(new Error(`Azurite did not start within ${timeoutInMs} ms:\n${output.slice(-2000)}`)), timeoutInMs);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString("utf8");
      for (const m of output.matchAll(
        /Azurite (Blob|Queue|Table) service (?:is )?successfully (?:listens on|listening at) (https?:\/\/[\d.]+:\d+)/g,
      )) {
        urls[m[1]] = m[2];
      }
      if (services.every((s) => urls[s])) {
        cleanup();
        const standDown = STAND_DOWN_LINE.exec(output);
        if (standDown) console.warn(standDown[0]);
        // Keep draining the pipes so Azurite never blocks on a full stdout.
        child.stdout?.resume();
        child.stderr?.resume();
        resolve(urls);
      }
    };
    const onExit = (code: number | null): void =>
      fail(new Error(`Azurite exited (code ${code}) before listening:\n${output.slice(-2000)}`));
    const cleanup = (): void => {
      clearTimeout(timer);
      child.stdout?.off("data", onData);
      child.stderr?.off("data", onData);
      child.off("exit", onExit);
    };
    const fail = (err: Error): void => {
      cleanup();
      reject(err);
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", onExit);
  });
}

/** Any HTTP answer (even 403 for an unsigned request) means the blob endpoint is up. */
async function waitUntilAnswering(url: string, timeoutInMs: number, caPem?: string): Promise<void> {
  const deadline = Date.now() + timeoutInMs;
  for (;;) {
    try {
      await answers(`${url}?comp=list`, caPem);
      return;
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`Azurite at ${url} does not answer: ${String(err)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

function answers(url: string, caPem: string | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const get = url.startsWith("https:") ? https.get : http.get;
    const req = get(url, { ca: caPem, timeout: 2000 }, (res) => {
      res.resume();
      res.on("end", () => resolve());
    });
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", reject);
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  // Closing the watchdog's stdin makes Azurite shut down gracefully (and lets its event loop end).
  child.stdin?.end();
  const timer = setTimeout(() => child.kill("SIGKILL"), 3000);
  await exited;
  clearTimeout(timer);
}

/** Azurite reads extra accounts from AZURITE_ACCOUNTS; ours must be the well-known default account only. */
function withoutCustomAccounts(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const copy = { ...env };
  delete copy.AZURITE_ACCOUNTS;
  return copy;
}
