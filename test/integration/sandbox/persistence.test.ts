// "Azure kept going": a sandbox killed and restarted on the same data folder still has its clusters, run commands,
// VM files and clock, and provisioning/deletes that continued while it was down are caught up from timestamps.
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { VirtualClock } from "../../../local/clock/virtualClock";
import { startSandbox } from "../../../local/sandbox/sandbox";
import { TEST_RESOURCE_GROUP as RG, TEST_START_MS, startTestSandbox } from "../../support/sandbox";
import { sparkClusterBody } from "./clusterBodies";

const MINUTE = 60_000;
const dataDir = mkdtempSync(join(tmpdir(), "jobflow-sandbox-restart-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe("sandbox: persistence across restarts", () => {
  it("catches up provisioning and deletes that happened while it was down", async () => {
    const first = await startTestSandbox({ dataDir });
    const hdi = first.hdinsight();
    const creating = await hdi.clusters.beginCreate(RG, "jf-restart-01", sparkClusterBody());
    const savedPoller = creating.toString();
    await hdi.clusters.beginCreate(RG, "jf-restart-02", sparkClusterBody());
    await first.sandbox.control.advanceBy(21 * MINUTE);
    await hdi.clusters.beginDelete(RG, "jf-restart-02");
    await hdi.clusters.beginCreate(RG, "jf-restart-03", sparkClusterBody());
    await first
      .compute()
      .virtualMachineRunCommands.createOrUpdate(
        RG,
        "dss-edge-01",
        "write-file",
        { location: "westeurope", source: { script: 'echo kept > "$JF_ROOT/etc/kept"' } },
        { updateIntervalInMs: 10 },
      )
      .pollUntilDone();
    await first.stop();

    // The process was down for 40 virtual minutes: nothing ran in between, yet the states move on.
    const later = new VirtualClock({ mode: "manual", startMs: first.clock.nowMs() + 40 * MINUTE });
    // Same port, as a restarted `npm start` would use: the saved poller holds absolute URLs.
    const second = await startTestSandbox({ dataDir, clock: later, port: first.sandbox.port });
    try {
      const hdi2 = second.hdinsight();
      expect((await hdi2.clusters.get(RG, "jf-restart-03")).properties?.clusterState).toBe("Running");
      await expect(hdi2.clusters.get(RG, "jf-restart-02")).rejects.toMatchObject({ statusCode: 404 });
      const resumed = await hdi2.clusters.beginCreate(RG, "jf-restart-01", undefined as never, { resumeFrom: savedPoller });
      expect((await resumed.pollUntilDone()).properties?.provisioningState).toBe("Succeeded");
      const rc = await second
        .compute()
        .virtualMachineRunCommands.getByVirtualMachine(RG, "dss-edge-01", "write-file", { expand: "instanceView" });
      expect(rc.instanceView).toMatchObject({ executionState: "Succeeded", exitCode: 0 });
      expect(readFileSync(join(second.sandbox.control.vmRoot("dss-edge-01"), "etc/kept"), "utf8")).toBe("kept\n");
    } finally {
      await second.stop();
    }
  });

  it("persists its own clock and scenario settings", async () => {
    const dir = join(dataDir, "owned-clock");
    const a = await startSandbox({
      dataDir: dir,
      clockMode: "manual",
      clockStartMs: TEST_START_MS,
      settings: { provisioningDurationMs: 5 * MINUTE },
    });
    await a.clock.advanceBy(10 * MINUTE);
    await a.stop();
    const b = await startSandbox({ dataDir: dir, clockMode: "manual" });
    try {
      expect(b.clock.nowMs()).toBe(TEST_START_MS + 10 * MINUTE);
      expect(b.control.updateSettings({}).provisioningDurationMs).toBe(5 * MINUTE);
      expect(existsSync(b.caPath)).toBe(true);
      expect(b.caPem).toBe(a.caPem); // same certificate: clients that trusted it keep trusting it
    } finally {
      await b.stop();
    }
  });
});
