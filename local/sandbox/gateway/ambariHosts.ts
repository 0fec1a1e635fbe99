// Ambari's view of the cluster's hosts and host components: FQDNs, private IPs and which head node is active, so an
// edge sync can write the `<ip> headnodehost` line of /etc/hosts (and follow a head-node failover injected through
// the control endpoint). IPs are data only (a private 10.x range derived from the cluster name), never contacted.
import type { ServerResponse } from "node:http";
import type { SandboxClusterView } from "../contracts";
import { nodeFqdn } from "./clientConfigs";
import { sendJson } from "./httpUtil";

export type HeadNode = "hn0" | "hn1";

export interface ClusterHost {
  short: string;
  fqdn: string;
  ip: string;
}

export interface HostComponent {
  service: string;
  component: string;
  host: ClusterHost;
  /** NameNode / ResourceManager HA state on head nodes. */
  haState?: "ACTIVE" | "STANDBY";
}

/** A stable second octet per cluster, so two clusters' hosts differ and a test can tell them apart. */
function subnetOctet(clusterName: string): number {
  let h = 0;
  for (const ch of clusterName) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return 20 + (h % 200);
}

/** Head nodes, ZooKeeper nodes and `workerCount` worker nodes of the cluster. */
export function clusterHosts(view: SandboxClusterView, workerCount: number): ClusterHost[] {
  const octet = subnetOctet(view.name);
  const host = (short: string, last: number): ClusterHost => ({ short, fqdn: nodeFqdn(view, short), ip: `10.${octet}.0.${last}` });
  return [
    host("hn0", 11),
    host("hn1", 12),
    host("zk0", 21),
    host("zk1", 22),
    host("zk2", 23),
    ...Array.from({ length: workerCount }, (_, i) => host(`wn${i}`, 31 + i)),
  ];
}

/** Server components per host, with the HA state that follows `active`. */
export function hostComponents(hosts: ClusterHost[], active: HeadNode): HostComponent[] {
  const out: HostComponent[] = [];
  for (const host of hosts) {
    if (host.short === "hn0" || host.short === "hn1") {
      const haState = host.short === active ? "ACTIVE" : "STANDBY";
      out.push({ service: "HDFS", component: "NAMENODE", host, haState }, { service: "YARN", component: "RESOURCEMANAGER", host, haState });
    } else if (host.short.startsWith("zk")) {
      out.push({ service: "ZOOKEEPER", component: "ZOOKEEPER_SERVER", host });
    } else {
      out.push({ service: "HDFS", component: "DATANODE", host }, { service: "YARN", component: "NODEMANAGER", host });
    }
  }
  return out;
}

function hostRoles(clusterName: string, c: HostComponent): Record<string, unknown> {
  return {
    cluster_name: clusterName,
    component_name: c.component,
    service_name: c.service,
    host_name: c.host.fqdn,
    state: "STARTED",
    ...(c.haState ? { ha_state: c.haState } : {}),
  };
}

/**
 * Serves `hosts`, `hosts/<fqdn>` and `host_components` (with Ambari's `HostRoles/<field>=<value>` predicates);
 * returns false when `sub` is none of these.
 */
export function handleHostRoutes(
  res: ServerResponse,
  view: SandboxClusterView,
  clusterHref: string,
  sub: string,
  hostName: string | undefined,
  query: URLSearchParams,
  hosts: ClusterHost[],
  active: HeadNode,
): boolean {
  const components = hostComponents(hosts, active);
  if (sub === "hosts" && hostName === undefined) {
    sendJson(res, 200, {
      href: `${clusterHref}/hosts`,
      items: hosts.map((h) => ({
        href: `${clusterHref}/hosts/${h.fqdn}`,
        Hosts: { cluster_name: view.name, host_name: h.fqdn, ip: h.ip },
      })),
    });
    return true;
  }
  if (sub === "hosts") {
    const host = hosts.find((h) => h.fqdn === hostName);
    if (!host) {
      sendJson(res, 404, { status: 404, message: `The requested resource doesn't exist: Host not found, hostname=${hostName}` });
      return true;
    }
    sendJson(res, 200, {
      href: `${clusterHref}/hosts/${host.fqdn}`,
      Hosts: {
        cluster_name: view.name,
        host_name: host.fqdn,
        ip: host.ip,
        public_host_name: host.fqdn,
        host_state: "HEALTHY",
        host_status: "HEALTHY",
      },
      host_components: components
        .filter((c) => c.host === host)
        .map((c) => ({ href: `${clusterHref}/hosts/${host.fqdn}/host_components/${c.component}`, HostRoles: hostRoles(view.name, c) })),
    });
    return true;
  }
  if (sub === "host_components" && hostName === undefined) {
    const predicates = [...query.entries()]
      .filter(([k]) => k.startsWith("HostRoles/"))
      .map(([k, v]) => [k.slice("HostRoles/".length), v] as const);
    const items = components
      .map((c) => ({ c, roles: hostRoles(view.name, c) }))
      .filter(({ roles }) => predicates.every(([field, value]) => String(roles[field] ?? "") === value))
      .map(({ c, roles }) => ({ href: `${clusterHref}/hosts/${c.host.fqdn}/host_components/${c.component}`, HostRoles: roles }));
    sendJson(res, 200, { href: `${clusterHref}/host_components`, items });
    return true;
  }
  return false;
}

/** Ambari's answer for a server (non-client) component, e.g. services/HDFS/components/NAMENODE. */
export function serverComponentInfo(
  view: SandboxClusterView,
  serviceHref: string,
  clusterHref: string,
  service: string,
  component: string,
  hosts: ClusterHost[],
  active: HeadNode,
): Record<string, unknown> | undefined {
  const on = hostComponents(hosts, active).filter((c) => c.service === service && c.component === component);
  if (on.length === 0) return undefined;
  return {
    href: `${serviceHref}/components/${component}`,
    ServiceComponentInfo: {
      cluster_name: view.name,
      component_name: component,
      service_name: service,
      category: on[0]?.haState ? "MASTER" : "SLAVE",
      state: "STARTED",
    },
    host_components: on.map((c) => ({
      href: `${clusterHref}/hosts/${c.host.fqdn}/host_components/${component}`,
      HostRoles: hostRoles(view.name, c),
    })),
  };
}
