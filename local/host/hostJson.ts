// The parts of host.json the local host honours, and `%SETTING%` indirection (binding expressions that read app
// settings, as in `schedule: "%JOBFLOW_REAPER_SCHEDULE%"` or `queueName: "%JOBFLOW_JOBS_QUEUE%"`).
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";

export interface HostJsonSettings {
  routePrefix: string;
  /** extensions.durableTask.hubName, `%SETTING%` already resolved; undefined when not set. */
  durableHubName?: string;
  maxConcurrentActivityFunctions?: number;
  maxConcurrentOrchestratorFunctions?: number;
  /** extensions.http.maxConcurrentRequests: HTTP functions executing at once (more wait); undefined = no limit. */
  maxConcurrentRequests?: number;
  /** extensions.http.maxOutstandingRequests: executing + waiting; more are refused with 429; undefined = no limit. */
  maxOutstandingRequests?: number;
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (typeof v === "object" && v !== null ? (v as Json) : {});
const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);
/** A host.json request limit: a positive whole number, else (-1, absent) none. */
const limit = (v: unknown): number | undefined => (typeof v === "number" && Number.isInteger(v) && v > 0 ? v : undefined);

/** Finds host.json in `startDir` or a parent folder; undefined when there is none. */
export function findHostJson(startDir: string): string | undefined {
  let dir = path.resolve(startDir);
  for (;;) {
    const candidate = path.join(dir, "host.json");
    if (existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** Reads host.json (or defaults when `file` is undefined). */
export function readHostJson(file: string | undefined, env: NodeJS.ProcessEnv = process.env): HostJsonSettings {
  const json = file ? obj(JSON.parse(readFileSync(file, "utf8"))) : {};
  const extensions = obj(json.extensions);
  const http = obj(extensions.http);
  const durable = obj(extensions.durableTask);
  return {
    routePrefix: typeof http.routePrefix === "string" ? http.routePrefix : "api",
    durableHubName: typeof durable.hubName === "string" ? resolveSettingExpression(durable.hubName, env) : undefined,
    maxConcurrentActivityFunctions: num(durable.maxConcurrentActivityFunctions),
    maxConcurrentOrchestratorFunctions: num(durable.maxConcurrentOrchestratorFunctions),
    maxConcurrentRequests: limit(http.maxConcurrentRequests),
    maxOutstandingRequests: limit(http.maxOutstandingRequests),
  };
}

/**
 * Replaces every `%NAME%` by the app setting NAME. A missing setting is an error, as in the Functions host
 * ("'%NAME%' does not resolve to a value").
 */
export function resolveSettingExpression(value: string, env: NodeJS.ProcessEnv = process.env): string {
  return value.replace(/%([^%]+)%/g, (_m, name: string) => {
    const v = env[name];
    if (v === undefined) throw new Error(`'%${name}%' does not resolve to a value.`);
    return v;
  });
}
