// The console's API client: same-origin calls to /api/console/api/<route> with the session cookie (sent by the
// browser, HttpOnly) and, on state-changing calls, the CSRF token from GET session. Errors keep the API's
// problem+json (title, detail, problems with JSON pointers) so pages can show them as they are.
import { useEffect, useState } from "preact/hooks";

export const API_BASE = "/api/console/api";

export interface Session {
  user: string;
  role: "reader" | "operator";
  csrfToken: string;
  mode: "local" | "entra";
}

export interface Problem {
  pointer: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string | undefined,
    readonly problems: Problem[],
  ) {
    super(`${status} ${title}${detail ? `: ${detail}` : ""}`);
    this.name = "ApiError";
  }
}

let session: Session | undefined;

export async function loadSession(): Promise<Session> {
  session = await request<Session>("GET", "/session");
  return session;
}

async function request<T>(method: string, path: string, body?: string, contentType = "application/json"): Promise<T> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (method !== "GET") {
    headers["x-jobflow-csrf"] = session?.csrfToken ?? "";
    if (body !== undefined) headers["content-type"] = contentType;
  }
  const res = await fetch(`${API_BASE}${path}`, { method, headers, credentials: "same-origin", ...(body !== undefined ? { body } : {}) });
  const text = await res.text();
  if (!res.ok) {
    let parsed: { title?: string; detail?: string; problems?: Problem[] } = {};
    try {
      parsed = JSON.parse(text) as typeof parsed;
    } catch {
      parsed = { title: text || res.statusText };
    }
    throw new ApiError(res.status, parsed.title ?? res.statusText, parsed.detail, parsed.problems ?? []);
  }
  if (res.headers.get("content-type")?.includes("json")) return (text ? JSON.parse(text) : {}) as T;
  return text as T;
}

export const api = {
  get: <T>(path: string) => request<T>("GET", path),
  post: <T>(path: string, body?: unknown, raw = false) =>
    request<T>("POST", path, body === undefined ? undefined : raw ? String(body) : JSON.stringify(body)),
  del: <T>(path: string) => request<T>("DELETE", path),
};

export interface Polled<T> {
  data: T | undefined;
  error: Error | undefined;
  refresh: () => void;
}

/**
 * Loads `path` and reloads it every `intervalMs` while `live(data)` says something is in flight (or always when
 * no predicate is given), so pages follow running work without a manual reload.
 */
export function usePoll<T>(path: string | undefined, intervalMs = 2000, live?: (data: T) => boolean): Polled<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<Error | undefined>(undefined);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (!path) return undefined;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = async (): Promise<void> => {
      try {
        const value = await api.get<T>(path);
        if (stopped) return;
        setData(value);
        setError(undefined);
        if (!live || live(value)) timer = setTimeout(() => void load(), intervalMs);
      } catch (e) {
        if (stopped) return;
        setError(e as Error);
        timer = setTimeout(() => void load(), intervalMs * 2);
      }
    };
    void load();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    };
  }, [path, tick]);
  return { data, error, refresh: () => setTick((t) => t + 1) };
}

export function currentSession(): Session | undefined {
  return session;
}

/** Virtual-clock aware durations: "3 min 20 s". */
export function duration(fromIso: string | undefined, toIso: string | undefined): string {
  if (!fromIso) return "—";
  const ms = (toIso ? Date.parse(toIso) : Date.now()) - Date.parse(fromIso);
  if (!Number.isFinite(ms) || ms < 0) return "—";
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

export function time(iso: string | undefined | null): string {
  return iso ? iso.replace("T", " ").replace(/\.\d+Z$/, "Z") : "—";
}
