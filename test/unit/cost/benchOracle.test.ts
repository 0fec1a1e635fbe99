// npm run bench:cost's pure parts: the oracle's keep-or-delete rule (bench/cost/oracle.ts), the trace's arrivals
// and policies, trace checking, and the delay percentiles (bench/cost/trace.ts, summary.ts).
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { oracle, type OracleJob } from "../../../bench/cost/oracle";
import { delays } from "../../../bench/cost/summary";
import { applyPolicy, arrivals, loadTrace, runTimeMs, type JobDoc, type Trace } from "../../../bench/cost/trace";
import type { PriceBook } from "../../../shared/cost/prices";

const MIN = 60_000;
const book: PriceBook = { source: "retail-prices-api", region: "westeurope", currency: "USD", perNodeHour: { e8v3: 0.6 } };
const nodes = [{ role: "workernode", vmSize: "Standard_E8_v3", count: 2 }];
const job = (atMin: number, runMin: number, profileKey = "p"): OracleJob => ({ atMs: atMin * MIN, runMs: runMin * MIN, profileKey, nodes });

describe("oracle: keep the cluster through a gap shorter than P + D, else delete and re-create just in time", () => {
  it.each<[string, OracleJob[], number, number]>([
    // [name, jobs, clusters, billed minutes per node] with P = 20, D = 5.
    ["one job: P + run + D", [job(0, 10)], 1, 35],
    ["gap 24 < 25: kept", [job(0, 10), job(34, 10)], 1, 20 + 44 + 5],
    ["gap 25 = P + D: re-created", [job(0, 10), job(35, 10)], 2, 35 + 35],
    ["overlapping jobs share one cluster", [job(0, 10), job(5, 10)], 1, 20 + 15 + 5],
    ["different profiles never share", [job(0, 10, "a"), job(0, 10, "b")], 2, 70],
  ])("%s", (_name, jobs, clusters, minutes) => {
    const r = oracle(jobs, 20 * MIN, 5 * MIN, book);
    expect(r.clustersCreated).toBe(clusters);
    expect(r.billedNodeMinutes).toBe(minutes * 2);
    expect(r.amount).toBeCloseTo((minutes * 2 * 0.6) / 60, 6);
  });

  it("bills started minutes", () => {
    expect(oracle([{ ...job(0, 0), runMs: 30_000 }], 20 * MIN, 5 * MIN, book).billedNodeMinutes).toBe(26 * 2);
  });
});

const step = (secs: number): Record<string, unknown> => ({
  id: "s",
  file: "abfss://c@a.dfs.core.windows.net/s.py",
  conf: { "spark.jobflow.sandbox.durationSeconds": String(secs) },
});
const doc: JobDoc = { name: "j", cluster: { profile: "default", reuse: "warm", keepWarmMinutes: 15 }, steps: [step(600), step(300)] };

describe("trace", () => {
  it("arrivals: schedule occurrences in the trace's window, in their time zone, and submissions, in order", () => {
    const trace: Trace = {
      name: "t",
      start: "2026-11-24T08:00:00Z",
      durationHours: 3,
      submissions: [{ atMinute: 5, job: doc }],
      schedules: [
        { id: "paris", cron: "0 30 10 * * *", timeZone: "Europe/Paris", job: doc },
        { id: "hourly", cron: "0 0 * * * *", timeZone: "UTC", job: doc },
      ],
    };
    expect(arrivals(trace).map((a) => `${new Date(a.atMs).toISOString().slice(11, 16)} ${a.kind}`)).toEqual([
      "08:00 scheduled",
      "08:05 adhoc",
      "09:00 scheduled",
      "09:30 scheduled",
      "10:00 scheduled",
    ]);
  });

  it("policies rewrite only the cluster policy; run time is the steps one at a time unless maxConcurrentSteps > 1", () => {
    expect(applyPolicy("emr", doc).cluster).toEqual({ profile: "default", reuse: "never", keepWarmMinutes: 0 });
    expect(applyPolicy("adf-ttl-30", doc).cluster).toEqual({
      profile: "default",
      reuse: "warm",
      keepWarmMinutes: 30,
      keepWarmPolicy: "fixed",
    });
    expect(applyPolicy("jobflow", doc)).toBe(doc);
    expect(runTimeMs(doc)).toBe(900_000);
    expect(runTimeMs({ ...doc, maxConcurrentSteps: 2 })).toBe(600_000);
  });

  it("loadTrace names every problem", () => {
    const file = join(mkdtempSync(join(tmpdir(), "trace-")), "bad.json");
    writeFileSync(
      file,
      JSON.stringify({
        name: "",
        start: "soon",
        durationHours: 0,
        schedules: [{ id: "x", cron: "0 * * * *", timeZone: "UTC", job: { name: "j", steps: [{ id: "s" }] } }],
        submissions: [{ atMinute: -1, job: doc }],
      }),
    );
    expect(() => loadTrace(file)).toThrow(
      /\/name[\s\S]*\/start[\s\S]*\/durationHours[\s\S]*\/schedules\/0\/cron[\s\S]*\/schedules\/0\/job\/steps\/0\/conf[\s\S]*\/submissions\/0\/atMinute/,
    );
  });

  it("the example traces load", () => {
    for (const f of ["hourly-etl", "bursty-adhoc"])
      expect(arrivals(loadTrace(join(__dirname, "../../../bench/traces", `${f}.json`))).length).toBeGreaterThan(3);
  });
});

describe("delay percentiles (nearest rank)", () => {
  it.each<[number[], ReturnType<typeof delays>]>([
    [[], { p50: null, p95: null, max: null }],
    [[3], { p50: 3, p95: 3, max: 3 }],
    [[1, 2, 3, 4], { p50: 2, p95: 4, max: 4 }],
    [[0.5, 20.123, 1], { p50: 1, p95: 20.12, max: 20.12 }],
  ])("%j", (values, expected) => {
    expect(delays(values)).toEqual(expected);
  });
});
