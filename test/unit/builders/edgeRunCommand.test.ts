import { describe, expect, it } from "vitest";
import {
  buildEdgeRunCommand,
  EDGE_DEFAULT_TIMEOUT_IN_SECONDS,
  parseEdgeSyncResult,
  redactEdgeRunCommand,
  type EdgeAttachTarget,
} from "../../../shared/builders/edgeRunCommand";
import { EDGE_SYNC_SCRIPT } from "../../../shared/builders/edgeSyncScript";

const target: EdgeAttachTarget = {
  clusterName: "jfabc-dev",
  clusterVersion: "5.1.3000.0",
  headnodeIp: "10.0.0.4",
  hosts: [
    { ip: "10.0.0.5", names: ["hn0", "hn0.internal"] },
    { ip: "10.0.0.6", names: ["hn1"] },
  ],
  bundleSasUrl: "https://acct.blob.core.windows.net/bundles/x.tgz?sig=SECRET",
  apt: { repoUrl: "https://repo/x", suite: "bionic", components: ["main", "extra"], armoredKey: "-----BEGIN PGP PUBLIC KEY BLOCK-----" },
  packages: [{ name: "hadoop-client", version: "3.3.4-1" }],
  env: { ZED: "z", ALPHA: "$(a)" },
};

describe("buildEdgeRunCommand", () => {
  it("passes every value as a named parameter and the SAS URL as a protected one", () => {
    const cmd = buildEdgeRunCommand({ action: "attach", vmName: "dss-edge-01", target, requestedAt: "2026-11-21T10:00:00Z" });
    expect(cmd.script).toBe(EDGE_SYNC_SCRIPT);
    expect(cmd.timeoutInSeconds).toBe(EDGE_DEFAULT_TIMEOUT_IN_SECONDS);
    expect(cmd.parameters).toEqual([
      { name: "JF_ACTION", value: "attach" },
      { name: "JF_CLUSTER_NAME", value: "jfabc-dev" },
      { name: "JF_CLUSTER_VERSION", value: "5.1.3000.0" },
      { name: "JF_ATTACHED_AT", value: "2026-11-21T10:00:00Z" },
      { name: "JF_HEADNODE_IP", value: "10.0.0.4" },
      { name: "JF_HOSTS", value: "10.0.0.5 hn0 hn0.internal\n10.0.0.6 hn1" },
      { name: "JF_APT_REPO_URL", value: "https://repo/x" },
      { name: "JF_APT_SUITE", value: "bionic" },
      { name: "JF_APT_COMPONENTS", value: "main extra" },
      { name: "JF_APT_KEY", value: "-----BEGIN PGP PUBLIC KEY BLOCK-----" },
      { name: "JF_PACKAGES", value: "hadoop-client=3.3.4-1" },
      { name: "JF_ENV__ALPHA", value: "$(a)" },
      { name: "JF_ENV__ZED", value: "z" },
    ]);
    expect(cmd.protectedParameters).toEqual([{ name: "JF_BUNDLE_URL", value: target.bundleSasUrl }]);
    expect(JSON.stringify(cmd.parameters)).not.toContain("SECRET");
    expect(cmd.script).not.toContain("jfabc-dev");
    expect(cmd.runCommandName).toMatch(/^jobflow-attach-[a-z2-7]{12}$/);
  });

  it("detach needs no target and sends only the action (and root in the sandbox)", () => {
    const cmd = buildEdgeRunCommand({ action: "detach", vmName: "vm", requestedAt: "2026-11-21T10:00:00Z", rootPrefix: "/tmp/vm1" });
    expect(cmd.parameters).toEqual([
      { name: "JF_ACTION", value: "detach" },
      { name: "JF_ROOT", value: "/tmp/vm1" },
    ]);
    expect(cmd.protectedParameters).toEqual([]);
  });

  it("run command names are unique per request and stable for the same request", () => {
    const a = buildEdgeRunCommand({ action: "switch", vmName: "vm", target, requestedAt: "2026-11-21T10:00:00Z" });
    const b = buildEdgeRunCommand({ action: "switch", vmName: "vm", target, requestedAt: "2026-11-21T10:05:00Z" });
    const c = buildEdgeRunCommand({ action: "switch", vmName: "vm2", target, requestedAt: "2026-11-21T10:00:00Z" });
    expect(new Set([a.runCommandName, b.runCommandName, c.runCommandName]).size).toBe(3);
    expect(buildEdgeRunCommand({ action: "switch", vmName: "vm", target, requestedAt: "2026-11-21T10:00:00Z" })).toEqual(a);
  });

  it.each([
    [{ action: "attach" as const, vmName: "vm" }, "/target"],
    [{ action: "switch" as const, vmName: "vm" }, "/target"],
    [{ action: "attach" as const, vmName: "", target }, "/vmName"],
    [{ action: "attach" as const, vmName: "vm", target: { ...target, env: { "BAD-KEY": "x" } } }, "/env/BAD-KEY"],
    [{ action: "attach" as const, vmName: "vm", target: { ...target, env: { LD_PRELOAD: "x" } } }, "/env/LD_PRELOAD"],
    [{ action: "attach" as const, vmName: "vm", target: { ...target, hosts: [{ ip: "1.2.3.4", names: [] }] } }, "/hosts/0/names"],
    [{ action: "attach" as const, vmName: "vm", target: { ...target, bundleSasUrl: "" } }, "/bundleSasUrl"],
  ])("rejects structurally bad input %#", (opts, pointer) => {
    try {
      buildEdgeRunCommand({ ...opts, requestedAt: "2026-11-21T10:00:00Z" });
      expect.unreachable();
    } catch (err) {
      expect((err as Error).name).toBe("ValidationError");
      expect((err as { problems: { pointer: string }[] }).problems.map((p) => p.pointer)).toContain(pointer);
    }
  });

  it("redaction replaces protected values with references", () => {
    const cmd = buildEdgeRunCommand({ action: "attach", vmName: "vm", target, requestedAt: "2026-11-21T10:00:00Z" });
    const redacted = redactEdgeRunCommand(cmd);
    expect(redacted.protectedParameters).toEqual([{ name: "JF_BUNDLE_URL", value: { secretRef: "bundle-url" } }]);
    expect(JSON.stringify(redacted)).not.toContain("SECRET");
    expect(cmd.protectedParameters[0].value).toContain("SECRET");
  });
});

describe("parseEdgeSyncResult", () => {
  it("reads the last result line of a stdout tail", () => {
    const out =
      'noise\nJOBFLOW_EDGE_RESULT={"ok":false,"action":"attach","code":"apt","cluster":null,"version":null,"changed":false,"message":"x"}\n' +
      'JOBFLOW_EDGE_RESULT={"ok":true,"action":"attach","code":"ok","cluster":"c","version":"5.1","changed":true,"message":"done"}\r\n';
    expect(parseEdgeSyncResult(out)).toEqual({
      ok: true,
      action: "attach",
      code: "ok",
      cluster: "c",
      version: "5.1",
      changed: true,
      message: "done",
    });
  });
  it.each(["", "no result here", "JOBFLOW_EDGE_RESULT={broken", 'JOBFLOW_EDGE_RESULT={"ok":"yes"}'])("returns undefined for %j", (out) => {
    expect(parseEdgeSyncResult(out)).toBeUndefined();
  });
});
