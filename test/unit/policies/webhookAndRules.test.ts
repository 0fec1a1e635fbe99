import { describe, expect, it } from "vitest";
import { createHmac } from "node:crypto";
import {
  SIGNATURE_HEADERS,
  callerSecretName,
  signPayload,
  signedHeaders,
  verifySignedRequest,
} from "../../../shared/policies/webhookSignature";
import { LEASE_LIMITS, parseLeaseRequest, parseRenewRequest, renewedExpiryMs } from "../../../shared/policies/leaseRules";
import { nextOccurrence, occurrenceKey, scheduleProblems } from "../../../shared/policies/scheduleRules";

const NOW = Date.parse("2026-11-21T12:00:00Z");
const SECRET = "s3cr3t-value";
const headersOf = (h: Record<string, string>) => ({ get: (n: string) => h[n.toLowerCase()] ?? null });
const verify = (h: Record<string, string>, body: string, nowMs = NOW) =>
  verifySignedRequest({
    headers: headersOf(h),
    body,
    nowMs,
    allowedCallers: ["airflow"],
    secretFor: async (c) => (c === "airflow" ? SECRET : undefined),
  });

describe("webhook signatures", () => {
  it("signs <timestamp>.<body> with HMAC-SHA256, as a receiver can recompute", () => {
    const expected = createHmac("sha256", SECRET).update(`1700000000.{"a":1}`).digest("hex");
    expect(signPayload(SECRET, 1700000000, `{"a":1}`)).toBe(`sha256=${expected}`);
    expect(callerSecretName("airflow")).toBe("webhook-airflow");
  });

  it("accepts a fresh correct signature and gives a stable signature id", async () => {
    const body = `{"profile":"default"}`;
    const h = signedHeaders(SECRET, "airflow", NOW, body);
    const a = await verify(h, body);
    const b = await verify(h, body, NOW + 60_000);
    expect(a.ok && b.ok && a.signatureId === b.signatureId).toBe(true);
  });

  it.each([
    ["a tampered body", (h: Record<string, string>) => h, `{"profile":"big"}`, 401],
    ["a wrong secret", () => signedHeaders("other", "airflow", NOW, "{}"), "{}", 401],
    ["a stale timestamp (6 minutes old)", () => signedHeaders(SECRET, "airflow", NOW - 6 * 60_000, "{}"), "{}", 401],
    ["a timestamp from the future", () => signedHeaders(SECRET, "airflow", NOW + 6 * 60_000, "{}"), "{}", 401],
    ["an unknown caller", () => signedHeaders(SECRET, "mallory", NOW, "{}"), "{}", 403],
    ["missing headers", () => ({}), "{}", 401],
    [
      "a malformed signature",
      () => ({ ...signedHeaders(SECRET, "airflow", NOW, "{}"), [SIGNATURE_HEADERS.signature]: "md5=abc" }),
      "{}",
      401,
    ],
    [
      "a non-numeric timestamp",
      () => ({ ...signedHeaders(SECRET, "airflow", NOW, "{}"), [SIGNATURE_HEADERS.timestamp]: "yesterday" }),
      "{}",
      401,
    ],
  ])("refuses %s", async (_name, make, body, status) => {
    const h = make(signedHeaders(SECRET, "airflow", NOW, "{}"));
    const r = await verify(h, body);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.status).toBe(status);
  });

  it("refuses an allowed caller whose secret is missing", async () => {
    const r = await verifySignedRequest({
      headers: headersOf(signedHeaders(SECRET, "airflow", NOW, "{}")),
      body: "{}",
      nowMs: NOW,
      allowedCallers: ["airflow"],
      secretFor: async () => undefined,
    });
    expect(r).toMatchObject({ ok: false, status: 403 });
  });
});

const PUBLIC_ONLY = { allowHosts: [], ownHosts: [] };
const LOCAL_RECEIVER = { allowHosts: ["127.0.0.1:4000"], ownHosts: [] };

