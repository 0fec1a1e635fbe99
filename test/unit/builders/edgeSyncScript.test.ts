// Runs the real edge sync script with real bash, real curl and real tar against a temp root per VM.
import { execFile, spawn, spawnSync } from "node:child_process";
import { existsSync, lstatSync, mkdirSync, readFileSync, readlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseEdgeSyncResult, type EdgeAttachTarget } from "../../../shared/builders/edgeRunCommand";
import { EDGE_EXIT_CODES } from "../../../shared/builders/edgeSyncScript";
import { EdgeHarness, snapshot } from "./edgeHarness";

const h = new EdgeHarness();
const AT = "2026-11-21T10:00:00Z";
let devUrl = "";
let prodUrl = "";

function target(overrides: Partial<EdgeAttachTarget> = {}): EdgeAttachTarget {
  return {
    clusterName: "jfdev0000aa-dev",
    clusterVersion: "5.1.3000.0",
    headnodeIp: "10.0.0.4",
    hosts: [{ ip: "10.0.0.5", names: ["hn0-dev.internal.cloudapp.net", "hn0-dev"] }],
    bundleSasUrl: devUrl,
    apt: {
      repoUrl: "https://repo.example.net/hdinsight/5.1",
      suite: "bionic",
      components: ["main"],
      armoredKey: "-----BEGIN PGP PUBLIC KEY BLOCK-----\nmQINBF...\n-----END PGP PUBLIC KEY BLOCK-----",
    },
    packages: [
      { name: "hadoop-client", version: "3.3.4.5.1.3000.0-1" },
      { name: "spark3-client", version: "3.3.1.5.1.3000.0-1" },
    ],
    env: { JAVA_HOME: "/usr/lib/jvm/temurin-8-jdk-amd64", PYSPARK_PYTHON: "/usr/bin/python3" },
    ...overrides,
  };
}

const prodTarget = (): EdgeAttachTarget =>
  target({ clusterName: "jfprod000bb-prod", headnodeIp: "10.1.0.4", hosts: [], bundleSasUrl: prodUrl, env: {} });

function attach(root: string, t: EdgeAttachTarget = target(), action: "attach" | "switch" = "attach") {
  return h.runCommand({ action, vmName: "dss-edge-01", target: t, requestedAt: AT, rootPrefix: root });
}

function detach(root: string) {
  return h.runCommand({ action: "detach", vmName: "dss-edge-01", requestedAt: AT, rootPrefix: root });
}

function read(root: string, path: string): string {
  return readFileSync(join(root, path), "utf8");
}

beforeAll(async () => {
  await h.start();
  devUrl = h.serveBundle("/bundles/dev.tar.gz", {
    "hadoop/core-site.xml": "<configuration><property><name>fs.defaultFS</name><value>abfs://dev</value></property></configuration>\n",
    "hadoop/yarn-site.xml": "<configuration/>\n",
    "spark3/spark-defaults.conf": "spark.master yarn\n",
    "hive/hive-site.xml": "<configuration/>\n",
  });
  prodUrl = h.serveBundle("/bundles/prod.tar.gz", {
    "hadoop/core-site.xml": "<configuration><!-- prod --></configuration>\n",
    "spark3/spark-defaults.conf": "spark.master yarn\nspark.executor.memory 8g\n",
  });
});

afterAll(async () => {
  await h.stop();
});

