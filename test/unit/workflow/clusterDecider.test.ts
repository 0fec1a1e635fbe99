// The cluster decider's lifecycle (shared/workflow/clusterDecider.ts) in milliseconds: create accepted/refused,
// status polls at absolute times a joining job never moves, timers (poll, reconcile, keep-warm end, max lifetime),
// idle checks, keep-warm decisions and teardown — every phase × timer.
import { describe, expect, it } from "vitest";
import {
  decideCluster,
  initialClusterState,
  IDLE_RECHECK_MS,
  RECONCILE_HOLDERS_MS,
  reconcileGapMs,
} from "../../../shared/workflow/clusterDecider";
import { nextCreatePollAtMs, DEFAULT_CLUSTER_TIMINGS } from "../../../shared/workflow/clusterPolling";
import {
  MIN,
  T0,
  acquire,
  clusterInput,
  creating,
  feed,
  held,
  idle,
  published,
  ready,
  release,
  types,
  wake,
} from "./clusterDeciderHarness";

const input = clusterInput();

describe("create", () => {
  it("start asks for the create; accepted → creating, ledger opened and saved, prices refreshed, timings asked", () => {
    const started = decideCluster(input, initialClusterState(), { type: "start" }, T0);
    expect(started.state.phase).toBe("requested");
    expect(types(started.commands)).toEqual(["beginCreate"]);
    const accepted = feed(input, started.state, [[{ type: "createAccepted", nodes: [], region: "westeurope" }, T0 + 2_000]]);
    expect(accepted.state.phase).toBe("creating");
    expect(types(accepted.commands)).toEqual(["saveLedger", "refreshPrices", "publish", "getTimings"]);
    expect(published(accepted.commands)).toEqual(["jobflow.cluster.creating"]);
    expect(accepted.state.ledger?.events.map((e) => e.type)).toEqual(["createAccepted"]);
  });

  it("accepted with the profile's timing estimate (read by the create activity): no getTimings, polls placed by it", () => {
    const timings = { provisioning: { p50Ms: 10 * MIN, p90Ms: 12 * MIN }, deletion: { p50Ms: 3 * MIN } };
    const started = decideCluster(input, initialClusterState(), { type: "start" }, T0);
    const accepted = feed(input, started.state, [[{ type: "createAccepted", nodes: [], region: "westeurope", timings }, T0]]);
    expect(types(accepted.commands)).toEqual(["saveLedger", "refreshPrices", "publish", "wakeAt"]);
    expect(accepted.state.timings).toEqual(timings);
    expect(accepted.state.nextPollAtMs).toBe(T0 + MIN);
    // The look after the first one goes straight to the dense window (p50 − spread 2 min = 8 min): one step.
    const first = feed(input, accepted.state, [[{ type: "status", result: { phase: "creating", errors: [] } }, T0 + MIN]]);
    expect(first.state.nextPollAtMs).toBe(T0 + 8 * MIN);
  });

  it("refused → failed → deleting: teardown with a 'failed' refusal, no timing recorded afterwards", () => {
    const d = feed(input, initialClusterState(), [
      [{ type: "start" }, T0],
      [{ type: "createRefused", reason: "quota" }, T0],
    ]);
    expect(d.state.phase).toBe("deleting");
    expect(published(d.commands)).toEqual(["jobflow.cluster.failed", "jobflow.cluster.deleting"]);
    expect(d.commands.find((c) => c.type === "teardown")).toMatchObject({ refusal: { type: "failed" } });
    const done = feed(input, d.state, [[{ type: "teardownDone" }, T0 + 5 * MIN]]);
    expect(done.state.phase).toBe("deleted");
    expect(types(done.commands)).toEqual(["saveLedger", "publish", "finish"]);
  });

  it("an instance carried from older code in phase 'new' starts as requested", () => {
    expect(initialClusterState({ phase: "new" as never, holders: [] }).phase).toBe("requested");
  });
});