describe("lease rules", () => {
  const good = { profile: "default", overrides: { workerCount: 3 }, durationMinutes: 120, callbackUrl: "https://hooks.example.net/x" };
  it("accepts a valid request and defaults overrides", () => {
    expect(parseLeaseRequest(good, { outbound: PUBLIC_ONLY })).toMatchObject({ ok: true, request: good });
    const { overrides: _o, ...noOverrides } = good;
    expect(parseLeaseRequest(noOverrides, { outbound: PUBLIC_ONLY })).toMatchObject({ ok: true, request: { overrides: {} } });
  });
  it("names every problem", () => {
    const r = parseLeaseRequest(
      { profile: "Bad Name", overrides: { workerCount: "x" }, durationMinutes: 99999, callbackUrl: "http://evil.example.net", extra: 1 },
      { outbound: LOCAL_RECEIVER },
    );
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.problems.map((p) => p.pointer).sort()).toEqual([
        "/callbackUrl",
        "/durationMinutes",
        "/extra",
        "/overrides/workerCount",
        "/profile",
      ]);
  });
  it("allows a loopback receiver only when allow-listed (host:port), never internal targets otherwise", () => {
    const local = { ...good, callbackUrl: "http://127.0.0.1:4000/cb" };
    expect(parseLeaseRequest(local, { outbound: LOCAL_RECEIVER }).ok).toBe(true);
    expect(parseLeaseRequest(local, { outbound: PUBLIC_ONLY }).ok).toBe(false);
    expect(parseLeaseRequest({ ...good, callbackUrl: "http://127.0.0.1:4001/cb" }, { outbound: LOCAL_RECEIVER }).ok).toBe(false); // other port
    for (const url of [
      "https://127.0.0.1/cb",
      "https://169.254.169.254/latest/meta-data",
      "https://10.0.0.4/x",
      "https://172.16.3.4/x",
      "https://[fe80::1]/x",
      "https://localhost/x",
    ]) {
      const r = parseLeaseRequest({ ...good, callbackUrl: url }, { outbound: PUBLIC_ONLY });
      expect(r.ok, url).toBe(false);
      if (!r.ok) expect(r.problems[0].pointer).toBe("/callbackUrl");
    }
    // The app's own host is refused even when allow-listed.
    expect(
      parseLeaseRequest(
        { ...good, callbackUrl: "http://127.0.0.1:7071/durabletask/instances" },
        { outbound: { allowHosts: ["127.0.0.1"], ownHosts: ["127.0.0.1:7071"] } },
      ).ok,
    ).toBe(false);
    expect(parseLeaseRequest({ ...good, callbackUrl: "https://u:p@x.example.net" }, { outbound: PUBLIC_ONLY }).ok).toBe(false);
    expect(parseLeaseRequest("junk", { outbound: PUBLIC_ONLY }).ok).toBe(false);
  });
  it("renews from now, clipped to the hard cap, never shortening", () => {
    const cap = NOW + 600 * 60_000;
    expect(renewedExpiryMs(NOW, NOW + 10 * 60_000, 60, cap)).toBe(NOW + 60 * 60_000);
    expect(renewedExpiryMs(NOW, NOW + 90 * 60_000, 60, cap)).toBe(NOW + 90 * 60_000);
    expect(renewedExpiryMs(NOW, NOW + 10 * 60_000, LEASE_LIMITS.maxDurationMinutes, cap)).toBe(cap);
    expect(parseRenewRequest({ durationMinutes: 30 })).toEqual({ ok: true, durationMinutes: 30 });
    expect(parseRenewRequest({ durationMinutes: 1 }).ok).toBe(false);
    expect(parseRenewRequest(null).ok).toBe(false);
  });
});

describe("schedule rules", () => {
  it("accepts 5- and 6-field cron with an IANA zone, refuses the rest", () => {
    expect(scheduleProblems({ cron: "0 9 * * *", timezone: "Europe/Paris" })).toEqual([]);
    expect(scheduleProblems({ cron: "0 0 9 * * MON-FRI", timezone: "UTC" })).toEqual([]);
    expect(scheduleProblems({ cron: "0 9 * *", timezone: "Europe/Paris" }).map((p) => p.pointer)).toEqual(["/cron"]);
    expect(scheduleProblems({ cron: "0 99 * * *", timezone: "Europe/Paris" }).map((p) => p.pointer)).toEqual(["/cron"]);
    expect(scheduleProblems({ cron: "0 9 * * *", timezone: "Mars/Olympus" }).map((p) => p.pointer)).toEqual(["/timezone"]);
    expect(scheduleProblems({}).map((p) => p.pointer)).toEqual(["/timezone", "/cron"]);
  });
  it("keeps local wall time across daylight-saving changes", () => {
    const def = { cron: "0 9 * * *", timezone: "Europe/Paris" };
    // 2026-10-25 03:00 CEST → 02:00 CET: 09:00 local is 07:00Z before, 08:00Z after.
    const a = nextOccurrence(def, "2026-10-23T12:00:00Z") as string;
    const b = nextOccurrence(def, a) as string;
    const c = nextOccurrence(def, b) as string;
    expect([a, b, c]).toEqual(["2026-10-24T07:00:00.000Z", "2026-10-25T08:00:00.000Z", "2026-10-26T08:00:00.000Z"]);
  });
  it("runs a repeated fall-back time once and a spring-forward gap time an hour later, once", () => {
    const def = { cron: "30 2 * * *", timezone: "Europe/Paris" };
    const chain = (after: string, n: number): string[] => {
      const out: string[] = [];
      for (let i = 0; i < n; i++) out.push((after = nextOccurrence(def, after) as string));
      return out;
    };
    // 2026-10-25: 02:30 happens twice (CEST then CET): one run, at 02:30 CET.
    expect(chain("2026-10-24T12:00:00Z", 3)).toEqual(["2026-10-25T01:30:00.000Z", "2026-10-26T01:30:00.000Z", "2026-10-27T01:30:00.000Z"]);
    // 2026-03-29: 02:30 does not exist (02:00 CET → 03:00 CEST): it runs at 03:30 CEST, then 02:30 CEST again.
    expect(chain("2026-03-28T12:00:00Z", 3)).toEqual(["2026-03-29T01:30:00.000Z", "2026-03-30T00:30:00.000Z", "2026-03-31T00:30:00.000Z"]);
  });
  it("uses standard cron semantics: a restricted day-of-month OR day-of-week", () => {
    expect(nextOccurrence({ cron: "0 0 13 * FRI", timezone: "UTC" }, "2026-11-01T00:00:00Z")).toBe("2026-11-06T00:00:00.000Z");
  });
  it("derives a 64-character-safe idempotency key per occurrence", () => {
    const key = occurrenceKey("s-0123456789ab", "2026-10-25T08:00:00.000Z");
    expect(key).toBe("s-0123456789ab@2026-10-25T08:00:00.000Z");
    expect(/^[\x21-\x7e]{1,64}$/.test(key)).toBe(true);
  });
});
