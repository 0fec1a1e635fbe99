// Repair end to end on the embedded stack: a DAG job whose one branch failed (a sandbox fault that fires once) is
// repaired with `jobflow repair ID --wait`; only the failed step and the step depending on it run again, on a new
// cluster; the succeeded steps keep their attempts; the record keeps run 1 in `runs`. A repair of a running job is
// refused; two repairs posted at once start one run.
import { describe, expect, it } from "vitest";
import type { TestStack } from "../../support/stack";
import { createPuts, finish, jobDoc, record, runCli, sandboxBatches, sandboxControl, useStackPerFile } from "./jobHelpers";

let stack: TestStack;
useStackPerFile((started) => (stack = started));

const cli = (argv: string[]): ReturnType<typeof runCli> => runCli(stack, argv);

const repair = (id: string, body: unknown = {}): Promise<Response> =>
  stack.api(`/jobs/${id}/repair`, { method: "POST", body: JSON.stringify(body) });

describe("repair", () => {
  it("re-runs only the failed branch of a DAG job, on a new run, keeping the succeeded steps and run 1's history", async () => {
    await sandboxControl(stack, "POST", "/gateway/faults", {
      kind: "batchOutcome",
      outcome: "dead",
      count: 1,
      filePattern: "/branch-b\\.py$",
    });
    const doc = jobDoc(
      "dag-repair",
      [
        { id: "extract", seconds: 60 },
        { id: "branch-a", dependsOn: ["extract"], seconds: 60 },
        { id: "branch-b", dependsOn: ["extract"], seconds: 60 },
        { id: "report-b", dependsOn: ["branch-b"], seconds: 60 },
      ],
      { maxConcurrentSteps: 2 },
    );
    const id = await stack.submit(doc);
    const first = await finish(stack, id);
    expect(first.state).toBe("completedWithFailures");
    expect(first.steps.map((s) => [s.id, s.state])).toEqual([
      ["extract", "succeeded"],
      ["branch-a", "succeeded"],
      ["branch-b", "failed"],
      ["report-b", "skipped"],
    ]);
    const firstCluster = first.cluster.name as string;

    const repaired = cli(["repair", id, "--wait", "--interval-ms", "1", "--json"]);
    await stack.runUntil(
      async () =>
        (await record(stack, id)).run === 2 && ["succeeded", "failed", "completedWithFailures"].includes((await record(stack, id)).state),
      { what: "repair run finished" },
    );
    const result = await repaired;
    expect(result.errors).toEqual([]);
    expect(result.code).toBe(0);
    expect(result.json).toMatchObject({
      id,
      run: 2,
      steps: ["branch-b", "report-b"],
      duplicate: false,
      exitCode: 0,
      job: { state: "succeeded", run: 2 },
    });

    const r = await record(stack, id);
    expect(r.state).toBe("succeeded");
    expect(r.rerunSteps).toEqual(["branch-b", "report-b"]);
    expect(r.steps.map((s) => [s.id, s.state, s.attempts.map((a) => a.attempt), s.attempts.map((a) => a.run ?? 1)])).toEqual([
      ["extract", "succeeded", [1], [1]],
      ["branch-a", "succeeded", [1], [1]],
      ["branch-b", "succeeded", [1, 2], [1, 2]],
      ["report-b", "succeeded", [1], [2]],
    ]);
    // Every attempt's log is its own blob, run 1's failed attempt included.
    const logs = r.steps.flatMap((s) => s.attempts.map((a) => a.logBlob));
    expect(new Set(logs).size).toBe(logs.length);
    expect((await stack.api(`/jobs/${id}/steps/branch-b/log?attempt=1`)).status).toBe(200);
    // Run 1 is kept with its steps and attempts.
    expect(r.runs?.map((x) => [x.run, x.state, x.cluster.name])).toEqual([[1, "completedWithFailures", firstCluster]]);
    expect(r.runs?.[0].steps.find((s) => s.id === "branch-b")?.state).toBe("failed");
    // The repair ran on its own cluster and submitted only the two re-run steps there.
    const cluster = r.cluster.name as string;
    expect(cluster).not.toBe(firstCluster);
    expect(createPuts(stack)).toContain(cluster);
    expect((await sandboxBatches(stack, cluster)).map((b) => b.request.file.split("/").pop())).toEqual(["branch-b.py", "report-b.py"]);
    // The repair's step phase got only what it needs of the job's input: the run number, not run 1's whole record
    // (its input is replayed on every episode).
    const phaseInput = JSON.parse(stack.host.engine?.getInstance(`${id}-steps-2`)?.input ?? "{}") as { run?: Record<string, unknown> };
    expect(phaseInput.run?.repair).toEqual({ run: 2 });
    expect(Object.keys(phaseInput.run ?? {}).sort()).toEqual(["job", "jobId", "profile", "repair"]);

    // Nothing left to repair now.
    const nothing = await repair(id);
    expect(nothing.status).toBe(409);
    expect(((await nothing.json()) as { problems: { message: string }[] }).problems[0].message).toMatch(/nothing to repair/);
  }, 180_000);

  it("refuses a running job, unknown steps, and turns two repairs at once into one run", async () => {
    const id = await stack.submit(
      jobDoc("repair-twice", [
        { id: "a", seconds: 60 },
        { id: "b", dependsOn: ["a"], seconds: 60 },
      ]),
    );
    await stack.runUntil(async () => (await record(stack, id)).state === "running", { what: "job running" });
    const running = await repair(id);
    expect(running.status).toBe(409);
    expect(((await running.json()) as { detail: string }).detail).toMatch(/only a finished job can be repaired/);
    await finish(stack, id);

    const unknown = await repair(id, { steps: ["a", "zzz"] });
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { problems: unknown[] }).problems).toEqual([
      { pointer: "/steps/1", message: "no step 'zzz' in this job (steps: a, b)" },
    ]);

    // A succeeded job can re-run named steps (and what depends on them); two such requests at once are one run.
    const [x, y] = await Promise.all([repair(id, { steps: ["a"] }), repair(id, { steps: ["a"] })]);
    const bodies = (await Promise.all([x.json(), y.json()])) as { run: number; steps: string[]; duplicate: boolean }[];
    expect([x.status, y.status]).toEqual([202, 202]);
    expect(bodies.map((b) => b.run)).toEqual([2, 2]);
    expect(bodies.map((b) => b.duplicate).sort()).toEqual([false, true]);
    expect(bodies[0].steps).toEqual(["a", "b"]);
    await stack.runUntil(async () => (await record(stack, id)).run === 2 && (await record(stack, id)).state === "succeeded", {
      what: "repair finished",
    });
    const r = await record(stack, id);
    expect(r.runs?.map((run) => run.run)).toEqual([1]);
    expect(r.steps.map((s) => s.attempts.length)).toEqual([2, 2]);
  }, 180_000);
});
