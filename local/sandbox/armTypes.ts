// The shapes ARM route handlers share: a parsed request in, a JSON reply out (the server writes and logs it).
import type { VirtualClock } from "../clock/virtualClock";
import type { Headers } from "./http";

export interface ArmRequest {
  method: string;
  /** Decoded path without query, e.g. /subscriptions/s/resourceGroups/rg/providers/Microsoft.HDInsight/clusters/c1. */
  path: string;
  query: URLSearchParams;
  body: unknown;
  principal: string;
  /** https://127.0.0.1:PORT as the client reached us, for absolute URLs in headers and nextLink. */
  baseUrl: string;
  apiVersion: string;
}

export interface ArmReply {
  status: number;
  body?: unknown;
  headers?: Headers;
}

/** Scenario settings: how long things take and how the sandbox paginates. Persisted; changeable over HTTP. */
export interface ScenarioSettings {
  /** Virtual ms from PUT to Running (default 20 minutes). */
  provisioningDurationMs: number;
  /** Virtual ms from DELETE to 404 (default 5 minutes). */
  deleteDurationMs: number;
  /** Items per list page before a nextLink (default 20). */
  pageSize: number;
  /** Real seconds advertised in Retry-After on long-running operation replies. */
  lroRetryAfterSeconds: number;
  /** Location used when a create body omits one (the spec's examples do). */
  defaultLocation: string;
}

export const DEFAULT_SETTINGS: Omit<ScenarioSettings, "lroRetryAfterSeconds"> = {
  provisioningDurationMs: 20 * 60_000,
  deleteDurationMs: 5 * 60_000,
  pageSize: 20,
  defaultLocation: "westeurope",
};

export interface ArmContext {
  clock: VirtualClock;
  settings: ScenarioSettings;
  /** Converts virtual seconds to the real seconds a client should wait (Retry-After is read against real time). */
  realSeconds(virtualSeconds: number): number;
}

export function newId(): string {
  return crypto.randomUUID();
}
