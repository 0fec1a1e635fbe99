// Compute leases ("give me a cluster for 2 h"): request validation and the expiry arithmetic the lease orchestration
// uses. Pure, so the orchestration can import it. A lease can never outlive its cluster's hard cap
// (maxTotalMinutes from its request time): renewals are clipped, so a caller that keeps renewing, or sends junk,
// cannot keep a cluster alive past it.
import type { Problem } from "../errors";
import type { ProfileOverrides } from "../model/job";
import { overridesSchema } from "../profiles";
import { ajvProblems, compileSchema } from "../spec/ajv";
import { outboundUrlRefusal, type OutboundPolicy } from "../security/outboundUrl";

export const LEASE_LIMITS = {
  minDurationMinutes: 5,
  maxDurationMinutes: 24 * 60,
  /** Hard cap of a lease including renewals (also the cluster's max lifetime). */
  maxTotalMinutes: 24 * 60,
  maxCallbackUrlLength: 2048,
} as const;

export interface LeaseRequest {
  profile: string;
  overrides: ProfileOverrides;
  durationMinutes: number;
  callbackUrl: string;
}

const overridesValid = compileSchema(overridesSchema);

function durationProblems(value: unknown, pointer: string): Problem[] {
  if (
    typeof value !== "number" ||
    !Number.isInteger(value) ||
    value < LEASE_LIMITS.minDurationMinutes ||
    value > LEASE_LIMITS.maxDurationMinutes
  ) {
    return [
      { pointer, message: `must be an integer number of minutes, ${LEASE_LIMITS.minDurationMinutes}-${LEASE_LIMITS.maxDurationMinutes}` },
    ];
  }
  return [];
}

/**
 * Validates a lease request body. The callback must be a public https endpoint (security/outboundUrl.ts); hosts
 * on the policy's allow-list (local test receivers) may use http.
 */
export function parseLeaseRequest(
  body: unknown,
  options: { outbound: OutboundPolicy },
): { ok: true; request: LeaseRequest } | { ok: false; problems: Problem[] } {
  if (typeof body !== "object" || body === null || Array.isArray(body))
    return { ok: false, problems: [{ pointer: "", message: "body must be a JSON object" }] };
  const b = body as Record<string, unknown>;
  const problems: Problem[] = [];
  for (const key of Object.keys(b)) {
    if (!["profile", "overrides", "durationMinutes", "callbackUrl"].includes(key))
      problems.push({ pointer: `/${key}`, message: "unknown property" });
  }
  if (typeof b.profile !== "string" || !/^[a-z0-9][a-z0-9-]{0,39}$/.test(b.profile))
    problems.push({ pointer: "/profile", message: "required: a cluster profile name" });
  const overrides = b.overrides ?? {};
  if (!overridesValid(overrides)) problems.push(...ajvProblems(overridesValid.errors, "/overrides"));
  problems.push(...durationProblems(b.durationMinutes, "/durationMinutes"));
  problems.push(...callbackProblems(b.callbackUrl, options.outbound));
  if (problems.length) return { ok: false, problems };
  return {
    ok: true,
    request: {
      profile: b.profile as string,
      overrides: overrides as ProfileOverrides,
      durationMinutes: b.durationMinutes as number,
      callbackUrl: b.callbackUrl as string,
    },
  };
}

function callbackProblems(value: unknown, outbound: OutboundPolicy): Problem[] {
  const pointer = "/callbackUrl";
  if (typeof value !== "string" || value.length > LEASE_LIMITS.maxCallbackUrlLength)
    return [{ pointer, message: "required: an https URL" }];
  const why = outboundUrlRefusal(value, outbound);
  return why ? [{ pointer, message: why }] : [];
}

/** Body of renew: `{durationMinutes}` counted from now. */
export function parseRenewRequest(body: unknown): { ok: true; durationMinutes: number } | { ok: false; problems: Problem[] } {
  if (typeof body !== "object" || body === null || Array.isArray(body))
    return { ok: false, problems: [{ pointer: "", message: "body must be a JSON object" }] };
  const problems = durationProblems((body as Record<string, unknown>).durationMinutes, "/durationMinutes");
  return problems.length ? { ok: false, problems } : { ok: true, durationMinutes: (body as { durationMinutes: number }).durationMinutes };
}

/** New expiry for a renew at `nowMs`: now + duration, never past the hard cap, never earlier than the current expiry. */
export function renewedExpiryMs(nowMs: number, currentExpiryMs: number, durationMinutes: number, hardCapMs: number): number {
  return Math.min(hardCapMs, Math.max(currentExpiryMs, nowMs + durationMinutes * 60_000));
}

export type { LeaseState } from "../states/lease";

/** Commands raised on a lease orchestration (event `leaseCommand`). */
export type LeaseCommand = { type: "renew"; durationMinutes: number; requestedAt: string } | { type: "release"; requestedAt: string };