describe("edge sync script: attach", () => {
  it("installs repo, pinned packages, configs, conf links, hosts block, profile and marker", async () => {
    const root = h.newRoot();
    h.clearRecords();
    const run = await attach(root);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const result = parseEdgeSyncResult(run.stdout);
    expect(result).toEqual({
      ok: true,
      action: "attach",
      code: "ok",
      cluster: "jfdev0000aa-dev",
      version: "5.1.3000.0",
      changed: true,
      message: "done",
    });
    expect(run.stdout.trimEnd().split("\n").pop()).toMatch(/^JOBFLOW_EDGE_RESULT=\{/);

    expect(read(root, "etc/apt/sources.list.d/jobflow-hdinsight.list")).toBe("deb https://repo.example.net/hdinsight/5.1 bionic main\n");
    expect(read(root, "etc/apt/trusted.gpg.d/jobflow-hdinsight.asc")).toMatch(/^-----BEGIN PGP PUBLIC KEY BLOCK-----\n/);
    expect(h.records()).toEqual([
      "dpkg [-s] [hadoop-client]",
      "dpkg [-s] [spark3-client]",
      "apt-get [update] [-q]",
      "apt-get [install] [-y] [-q] [--no-install-recommends] [--allow-downgrades] [hadoop-client=3.3.4.5.1.3000.0-1] [spark3-client=3.3.1.5.1.3000.0-1]",
    ]);

    expect(read(root, "etc/jobflow/clusters/jfdev0000aa-dev/hadoop/core-site.xml")).toContain("abfs://dev");
    expect(readlinkSync(join(root, "etc/hadoop/conf"))).toBe("../jobflow/clusters/jfdev0000aa-dev/hadoop");
    expect(readlinkSync(join(root, "etc/spark3/conf"))).toBe("../jobflow/clusters/jfdev0000aa-dev/spark3");
    expect(readlinkSync(join(root, "etc/hive/conf"))).toBe("../jobflow/clusters/jfdev0000aa-dev/hive");
    expect(existsSync(join(root, "etc/tez/conf"))).toBe(false);
    expect(read(root, "etc/hadoop/conf/core-site.xml")).toContain("abfs://dev");
    expect(read(root, "etc/hadoop/conf.jobflow-orig/distro-default.xml")).toBe("<configuration/>\n");

    expect(read(root, "etc/hosts")).toBe(
      "127.0.0.1 localhost\n10.9.9.9 dss-edge-01\n" +
        "# BEGIN jobflow cluster hosts (managed by Jobflow edge sync; do not edit)\n" +
        "10.0.0.4 headnodehost\n10.0.0.5 hn0-dev.internal.cloudapp.net hn0-dev\n# END jobflow cluster hosts\n",
    );
    expect(read(root, "etc/profile.d/jobflow.sh")).toBe(
      "# Managed by Jobflow edge sync: environment of the attached HDInsight cluster. Do not edit.\n" +
        "export JOBFLOW_CLUSTER='jfdev0000aa-dev'\nexport JOBFLOW_CLUSTER_VERSION='5.1.3000.0'\n" +
        "export HADOOP_CONF_DIR='/etc/hadoop/conf'\nexport SPARK_CONF_DIR='/etc/spark3/conf'\n" +
        "export JAVA_HOME='/usr/lib/jvm/temurin-8-jdk-amd64'\nexport PYSPARK_PYTHON='/usr/bin/python3'\n",
    );
    expect(read(root, "etc/jobflow/attached")).toBe("cluster=jfdev0000aa-dev\nversion=5.1.3000.0\nattached_at=2026-11-21T10:00:00Z\n");
    expect(lstatSync(join(root, "etc/jobflow/clusters/jfdev0000aa-dev/hadoop/core-site.xml")).mode & 0o777).toBe(0o644);
    expect(h.requests.some((r) => r === "/bundles/dev.tar.gz?sv=2024-08-04&sig=abc%2Bdef")).toBe(true);
  });

  it("is idempotent: a second attach leaves a byte-identical tree and reports no change", async () => {
    const root = h.newRoot();
    expect((await attach(root)).code).toBe(0);
    const first = snapshot(root);
    const again = await attach(root);
    expect(again.code).toBe(0);
    expect(parseEdgeSyncResult(again.stdout)?.changed).toBe(false);
    expect(snapshot(root)).toEqual(first);
  });

  it("works without apt settings or packages (skips apt entirely)", async () => {
    const root = h.newRoot();
    h.clearRecords();
    const run = await attach(root, target({ apt: undefined, packages: [], hosts: [], env: {} }));
    expect(run.code).toBe(0);
    expect(h.records()).toEqual([]);
    expect(existsSync(join(root, "etc/apt"))).toBe(false);
  });

  it("refuses attach while attached to another cluster (exit 6), leaving the tree unchanged", async () => {
    const root = h.newRoot();
    await attach(root);
    const before = snapshot(root);
    const run = await attach(root, prodTarget());
    expect(run.code).toBe(EDGE_EXIT_CODES.attachedElsewhere);
    expect(parseEdgeSyncResult(run.stdout)?.code).toBe("attached-elsewhere");
    expect(snapshot(root)).toEqual(before);
  });
});

describe("edge sync script: detach and switch", () => {
  it("detach removes hosts block, configs, links, profile and marker but keeps user data", async () => {
    const root = h.newRoot();
    const pristine = snapshot(root);
    await attach(root);
    mkdirSync(join(root, "home/ana/notebooks"), { recursive: true });
    writeFileSync(join(root, "home/ana/notebooks/model.ipynb"), "{}\n");
    mkdirSync(join(root, "data/results"), { recursive: true });
    writeFileSync(join(root, "data/results/part-0000.csv"), "a,b\n");
    const run = await detach(root);
    expect(run.code).toBe(0);
    expect(parseEdgeSyncResult(run.stdout)).toMatchObject({ ok: true, action: "detach", cluster: "jfdev0000aa-dev", changed: true });
    expect(read(root, "home/ana/notebooks/model.ipynb")).toBe("{}\n");
    expect(read(root, "data/results/part-0000.csv")).toBe("a,b\n");
    expect(read(root, "etc/hosts")).toBe("127.0.0.1 localhost\n10.9.9.9 dss-edge-01\n");
    expect(lstatSync(join(root, "etc/hadoop/conf")).isDirectory()).toBe(true);
    for (const gone of [
      "etc/spark3/conf",
      "etc/profile.d/jobflow.sh",
      "etc/jobflow/attached",
      "etc/jobflow/clusters",
      "etc/hadoop/conf.jobflow-orig",
    ]) {
      expect(existsSync(join(root, gone))).toBe(false);
    }
    // Everything the VM had before attach is back; what remains extra is user data and empty dirs attach created.
    const after = snapshot(root);
    for (const entry of pristine) expect(after).toContain(entry);
    const again = await detach(root);
    expect(again.code).toBe(0);
    expect(parseEdgeSyncResult(again.stdout)).toMatchObject({ ok: true, changed: false, cluster: null });
  });

  it("detach on a VM that was never attached succeeds without change", async () => {
    const root = h.newRoot();
    const run = await detach(root);
    expect(run.code).toBe(0);
    expect(parseEdgeSyncResult(run.stdout)).toMatchObject({ ok: true, changed: false });
    expect(read(root, "etc/hosts")).toBe("127.0.0.1 localhost\n10.9.9.9 dss-edge-01\n");
  });

  it("switch dev → prod replaces configs, links, hosts and marker", async () => {
    const root = h.newRoot();
    await attach(root);
    const run = await attach(root, prodTarget(), "switch");
    expect(run.code).toBe(0);
    expect(parseEdgeSyncResult(run.stdout)).toMatchObject({ ok: true, action: "switch", cluster: "jfprod000bb-prod", changed: true });
    expect(read(root, "etc/jobflow/attached")).toContain("cluster=jfprod000bb-prod\n");
    expect(existsSync(join(root, "etc/jobflow/clusters/jfdev0000aa-dev"))).toBe(false);
    expect(read(root, "etc/hadoop/conf/core-site.xml")).toContain("prod");
    expect(existsSync(join(root, "etc/hive/conf"))).toBe(false); // prod bundle has no hive: dev's link is gone
    const hosts = read(root, "etc/hosts");
    expect(hosts).toContain("10.1.0.4 headnodehost\n");
    expect(hosts).not.toContain("10.0.0.4");
    expect(hosts.match(/# BEGIN jobflow/g)).toHaveLength(1);
    expect(read(root, "etc/hadoop/conf.jobflow-orig/distro-default.xml")).toBe("<configuration/>\n");
    // switch to the same cluster again = idempotent attach
    const before = snapshot(root);
    expect((await attach(root, prodTarget(), "switch")).code).toBe(0);
    expect(snapshot(root)).toEqual(before);
  });

  it("a switch whose bundle is missing keeps the current attachment (exit 4)", async () => {
    const root = h.newRoot();
    await attach(root);
    const before = snapshot(root);
    const run = await attach(root, target({ clusterName: "jfprod000bb-prod", bundleSasUrl: h.url("/bundles/missing.tar.gz") }), "switch");
    expect(run.code).toBe(EDGE_EXIT_CODES.bundleDownload);
    expect(snapshot(root)).toEqual(before);
  });
});

describe("edge sync script: failures", () => {
  it("missing bundle → exit 4, nothing attached", async () => {
    const root = h.newRoot();
    const run = await attach(root, target({ bundleSasUrl: h.url("/bundles/nope.tar.gz") }));
    expect(run.code).toBe(EDGE_EXIT_CODES.bundleDownload);
    expect(parseEdgeSyncResult(run.stdout)).toMatchObject({ ok: false, code: "bundle-download" });
    expect(run.stdout.trimEnd().split("\n").pop()).toMatch(/^JOBFLOW_EDGE_RESULT=/);
    expect(run.stderr).not.toContain("sig=");
    expect(existsSync(join(root, "etc/jobflow/attached"))).toBe(false);
    expect(readdirNames(join(root, "etc/jobflow"))).toEqual([".lock"]);
  });

  it.each([
    ["not a tar.gz", (): string => (h.serveRaw("/bundles/garbage", Buffer.from("hello")), h.url("/bundles/garbage"))],
    ["entry outside a service dir", (): string => h.serveBundle("/bundles/outside", { "hadoop/a.xml": "x", "etc/cron.d/evil": "x" })],
    ["no hadoop dir", (): string => h.serveBundle("/bundles/nohadoop", { "spark3/a.conf": "x" })],
    [
      "a symlink",
      (): string =>
        h.serveBundle("/bundles/link", { "hadoop/a.xml": "x" }, (dir) =>
          spawnSync("ln", ["-s", "/etc/shadow", join(dir, "hadoop/shadow")]),
        ),
    ],
    [
      "a ../ entry",
      (): string => {
        const tgz = join(h.base, "dotdot.tgz");
        const dir = join(h.base, "dotdot/hadoop");
        mkdirSync(dir, { recursive: true });
        writeFileSync(join(h.base, "dotdot/evil"), "x");
        spawnSync("tar", ["-czf", tgz, "-C", dir, "../evil"]);
        h.serveRaw("/bundles/dotdot", readFileSync(tgz));
        return h.url("/bundles/dotdot");
      },
    ],
  ])("invalid bundle (%s) → exit 5, nothing attached", async (_label, makeUrl) => {
    const root = h.newRoot();
    const run = await attach(root, target({ bundleSasUrl: makeUrl() }));
    expect(run.code).toBe(EDGE_EXIT_CODES.bundleInvalid);
    expect(parseEdgeSyncResult(run.stdout)?.code).toBe("bundle-invalid");
    expect(existsSync(join(root, "etc/jobflow/attached"))).toBe(false);
    expect(existsSync(join(root, "etc/jobflow/clusters"))).toBe(false);
    expect(existsSync(join(root, "etc/cron.d"))).toBe(false);
    expect(existsSync(join(root, "etc/jobflow/evil"))).toBe(false);
  });

  it("apt failure → exit 3", async () => {
    const root = h.newRoot();
    const failing = join(h.base, "failing-stubs");
    mkdirSync(failing, { recursive: true });
    writeFileSync(join(failing, "apt-get"), "#!/bin/sh\nexit 100\n", { mode: 0o755 });
    const env: Record<string, string> = {
      JF_ACTION: "attach",
      JF_ROOT: root,
      JF_CLUSTER_NAME: "jfdev0000aa-dev",
      JF_CLUSTER_VERSION: "5.1",
      JF_ATTACHED_AT: AT,
      JF_HEADNODE_IP: "10.0.0.4",
      JF_BUNDLE_URL: devUrl,
      JF_PACKAGES: "hadoop-client=3.3.4",
      PATH: `${failing}:${h.stubDir}:${process.env.PATH}`,
    };
    const run = await h.run(env);
    expect(run.code).toBe(EDGE_EXIT_CODES.apt);
    expect(parseEdgeSyncResult(run.stdout)?.code).toBe("apt");
  });

  it("a concurrent sync on the same VM → exit 8 once the lock wait is over", async () => {
    const root = h.newRoot();
    mkdirSync(join(root, "etc/jobflow"), { recursive: true });
    const holder = spawn("flock", [join(root, "etc/jobflow/.lock"), "sleep", "30"], { stdio: "ignore" });
    try {
      await waitUntil(() => spawnSync("flock", ["-n", join(root, "etc/jobflow/.lock"), "true"]).status !== 0);
      const run = await h.run({ JF_ACTION: "detach", JF_ROOT: root, JF_LOCK_WAIT_SECONDS: "0" });
      expect(run.code).toBe(EDGE_EXIT_CODES.busy);
      expect(parseEdgeSyncResult(run.stdout)?.code).toBe("busy");
    } finally {
      holder.kill();
    }
  });

  it("bad action and bad root are parameter errors (exit 2)", async () => {
    expect((await h.run({ JF_ACTION: "destroy" })).code).toBe(EDGE_EXIT_CODES.badParameter);
    expect((await h.run({ JF_ACTION: "detach", JF_ROOT: "relative/path" })).code).toBe(EDGE_EXIT_CODES.badParameter);
    expect((await h.run({ JF_ACTION: "detach", JF_ROOT: "/does/not/exist" })).code).toBe(EDGE_EXIT_CODES.badParameter);
    const missing = await h.run({ JF_ACTION: "attach", JF_ROOT: h.newRoot() });
    expect(missing.code).toBe(EDGE_EXIT_CODES.badParameter);
    expect(parseEdgeSyncResult(missing.stdout)).toMatchObject({ ok: false, action: "attach", code: "bad-parameter" });
  });
});

async function waitUntil(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((r) => setTimeout(r, 10));
}

function readdirNames(dir: string): string[] {
  return spawnSync("ls", ["-A", dir], { encoding: "utf8" }).stdout.split("\n").filter(Boolean);
}

describe("edge sync script: hostile values", () => {
  const canary = (): string => join(h.base, "CANARY");
  const payloads = (): string[] => [
    `'; touch ${canary()}; '`,
    `$(touch ${canary()})`,
    `\`touch ${canary()}\``,
    `"; touch ${canary()}; echo "`,
    `line1\nline2 $(touch ${canary()})\n`,
    `a;b&&c||d|e>f<g`,
    `*`,
    `/etc/*`,
    `-rf --no-preserve-root /`,
    `--help`,
    `back\\slash \\' \\n \\\\`,
    `it's "quoted" 'twice'`,
    `\${IFS}\${PATH}$HOME`,
    `tab\there and trailing space `,
    `ünïcödé ✓`,
    ``,
  ];

  it("environment values land verbatim in profile.d for bash and sh, and nothing executes", async () => {
    const root = h.newRoot();
    const env = Object.fromEntries(payloads().map((v, i) => [`HOSTILE_${i}`, v]));
    const run = await attach(root, target({ env }));
    expect(run.code).toBe(0);
    expect(existsSync(canary())).toBe(false);
    const profile = join(root, "etc/profile.d/jobflow.sh");
    for (const shell of ["bash", "sh"]) {
      const keys = Object.keys(env);
      const dump = spawnSync(
        shell,
        ["-c", `. "$1"; for k in ${keys.join(" ")}; do eval "printf '%s\\0' \\"\\$$k\\""; done`, "x", profile],
        {
          encoding: "utf8",
          env: { PATH: process.env.PATH },
        },
      );
      expect(dump.status).toBe(0);
      expect(dump.stdout.split("\0").slice(0, -1)).toEqual(keys.map((k) => env[k]));
    }
    expect(existsSync(canary())).toBe(false);
  });

  it.each([
    ["JF_CLUSTER_NAME", (c: string) => `x$(touch ${c})`],
    ["JF_CLUSTER_NAME", () => "-rf"],
    ["JF_CLUSTER_NAME", () => "../../etc"],
    ["JF_CLUSTER_VERSION", (c: string) => `5.1;touch ${c}`],
    ["JF_HEADNODE_IP", (c: string) => `\`touch ${c}\``],
    ["JF_HOSTS", (c: string) => `10.0.0.5 a;touch ${c}`],
    ["JF_HOSTS", () => "10.0.0.5 ok\n10.0.0.6 *"],
    ["JF_PACKAGES", (c: string) => `hadoop=1;touch${"${IFS}"}${c}`],
    ["JF_PACKAGES", () => "-oDir=/tmp=1"],
    ["JF_ATTACHED_AT", (c: string) => `2026-11-21T10:00:00Z$(touch ${c})`],
    ["JF_APT_SUITE", () => "--option"],
    ["JF_APT_KEY", (c: string) => `$(touch ${c})`],
    ["JF_BUNDLE_URL", (c: string) => `http://evil.example/$(touch ${c})`],
    ["JF_ENV__PATH", () => "/tmp/evil"],
    ["JF_ENV__LD_PRELOAD", () => "/tmp/evil.so"],
  ])("%s = hostile value is rejected with exit 2 before anything changes", async (name, make) => {
    const root = h.newRoot();
    const before = snapshot(root);
    const env: Record<string, string> = {
      JF_ACTION: "attach",
      JF_ROOT: root,
      JF_CLUSTER_NAME: "jfdev0000aa-dev",
      JF_CLUSTER_VERSION: "5.1",
      JF_ATTACHED_AT: AT,
      JF_HEADNODE_IP: "10.0.0.4",
      JF_BUNDLE_URL: devUrl,
      JF_APT_REPO_URL: "https://repo.example.net/x",
      JF_APT_SUITE: "bionic",
      JF_APT_COMPONENTS: "main",
      JF_APT_KEY: "-----BEGIN PGP PUBLIC KEY BLOCK-----\nx",
    };
    env[name] = make(canary());
    const run = await h.run(env);
    expect(run.code).toBe(EDGE_EXIT_CODES.badParameter);
    expect(parseEdgeSyncResult(run.stdout)).toMatchObject({ ok: false, code: "bad-parameter" });
    expect(existsSync(canary())).toBe(false);
    expect(snapshot(root).filter((e) => !e.startsWith("D etc/jobflow"))).toEqual(before);
    expect(run.stdout).not.toContain("touch");
  });

  it("a hostile SAS query reaches the server verbatim and executes nothing", async () => {
    const root = h.newRoot();
    const query = `sig=$(touch${"${IFS}"}${canary()})&x=\`id\`&y=;ls&q="quoted"&b=back\\slash`;
    const run = await attach(root, target({ bundleSasUrl: h.url("/bundles/dev.tar.gz", query) }));
    expect(run.code).toBe(0);
    expect(existsSync(canary())).toBe(false);
    expect(h.requests).toContain(`/bundles/dev.tar.gz?${query}`);
    expect(run.stdout + run.stderr).not.toContain("sig=");
  });
});

describe("edge sync script: shellcheck", () => {
  it("is shellcheck-clean", async () => {
    const result = await new Promise<{ code: number; out: string }>((resolve) =>
      execFile("shellcheck", ["--shell=bash", "--severity=style", h.scriptPath], (err, stdout, stderr) =>
        resolve({ code: err ? Number(err.code) : 0, out: stdout + stderr }),
      ),
    );
    expect(result.out).toBe("");
    expect(result.code).toBe(0);
  });
});
