// Service Bus crash trials: a child process runs the in-process bus on a data folder (journal + frequent snapshots)
// and is SIGKILLed at a seeded operation; the state restored from the folder must hold exactly what was
// acknowledged: every sent message not yet completed is still there (once), every completed one is gone, dead
// letters and published topic entries survive, delivery counts are never lost. A second child then drains the
// queues: every message ends completed or dead-lettered, none is completed twice.
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { VirtualClock } from "../../../local/clock/virtualClock";
import { HostLogger } from "../../../local/host/log";
import { ServiceBusEmulator } from "../../../local/host/serviceBus";

const run = promisify(execFile);
const CHILD_SOURCE = path.resolve(__dirname, "../../fixtures/serviceBusCrash/busChild.ts");
const TRIALS = 12;
const root = mkdtempSync(path.join(tmpdir(), "sb-crash-"));
const CHILD = path.join(root, "busChild.cjs");

beforeAll(() => {
  const esbuild = require("esbuild") as { buildSync(options: object): unknown };
  esbuild.buildSync({ entryPoints: [CHILD_SOURCE], bundle: true, platform: "node", format: "cjs", outfile: CHILD, logLevel: "error" });
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function child(
  dataDir: string,
  sideFile: string,
  killAt: number,
  mode: "run" | "drain",
): Promise<{ killed: boolean; operations?: number }> {
  try {
    const { stdout } = await run(process.execPath, [CHILD, dataDir, sideFile, String(killAt), mode], { timeout: 60_000 });
    return { killed: false, operations: (JSON.parse(stdout.trim()) as { operations: number }).operations };
  } catch (err) {
    const e = err as { signal?: string; stderr?: string };
    if (e.signal === "SIGKILL") return { killed: true };
    throw new Error(`child failed: ${e.stderr ?? String(err)}`);
  }
}

function sideLines(sideFile: string): string[][] {
  return existsSync(sideFile)
    ? readFileSync(sideFile, "utf8")
        .split("\n")
        .filter(Boolean)
        .map((l) => l.split(" "))
    : [];
}
const count = (lines: string[][], kind: string, id: string): number => lines.filter((l) => l[0] === kind && l[1] === id).length;

/** The bus as a restarted host sees it (no listeners: nothing moves). */
function restored(dataDir: string): ServiceBusEmulator {
  const clock = new VirtualClock({ mode: "manual", startMs: Date.UTC(2024, 0, 1) });
  return new ServiceBusEmulator({
    clock,
    logger: new HostLogger(() => undefined, clock),
    invoker: () => Promise.reject(new Error("no listener")),
    dataDir,
    topicRetention: 25,
  });
}

describe("Service Bus state survives SIGKILL at seeded points", () => {
  it(`${TRIALS} trials: acknowledged sends, completions, dead letters and delivery counts are neither lost nor repeated`, async () => {
    const calibration = await child(path.join(root, "calibration"), path.join(root, "calibration.side"), 0, "run");
    const total = calibration.operations ?? 0;
    expect(total).toBeGreaterThan(100);
    let seed = 4242;
    const random = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let trial = 0; trial < TRIALS; trial++) {
      const dataDir = path.join(root, `trial-${trial}`);
      const sideFile = path.join(root, `trial-${trial}.side`);
      const killAt = 1 + Math.floor(random() * total * 0.9);
      expect((await child(dataDir, sideFile, killAt, "run")).killed, `trial ${trial} kill at ${killAt}`).toBe(true);
      const lines = sideLines(sideFile);
      const bus = restored(dataDir);
      const active = bus.activeMessages("work");
      const dead = bus.deadLetters("work");
      for (const [kind, id] of lines.filter((l) => l[0] === "sent")) {
        const where = `trial ${trial} (kill at ${killAt}) ${kind} ${id}`;
        const inActive = active.filter((m) => m.messageId === id);
        const inDead = dead.filter((m) => m.messageId === id);
        if (count(lines, "completed", id as string) > 0) expect(inActive.length + inDead.length, where).toBe(0);
        else if (count(lines, "deadLettered", id as string) > 0) expect([inActive.length, inDead.length], where).toEqual([0, 1]);
        else {
          expect([inActive.length, inDead.length], where).toEqual([1, 0]);
          const delivered = count(lines, "delivered", id as string);
          expect(inActive[0]?.deliveryCount, where).toBeGreaterThanOrEqual(delivered);
          expect(inActive[0]?.deliveryCount, where).toBeLessThanOrEqual(delivered + 1);
        }
      }
      const published = lines.filter((l) => l[0] === "published").map((l) => Number(l[2]));
      const topic = bus.topicMessages("events").map((m) => m.sequenceNumber);
      expect(topic, `trial ${trial}: retained topic tail`).toEqual(expect.arrayContaining(published.slice(-Math.min(topic.length, 25))));
      await bus.stop();

      expect((await child(dataDir, sideFile, 0, "drain")).killed).toBe(false);
      const after = sideLines(sideFile);
      for (const [, id] of after.filter((l) => l[0] === "sent" || l[0] === "published")) {
        const ends = count(after, "completed", id as string) + count(after, "deadLettered", id as string);
        expect(ends, `trial ${trial}: ${id} ends exactly once`).toBe(1);
      }
      const drained = restored(dataDir);
      expect(drained.activeMessages("work")).toEqual([]);
      await drained.stop();
    }
  }, 240_000);
});
