import { describe, expect, it } from "vitest";
import {
  DEFAULT_OPT_IN_IDLE_MINUTES,
  IDLE_SINCE_TAG,
  auditKey,
  decideReap,
  needsActivityProbe,
  shouldAudit,
  type ReaperActivity,
  type ReaperClusterView,
  type ReaperInput,
  type ReaperOrchestrationView,
  type ReaperRule,
} from "../../../shared/policies/reaperRules";

const NOW = Date.parse("2026-11-21T12:00:00Z");
const minutesAgo = (m: number): string => new Date(NOW - m * 60_000).toISOString();
const inMinutes = (m: number): string => new Date(NOW + m * 60_000).toISOString();

const managedTags = (extra: Record<string, string> = {}): Record<string, string> => ({
  "jobflow-managed": "true",
  "jobflow-job": "j-1",
  "jobflow-created-at": minutesAgo(120),
  "jobflow-idle-minutes": "15",
  "jobflow-expires-at": inMinutes(600),
  "jobflow-profile": "abc",
  ...extra,
});
const running = { provisioningState: "Succeeded", clusterState: "Running" };
const cluster = (tags: Record<string, string>, state: Partial<ReaperClusterView> = running): ReaperClusterView => ({
  name: "c1",
  resourceGroup: "rg",
  tags,
  provisioningState: "Succeeded",
  clusterState: "Running",
  createdDate: minutesAgo(125),
  ...state,
});
const idle: ReaperActivity = { probed: true, activeBatches: 0, runningApps: 0 };
const orch = (o: Partial<ReaperOrchestrationView> = {}): ReaperOrchestrationView => ({
  phase: "ready",
  holders: [],
  readyAt: minutesAgo(100),
  ...o,
});

interface Row {
  name: string;
  input: Partial<ReaperInput> & { cluster: ReaperClusterView };
  action: "keep" | "delete";
  rule: ReaperRule;
}

