// Ambari client-config bundles (really untarred with tar -xzf) and YARN RM apps/metrics through the sandbox gateway.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { runningCluster, startGatewayHarness, type GatewayHarness, type HarnessResponse } from "../../support/gatewayHarness";

const auth = { username: "admin", password: "Sandbox-Pa55word!" };
const clusterStartMs = Date.parse("2026-11-21T09:40:00Z");
let h: GatewayHarness;
let scratch: string;

beforeAll(async () => {
  h = await startGatewayHarness();
  scratch = mkdtempSync(join(tmpdir(), "jobflow-ambari-"));
});
afterAll(async () => {
  await h.close();
  rmSync(scratch, { recursive: true, force: true });
});
beforeEach(async () => {
  await h.gateway.reset();
  h.clusters.clear();
  h.clusters.set("jf-dev", runningCluster("jf-dev", clusterStartMs));
  h.clusters.set("jf-prod", { ...runningCluster("jf-prod", clusterStartMs), defaultFsUrl: "abfs://prod@prodlake.dfs.core.windows.net" });
});

function get(cluster: string, path: string): Promise<HarnessResponse> {
  return h.request("GET", `/gateway/${cluster}${path}`, { basic: auth });
}

function untar(bundle: Buffer, name: string): string {
  const dir = join(scratch, name);
  const file = `${dir}.tar.gz`;
  writeFileSync(file, bundle);
  execFileSync("mkdir", ["-p", dir]);
  execFileSync("tar", ["-xzf", file, "-C", dir]);
  return dir;
}

describe("Ambari through the gateway", () => {
  it("describes the cluster and its services, with the cluster name case-sensitive", async () => {
    const info = (await get("jf-dev", "/api/v1/clusters/jf-dev")).json<{ Clusters: { cluster_name: string; version: string } }>();
    expect(info.Clusters).toMatchObject({ cluster_name: "jf-dev", version: "HDP-5.1" });
    const services = (await get("jf-dev", "/api/v1/clusters/jf-dev/services")).json<{
      items: Array<{ ServiceInfo: { service_name: string } }>;
    }>();
    expect(services.items.map((i) => i.ServiceInfo.service_name)).toEqual(
      expect.arrayContaining(["HDFS", "YARN", "SPARK3", "HIVE", "TEZ", "ZOOKEEPER"]),
    );
    const wrongCase = await get("jf-dev", "/api/v1/clusters/JF-DEV");
    expect(wrongCase.status).toBe(404);
    expect(wrongCase.json<{ message: string }>().message).toContain("Cluster not found");
  });

  it("serves the all-clients bundle as a tar.gz of /etc-style folders that names the cluster", async () => {
    const res = await get("jf-prod", "/api/v1/clusters/jf-prod/components?format=client_config_tar");
    expect(res.status).toBe(200);
    const dir = untar(res.body, "prod-all");
    for (const f of [
      "hadoop/conf/core-site.xml",
      "hadoop/conf/hdfs-site.xml",
      "hadoop/conf/yarn-site.xml",
      "hadoop/conf/mapred-site.xml",
      "spark3/conf/spark-defaults.conf",
      "spark3/conf/spark-env.sh",
      "hive/conf/hive-site.xml",
      "tez/conf/tez-site.xml",
      "zookeeper/conf/zoo.cfg",
    ]) {
      expect(statSync(join(dir, f)).isFile(), f).toBe(true);
    }
    const coreSite = readFileSync(join(dir, "hadoop/conf/core-site.xml"), "utf8");
    expect(coreSite).toContain("<name>fs.defaultFS</name>\n    <value>abfs://prod@prodlake.dfs.core.windows.net</value>");
    const yarnSite = readFileSync(join(dir, "hadoop/conf/yarn-site.xml"), "utf8");
    expect(yarnSite).toContain("<name>yarn.resourcemanager.hostname</name>\n    <value>headnodehost</value>");
    expect(yarnSite).toContain("hn0-jf-prod.");
    expect(readFileSync(join(dir, "zookeeper/conf/zoo.cfg"), "utf8")).toContain("zk0-jf-prod.");
    expect(statSync(join(dir, "spark3/conf/spark-env.sh")).mode & 0o111).not.toBe(0);
  });

  it("gives each cluster its own configuration", async () => {
    const dev = untar((await get("jf-dev", "/api/v1/clusters/jf-dev/components?format=client_config_tar")).body, "dev-all");
    const core = readFileSync(join(dev, "hadoop/conf/core-site.xml"), "utf8");
    expect(core).toContain("abfs://jf-dev@jfdevstorage.dfs.core.windows.net");
    expect(core).not.toContain("prod");
  });

  it("serves one client component's bundle with its files at the root", async () => {
    const res = await get("jf-dev", "/api/v1/clusters/jf-dev/services/SPARK3/components/SPARK3_CLIENT?format=client_config_tar");
    expect(res.status).toBe(200);
    expect(res.headers["content-disposition"]).toContain("SPARK3_CLIENT-configs.tar.gz");
    const listing = execFileSync("tar", ["-tzf", "-"], { input: res.body }).toString().trim().split("\n").sort();
    expect(listing).toEqual(["spark-defaults.conf", "spark-env.sh"]);
    expect((await get("jf-dev", "/api/v1/clusters/jf-dev/services/SPARK3/components/NOPE_CLIENT?format=client_config_tar")).status).toBe(
      404,
    );
  });
});