describe("polling while creating", () => {
  it("polls at the absolute times of the schedule; jobs joining in between never move the next poll", () => {
    let s = creating(input);
    const first = s.nextPollAtMs as number;
    expect(first).toBe(T0 + 60_000);
    for (const [i, at] of [T0 + 10_000, T0 + 30_000, T0 + 59_000].entries()) {
      const d = feed(input, s, [[acquire(`late-${i}`), at]]);
      expect(d.state.nextPollAtMs).toBe(first);
      expect(wake(d.commands)).toBe(first);
      s = d.state;
    }
    expect(s.waiting).toEqual(["j1", "late-0", "late-1", "late-2"]);
  });

  it("a timer before the poll time does nothing; at it, it polls; 'still creating' schedules the next one", () => {
    const s = creating(input);
    expect(types(feed(input, s, [[{ type: "timer" }, T0 + 30_000]]).commands)).toEqual(["wakeAt"]);
    expect(types(feed(input, s, [[{ type: "timer" }, T0 + 60_000]]).commands)).toEqual(["pollStatus"]);
    const still = feed(input, s, [[{ type: "status", result: { phase: "creating", errors: [] } }, T0 + 60_000]]);
    expect(still.state.nextPollAtMs).toBe(nextCreatePollAtMs(T0, T0 + 60_000, DEFAULT_CLUSTER_TIMINGS));
    const blind = feed(input, s, [[{ type: "status" }, T0 + 60_000]]);
    expect(blind.state.nextPollAtMs).toBe(still.state.nextPollAtMs);
  });

  it("the observed timings move the dense window: p50 10 min → polls every 30 s from minute 8", () => {
    const timings = { provisioning: { p50Ms: 10 * MIN, p90Ms: 12 * MIN }, deletion: { p50Ms: 3 * MIN } };
    const s = feed(input, creating(input), [[{ type: "timings", timings }, T0]]).state;
    expect(s.timings).toEqual(timings);
    const late = feed(input, s, [[{ type: "status", result: { phase: "creating", errors: [] } }, T0 + 8 * MIN]]);
    expect(late.state.nextPollAtMs).toBe(T0 + 8 * MIN + 30_000);
  });

  it("ready: every waiting holder notified, provisioning time recorded, the next wake is the reconcile time", () => {
    const s = feed(input, creating(input, ["j1", "j2"]), [[ready, T0 + 20 * MIN]]);
    expect(s.state).toMatchObject({ phase: "ready", waiting: [], holders: ["j1", "j2"], readyAt: new Date(T0 + 20 * MIN).toISOString() });
    expect(s.commands.find((c) => c.type === "notify")).toMatchObject({
      to: ["j1", "j2"],
      notice: { type: "ready", gatewayEndpoint: "https://jf-c1.example" },
    });
    expect(s.commands.find((c) => c.type === "recordTiming")).toEqual({ type: "recordTiming", kind: "provisioning", ms: 20 * MIN });
    // Counted from the ready time, not from the create: the holders were just told, a look at once would be moot.
    expect(s.state.reconcileAtMs).toBe(T0 + 20 * MIN + RECONCILE_HOLDERS_MS);
    expect(wake(s.commands)).toBe(T0 + 20 * MIN + RECONCILE_HOLDERS_MS);
  });

  it("ready with nobody left holding it: idle at once, and the next demand is asked", () => {
    const s = feed(input, creating(input), [
      [release("j1"), T0 + MIN],
      [ready, T0 + 20 * MIN],
    ]);
    expect(s.state.phase).toBe("idle");
    expect(types(s.commands)).toContain("askNextDemand");
  });

  it.each([
    [{ phase: "failed" as const, errors: ["InternalServerError: boom"] }, /boom/],
    [{ phase: "gone" as const, errors: [] }, /disappeared/],
  ])("a failed create (%j): holders told, teardown with a 'failed' refusal", (result, reason) => {
    const d = feed(input, creating(input, ["j1", "j2"]), [[{ type: "status", result }, T0 + 5 * MIN]]);
    expect(d.state.phase).toBe("deleting");
    expect(d.state.holders).toEqual([]);
    expect(d.commands.find((c) => c.type === "notify")).toMatchObject({
      to: ["j1", "j2"],
      notice: { type: "failed", reason: expect.stringMatching(reason) },
    });
    expect(d.commands.find((c) => c.type === "teardown")).toMatchObject({ refusal: { type: "failed" } });
  });
});

