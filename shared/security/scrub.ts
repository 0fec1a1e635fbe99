// The generic scrubber: whatever an activity read from the secret store is removed from anything it records —
// its error (which becomes the job record's error, the jobflow.job.failed event and the host log line) and its
// result (which goes into orchestration history). A backstop: code must not put secret material into messages in
// the first place (fixed messages name the secret, never its value). Pure.

const URL_SECRET_QUERY = /([?&](?:sig|code|token|password|secret|skoid|sktid|skv|sks|ske|skt)=)[^&\s"']+/gi;

/** `text` with SAS signatures, function keys and tokens in URL query strings cut out (for logs, spans, records). */
export function cutUrlSecrets(text: string): string {
  return text.replace(URL_SECRET_QUERY, "$1REDACTED");
}

/** What replaces a secret value. */
export const REDACTED = "[redacted]";

/** Values shorter than this are not scrubbed (replacing "true" or "1" everywhere would garble, not protect). */
export const MIN_SCRUB_LENGTH = 6;

/**
 * The strings of a secret value worth scrubbing: the value itself and, for a JSON object secret (S3 keys), each
 * string field. Longest first, so a value containing another is replaced whole.
 */
export function secretStrings(value: string): string[] {
  const out = new Set<string>([value]);
  try {
    const parsed = JSON.parse(value) as unknown;
    if (typeof parsed === "object" && parsed !== null) {
      for (const v of Object.values(parsed as Record<string, unknown>)) if (typeof v === "string") out.add(v);
    }
  } catch {
    // not JSON: the value alone
  }
  return [...out].filter((s) => s.length >= MIN_SCRUB_LENGTH).sort((a, b) => b.length - a.length);
}

/** `text` with every occurrence of each secret string (and its JSON-escaped form) replaced by REDACTED. */
export function scrubText(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) {
    out = out.split(s).join(REDACTED);
    const escaped = JSON.stringify(s).slice(1, -1);
    if (escaped !== s) out = out.split(escaped).join(REDACTED);
  }
  return out;
}

/** A deep copy of `value` with every string scrubbed (plain objects and arrays; other objects kept as they are). */
export function scrubDeep<T>(value: T, secrets: readonly string[]): T {
  if (secrets.length === 0) return value;
  const walk = (v: unknown, depth: number): unknown => {
    if (typeof v === "string") return scrubText(v, secrets);
    if (depth > 32 || typeof v !== "object" || v === null) return v;
    if (Array.isArray(v)) return v.map((x) => walk(x, depth + 1));
    if (Object.getPrototypeOf(v) !== Object.prototype) return v;
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [scrubText(k, secrets), walk(x, depth + 1)]));
  };
  return walk(value, 0) as T;
}

/** The same error (name kept) with message and stack scrubbed; a non-Error becomes an Error with a scrubbed text. */
export function scrubError(err: unknown, secrets: readonly string[]): unknown {
  if (secrets.length === 0) return err;
  if (err instanceof Error) {
    err.message = scrubText(err.message, secrets);
    if (err.stack) err.stack = scrubText(err.stack, secrets);
    const cause = (err as { cause?: unknown }).cause;
    if (cause !== undefined) (err as { cause?: unknown }).cause = scrubError(cause, secrets);
    return err;
  }
  return typeof err === "string" ? scrubText(err, secrets) : scrubDeep(err, secrets);
}
