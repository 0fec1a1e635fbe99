// Every lifecycle phase × command of the cluster decider (shared/workflow/clusterDecider.ts), in milliseconds: the
// phase after it, what it publishes, whom it notifies, and whether teardown begins.
import { describe, expect, it } from "vitest";
import type { ClusterCarriedState, ClusterCommand } from "../../../shared/workflow/activities";
import type { ClusterDeciderCommand } from "../../../shared/workflow/clusterDeciderTypes";
import { MIN, T0, acquire, clusterInput, creating, feed, held, idle, published, release, types } from "./clusterDeciderHarness";

const NOW = T0 + 45 * MIN;
const input = clusterInput();
const starts: Record<string, () => ClusterCarriedState> = {
  creating: () => creating(input),
  ready: () => held(input),
  idle: () => idle(input),
};
const notified = (commands: ClusterDeciderCommand[]): string[] =>
  commands.flatMap((c) => (c.type === "notify" ? c.to.map((to) => `${to}:${c.notice.type}`) : []));

type Row = [phase: string, what: string, command: ClusterCommand, after: string, notices: string[], events: string[], teardown: boolean];
const rows: Row[] = [
  // acquire by a new holder
  ["creating", "acquire (joins, waits for ready)", { type: "acquire", holder: "j2", replyTo: "j2" }, "creating", [], [], false],
  ["ready", "acquire (answered ready at once)", { type: "acquire", holder: "j2", replyTo: "j2" }, "ready", ["j2:ready"], [], false],
  ["idle", "acquire (takes the idle cluster)", { type: "acquire", holder: "j2", replyTo: "j2" }, "ready", ["j2:ready"], [], false],
  // release of the only holder
  [
    "creating",
    "last release (stays creating, keep-warm decided when ready)",
    { type: "release", holder: "j1", terminate: false },
    "creating",
    [],
    [],
    false,
  ],
  ["ready", "last release (idle, asks for the next demand)", { type: "release", holder: "j1", terminate: false }, "idle", [], [], false],
  [
    "idle",
    "release of an unknown holder (remembered, nothing else)",
    { type: "release", holder: "jx", terminate: false },
    "idle",
    [],
    [],
    false,
  ],
  [
    "ready",
    "release with TERMINATE_CLUSTER",
    { type: "release", holder: "j1", terminate: true },
    "deleting",
    [],
    ["jobflow.cluster.deleting"],
    true,
  ],
  [
    "creating",
    "release with TERMINATE_CLUSTER",
    { type: "release", holder: "j1", terminate: true },
    "deleting",
    [],
    ["jobflow.cluster.deleting"],
    true,
  ],
  [
    "ready",
    "release with drain",
    { type: "release", holder: "j1", terminate: false, drain: "gateway login rejected" },
    "deleting",
    [],
    ["jobflow.cluster.drained", "jobflow.cluster.deleting"],
    true,
  ],
  // reaper
  [
    "creating",
    "reap while someone waits (refused)",
    { type: "reap", reason: "orphaned" },
    "creating",
    [],
    ["jobflow.cluster.reapRefused"],
    false,
  ],
  ["ready", "reap while held (refused)", { type: "reap", reason: "orphaned" }, "ready", [], ["jobflow.cluster.reapRefused"], false],
  ["idle", "reap while idle (deleted)", { type: "reap", reason: "orphaned" }, "deleting", [], ["jobflow.cluster.deleting"], true],
  // operator delete
  [
    "creating",
    "delete (waiting holders told)",
    { type: "delete", reason: "operator" },
    "deleting",
    ["j1:expiring"],
    ["jobflow.cluster.deleting"],
    true,
  ],
  [
    "ready",
    "delete (holders told)",
    { type: "delete", reason: "operator" },
    "deleting",
    ["j1:expiring"],
    ["jobflow.cluster.deleting"],
    true,
  ],
  ["idle", "delete", { type: "delete", reason: "operator" }, "deleting", [], ["jobflow.cluster.deleting"], true],
];