describe("reconcileGapMs", () => {
  it.each([
    [0, 10], // at ready: the first look 10 minutes later
    [10, 15],
    [25, 30],
    [40, 30], // at most 30 minutes apart
    [600, 30],
  ])("ready for %i min → next look in %i min", (readyForMin, gapMin) => {
    expect(reconcileGapMs(T0, T0 + readyForMin * MIN)).toBe(gapMin * MIN);
  });

  it("a 20-minute job on a reuse-never cluster is looked at once (10 min after ready), its release comes before the next", () => {
    const never = clusterInput({ reuse: "never", keepWarmMinutes: 0 });
    const s = held(never, ["j1"]); // ready at T0 + 20 min
    const looked = feed(never, s, [[{ type: "timer" }, T0 + 30 * MIN]]);
    expect(types(looked.commands)).toEqual(["reconcileHolders"]);
    const next = feed(never, looked.state, [[{ type: "holdersReconciled", ended: [] }, T0 + 30 * MIN]]);
    expect(wake(next.commands)).toBe(T0 + 45 * MIN);
  });
});

describe("timers of a ready or idle cluster", () => {
  it("held: the reconcile time asks which holders ended; ended holders released with an event; the last → idle", () => {
    const s = held(input, ["j1", "j2"]);
    const at = T0 + 20 * MIN + RECONCILE_HOLDERS_MS; // ready at T0 + 20 min
    expect(feed(input, s, [[{ type: "timer" }, at - 1]]).commands).toEqual([{ type: "wakeAt", atMs: at }]);
    const d = feed(input, s, [[{ type: "timer" }, at]]);
    expect(d.commands).toEqual([{ type: "reconcileHolders", holders: ["j1", "j2"] }]);
    expect(d.state.reconcileAtMs).toBe(at + 15 * MIN); // 1.5 × the 10 minutes it has been ready
    const one = feed(input, d.state, [[{ type: "holdersReconciled", ended: ["j2", "unknown"] }, at]]);
    expect(one.state.holders).toEqual(["j1"]);
    expect(published(one.commands)).toEqual(["jobflow.cluster.holderReconciled"]);
    const all = feed(input, one.state, [[{ type: "holdersReconciled", ended: ["j1"] }, at]]);
    expect(all.state.phase).toBe("idle");
    expect(types(feed(input, one.state, [[{ type: "holdersReconciled" }, at]]).commands)).toEqual(["wakeAt"]);
  });

  it("idle: the keep-warm end asks for an idle check; idle → deleted with the reason; busy or unknown → again in 5 min", () => {
    const s = idle(input); // kept for min(break-even 25, cap 30) = 25 min from minute 40
    expect(s.keepUntilMs).toBe(T0 + 65 * MIN);
    expect(types(feed(input, s, [[{ type: "timer" }, T0 + 64 * MIN]]).commands)).toEqual(["wakeAt"]);
    expect(types(feed(input, s, [[{ type: "timer" }, T0 + 65 * MIN]]).commands)).toEqual(["checkIdle"]);
    const gone = feed(input, s, [[{ type: "idleChecked", idle: true }, T0 + 65 * MIN]]);
    expect(gone.state).toMatchObject({ phase: "deleting", deleteReason: "idle for 25 minutes" });
    for (const idleAnswer of [false, undefined]) {
      const busy = feed(input, s, [[{ type: "idleChecked", idle: idleAnswer }, T0 + 65 * MIN]]);
      expect(busy.state).toMatchObject({ phase: "idle", keepUntilMs: T0 + 65 * MIN + IDLE_RECHECK_MS });
    }
  });

  it.each([
    ["creating", () => creating(input)],
    ["ready", () => held(input)],
    ["idle", () => idle(input)],
  ])("%s: max lifetime deletes it, telling the holders", (_phase, start) => {
    const d = feed(input, start(), [[{ type: "timer" }, T0 + 720 * MIN]]);
    expect(d.state.phase).toBe("deleting");
    expect(d.state.deleteReason).toBe("reached its maximum lifetime of 720 minutes");
    expect(types(d.commands)).toContain("teardown");
  });

  it("the wake time never passes the max lifetime", () => {
    const short = clusterInput({ maxLifetimeMinutes: 60, keepWarmMinutes: 600, keepWarmPolicy: "fixed" });
    const s = feed(short, held(short), [[release("j1"), T0 + 40 * MIN]]);
    expect(wake(s.commands)).toBe(T0 + 60 * MIN);
  });
});

