// The sandbox's Microsoft.Compute Run Command emulation driven by the real @azure/arm-compute 24.1.0 client:
// scripts really run with bash under the VM's JF_ROOT, host-changing commands are recorded.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { TEST_RESOURCE_GROUP as RG, useTestSandbox } from "../../support/sandbox";

const env = useTestSandbox({ vms: ["dss-edge-01", "jupyter-edge-01", "spare-edge-01"] });
const POLL = { updateIntervalInMs: 20 };

describe("sandbox: VM Run Command", () => {
  it("serves the registered VM and 404s an unknown one", async () => {
    const compute = env.current.compute();
    const vm = await compute.virtualMachines.get(RG, "dss-edge-01", { expand: "instanceView" });
    expect(vm.name).toBe("dss-edge-01");
    expect(vm.instanceView?.statuses?.map((s) => s.code)).toContain("PowerState/running");
    await expect(compute.virtualMachines.get(RG, "no-such-vm")).rejects.toMatchObject({ statusCode: 404 });
  });

  it("runs a managed (v2) script with named and protected parameters and reports exit code and output", async () => {
    const compute = env.current.compute();
    const script = [
      "set -euo pipefail",
      'mkdir -p "$JF_ROOT/etc/jobflow"',
      'printf "%s\\n" "$CLUSTER" > "$JF_ROOT/etc/jobflow/cluster"',
      'apt-get install -y "hadoop-client"',
      "systemctl restart dss",
      'echo "cluster=$CLUSTER secret-length=${#S3_SECRET}"',
      'echo "to stderr" >&2',
      "exit 3",
    ].join("\n");
    await compute.virtualMachineRunCommands
      .createOrUpdate(
        RG,
        "dss-edge-01",
        "sync-jf-1",
        {
          location: "westeurope",
          source: { script },
          parameters: [{ name: "CLUSTER", value: "jf-a'b $(rm -rf /)" }],
          protectedParameters: [{ name: "S3_SECRET", value: "very-secret-value" }],
          asyncExecution: false,
          timeoutInSeconds: 60,
        },
        POLL,
      )
      .pollUntilDone();
    const rc = await compute.virtualMachineRunCommands.getByVirtualMachine(RG, "dss-edge-01", "sync-jf-1", { expand: "instanceView" });
    const view = rc.instanceView;
    expect(view?.executionState).toBe("Failed");
    expect(view?.exitCode).toBe(3);
    expect(view?.output).toContain("cluster=jf-a'b $(rm -rf /) secret-length=17");
    expect(view?.error).toContain("to stderr");
    expect(view?.startTime).toBeInstanceOf(Date);
    expect(view?.endTime).toBeInstanceOf(Date);
    expect(JSON.stringify(rc)).not.toContain("very-secret-value");
    const root = env.current.sandbox.control.vmRoot("dss-edge-01");
    expect(readFileSync(join(root, "etc/jobflow/cluster"), "utf8")).toBe("jf-a'b $(rm -rf /)\n");
    expect(env.current.sandbox.control.recordedCommands("dss-edge-01")).toEqual([
      { command: "apt-get", args: ["install", "-y", "hadoop-client"] },
      { command: "systemctl", args: ["restart", "dss"] },
    ]);
    const listed: string[] = [];
    for await (const r of compute.virtualMachineRunCommands.listByVirtualMachine(RG, "dss-edge-01")) listed.push(r.name ?? "");
    expect(listed).toContain("sync-jf-1");
  });

  it("runs a v1 RunShellScript and returns [stdout]/[stderr] in the message", async () => {
    const compute = env.current.compute();
    const result = await compute.virtualMachines
      .runCommand(
        RG,
        "jupyter-edge-01",
        { commandId: "RunShellScript", script: ['echo "hello $WHO"', "echo oops >&2"], parameters: [{ name: "WHO", value: "edge" }] },
        POLL,
      )
      .pollUntilDone();
    const message = result.value?.[0]?.message ?? "";
    expect(message).toMatch(/^Enable succeeded: \n\[stdout\]\nhello edge\n\n\[stderr\]\noops\n/);
  });

  it("refuses a concurrent v1 run with 409 Conflict while a script runs", async () => {
    const compute = env.current.compute();
    const slow = compute.virtualMachineRunCommands.createOrUpdate(
      RG,
      "spare-edge-01",
      "slow",
      { location: "westeurope", source: { script: "sleep 1; echo done" }, asyncExecution: true },
      POLL,
    );
    await slow.pollUntilDone();
    await expect(
      compute.virtualMachines.runCommand(RG, "spare-edge-01", { commandId: "RunShellScript", script: ["true"] }, POLL).pollUntilDone(),
    ).rejects.toMatchObject({ statusCode: 409 });
    await env.current.sandbox.control.runCommandsIdle();
    const rc = await compute.virtualMachineRunCommands.getByVirtualMachine(RG, "spare-edge-01", "slow", { expand: "instanceView" });
    expect(rc.instanceView?.executionState).toBe("Succeeded");
  });

  it("terminates a running managed command when it is deleted", async () => {
    const compute = env.current.compute();
    await compute.virtualMachineRunCommands
      .createOrUpdate(
        RG,
        "spare-edge-01",
        "forever",
        { location: "westeurope", source: { script: "sleep 30" }, asyncExecution: true },
        POLL,
      )
      .pollUntilDone();
    await compute.virtualMachineRunCommands.delete(RG, "spare-edge-01", "forever", POLL).pollUntilDone();
    await expect(compute.virtualMachineRunCommands.getByVirtualMachine(RG, "spare-edge-01", "forever")).rejects.toMatchObject({
      statusCode: 404,
    });
    await env.current.sandbox.control.runCommandsIdle();
  });

  it("enforces timeoutInSeconds and truncates output to the last 4 KiB", async () => {
    const compute = env.current.compute();
    await compute.virtualMachineRunCommands
      .createOrUpdate(
        RG,
        "spare-edge-01",
        "chatty",
        { location: "westeurope", source: { script: "for i in $(seq 1 2000); do echo line-$i; done; sleep 20" }, timeoutInSeconds: 1 },
        POLL,
      )
      .pollUntilDone();
    const view = (await compute.virtualMachineRunCommands.getByVirtualMachine(RG, "spare-edge-01", "chatty", { expand: "instanceView" }))
      .instanceView;
    expect(view?.executionState).toBe("TimedOut");
    expect(Buffer.byteLength(view?.output ?? "")).toBeLessThanOrEqual(4096);
    expect(view?.output).toContain("line-2000");
    expect(view?.output).not.toContain("line-1\n");
  });

  it("injects a run-command failure for the next run on a VM", async () => {
    const compute = env.current.compute();
    env.current.sandbox.control.addRunCommandFault("jupyter-edge-01", { kind: "fail", exitCode: 42 });
    await compute.virtualMachineRunCommands
      .createOrUpdate(RG, "jupyter-edge-01", "doomed", { location: "westeurope", source: { script: "echo fine" } }, POLL)
      .pollUntilDone();
    const view = (await compute.virtualMachineRunCommands.getByVirtualMachine(RG, "jupyter-edge-01", "doomed", { expand: "instanceView" }))
      .instanceView;
    expect(view).toMatchObject({ executionState: "Failed", exitCode: 42 });
  });
});
