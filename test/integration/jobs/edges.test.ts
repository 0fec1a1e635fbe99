// Edge VMs end to end, with the edge sync script really run by bash in the sandbox's VM folders: a job attaches its
// edges (hosts block, marker, client configs naming the cluster) and detaches them at the end; the API attaches a
// VM outside any job, attaching to another cluster is a switch, and deleting a cluster detaches what points at it.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { TestStack } from "../../support/stack";
import { clusters, finish, jobDoc, record, useStackPerFile } from "./jobHelpers";

let stack: TestStack;
useStackPerFile((started) => (stack = started));

/** A file under the VM's root as the edge script left it (null when absent); symlinks are followed. */
function vmFile(vm: string, path: string): string | null {
  const full = join(stack.sandbox.control.vmRoot(vm), path);
  return existsSync(full) ? readFileSync(full, "utf8") : null;
}

async function attachedTo(vm: string): Promise<string | null> {
  const body = (await (await stack.api("/edges")).json()) as { edges: { name: string; attachedTo: string | null }[] };
  return body.edges.find((e) => e.name === vm)?.attachedTo ?? null;
}

function expectAttached(vm: string, cluster: string): void {
  expect(vmFile(vm, "/etc/jobflow/attached")).toMatch(new RegExp(`^cluster=${cluster}$`, "m"));
  const hosts = vmFile(vm, "/etc/hosts") ?? "";
  expect(hosts).toMatch(/# BEGIN jobflow cluster hosts[^\n]*\n\S+ headnodehost\n/);
  expect(hosts).toContain("# END jobflow cluster hosts");
  expect(vmFile(vm, "/etc/spark3/conf/spark-env.sh")).toContain(`HDINSIGHT_CLUSTER_NAME=${cluster}`);
  expect(vmFile(vm, "/etc/hadoop/conf/yarn-site.xml")).toContain("headnodehost");
  expect(vmFile(vm, "/etc/profile.d/jobflow.sh")).toContain(`JOBFLOW_CLUSTER='${cluster}'`);
}

function expectDetached(vm: string): void {
  expect(vmFile(vm, "/etc/jobflow/attached")).toBeNull();
  expect(vmFile(vm, "/etc/hosts")).not.toContain("jobflow cluster hosts");
  expect(vmFile(vm, "/etc/spark3/conf/spark-env.sh")).toBeNull();
  expect(vmFile(vm, "/etc/profile.d/jobflow.sh")).toBeNull();
}

describe("edges in a job", () => {
  it("attaches the job's edge VMs before the steps and detaches them at the end", async () => {
    const vms = ["dss-edge-01", "jupyter-edge-01"];
    const id = await stack.submit(jobDoc("with-edges", [{ id: "one", seconds: 600 }], { edges: vms }));
    await stack.runUntil(async () => (await record(stack, id)).state === "running", { what: "job running" });
    const clusterName = (await record(stack, id)).cluster.name as string;
    for (const vm of vms) {
      expectAttached(vm, clusterName);
      expect(await attachedTo(vm)).toBe(clusterName);
    }
    const r = await finish(stack, id);
    expect(r.state).toBe("succeeded");
    expect(r.edges).toEqual(vms.map((vm) => ({ vm, state: "detached" })));
    for (const vm of vms) {
      expectDetached(vm);
      expect(await attachedTo(vm)).toBeNull();
    }
  }, 60_000);
});

describe("edges through the API", () => {
  async function edgeOperation(
    vm: string,
    action: "attach" | "detach",
    cluster?: string,
  ): Promise<{ mode: string; result: { ok: boolean; message?: string } }> {
    const res = await stack.api(`/edges/${vm}/${action}`, {
      method: "POST",
      body: JSON.stringify(cluster ? { cluster } : {}),
      headers: { "content-type": "application/json" },
    });
    const started = (await res.json()) as { mode: string; operationId: string };
    expect(res.status).toBe(202);
    let status: { runtimeStatus: string; result: { ok: boolean; message?: string } } | undefined;
    await stack.runUntil(
      async () => {
        status = (await (await stack.api(`/edges/operations/${started.operationId}`)).json()) as typeof status;
        return status?.runtimeStatus === "Completed";
      },
      { what: `${action} ${vm} done` },
    );
    return { mode: started.mode, result: (status as NonNullable<typeof status>).result };
  }

  it("attaches a VM to a warm cluster, switches it to another, and detaches it when that cluster is deleted", async () => {
    // Two warm clusters of different shapes (so they are not shared), kept for hours.
    const keep = { reuse: "warm", keepWarmMinutes: 600, keepWarmPolicy: "fixed" };
    const dev = await finish(
      stack,
      await stack.submit(jobDoc("dev", [{ id: "s", seconds: 60 }], { cluster: { profile: "default", ...keep } })),
    );
    const prod = await finish(
      stack,
      await stack.submit(
        jobDoc("prod", [{ id: "s", seconds: 60 }], { cluster: { profile: "default", overrides: { workerCount: 3 }, ...keep } }),
      ),
    );
    const [devName, prodName] = [dev.cluster.name as string, prod.cluster.name as string];
    expect(devName).not.toBe(prodName);
    const vm = "dss-edge-01";

    const attach = await edgeOperation(vm, "attach", devName);
    expect(attach).toMatchObject({ mode: "attach", result: { ok: true } });
    // GET /edges keeps the last sync beside the attachment: when, the result and the script's output tail.
    const listed = (
      (await (await stack.api("/edges")).json()) as {
        edges: { name: string; lastSync: { ok: boolean; mode: string; clusterName: string; outputTail?: string } | null }[];
      }
    ).edges;
    const lastSync = listed.find((e) => e.name === vm)?.lastSync;
    expect(lastSync).toMatchObject({ ok: true, mode: "attach", clusterName: devName });
    expect(lastSync?.outputTail).toMatch(/\S/);
    expect(lastSync?.outputTail ?? "").not.toMatch(/[?&]sig=(?!REDACTED)/);
    expectAttached(vm, devName);
    expect(await attachedTo(vm)).toBe(devName);

    const sw = await edgeOperation(vm, "attach", prodName);
    expect(sw).toMatchObject({ mode: "switch", result: { ok: true } });
    expectAttached(vm, prodName);
    expect(existsSync(join(stack.sandbox.control.vmRoot(vm), "etc/jobflow/clusters", devName))).toBe(false);
    expect(await attachedTo(vm)).toBe(prodName);

    // Deleting the cluster the VM points at detaches the VM first.
    expect((await stack.api(`/clusters/${prodName}`, { method: "DELETE" })).status).toBe(202);
    await stack.runUntil(async () => (await attachedTo(vm)) === null, { what: "edge detached by the cluster's delete" });
    expectDetached(vm);

    // Attach again and detach through the API.
    expect(await edgeOperation(vm, "attach", devName)).toMatchObject({ mode: "attach", result: { ok: true } });
    expectAttached(vm, devName);
    expect(await edgeOperation(vm, "detach")).toMatchObject({ mode: "detach", result: { ok: true } });
    expectDetached(vm);
    expect(await attachedTo(vm)).toBeNull();

    expect((await stack.api(`/clusters/${devName}`, { method: "DELETE" })).status).toBe(202);
    expect((await clusters(stack)).length).toBeGreaterThan(0);
  }, 90_000);
});

describe("an edge operation Azure refuses", () => {
  it("is not retried: a 403 on the run command fails the operation at once, with the reason and in the last sync", async () => {
    const vm = "jupyter-edge-01";
    const earlier = stack.sandbox.control.requests({ component: "arm" }).length; // the tests above ran commands on it too
    stack.sandbox.control.addFault({
      kind: "error",
      status: 403,
      method: "PUT",
      pathContains: `/virtualMachines/${vm}/runCommands/`,
      count: 1,
    });
    const res = await stack.api(`/edges/${vm}/detach`, { method: "POST", body: "{}", headers: { "content-type": "application/json" } });
    expect(res.status).toBe(202);
    const { operationId } = (await res.json()) as { operationId: string };
    let status: { runtimeStatus: string; result: { ok: boolean; message?: string } } | undefined;
    await stack.runUntil(
      async () => {
        status = (await (await stack.api(`/edges/operations/${operationId}`)).json()) as typeof status;
        return status?.runtimeStatus === "Completed";
      },
      { what: "refused detach done" },
    );
    expect(status?.result).toMatchObject({ ok: false, message: expect.stringMatching(/403/) as unknown });
    const puts = stack.sandbox.control
      .requests({ component: "arm" })
      .slice(earlier)
      .filter((x) => x.method === "PUT" && x.path.includes(`/virtualMachines/${vm}/runCommands/`));
    expect(puts.map((p) => p.status)).toEqual([403]); // once: a permanent failure is never retried
    const listed = (
      (await (await stack.api("/edges")).json()) as { edges: { name: string; lastSync: { ok: boolean; message?: string } | null }[] }
    ).edges;
    expect(listed.find((e) => e.name === vm)?.lastSync).toMatchObject({ ok: false, message: expect.stringMatching(/403/) as unknown });
  }, 90_000);
});
