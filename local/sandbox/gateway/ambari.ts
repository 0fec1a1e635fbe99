// Ambari REST through the HDInsight gateway (/api/v1/...): cluster info, services, components and the
// client_config_tar downloads an edge VM sync needs. The cluster segment is case-sensitive, as in Ambari.
import type { ServerResponse } from "node:http";
import type { SandboxClusterView } from "../contracts";
import { clusterHosts, handleHostRoutes, serverComponentInfo } from "./ambariHosts";
import { buildConfigTarGz, clientComponents, type ClientComponent } from "./clientConfigs";
import type { GatewayContext } from "./context";
import { sendJson } from "./httpUtil";

/** Services of an HDInsight 5.1 Spark cluster as Ambari lists them (client-less ones included). */
const services = ["HDFS", "YARN", "MAPREDUCE2", "TEZ", "HIVE", "SPARK3", "ZOOKEEPER", "AMBARI_METRICS"];

function ambariError(res: ServerResponse, status: number, message: string): void {
  sendJson(res, status, { status, message });
}

/** "5.1" → the stack version Ambari reports (HDInsight 5.1 runs its own "HDP-5.1" stack definition). */
function stackVersion(view: SandboxClusterView): string {
  const majorMinor = /^(\d+\.\d+)/.exec(view.clusterVersion)?.[1] ?? "5.1";
  return `HDP-${majorMinor}`;
}

async function sendTar(
  ctx: GatewayContext,
  res: ServerResponse,
  file: string,
  components: ClientComponent[],
  layout: "folders" | "flat",
): Promise<void> {
  // File mtimes only: the virtual clock may run ahead of real time, and tar warns about (and some scripts trip on)
  // timestamps in the future, so never stamp a file later than the wall clock.
  const mtime = new Date(Math.min(ctx.clock.nowMs(), Date.now()));
  const body = await buildConfigTarGz(components, layout, mtime);
  res.writeHead(200, {
    "content-type": "application/x-ustar",
    "content-disposition": `attachment; filename="${file}"`,
    "content-length": body.length,
  });
  res.end(body);
}

/** Serves GET /api/v1/...; `rest` = segments after /api/v1, `base` = the URL prefix for hrefs. */
export async function handleAmbari(
  ctx: GatewayContext,
  res: ServerResponse,
  view: SandboxClusterView,
  method: string,
  rest: string[],
  query: URLSearchParams,
  base: string,
): Promise<void> {
  if (method !== "GET") return ambariError(res, 405, "Method not allowed by the sandbox's Ambari emulation");
  const [top, clusterName, sub, serviceName, sub2, componentName, ...extra] = rest;
  if (top !== "clusters") return ambariError(res, 404, "The requested resource doesn't exist.");
  const clustersHref = `${base}/api/v1/clusters`;
  if (clusterName === undefined) {
    return sendJson(res, 200, {
      href: clustersHref,
      items: [{ href: `${clustersHref}/${view.name}`, Clusters: { cluster_name: view.name, version: stackVersion(view) } }],
    });
  }
  if (clusterName !== view.name) {
    return ambariError(res, 404, `The requested resource doesn't exist: Cluster not found, clusterName=${clusterName}`);
  }
  const clusterHref = `${clustersHref}/${view.name}`;
  const wantsTar = query.get("format") === "client_config_tar";
  const all = clientComponents(view);
  const hosts = clusterHosts(view, ctx.state.scenario.activeNodes);
  const active = ctx.clusterState(view).activeHeadnode ?? "hn0";
  if (sub === undefined) {
    return sendJson(res, 200, {
      href: clusterHref,
      Clusters: {
        cluster_id: 2,
        cluster_name: view.name,
        version: stackVersion(view),
        hdinsight_version: view.clusterVersion,
        provisioning_state: "INSTALLED",
        security_type: "NONE",
        total_hosts: hosts.length,
        health_report: { "Host/host_state/HEALTHY": hosts.length },
      },
      services: services.map((s) => ({ href: `${clusterHref}/services/${s}`, ServiceInfo: { cluster_name: view.name, service_name: s } })),
    });
  }
  if (sub === "components" && serviceName === undefined) {
    if (wantsTar) return sendTar(ctx, res, `${view.name}-configs.tar.gz`, all, "folders");
    return sendJson(res, 200, {
      href: `${clusterHref}/components`,
      items: all.map((c) => ({
        href: `${clusterHref}/services/${c.service}/components/${c.component}`,
        ServiceComponentInfo: { cluster_name: view.name, component_name: c.component, service_name: c.service },
      })),
    });
  }
  if (sub === "hosts" || sub === "host_components") {
    if (sub2 !== undefined) return ambariError(res, 404, "The requested resource doesn't exist.");
    if (handleHostRoutes(res, view, clusterHref, sub, serviceName, query, hosts, active)) return;
  }
  if (sub !== "services") return ambariError(res, 404, "The requested resource doesn't exist.");
  if (serviceName === undefined) {
    return sendJson(res, 200, {
      href: `${clusterHref}/services`,
      items: services.map((s) => ({ href: `${clusterHref}/services/${s}`, ServiceInfo: { cluster_name: view.name, service_name: s } })),
    });
  }
  if (!services.includes(serviceName)) {
    return ambariError(res, 404, `The requested resource doesn't exist: Service not found, Cluster=${view.name}, Service=${serviceName}`);
  }
  const serviceHref = `${clusterHref}/services/${serviceName}`;
  const ofService = all.filter((c) => c.service === serviceName);
  if (sub2 === undefined) {
    return sendJson(res, 200, {
      href: serviceHref,
      ServiceInfo: { cluster_name: view.name, service_name: serviceName, state: "STARTED", maintenance_state: "OFF" },
      components: ofService.map((c) => ({
        href: `${serviceHref}/components/${c.component}`,
        ServiceComponentInfo: { component_name: c.component },
      })),
    });
  }
  if (sub2 !== "components" || extra.length > 0) return ambariError(res, 404, "The requested resource doesn't exist.");
  if (componentName === undefined) {
    if (wantsTar) {
      if (ofService.length === 0) return ambariError(res, 400, `No client components in service ${serviceName}`);
      return sendTar(ctx, res, `${serviceName}-configs.tar.gz`, ofService, "folders");
    }
    return sendJson(res, 200, {
      href: `${serviceHref}/components`,
      items: ofService.map((c) => ({
        href: `${serviceHref}/components/${c.component}`,
        ServiceComponentInfo: { cluster_name: view.name, component_name: c.component, service_name: serviceName },
      })),
    });
  }
  const component = ofService.find((c) => c.component === componentName);
  if (!component) {
    const server = serverComponentInfo(view, serviceHref, clusterHref, serviceName, componentName, hosts, active);
    if (server && !wantsTar) return sendJson(res, 200, server);
    if (server) return ambariError(res, 400, "Client configuration download is only available for client components.");
    return ambariError(
      res,
      404,
      `The requested resource doesn't exist: ServiceComponent not found, clusterName=${view.name}, serviceName=${serviceName}, serviceComponentName=${componentName}`,
    );
  }
  if (wantsTar) return sendTar(ctx, res, `${componentName}-configs.tar.gz`, [component], "flat");
  return sendJson(res, 200, {
    href: `${serviceHref}/components/${componentName}`,
    ServiceComponentInfo: {
      cluster_name: view.name,
      component_name: componentName,
      service_name: serviceName,
      category: "CLIENT",
      state: "INSTALLED",
    },
  });
}