describe("Ambari hosts and the active head node", () => {
  type HostComponents = { items: Array<{ HostRoles: { component_name: string; host_name: string; ha_state?: string } }> };
  async function activeNameNode(cluster: string): Promise<string | undefined> {
    const res = await get(
      cluster,
      `/api/v1/clusters/${cluster}/host_components?HostRoles/component_name=NAMENODE&HostRoles/ha_state=ACTIVE`,
    );
    const items = res.json<HostComponents>().items;
    expect(items).toHaveLength(1);
    return items[0]?.HostRoles.host_name;
  }
  async function ipOf(cluster: string, fqdn: string): Promise<string> {
    return (await get(cluster, `/api/v1/clusters/${cluster}/hosts/${fqdn}`)).json<{ Hosts: { ip: string } }>().Hosts.ip;
  }

  it("lists hosts with private IPs that differ between clusters", async () => {
    const hosts = (await get("jf-dev", "/api/v1/clusters/jf-dev/hosts")).json<{
      items: Array<{ Hosts: { host_name: string; ip: string } }>;
    }>();
    expect(hosts.items.map((i) => i.Hosts.host_name.split("-")[0])).toEqual([
      "hn0",
      "hn1",
      "zk0",
      "zk1",
      "zk2",
      "wn0",
      "wn1",
      "wn2",
      "wn3",
    ]);
    const devHn0 = hosts.items[0]?.Hosts;
    expect(devHn0?.ip).toMatch(/^10\.\d+\.0\.11$/);
    expect(await ipOf("jf-prod", "hn0-jf-prod.sandbox.internal.cloudapp.net")).not.toBe(devHn0?.ip);
    expect((await get("jf-dev", "/api/v1/clusters/jf-dev/hosts/nope.example")).status).toBe(404);
  });

  it("reports the active NameNode on hn0 until a failover injected through the control endpoint", async () => {
    expect(await activeNameNode("jf-dev")).toBe("hn0-jf-dev.sandbox.internal.cloudapp.net");
    const failover = await h.request("POST", "/_sandbox/gateway/failover", { body: JSON.stringify({ cluster: "jf-dev" }) });
    expect(failover.json()).toEqual({ cluster: "jf-dev", activeHeadnode: "hn1" });
    expect(await activeNameNode("jf-dev")).toBe("hn1-jf-dev.sandbox.internal.cloudapp.net");
    expect(await activeNameNode("jf-prod")).toBe("hn0-jf-prod.sandbox.internal.cloudapp.net");
    const rm = (await get("jf-dev", "/api/v1/clusters/jf-dev/services/YARN/components/RESOURCEMANAGER")).json<
      HostComponents & { host_components: HostComponents["items"] }
    >();
    expect(rm.host_components.map((c) => c.HostRoles.ha_state)).toEqual(["STANDBY", "ACTIVE"]);
    expect((await get("jf-dev", "/api/v1/clusters/jf-dev/services/HDFS/components/NAMENODE?format=client_config_tar")).status).toBe(400);
  });
});

interface Apps {
  apps: {
    app: Array<{
      id: string;
      name: string;
      state: string;
      finalStatus: string;
      applicationType: string;
      startedTime: number;
      finishedTime: number;
    }>;
  } | null;
}