const rows: Row[] = [
  { name: "untagged cluster is never touched", input: { cluster: cluster({}) }, action: "keep", rule: "unmanaged" },
  {
    name: "untagged cluster, even expired-looking tags and no orchestration",
    input: { cluster: cluster({ "jobflow-expires-at": minutesAgo(5), team: "x" }) },
    action: "keep",
    rule: "unmanaged",
  },
  { name: "managed=false is not managed", input: { cluster: cluster({ "jobflow-managed": "false" }) }, action: "keep", rule: "unmanaged" },
  { name: "orphaned managed cluster", input: { cluster: cluster(managedTags()) }, action: "delete", rule: "orphaned" },
  {
    name: "orphaned managed cluster whose provisioning failed",
    input: { cluster: cluster(managedTags(), { provisioningState: "Failed", clusterState: "Error" }) },
    action: "delete",
    rule: "orphaned",
  },
  {
    name: "expired, no orchestration: at once",
    input: { cluster: cluster(managedTags({ "jobflow-expires-at": minutesAgo(0) })) },
    action: "delete",
    rule: "expired",
  },
  {
    name: "expired past the grace (live orchestration, idle)",
    input: { cluster: cluster(managedTags({ "jobflow-expires-at": minutesAgo(10) })), orchestration: orch({ idleSince: minutesAgo(1) }) },
    action: "delete",
    rule: "expired",
  },
  {
    name: "expired within the grace: the live orchestration acts itself",
    input: { cluster: cluster(managedTags({ "jobflow-expires-at": minutesAgo(9) })), orchestration: orch({ idleSince: minutesAgo(1) }) },
    action: "keep",
    rule: "idle-below-threshold",
  },
  {
    name: "expired while still provisioning",
    input: {
      cluster: cluster(managedTags({ "jobflow-expires-at": minutesAgo(13) }), {
        provisioningState: "InProgress",
        clusterState: "HdInsightConfiguration",
      }),
      orchestration: orch({ phase: "creating" }),
    },
    action: "delete",
    rule: "expired",
  },
  {
    name: "expired but held: still expired (the orchestration arbitrates)",
    input: { cluster: cluster(managedTags({ "jobflow-expires-at": minutesAgo(13) })), orchestration: orch({ holders: ["j-2"] }) },
    action: "delete",
    rule: "expired",
  },
  {
    name: "idle past jobflow-idle-minutes + grace",
    input: { cluster: cluster(managedTags()), orchestration: orch({ idleSince: minutesAgo(26) }) },
    action: "delete",
    rule: "idle",
  },
  {
    name: "idle exactly threshold + grace",
    input: { cluster: cluster(managedTags()), orchestration: orch({ idleSince: minutesAgo(25) }) },
    action: "delete",
    rule: "idle",
  },
  {
    name: "idle past the threshold but within the grace",
    input: { cluster: cluster(managedTags()), orchestration: orch({ idleSince: minutesAgo(24) }) },
    action: "keep",
    rule: "idle-below-threshold",
  },
  {
    name: "idle with no idleSince falls back to readyAt",
    input: { cluster: cluster(managedTags()), orchestration: orch({ readyAt: minutesAgo(30) }) },
    action: "delete",
    rule: "idle",
  },
  {
    name: "held by a job",
    input: { cluster: cluster(managedTags()), orchestration: orch({ holders: ["j-1"], idleSince: minutesAgo(500) }) },
    action: "keep",
    rule: "held",
  },
  {
    name: "busy: a Livy batch not final",
    input: {
      cluster: cluster(managedTags()),
      orchestration: orch({ idleSince: minutesAgo(60) }),
      activity: { probed: true, activeBatches: 1, runningApps: 0 },
    },
    action: "keep",
    rule: "busy",
  },
  {
    name: "busy: a YARN app running",
    input: {
      cluster: cluster(managedTags()),
      orchestration: orch({ idleSince: minutesAgo(60) }),
      activity: { probed: true, activeBatches: 0, runningApps: 2 },
    },
    action: "keep",
    rule: "busy",
  },
  {
    name: "probe failed: no evidence, no delete",
    input: {
      cluster: cluster(managedTags()),
      orchestration: orch({ idleSince: minutesAgo(60) }),
      activity: { probed: false, error: "503" },
    },
    action: "keep",
    rule: "probe-failed",
  },
  {
    name: "jobflow-keep=true exempts an orphan",
    input: { cluster: cluster(managedTags({ "jobflow-keep": "true" })) },
    action: "keep",
    rule: "keep-tag",
  },
  {
    name: "jobflow-keep=true exempts an expired one",
    input: { cluster: cluster(managedTags({ "jobflow-keep": "true", "jobflow-expires-at": minutesAgo(60) })) },
    action: "keep",
    rule: "keep-tag",
  },
  {
    name: "jobflow-keep=true exempts an opted-in idle one",
    input: { cluster: cluster({ "jobflow-reap": "idle", "jobflow-keep": "true", [IDLE_SINCE_TAG]: minutesAgo(600) }) },
    action: "keep",
    rule: "keep-tag",
  },
  {
    name: "still provisioning, no orchestration yet",
    input: { cluster: cluster(managedTags(), { provisioningState: "InProgress", clusterState: "Accepted" }) },
    action: "keep",
    rule: "provisioning",
  },
  {
    name: "already deleting",
    input: {
      cluster: cluster(managedTags({ "jobflow-expires-at": minutesAgo(60) }), { provisioningState: "Deleting", clusterState: "Deleting" }),
    },
    action: "keep",
    rule: "deleting",
  },
  {
    name: "opt-in, idle, first seen: stamped",
    input: { cluster: cluster({ "jobflow-reap": "idle", "jobflow-idle-minutes": "30" }) },
    action: "keep",
    rule: "idle-stamped",
  },
  {
    name: "opt-in, idle since the stamp, below threshold",
    input: { cluster: cluster({ "jobflow-reap": "idle", "jobflow-idle-minutes": "30", [IDLE_SINCE_TAG]: minutesAgo(29) }) },
    action: "keep",
    rule: "idle-below-threshold",
  },
  {
    name: "opt-in, idle past its threshold tag",
    input: { cluster: cluster({ "jobflow-reap": "idle", "jobflow-idle-minutes": "30", [IDLE_SINCE_TAG]: minutesAgo(31) }) },
    action: "delete",
    rule: "idle",
  },
  {
    name: "opt-in without threshold tag uses the default",
    input: { cluster: cluster({ "jobflow-reap": "idle", [IDLE_SINCE_TAG]: minutesAgo(DEFAULT_OPT_IN_IDLE_MINUTES - 1) }) },
    action: "keep",
    rule: "idle-below-threshold",
  },
  {
    name: "opt-in is never orphaned or expired (no orchestration is expected)",
    input: { cluster: cluster({ "jobflow-reap": "idle", "jobflow-expires-at": minutesAgo(60), [IDLE_SINCE_TAG]: minutesAgo(1) }) },
    action: "keep",
    rule: "idle-below-threshold",
  },
  {
    name: "opt-in but busy",
    input: {
      cluster: cluster({ "jobflow-reap": "idle", [IDLE_SINCE_TAG]: minutesAgo(600) }),
      activity: { probed: true, activeBatches: 0, runningApps: 1 },
    },
    action: "keep",
    rule: "busy",
  },
  {
    name: "opt-in with another reap value is not opted in",
    input: { cluster: cluster({ "jobflow-reap": "always" }) },
    action: "keep",
    rule: "unmanaged",
  },
  {
    name: "dry run still decides delete (the caller does not act)",
    input: { cluster: cluster(managedTags()), dryRun: true },
    action: "delete",
    rule: "orphaned",
  },
];

