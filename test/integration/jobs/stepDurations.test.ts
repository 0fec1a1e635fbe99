// Learnt step durations end to end (local host + sandbox + Azurite, manual virtual clock): the same job run twice
// under one name. The first run's final save records how long its steps ran; the second run's first submitStep reads
// that back, and its step phase polls each step sparsely before its usual end and densely around it — fewer Livy
// status requests (counted by the sandbox's request log), and each step's end seen no later than the first time.
import { describe, expect, it } from "vitest";
import type { TestStack } from "../../support/stack";
import type { JobRecord } from "../../../shared/workflow/jobRecord";
import { finish, jobDoc, ms, useStackPerFile } from "./jobHelpers";

let stack: TestStack;
useStackPerFile((started) => (stack = started));

/** Livy status requests (GET of one batch, not its log nor the list) per batch id on a cluster. */
function statusProbes(cluster: string): Map<number, number> {
  const out = new Map<number, number>();
  for (const r of stack.sandbox.control.requests({ component: "gateway" })) {
    const m = /\/gateway\/([^/]+)\/livy\/batches\/(\d+)$/.exec(r.path);
    if (r.method !== "GET" || !m || m[1] !== cluster) continue;
    out.set(Number(m[2]), (out.get(Number(m[2])) ?? 0) + 1);
  }
  return out;
}

/** Per step: status probes of its batch and how long after its submission the phase saw it end. */
function observed(r: JobRecord): Record<string, { probes: number; seenMs: number }> {
  const probes = statusProbes(r.cluster.name as string);
  return Object.fromEntries(
    r.steps.map((s) => {
      const a = s.attempts[0]!;
      return [s.id, { probes: probes.get(a.batchId as number) ?? 0, seenMs: ms(a.endedAt) - ms(a.startedAt) }];
    }),
  );
}

async function runToEnd(id: string): Promise<JobRecord> {
  const r = await finish(stack, id);
  // The samples are written by the job's final save, the orchestration's last activity: wait for it to complete.
  await stack.runUntil(() => stack.host.engine?.getInstance(id)?.runtimeStatus === "Completed", { what: `job ${id} completed` });
  return r;
}

describe("a recurring job's steps", () => {
  it("cost fewer status probes on the second run, and their ends are seen no later", async () => {
    const doc = jobDoc("nightly-load", [
      { id: "extract", seconds: 100 },
      { id: "load", seconds: 600, dependsOn: ["extract"] },
    ]);
    const first = await runToEnd(await stack.submit(doc));
    const second = await runToEnd(await stack.submit(doc));
    for (const r of [first, second]) {
      expect(r.state).toBe("succeeded");
      expect(r.steps.map((s) => s.attempts.length)).toEqual([1, 1]);
    }
    expect(second.cluster.name).not.toBe(first.cluster.name); // reuse never: each run's probes on its own cluster
    const before = observed(first);
    const after = observed(second);
    for (const id of ["extract", "load"]) {
      const context = `${id}: first ${JSON.stringify(before[id])}, second ${JSON.stringify(after[id])}`;
      expect(before[id]!.probes, context).toBeGreaterThan(0);
      expect(after[id]!.probes, context).toBeLessThan(before[id]!.probes);
      expect(after[id]!.seenMs, context).toBeLessThanOrEqual(before[id]!.seenMs);
    }
  }, 180_000);
});
