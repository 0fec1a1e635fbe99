// ClusterGatewayInfo over the gateway: Ambari REST at `<gateway>/api/v1/…` (not /ambari) and the YARN
// ResourceManager REST at `<gateway>/yarnui/ws/v1/cluster/…`.
import type { ClusterGatewayInfo, YarnApp, YarnClusterMetrics } from "../ambari";
import { JobflowError } from "../../errors";
import { GatewayHttp, type GatewayClientOptions } from "./gatewayHttp";

export function createClusterGatewayInfo(options: GatewayClientOptions): ClusterGatewayInfo {
  const http = new GatewayHttp(options);
  return {
    async downloadClientConfigBundle(clusterName, o): Promise<Buffer> {
      const path = `/api/v1/clusters/${encodeURIComponent(clusterName)}/components?format=client_config_tar`;
      const response = await http.send("GET", path, {
        binary: true,
        headers: { accept: "application/x-gzip, application/octet-stream, */*" },
        abortSignal: o?.abortSignal,
      });
      return response.bytes ?? Buffer.from(response.text ?? "", "binary");
    },
    async activeHeadnodeIp(clusterName, o): Promise<string> {
      const base = `/api/v1/clusters/${encodeURIComponent(clusterName)}`;
      type HostComponents = { items?: { HostRoles?: { host_name?: string; ha_state?: string } }[] };
      const raw = await http.json<HostComponents>(
        "GET",
        `${base}/host_components?HostRoles/component_name=NAMENODE&fields=HostRoles/ha_state`,
        { abortSignal: o?.abortSignal },
      );
      const roles = (raw?.items ?? []).map((i) => i.HostRoles ?? {});
      const host = (roles.find((r) => r.ha_state === "ACTIVE") ?? roles[0])?.host_name;
      if (!host) throw new JobflowError("NotFoundError", `Ambari of ${clusterName} lists no NameNode host`);
      const info = await http.json<{ Hosts?: { ip?: string } }>("GET", `${base}/hosts/${encodeURIComponent(host)}`, {
        abortSignal: o?.abortSignal,
      });
      const ip = info?.Hosts?.ip;
      if (!ip) throw new JobflowError("NotFoundError", `Ambari of ${clusterName} has no IP for ${host}`);
      return ip;
    },
    async runningApps(o): Promise<YarnApp[]> {
      const raw = await http.json<{ apps: { app?: YarnApp[] } | null }>("GET", "/yarnui/ws/v1/cluster/apps?states=RUNNING,ACCEPTED", {
        abortSignal: o?.abortSignal,
      });
      return raw?.apps?.app ?? [];
    },
    async metrics(o): Promise<YarnClusterMetrics> {
      const raw = await http.json<{ clusterMetrics?: Partial<YarnClusterMetrics> }>("GET", "/yarnui/ws/v1/cluster/metrics", {
        abortSignal: o?.abortSignal,
      });
      const m = raw?.clusterMetrics ?? {};
      const n = (v: number | undefined): number => (typeof v === "number" ? v : 0);
      return {
        appsSubmitted: n(m.appsSubmitted),
        appsCompleted: n(m.appsCompleted),
        appsPending: n(m.appsPending),
        appsRunning: n(m.appsRunning),
        appsFailed: n(m.appsFailed),
        appsKilled: n(m.appsKilled),
        containersAllocated: n(m.containersAllocated),
        allocatedMB: n(m.allocatedMB),
        availableMB: n(m.availableMB),
        activeNodes: n(m.activeNodes),
      };
    },
  };
}
