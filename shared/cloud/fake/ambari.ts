// In-memory ClusterGatewayInfo (Ambari + YARN of one cluster): the client-config bundle, the running YARN apps
// and the active head node are plain fields a test sets.
import { JobflowError } from "../../errors";
import type { ClusterGatewayInfo, YarnApp, YarnClusterMetrics } from "../ambari";
import { CallRecorder } from "./recorder";

type Method = "downloadClientConfigBundle" | "runningApps" | "metrics" | "activeHeadnodeIp";

export class FakeClusterGatewayInfo extends CallRecorder<Method> implements ClusterGatewayInfo {
  bundle: Buffer = Buffer.alloc(0);
  apps: YarnApp[] = [];
  headnodeIp: string | undefined = "10.0.0.4";
  clusterMetrics: YarnClusterMetrics = {
    appsSubmitted: 0,
    appsCompleted: 0,
    appsPending: 0,
    appsRunning: 0,
    appsFailed: 0,
    appsKilled: 0,
    containersAllocated: 0,
    allocatedMB: 0,
    availableMB: 0,
    activeNodes: 0,
  };

  async downloadClientConfigBundle(clusterName: string): Promise<Buffer> {
    this.enter("downloadClientConfigBundle", clusterName);
    return Buffer.from(this.bundle);
  }

  async runningApps(): Promise<YarnApp[]> {
    this.enter("runningApps");
    return this.apps.map((a) => ({ ...a }));
  }

  async metrics(): Promise<YarnClusterMetrics> {
    this.enter("metrics");
    return { ...this.clusterMetrics };
  }

  async activeHeadnodeIp(clusterName: string): Promise<string> {
    this.enter("activeHeadnodeIp", clusterName);
    if (!this.headnodeIp) throw new JobflowError("NotFoundError", `Ambari lists no NameNode for ${clusterName}`, { statusCode: 404 });
    return this.headnodeIp;
  }

  reset(): void {
    this.resetCalls();
    this.bundle = Buffer.alloc(0);
    this.apps = [];
    this.headnodeIp = "10.0.0.4";
  }
}
