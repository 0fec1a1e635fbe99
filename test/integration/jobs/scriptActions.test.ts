// Profile script actions (EMR BootstrapActions → HDInsight persisted script actions) on the embedded stack: a job on
// a profile with script actions creates its cluster with them on the right roles, the sandbox's nodes run them
// (scriptExecutionHistory through the real @azure/arm-hdinsight client), and a failing script fails the cluster's
// creation and the job with the script's name. plan shows them; a bad profile is refused with its pointer.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { LOCAL_RESOURCE_GROUP } from "../../../local/stack";
import { main } from "../../../cli/main";
import { memoryOutput } from "../../../cli/output";
import { validateProfileDocument } from "../../../shared/profiles/catalog";
import { BUILTIN_PROFILES } from "../../../shared/profiles/builtin";
import type { TestStack } from "../../support/stack";
import { armClient } from "../policies/helpers";
import { finish, jobDoc, useStackPerFile } from "./jobHelpers";

const SCRIPTS = [
  {
    name: "install-libs",
    uri: "https://jobflowlake.blob.core.windows.net/scripts/install-libs.sh",
    parameters: "numpy==1.26.4 pandas",
    roles: ["headnode", "workernode"],
  },
  { name: "tune-zk", uri: "https://jobflowlake.blob.core.windows.net/scripts/tune-zk.sh", roles: ["zookeepernode"] },
];
const profiles = mkdtempSync(join(tmpdir(), "jobflow-profiles-scripts-"));
const profile = (name: string, scriptActions: unknown[]): Record<string, unknown> => ({
  ...structuredClone(BUILTIN_PROFILES.default),
  name,
  description: name,
  scriptActions,
});
writeFileSync(join(profiles, "with-scripts.json"), JSON.stringify(profile("with-scripts", SCRIPTS)));
writeFileSync(
  join(profiles, "broken-script.json"),
  JSON.stringify(
    profile("broken-script", [
      { name: "setup", uri: "https://jobflowlake.blob.core.windows.net/scripts/setup-fails.sh", roles: ["workernode"] },
    ]),
  ),
);

let stack: TestStack;
useStackPerFile(
  (started) => (stack = started),
  () => ({ settings: { JOBFLOW_PROFILES_PATH: profiles } }),
);

describe("profile script actions", () => {
  it("run on the nodes of their roles while the cluster is created", async () => {
    const id = await stack.submit(
      jobDoc("with-scripts", [{ id: "s", seconds: 60 }], { cluster: { profile: "with-scripts", reuse: "never", keepWarmMinutes: 0 } }),
    );
    const r = await finish(stack, id);
    expect(r.state).toBe("succeeded");
    const client = armClient(stack);
    const history = [];
    // The virtual clock stands still between runUntil calls: the cluster is still there (being deleted).
    for await (const h of client.scriptExecutionHistory.listByCluster(LOCAL_RESOURCE_GROUP, r.cluster.name as string)) history.push(h);
    // (The RP never reads script parameters back: they often carry credentials.)
    expect(history.map((h) => [h.name, h.status, h.roles, h.uri, h.executionSummary?.[0].instanceCount])).toEqual([
      ["install-libs", "Succeeded", ["headnode", "workernode"], SCRIPTS[0].uri, 4],
      ["tune-zk", "Succeeded", ["zookeepernode"], SCRIPTS[1].uri, 3],
    ]);
    // Create-time script actions are persisted (nodes added by a resize run them too).
    const persisted = [];
    for await (const p of client.scriptActions.listByCluster(LOCAL_RESOURCE_GROUP, r.cluster.name as string))
      persisted.push([p.name, p.roles]);
    expect(persisted).toEqual([
      ["install-libs", ["headnode", "workernode"]],
      ["tune-zk", ["zookeepernode"]],
    ]);
  }, 120_000);

  it("a failing script fails the cluster's creation and the job, naming the script", async () => {
    const id = await stack.submit(
      jobDoc("broken-script", [{ id: "s", seconds: 60 }], { cluster: { profile: "broken-script", reuse: "never", keepWarmMinutes: 0 } }),
    );
    const r = await finish(stack, id);
    expect(r.state).toBe("failed");
    expect(r.error).toMatch(/Script action 'setup' failed on role workernode/);
  }, 120_000);

  it("plan shows them; a profile with a bad script action is refused with its pointer", async () => {
    const dir = mkdtempSync(join(tmpdir(), "jobflow-plan-scripts-"));
    const file = join(dir, "job.json");
    writeFileSync(file, JSON.stringify(jobDoc("plan-scripts", [{ id: "s" }], { cluster: { profile: "with-scripts" } })));
    const out = memoryOutput();
    expect(await main(["plan", file, "--profiles", profiles], out, { JOBFLOW_EDGE_VMS: "" })).toBe(0);
    expect(out.stdout).toContain(`  script action install-libs on headnode, workernode at create: ${SCRIPTS[0].uri} numpy==1.26.4 pandas`);
    const bad = validateProfileDocument(
      profile("bad", [
        { name: "a", uri: "http://x/a.sh", roles: [] },
        { name: "b", uri: "https://x/b.sh", roles: ["edgenode"] },
      ]),
    );
    expect(bad.ok ? [] : bad.problems.map((p) => p.pointer)).toEqual(
      expect.arrayContaining(["/scriptActions/0/uri", "/scriptActions/0/roles", "/scriptActions/1/roles/0"]),
    );
    const dup = validateProfileDocument(profile("dup", [SCRIPTS[1], SCRIPTS[1]]));
    expect(dup.ok ? [] : dup.problems).toEqual([
      { pointer: "/scriptActions/1/name", message: "script action name 'tune-zk' is used twice" },
    ]);
  });
});
