// ClusterGatewayInfo over the gateway: Ambari REST at `<gateway>/api/v1/…` (not /ambari) and the YARN
// ResourceManager REST at `<gateway>/yarnui/ws/v1/cluster/…`.
import type { ClusterGatewayInfo, YarnApp, YarnClusterMetrics } from "../ambari";
import { GatewayHttp, type GatewayClientOptions } from "./gatewayHttp";

export function createClusterGatewayInfo(options: GatewayClientOptions): ClusterGatewayInfo {
  const http = new GatewayHttp(options);
  return {
    async downloadClientConfigBundle(clusterName, o): Promise<Buffer> {
      const path = `/api/v1/clusters/${encodeURIComponent(clusterName)}/components?format=client_config_tar`;
      const response = await http.send("GET", path, {
        binary: true, headers: { accept: "application/x-gzip, application/octet-stream, */*" }, abortSignal: o?.abortSignal,
      });
      return response.bytes ?? Buffer.from(response.text ?? "", "binary");
    },
    async runningApps(o): Promise<YarnApp[]> {
      const raw = await http.json<{ apps: { app?: YarnApp[] } | null }>(
        "GET", "/yarnui/ws/v1/cluster/apps?states=RUNNING,ACCEPTED", { abortSignal: o?.abortSignal });
      return raw?.apps?.app ?? [];
    },
    async metrics(o): Promise<YarnClusterMetrics> {
      const raw = await http.json<{ clusterMetrics?: Partial<YarnClusterMetrics> }>(
        "GET", "/yarnui/ws/v1/cluster/metrics", { abortSignal: o?.abortSignal });
      const m = raw?.clusterMetrics ?? {};
      const n = (v: number | undefined): number => (typeof v === "number" ? v : 0);
      return {
        appsSubmitted: n(m.appsSubmitted), appsCompleted: n(m.appsCompleted), appsPending: n(m.appsPending),
        appsRunning: n(m.appsRunning), appsFailed: n(m.appsFailed), appsKilled: n(m.appsKilled),
        containersAllocated: n(m.containersAllocated), allocatedMB: n(m.allocatedMB), availableMB: n(m.availableMB),
        activeNodes: n(m.activeNodes),
      };
    },
  };
}
