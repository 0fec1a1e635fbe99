// An episode whose worker died (WorkerLostError from local/host/workers/pool.ts) is abandoned and run again —
// nothing committed, the inbox kept — and after 5 losses in a row the instance fails; any other invocation error
// still fails the instance at once.
import { describe, expect, it } from "vitest";
import { WorkerLostError } from "../../../local/host/workers/protocol";
import { directInvoker, makeEngine, shape, type OrchestratorFn } from "./helpers";

const greet: OrchestratorFn = function* (context) {
  const greeting: unknown = yield context.df.callActivity("Greet", "worker");
  return greeting;
};

/** The direct invoker, with the first `losses` orchestrator invocations failing as if their worker died. */
function losingWorker(losses: number, error: () => Error = () => new WorkerLostError("The durable worker exited (code 1).")) {
  const invoker = directInvoker({ Greet: greet }, { Greet: (name) => `Hello, ${String(name)}!` });
  const orchestrator = invoker.orchestrator.bind(invoker);
  let calls = 0;
  invoker.orchestrator = async (name, payload, options) => {
    if (calls++ < losses) throw error();
    return orchestrator(name, payload, options);
  };
  return invoker;
}

describe("a lost durable worker", () => {
  it("re-runs the episode: the instance completes with the history of a run that never crashed", async () => {
    const t = await makeEngine({}, {}, { invoker: losingWorker(2) });
    await t.engine.startNew("Greet", { instanceId: "lost-1" });
    await t.engine.runUntilIdle();
    const record = t.engine.getInstance("lost-1");
    expect(record?.runtimeStatus).toBe("Completed");
    expect(JSON.parse(record?.output ?? "null")).toBe("Hello, worker!");
    expect(shape(record?.history ?? []).filter((e) => e === "OrchestratorStarted")).toHaveLength(2); // 2 committed episodes
    expect(t.logs.filter((l) => l.event === "durable.episodeAbandoned")).toHaveLength(2);
  });

  it("fails the instance after 5 lost episodes in a row", async () => {
    const t = await makeEngine({}, {}, { invoker: losingWorker(5) });
    await t.engine.startNew("Greet", { instanceId: "lost-5" });
    await t.engine.runUntilIdle();
    const record = t.engine.getInstance("lost-5");
    expect(record?.runtimeStatus).toBe("Failed");
    expect(JSON.parse(record?.output ?? "null")).toContain("The durable worker exited");
    expect(t.logs.filter((l) => l.event === "durable.episodeAbandoned")).toHaveLength(4);
  });

  it("fails the instance at once for any other invocation error", async () => {
    const t = await makeEngine({}, {}, { invoker: losingWorker(1, () => new Error("system error")) });
    await t.engine.startNew("Greet", { instanceId: "broken-1" });
    await t.engine.runUntilIdle();
    expect(t.engine.getInstance("broken-1")?.runtimeStatus).toBe("Failed");
    expect(t.logs.some((l) => l.event === "durable.episodeAbandoned")).toBe(false);
  });
});
