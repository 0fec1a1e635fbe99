// HMAC-SHA256 webhook signatures, both directions: requests other systems send us (compute leases) and the
// callbacks/notifications we send them. The signed text is `<timestamp>.<raw body>` (timestamp = Unix seconds,
// as Stripe and Slack do), so a captured body cannot be replayed under a fresh timestamp; the receiver refuses a
// timestamp outside the window and remembers signatures it has accepted within it (replay protection).
// Node's crypto makes this module I/O-side only (activities, HTTP routes); the names and headers orchestrations
// need are in ./webhookNames.ts, which is pure.
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { SIGNATURE_HEADERS, SIGNATURE_WINDOW_SECONDS, isValidCallerId } from "./webhookNames";

export { SIGNATURE_HEADERS, SIGNATURE_WINDOW_SECONDS, callerSecretName, isValidCallerId } from "./webhookNames";

/** `sha256=<hex>` over `<timestamp>.<body>`. */
export function signPayload(secret: string, timestampSeconds: number, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(`${timestampSeconds}.${body}`, "utf8").digest("hex")}`;
}

/** Headers for an outgoing signed request. */
export function signedHeaders(secret: string, caller: string, nowMs: number, body: string): Record<string, string> {
  const ts = Math.floor(nowMs / 1000);
  return {
    [SIGNATURE_HEADERS.caller]: caller,
    [SIGNATURE_HEADERS.timestamp]: String(ts),
    [SIGNATURE_HEADERS.signature]: signPayload(secret, ts, body),
  };
}

export type SignatureCheck =
  { ok: true; caller: string; timestampSeconds: number; signatureId: string } | { ok: false; status: 401 | 403; reason: string };

export interface VerifyOptions {
  headers: { get(name: string): string | null };
  body: string;
  nowMs: number;
  allowedCallers: readonly string[];
  /** The caller's secret (read from the secret store by the caller of this function); undefined = none. */
  secretFor(caller: string): Promise<string | undefined>;
  windowSeconds?: number;
}

/**
 * Checks caller, timestamp window and signature, in that order, without revealing which part of a signature was
 * wrong. Returns a signatureId (hash of the signature) for the replay store. Does not check replays itself.
 */
export async function verifySignedRequest(options: VerifyOptions): Promise<SignatureCheck> {
  const caller = options.headers.get(SIGNATURE_HEADERS.caller) ?? "";
  const tsText = options.headers.get(SIGNATURE_HEADERS.timestamp) ?? "";
  const signature = options.headers.get(SIGNATURE_HEADERS.signature) ?? "";
  if (!caller || !tsText || !signature) {
    return {
      ok: false,
      status: 401,
      reason: `missing ${SIGNATURE_HEADERS.caller}, ${SIGNATURE_HEADERS.timestamp} or ${SIGNATURE_HEADERS.signature} header`,
    };
  }
  if (!isValidCallerId(caller) || !options.allowedCallers.includes(caller))
    return { ok: false, status: 403, reason: `caller '${caller.slice(0, 64)}' is not allowed` };
  if (!/^\d{1,12}$/.test(tsText)) return { ok: false, status: 401, reason: "timestamp must be Unix seconds" };
  const ts = Number(tsText);
  const window = options.windowSeconds ?? SIGNATURE_WINDOW_SECONDS;
  if (Math.abs(options.nowMs / 1000 - ts) > window)
    return { ok: false, status: 401, reason: `timestamp outside the ${window}-second window` };
  const m = /^sha256=([0-9a-f]{64})$/.exec(signature);
  if (!m) return { ok: false, status: 401, reason: "signature must be sha256=<64 hex digits>" };
  const secret = await options.secretFor(caller);
  if (secret === undefined) return { ok: false, status: 403, reason: `no secret configured for caller '${caller}'` };
  const expected = Buffer.from(signPayload(secret, ts, options.body).slice("sha256=".length), "hex");
  const given = Buffer.from(m[1], "hex");
  if (!timingSafeEqual(expected, given)) return { ok: false, status: 401, reason: "signature does not match" };
  return { ok: true, caller, timestampSeconds: ts, signatureId: createHash("sha256").update(m[1]).digest("hex").slice(0, 32) };
}