describe("keep-warm decisions", () => {
  it("a known demand within break-even keeps the cluster until it (+ grace), with an event and an audit record", () => {
    const s = feed(input, held(input), [[release("j1"), T0 + 40 * MIN]]).state;
    const next = { at: new Date(T0 + 50 * MIN).toISOString(), kind: "schedule" as const, source: "nightly" };
    const d = feed(input, s, [[{ type: "nextDemand", answer: { next, idleGapsMs: [] } }, T0 + 40 * MIN]]);
    expect(d.state.keepUntilMs).toBe(T0 + 52 * MIN);
    expect(published(d.commands)).toEqual(["jobflow.cluster.keepWarmDecided"]);
    expect(d.commands.find((c) => c.type === "auditKeepWarm")).toMatchObject({
      record: { action: "keep", expectedNextDemand: next, breakEvenMinutes: 25, keepWarmMinutes: 30, policy: "breakEven" },
    });
    expect(wake(d.commands)).toBe(T0 + 52 * MIN);
  });

  it("a known demand far away: delete now (after the idle check)", () => {
    const s = feed(input, held(input), [[release("j1"), T0 + 40 * MIN]]).state;
    const next = { at: new Date(T0 + 400 * MIN).toISOString(), kind: "schedule" as const, source: "nightly" };
    const d = feed(input, s, [[{ type: "nextDemand", answer: { next, idleGapsMs: [] } }, T0 + 40 * MIN]]);
    expect(d.commands.find((c) => c.type === "auditKeepWarm")).toMatchObject({ record: { action: "delete" } });
    expect(wake(d.commands)).toBe(T0 + 40 * MIN);
    expect(types(feed(input, d.state, [[{ type: "timer" }, T0 + 40 * MIN]]).commands)).toEqual(["checkIdle"]);
  });

  it("policy fixed decides at once (no question) and keeps keepWarmMinutes; each idle period decides again", () => {
    const fixed = clusterInput({ keepWarmPolicy: "fixed" });
    const first = feed(fixed, held(fixed), [[release("j1"), T0 + 40 * MIN]]);
    expect(types(first.commands)).not.toContain("askNextDemand");
    expect(first.state.keepUntilMs).toBe(T0 + 70 * MIN);
    const again = feed(fixed, first.state, [
      [acquire("j2"), T0 + 45 * MIN],
      [release("j2"), T0 + 50 * MIN],
    ]);
    expect(again.state.keepUntilMs).toBe(T0 + 80 * MIN);
    expect(published(again.commands)).toEqual(["jobflow.cluster.keepWarmDecided"]);
  });
});

describe("teardown", () => {
  it("done → deleted: ledger closed and saved, the deleted event, the deletion time recorded, finish", () => {
    const deleting = feed(input, idle(input), [
      [{ type: "command", command: { type: "delete", reason: "operator" } }, T0 + 50 * MIN],
    ]).state;
    const d = feed(input, deleting, [[{ type: "teardownDone" }, T0 + 56 * MIN]]);
    expect(d.state.phase).toBe("deleted");
    expect(d.state.ledger?.events.at(-1)?.type).toBe("deleted");
    expect(published(d.commands)).toEqual(["jobflow.cluster.deleted"]);
    expect(d.commands).toContainEqual({ type: "recordTiming", kind: "deletion", ms: 6 * MIN });
    expect(types(d.commands).at(-1)).toBe("finish");
  });

  it.each(["deleting", "deleted"])("%s: timers and poll results change nothing", (phase) => {
    let s = feed(input, idle(input), [[{ type: "command", command: { type: "delete", reason: "x" } }, T0 + 50 * MIN]]).state;
    if (phase === "deleted") s = feed(input, s, [[{ type: "teardownDone" }, T0 + 55 * MIN]]).state;
    for (const event of [{ type: "timer" as const }, ready, { type: "idleChecked" as const, idle: true }]) {
      const d = feed(input, s, [[event, T0 + 60 * MIN]]);
      expect(d.state.phase).toBe(phase);
      expect(d.commands).toEqual([]);
    }
  });

  it("an impossible move fails loudly (transition() of the one vocabulary)", () => {
    expect(() => decideCluster(input, { ...held(input), phase: "deleted" }, { type: "teardownDone" }, T0)).toThrow(
      /InvalidTransition|not allowed/,
    );
  });
});