describe("decideReap", () => {
  it.each(rows)("$name → $action ($rule)", ({ input, action, rule }) => {
    const d = decideReap({ activity: idle, nowMs: NOW, dryRun: false, ...input });
    expect({ action: d.action, rule: d.rule }).toEqual({ action, rule });
    expect(d.clusterName).toBe("c1");
    expect(d.reason.length).toBeGreaterThan(5);
  });

  it("records the evidence: ages, holders, activity and idle time", () => {
    const d = decideReap({
      cluster: cluster(managedTags()),
      orchestration: orch({ idleSince: minutesAgo(20) }),
      activity: idle,
      nowMs: NOW,
      dryRun: false,
    });
    expect(d.rule).toBe("idle-below-threshold");
    expect(d.evidence).toMatchObject({
      managed: true,
      optedIn: false,
      ageMinutes: 120,
      liveOrchestration: true,
      holders: [],
      activeBatches: 0,
      runningApps: 0,
      idleThresholdMinutes: 15,
      idleSince: minutesAgo(20),
      idleForMinutes: 20,
      lastActivityAt: minutesAgo(20),
      orchestrationPhase: "ready",
    });
    const held = decideReap({
      cluster: cluster(managedTags()),
      orchestration: orch({ holders: ["j-9"] }),
      activity: idle,
      nowMs: NOW,
      dryRun: false,
    });
    expect(held.evidence.holders).toEqual(["j-9"]);
    expect(held.evidence.lastActivityAt).toBe(new Date(NOW).toISOString());
  });

  it("stamps an idle opted-in cluster and clears the stamp when it is busy again, never in dry run", () => {
    const first = decideReap({ cluster: cluster({ "jobflow-reap": "idle" }), activity: idle, nowMs: NOW, dryRun: false });
    expect(first.tagUpdate).toEqual({ set: { [IDLE_SINCE_TAG]: new Date(NOW).toISOString() } });
    const busy = decideReap({
      cluster: cluster({ "jobflow-reap": "idle", [IDLE_SINCE_TAG]: minutesAgo(5) }),
      activity: { probed: true, activeBatches: 1, runningApps: 0 },
      nowMs: NOW,
      dryRun: false,
    });
    expect(busy.tagUpdate).toEqual({ remove: [IDLE_SINCE_TAG] });
    const dry = decideReap({ cluster: cluster({ "jobflow-reap": "idle" }), activity: idle, nowMs: NOW, dryRun: true });
    expect(dry.tagUpdate).toBeUndefined();
    expect(dry.dryRun).toBe(true);
  });

  it("a managed cluster is never stamped (its orchestration knows when it went idle)", () => {
    const d = decideReap({ cluster: cluster(managedTags()), orchestration: { holders: [] }, activity: idle, nowMs: NOW, dryRun: false });
    expect(d.rule).toBe("idle-stamped");
    expect(d.tagUpdate).toBeUndefined();
  });
});

describe("needsActivityProbe", () => {
  it("probes only clusters whose decision depends on Livy/YARN activity", () => {
    expect(needsActivityProbe(cluster({}), undefined, NOW)).toBe(false);
    expect(needsActivityProbe(cluster(managedTags()), undefined, NOW)).toBe(false); // orphan
    expect(needsActivityProbe(cluster(managedTags()), orch({ holders: ["j"] }), NOW)).toBe(false);
    expect(needsActivityProbe(cluster(managedTags({ "jobflow-expires-at": minutesAgo(11) })), orch(), NOW)).toBe(false);
    expect(needsActivityProbe(cluster(managedTags()), orch({ idleSince: minutesAgo(30) }), NOW)).toBe(true);
    expect(needsActivityProbe(cluster({ "jobflow-reap": "idle" }), undefined, NOW)).toBe(true);
    expect(
      needsActivityProbe(
        cluster({ "jobflow-reap": "idle" }, { provisioningState: "InProgress", clusterState: "Accepted" }),
        undefined,
        NOW,
      ),
    ).toBe(false);
  });
});

describe("auditing only what changed", () => {
  const optIn = (idleMinutes: number, threshold = "30"): ReturnType<typeof decideReap> =>
    decideReap({
      cluster: cluster({ "jobflow-reap": "idle", "jobflow-idle-minutes": threshold, [IDLE_SINCE_TAG]: minutesAgo(idleMinutes) }),
      activity: idle,
      nowMs: NOW,
      dryRun: false,
    });

  it("treats the same rule with only numbers moved on as the same news, anything else as new", () => {
    expect(auditKey(optIn(12), "kept")).toBe(auditKey(optIn(17), "kept"));
    expect(auditKey(optIn(12), "kept")).not.toBe(auditKey(optIn(12, "20"), "kept")); // threshold changed
    expect(auditKey(optIn(12), "kept")).not.toBe(auditKey(optIn(31), "deleteRequested")); // rule and outcome changed
    const held = (holder: string): string =>
      auditKey(
        decideReap({
          cluster: cluster(managedTags()),
          orchestration: orch({ holders: [holder] }),
          activity: idle,
          nowMs: NOW,
          dryRun: false,
        }),
        "kept",
      );
    expect(held("job-a")).not.toBe(held("job-b"));
  });

  it.each([
    ["kept, first time", "kept", "k", undefined, true],
    ["kept, same key as last audited", "kept", "k", "k", false],
    ["kept, key changed", "kept", "k2", "k", true],
    ["delete requested, same key", "deleteRequested", "k", "k", true],
    ["failed, same key", "failed", "k", "k", true],
  ] as const)("%s → audit %s", (_name, outcome, key, last, expected) => {
    expect(shouldAudit(outcome, key, last)).toBe(expected);
  });
});