describe("YARN ResourceManager through the gateway", () => {
  async function submit(cluster: string, file: string, conf: Record<string, string> = {}): Promise<number> {
    const res = await h.request("POST", `/gateway/${cluster}/livy/batches`, {
      basic: auth,
      headers: { "x-requested-by": "t", "content-type": "application/json" },
      body: JSON.stringify({ file, conf }),
    });
    return res.json<{ id: number }>().id;
  }

  it("answers {apps:null} on an idle cluster", async () => {
    const res = await get("jf-dev", "/yarnui/ws/v1/cluster/apps?states=RUNNING,ACCEPTED");
    expect(res.json()).toEqual({ apps: null });
    const m = (await get("jf-dev", "/yarnui/ws/v1/cluster/metrics")).json<{ clusterMetrics: Record<string, number> }>().clusterMetrics;
    expect(m).toMatchObject({ appsRunning: 0, appsPending: 0, appsSubmitted: 0, containersAllocated: 0, activeNodes: 4 });
  });

  it("reflects Livy batches as SPARK apps, also after Livy forgets them", async () => {
    const submittedAt = h.clock.nowMs();
    await submit("jf-dev", "abfss://c@a.dfs.core.windows.net/etl.py", { "spark.jobflow.sandbox.durationSeconds": "60" });
    await h.clock.advanceBy(5_000);
    expect((await get("jf-dev", "/yarnui/ws/v1/cluster/apps?states=RUNNING")).json()).toEqual({ apps: null }); // still starting
    await h.clock.advanceBy(10_000);
    const running = (await get("jf-dev", "/yarnui/ws/v1/cluster/apps?states=RUNNING,ACCEPTED")).json<Apps>();
    expect(running.apps?.app).toHaveLength(1);
    expect(running.apps?.app[0]).toMatchObject({
      id: `application_${clusterStartMs}_0001`,
      name: "etl.py",
      state: "RUNNING",
      finalStatus: "UNDEFINED",
      applicationType: "SPARK",
      finishedTime: 0,
    });
    const m = (await get("jf-dev", "/yarnui/ws/v1/cluster/metrics")).json<{ clusterMetrics: Record<string, number> }>().clusterMetrics;
    expect(m).toMatchObject({ appsRunning: 1, appsSubmitted: 1, appsCompleted: 0 });
    expect(m.containersAllocated).toBeGreaterThan(0);

    await h.clock.advanceBy(60_000 + 600_000);
    const finished = (await get("jf-dev", "/yarnui/ws/v1/cluster/apps?states=FINISHED")).json<Apps>();
    expect(finished.apps?.app[0]).toMatchObject({ state: "FINISHED", finalStatus: "SUCCEEDED" });
    expect(finished.apps?.app[0]?.finishedTime).toBe(submittedAt + 60_000);
    expect((await get("jf-dev", "/yarnui/ws/v1/cluster/apps?states=RUNNING")).json()).toEqual({ apps: null });
    const one = await get("jf-dev", `/yarnui/ws/v1/cluster/apps/application_${clusterStartMs}_0001`);
    expect(one.json<{ app: { state: string } }>().app.state).toBe("FINISHED");
  });

  it("includes apps injected through the control endpoint until they finish", async () => {
    const created = await h.request("POST", "/_sandbox/gateway/yarn-apps", {
      body: JSON.stringify({ cluster: "jf-dev", name: "hive-query", applicationType: "TEZ" }),
    });
    expect(created.status).toBe(201);
    const appId = created.json<{ id: string }>().id;
    await submit("jf-dev", "abfss://c@a.dfs.core.windows.net/x.py", {
      "spark.jobflow.sandbox.outcome": "dead",
      "spark.jobflow.sandbox.durationSeconds": "30",
    });
    await h.clock.advanceBy(30_000);
    const running = (await get("jf-dev", "/yarnui/ws/v1/cluster/apps?states=RUNNING")).json<Apps>();
    expect(running.apps?.app.map((a) => [a.name, a.applicationType])).toEqual([["hive-query", "TEZ"]]);
    const failed = (await get("jf-dev", "/yarnui/ws/v1/cluster/apps?states=FAILED&applicationTypes=spark")).json<Apps>();
    expect(failed.apps?.app.map((a) => a.finalStatus)).toEqual(["FAILED"]);
    expect((await get("jf-prod", "/yarnui/ws/v1/cluster/apps")).json()).toEqual({ apps: null });

    expect((await h.request("POST", `/_sandbox/gateway/yarn-apps/${appId}/finish`, { body: "{}" })).status).toBe(200);
    const m = (await get("jf-dev", "/yarnui/ws/v1/cluster/metrics")).json<{ clusterMetrics: Record<string, number> }>().clusterMetrics;
    expect(m).toMatchObject({ appsRunning: 0, appsPending: 0, appsSubmitted: 2, appsCompleted: 1, appsFailed: 1 });
  });

  it("filters by finished time and refuses unknown states like the RM", async () => {
    await submit("jf-dev", "abfss://c@a.dfs.core.windows.net/x.py", { "spark.jobflow.sandbox.durationSeconds": "30" });
    await h.clock.advanceBy(30_000);
    const endedAt = h.clock.nowMs();
    await h.clock.advanceBy(60_000);
    const recent = await get("jf-dev", `/yarnui/ws/v1/cluster/apps?states=FINISHED,FAILED,KILLED&finishedTimeBegin=${endedAt + 1}`);
    expect(recent.json()).toEqual({ apps: null });
    const earlier = (await get("jf-dev", `/yarnui/ws/v1/cluster/apps?finishedTimeBegin=${endedAt - 1}`)).json<Apps>();
    expect(earlier.apps?.app[0]?.finishedTime).toBe(endedAt);
    const bad = await get("jf-dev", "/yarnui/ws/v1/cluster/apps?states=DONE");
    expect(bad.status).toBe(400);
    expect(bad.json<{ RemoteException: { exception: string } }>().RemoteException.exception).toBe("BadRequestException");
  });
});
