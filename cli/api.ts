// Finding the Jobflow API the remote commands talk to, in this order:
//   1. JOBFLOW_URL + JOBFLOW_KEY           a deployment, function key in `x-functions-key`
//   2. JOBFLOW_URL alone                   a deployment behind Entra ID: DefaultAzureCredential, scope JOBFLOW_SCOPE
//   3. the discovery file of `npm start`   `.data/local/jobflow-local.json` in the project folder (the cwd, or a
//                                          folder above it up to the one holding package.json)
// The discovery file also says how the local clock runs, so the CLI can say that times are sandbox time.
import { readFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";

/** Relative path of the discovery file under the project folder. */
export const DISCOVERY_FILE = join(".data", "local", "jobflow-local.json");

/** What `npm start` writes to the discovery file (the embedded runtime's contract). */
export interface LocalDiscovery {
  apiUrl: string;
  functionKey: string;
  sandboxUrl?: string;
  sandboxCa?: string;
  clock?: { mode: "scaled" | "manual" | "system"; speed?: number };
}

export type ApiAuth = { kind: "functionKey"; key: string } | { kind: "entra"; scope: string };

export interface ApiTarget {
  /** Base URL without the `/api` prefix, no trailing slash, e.g. "http://127.0.0.1:7071". */
  baseUrl: string;
  auth: ApiAuth;
  /** Where the target came from: environment variables or the local discovery file (its path). */
  source: { kind: "env" } | { kind: "discovery"; file: string };
  /** The local runtime's clock (discovery only): job timestamps are sandbox (virtual) time. */
  clock?: LocalDiscovery["clock"];
}

/** The CLI cannot tell where the API is, or the discovery file is unusable. */
export class ApiConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ApiConfigError";
  }
}

export const NO_API_MESSAGE =
  "no Jobflow API found: start the local runtime with `npm start`, or set JOBFLOW_URL and JOBFLOW_KEY " +
  "(or JOBFLOW_URL and JOBFLOW_SCOPE for Entra ID sign-in)";

export interface ResolveApiTargetOptions {
  env: Record<string, string | undefined>;
  /** Folder to start the discovery file search from (default: process.cwd()). */
  cwd?: string;
}

/** Works out which API to call; throws ApiConfigError with a message that says what to do. */
export async function resolveApiTarget(options: ResolveApiTargetOptions): Promise<ApiTarget> {
  const { env } = options;
  const url = env.JOBFLOW_URL?.trim();
  if (url) {
    const baseUrl = normalizeBaseUrl(url, "JOBFLOW_URL");
    const key = env.JOBFLOW_KEY?.trim();
    if (key) return { baseUrl, auth: { kind: "functionKey", key }, source: { kind: "env" } };
    const scope = env.JOBFLOW_SCOPE?.trim();
    if (!scope) {
      throw new ApiConfigError(
        "JOBFLOW_URL is set but neither JOBFLOW_KEY (a function key) nor JOBFLOW_SCOPE (Entra ID sign-in, e.g. api://<app-id>/.default) is",
      );
    }
    return { baseUrl, auth: { kind: "entra", scope }, source: { kind: "env" } };
  }
  const file = findDiscoveryFile(options.cwd ?? process.cwd());
  if (!file) throw new ApiConfigError(NO_API_MESSAGE);
  const discovery = parseDiscovery(await readFile(file, "utf8"), file);
  const target: ApiTarget = {
    baseUrl: normalizeBaseUrl(discovery.apiUrl, `apiUrl in ${file}`),
    auth: { kind: "functionKey", key: discovery.functionKey },
    source: { kind: "discovery", file },
  };
  if (discovery.clock) target.clock = discovery.clock;
  return target;
}

/**
 * The discovery file for a folder: `<dir>/.data/local/jobflow-local.json` for the folder itself and each folder
 * above it, stopping after the first folder that holds a package.json (the project root). Undefined if none.
 */
export function findDiscoveryFile(cwd: string): string | undefined {
  let dir = cwd;
  for (;;) {
    const candidate = join(dir, DISCOVERY_FILE);
    if (existsSync(candidate)) return candidate;
    if (existsSync(join(dir, "package.json"))) return undefined;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** Parses and checks the discovery file; a broken file is an ApiConfigError naming the file. */
export function parseDiscovery(text: string, file: string): LocalDiscovery {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new ApiConfigError(`${file} is not JSON (${(err as Error).message}); restart \`npm start\``);
  }
  const d = value as Partial<LocalDiscovery> | null;
  if (!d || typeof d !== "object" || typeof d.apiUrl !== "string" || typeof d.functionKey !== "string" || d.functionKey === "") {
    throw new ApiConfigError(`${file} lacks apiUrl or functionKey; restart \`npm start\``);
  }
  const out: LocalDiscovery = { apiUrl: d.apiUrl, functionKey: d.functionKey };
  if (typeof d.sandboxUrl === "string") out.sandboxUrl = d.sandboxUrl;
  if (typeof d.sandboxCa === "string") out.sandboxCa = d.sandboxCa;
  const clock = d.clock as { mode?: unknown; speed?: unknown } | undefined;
  if (clock && typeof clock === "object" && (clock.mode === "scaled" || clock.mode === "manual" || clock.mode === "system")) {
    out.clock = { mode: clock.mode };
    if (typeof clock.speed === "number" && Number.isFinite(clock.speed) && clock.speed >= 0) out.clock.speed = clock.speed;
  }
  return out;
}

function normalizeBaseUrl(raw: string, what: string): string {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new ApiConfigError(`${what} is not a URL: ${raw}`);
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") throw new ApiConfigError(`${what} must be http(s): ${raw}`);
  // Accept both "https://app.azurewebsites.net" and ".../api": routes are added with the /api prefix.
  const path = u.pathname.replace(/\/+$/, "").replace(/\/api$/, "");
  return `${u.origin}${path}`;
}

/** One line saying what time the job timestamps are in, or undefined for a deployment (real UTC time). */
export function clockNote(target: ApiTarget): string | undefined {
  if (target.source.kind !== "discovery") return undefined;
  const c = target.clock;
  const how =
    c?.mode === "scaled"
      ? `scaled clock, ${c.speed ?? 1}× real time`
      : c?.mode === "manual"
        ? "manual clock, advanced by tests"
        : "clock mode unknown";
  return `local runtime: timestamps are sandbox (virtual) time (${how})`;
}

/** How fast server time runs relative to wall time (1 for a deployment, 0 for a manual clock). */
export function serverClockSpeed(target: ApiTarget): number {
  const c = target.clock;
  if (target.source.kind !== "discovery" || !c || c.mode === "system") return 1;
  if (c.mode === "manual") return 0;
  return c.speed ?? 1;
}