describe("cluster decider: phase × command", () => {
  it.each(rows)("%s + %s", (phase, _what, command, after, notices, events, teardown) => {
    const start = (starts[phase] as () => ClusterCarriedState)();
    expect(start.phase).toBe(phase);
    const d = feed(input, start, [[{ type: "command", command }, NOW]]);
    expect(d.state.phase).toBe(after);
    expect(notified(d.commands)).toEqual(notices);
    expect(published(d.commands)).toEqual(events);
    expect(types(d.commands).includes("teardown")).toBe(teardown);
    if (teardown) expect(d.state.ledger?.events.at(-1)?.type).toBe("deleteRequested");
    // A wait is asked for exactly when nothing else is awaited.
    const awaited = types(d.commands).some((t) => ["teardown", "askNextDemand", "checkIdle", "pollStatus", "reconcileHolders"].includes(t));
    expect(types(d.commands).includes("wakeAt")).toBe(!awaited);
  });

  it.each(["creating", "ready", "idle"])("%s: a reuse-never cluster refuses another job, a drained one refuses everyone", (phase) => {
    const never = clusterInput({ reuse: "never", keepWarmMinutes: 0 });
    const start = phase === "creating" ? creating(never) : held(never);
    const refused = feed(never, start, [[acquire("j2"), NOW]]);
    expect(notified(refused.commands)).toEqual(["j2:unavailable"]);
    expect(refused.state.holders).toEqual(["j1"]);
    const drained = { ...(starts[phase] as () => ClusterCarriedState)(), drained: "gateway login rejected" };
    expect(notified(feed(input, drained, [[acquire("j3"), NOW]]).commands)).toEqual(["j3:unavailable"]);
  });

  it("creating: the same acquire twice (a retried acquireCluster) waits once — one notice, one ledger entry", () => {
    const twice = feed(input, creating(input, ["j1"]), [[acquire("j1"), NOW]]);
    expect(twice.state.waiting).toEqual(["j1"]);
    expect(twice.state.holders).toEqual(["j1"]);
    expect(twice.state.ledger?.events.filter((e) => e.type === "acquired").length).toBe(1);
  });

  it("an acquire after its own release (the release overtook it) is ignored", () => {
    const d = feed(input, held(input), [
      [release("j9"), NOW],
      [acquire("j9"), NOW],
    ]);
    expect(d.state.holders).toEqual(["j1"]);
    expect(notified(d.commands)).toEqual([]);
    expect(d.state.releasedEarly).toEqual([]);
  });

  it("keepWarmMinutes 0: the last release of a ready cluster deletes it at once (no idle check), one of a creating cluster too", () => {
    const zero = clusterInput({ keepWarmMinutes: 0 });
    const idleNow = feed(zero, held(zero), [[release("j1"), NOW]]);
    expect(idleNow.state).toMatchObject({ phase: "idle", keepUntilMs: NOW, deleteWithoutIdleCheck: true });
    const gone = feed(zero, idleNow.state, [[{ type: "timer" }, NOW]]);
    expect(gone.state.phase).toBe("deleting");
    expect(gone.state.deleteReason).toBe("released by its last holder (keepWarmMinutes 0)");
    const early = feed(zero, creating(zero), [[release("j1"), NOW]]);
    expect(early.state.phase).toBe("deleting");
    expect(early.state.deleteReason).toBe("released by j1 before it was ready");
  });

  it("reuse never: the last release deletes it in the same decision (nobody else may join: no wait, no timer)", () => {
    const never = clusterInput({ reuse: "never", keepWarmMinutes: 0 });
    const d = feed(never, held(never), [[release("j1"), NOW]]);
    expect(d.state.phase).toBe("deleting");
    expect(d.state.deleteReason).toBe("released by its last holder (keepWarmMinutes 0)");
    expect(d.state.ledger?.events.slice(-2).map((e) => e.type)).toEqual(["released", "deleteRequested"]);
    expect(types(d.commands)).toEqual(["saveLedger", "publish", "teardown"]);
    expect(published(d.commands)).toEqual(["jobflow.cluster.deleting"]);
    expect(d.commands.find((c) => c.type === "teardown")).toMatchObject({ refusal: { type: "unavailable" } });
  });

  it("an acquire of an idle cluster cancels its keep-warm end", () => {
    const d = feed(input, idle(input), [[acquire("j2"), NOW]]);
    expect(d.state).toMatchObject({ phase: "ready", holders: ["j2"], keepUntilMs: undefined, idleSince: undefined });
  });

  it("commands during teardown (and after) are left to the teardown loop: no phase change", () => {
    const deleting = feed(input, idle(input), [[{ type: "command", command: { type: "delete", reason: "x" } }, NOW]]).state;
    for (const command of [acquire("j2"), release("j1"), { type: "command" as const, command: { type: "reap" as const, reason: "r" } }]) {
      const d = feed(input, deleting, [[command, NOW + MIN]]);
      expect(d.state.phase).toBe("deleting");
      expect(d.commands).toEqual([]);
    }
  });
});
