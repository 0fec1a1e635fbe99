// Crash/restart trials: a child process runs three multi-step orchestrations on the FileInstanceStore and is
// killed with SIGKILL just before a seeded store write (a put, a group commit, half a commit, a snapshot rename); a second process resumes from the files. Every
// instance must complete, and per activity (instance, name, input): runs = persisted completions + runs that
// were in flight at the crash (ran, completion not yet durable). So an activity whose completion was durable
// never runs again, and nothing runs more often than its retry policy allows.
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FileInstanceStore } from "../../../local/host/durable/fileStore";
import { EventType, type InstanceRecord } from "../../../local/host/durable/types";

const run = promisify(execFile);
const CHILD_SOURCE = path.resolve(__dirname, "../../fixtures/durableApp/crashChild.ts");
const TRIALS = 50;
const root = mkdtempSync(path.join(tmpdir(), "durable-crash-"));
const CHILD = path.join(root, "crashChild.cjs");

beforeAll(() => {
  // Bundle the child once (esbuild ships with tsx/vitest): ~50 process starts stay fast without tsx's loader.
  const esbuild = require("esbuild") as { buildSync(options: object): unknown };
  esbuild.buildSync({
    entryPoints: [CHILD_SOURCE],
    bundle: true,
    platform: "node",
    format: "cjs",
    outfile: CHILD,
    external: ["durable-functions", "@azure/functions"],
    logLevel: "error",
  });
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

interface ChildResult {
  killed: boolean;
  summary?: { writes: number; statuses: Record<string, string>; outputs: Record<string, string> };
}

async function child(dataDir: string, sideFile: string, killAt: number): Promise<ChildResult> {
  try {
    const { stdout } = await run(process.execPath, [CHILD, dataDir, sideFile, String(killAt)], {
      timeout: 30_000,
      env: { ...process.env, NODE_PATH: path.resolve(__dirname, "../../../node_modules") },
    });
    return { killed: false, summary: JSON.parse(stdout.trim().split("\n").pop() ?? "{}") as ChildResult["summary"] };
  } catch (err) {
    const e = err as { signal?: string; stderr?: string };
    if (e.signal === "SIGKILL") return { killed: true };
    throw new Error(`child failed: ${e.stderr ?? String(err)}`);
  }
}

/** Activity key → count, from the side file. */
function sideRuns(sideFile: string): Map<string, number> {
  const counts = new Map<string, number>();
  if (!existsSync(sideFile)) return counts;
  for (const line of readFileSync(sideFile, "utf8").split("\n").filter(Boolean)) counts.set(line, (counts.get(line) ?? 0) + 1);
  return counts;
}

/** Activity key → number of durable completions (history + inbox of the current execution). */
async function durableCompletions(dataDir: string): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  const store = new FileInstanceStore(dataDir);
  const records: InstanceRecord[] = await store.loadAll();
  await store.close();
  for (const r of records) {
    const events = [...r.history, ...r.inbox.filter((m) => !m.executionId || m.executionId === r.executionId).map((m) => m.event)];
    const keyById = new Map<number, string>();
    for (const e of r.history) {
      if (e.EventType !== EventType.TaskScheduled) continue;
      let value = e.Input ? (JSON.parse(e.Input) as unknown) : null;
      if (typeof value === "string") value = JSON.parse(value) as unknown; // the SDK's processInput layer
      keyById.set(e.EventId, `${r.instanceId}\t${e.Name}\t${JSON.stringify(value)}`);
    }
    for (const e of events) {
      if (e.EventType !== EventType.TaskCompleted && e.EventType !== EventType.TaskFailed) continue;
      const key = keyById.get(e.TaskScheduledId ?? -1);
      if (key) counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return counts;
}

function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe("crash/restart with SIGKILL at seeded points", () => {
  it(`${TRIALS} trials: every instance completes, no durable-completed activity runs again`, async () => {
    const calibrationDir = path.join(root, "calibration");
    const calibration = await child(calibrationDir, path.join(root, "calibration.side"), 0);
    const totalWrites = calibration.summary?.writes ?? 0;
    expect(totalWrites).toBeGreaterThan(20);
    const expectedOutputs = calibration.summary?.outputs;
    const random = mulberry32(20240101);
    // The write count varies a little between runs (episodes coalesce differently under load), so kill points are
    // drawn from the first three quarters of the calibrated run: every trial really crashes mid-run.
    const killRange = Math.max(1, Math.floor(totalWrites * 0.75));
    const killPoints = Array.from({ length: TRIALS }, () => 1 + Math.floor(random() * killRange));

    const trial = async (index: number): Promise<void> => {
      const dataDir = path.join(root, `trial-${index}`);
      const sideFile = path.join(root, `trial-${index}.side`);
      const first = await child(dataDir, sideFile, killPoints[index]);
      expect(first.killed, `trial ${index} (kill at write ${killPoints[index]}) was not killed`).toBe(true);
      const ranBeforeCrash = sideRuns(sideFile);
      const durableAtCrash = await durableCompletions(dataDir);
      const second = await child(dataDir, sideFile, 0);
      expect(Object.values(second.summary?.statuses ?? {})).toEqual(["Completed", "Completed", "Completed"]);
      expect(second.summary?.outputs).toEqual(expectedOutputs);
      const finalRuns = sideRuns(sideFile);
      const finalCompletions = await durableCompletions(dataDir);
      for (const [key, runs] of finalRuns) {
        const lostInFlight = (ranBeforeCrash.get(key) ?? 0) - (durableAtCrash.get(key) ?? 0);
        expect(lostInFlight, `${key}: a durable completion without a run`).toBeGreaterThanOrEqual(0);
        expect(runs, `trial ${index} ${key}`).toBe((finalCompletions.get(key) ?? 0) + lostInFlight);
        expect(finalCompletions.get(key) ?? 0, key).toBeLessThanOrEqual(key.includes("Flaky") ? 3 : 1);
      }
    };
    for (let i = 0; i < TRIALS; i += 4) await Promise.all([i, i + 1, i + 2, i + 3].filter((n) => n < TRIALS).map(trial));
  }, 600_000);
});
