// Reading the retry hints Azure services send with 429/503, in the order the Azure SDK reads them.

/** Minimal header view shared by core-rest-pipeline's HttpHeaders and plain records. */
export interface HeaderLookup {
  get(name: string): string | undefined;
}

export function headerLookup(headers: unknown): HeaderLookup | undefined {
  if (headers === null || typeof headers !== "object") return undefined;
  const maybe = headers as { get?: unknown };
  if (typeof maybe.get === "function") {
    return { get: (name) => (maybe.get as (n: string) => string | undefined).call(headers, name) ?? undefined };
  }
  const record = headers as Record<string, unknown>;
  return {
    get: (name) => {
      const key = Object.keys(record).find((k) => k.toLowerCase() === name.toLowerCase());
      const v = key === undefined ? undefined : record[key];
      return typeof v === "string" ? v : undefined;
    },
  };
}

/**
 * Milliseconds to wait according to `retry-after-ms`, `x-ms-retry-after-ms` or `Retry-After` (seconds or HTTP date,
 * measured from `nowMs`); undefined when none is present or parseable.
 */
export function retryAfterInMs(headers: HeaderLookup | undefined, nowMs: number): number | undefined {
  if (!headers) return undefined;
  for (const name of ["retry-after-ms", "x-ms-retry-after-ms"]) {
    const v = headers.get(name);
    if (v !== undefined && v.trim() !== "") {
      const ms = Number(v);
      if (Number.isFinite(ms) && ms >= 0) return ms;
    }
  }
  const v = headers.get("retry-after");
  if (v === undefined || v.trim() === "") return undefined;
  const seconds = Number(v);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(v);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

export function hasRetryAfter(headers: HeaderLookup | undefined): boolean {
  return retryAfterInMs(headers, 0) !== undefined;
}
