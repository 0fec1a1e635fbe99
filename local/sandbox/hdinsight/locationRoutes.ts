// Microsoft.HDInsight location-level APIs, served from the shared HDInsight 5.1 catalogue: capabilities (versions
// with component versions, regions, VM sizes and per-role vmsize_filters), billingSpecs, checkNameAvailability
// and locations/{l}/azureasyncoperations/{id} (any cluster operation of the subscription).
import { createHash } from "node:crypto";
import { ArmError } from "../http";
import type { ArmReply, ArmRequest } from "../armTypes";
import { CREATABLE_VERSIONS, FULL_VERSION, KINDS_51, NODE_TYPE, REGIONS, VM_SIZES_BY_ROLE, type RoleName } from "../../../shared/hdinsight/catalogue";
import { locationProblem, regionName } from "../../../shared/hdinsight/checks";
import type { HdInsightDeps, OperationStatus } from "./clusterRoutes";

const ALL_SIZES = [...new Set(Object.values(VM_SIZES_BY_ROLE).flat())].sort();
const ROLES = Object.keys(VM_SIZES_BY_ROLE) as RoleName[];
const CLUSTER_NAME = /^[a-zA-Z][a-zA-Z0-9-]{1,57}[a-zA-Z0-9]$/;

/** A stable GUID-shaped meter id (the real ones are Azure Commerce meter GUIDs). */
function meterId(seed: string): string {
  const h = createHash("sha256").update(seed).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

export function handleLocation(deps: HdInsightDeps, req: ArmRequest, sub: string, location: string, rest: string, status: (id: string) => OperationStatus | undefined): ArmReply {
  const [what, id] = rest.split("/");
  const kind = what.toLowerCase();
  const method = (expected: string) => {
    if (req.method !== expected) throw new ArmError(405, "MethodNotAllowed", `The requested method '${req.method}' is not allowed for '${req.path}'.`);
  };
  if (kind === "azureasyncoperations" && id) {
    method("GET");
    const s = status(id);
    if (!s) throw new ArmError(404, "ResourceNotFound", `Operation '${id}' was not found in subscription '${sub}'.`);
    return { status: 200, body: s, headers: s.status === "InProgress" ? { "retry-after": deps.settings.lroRetryAfterSeconds } : {} };
  }
  const region = regionName(location);
  if (!region) throw new ArmError(400, "LocationNotAvailableForResourceType", locationProblem(location) ?? "Unknown location.");
  if (kind === "capabilities" && !id) {
    method("GET");
    return { status: 200, body: capabilities(region) };
  }
  if (kind === "billingspecs" && !id) {
    method("POST");
    return { status: 200, body: billingSpecs(region) };
  }
  if (kind === "checknameavailability" && !id) {
    method("POST");
    const name = typeof (req.body as { name?: unknown } | undefined)?.name === "string" ? (req.body as { name: string }).name : "";
    if (!CLUSTER_NAME.test(name)) return { status: 200, body: { nameAvailable: false, reason: "Invalid", message: `The cluster name '${name}' is invalid.` } };
    const taken = deps.store.findByName(name) !== undefined;
    return { status: 200, body: taken ? { nameAvailable: false, reason: "AlreadyExists", message: `The cluster name '${name}' is not available.` } : { nameAvailable: true } };
  }
  throw new ArmError(404, "NotFound", `No HDInsight location operation at '${req.path}'.`);
}

function capabilities(region: string): Record<string, unknown> {
  const available = CREATABLE_VERSIONS.map((v) => ({
    friendlyName: v,
    displayName: `Version ${FULL_VERSION[v] ?? v}`,
    isDefault: v === CREATABLE_VERSIONS[0],
    componentVersions: Object.fromEntries(Object.values(KINDS_51).flatMap((k) => Object.entries(k.components).map(([c, vs]) => [c, vs.join(",")]))),
  }));
  const upper = (list: readonly string[]) => list.map((s) => s.toUpperCase());
  return {
    // "paas" are the retired Windows clusters: nothing is offered there.
    versions: { paas: { available: [] }, iaas: { available } },
    regions: { paas: { available: [] }, iaas: { available: upper(Object.values(REGIONS)) } },
    vmsizes: { paas: { available: [] }, iaas: { available: upper(ALL_SIZES) } },
    vmsize_filters: ROLES.map((role) => ({
      FilterMode: "Include", Regions: [REGIONS[region].toUpperCase()], ClusterFlavors: ["*"], NodeTypes: [NODE_TYPE[role]],
      ClusterVersions: [...CREATABLE_VERSIONS], VMSizes: upper(VM_SIZES_BY_ROLE[role]),
    })),
    features: [],
    quota: { coresUsed: 0, maxCoresAllowed: 10000, regionalQuotas: [{ regionName: REGIONS[region], coresUsed: 0, coresAvailable: 10000 }] },
  };
}

function billingSpecs(region: string): Record<string, unknown> {
  const meters = ["default", ...new Set(Object.values(KINDS_51).map((k) => k.meter).filter((m) => m !== "default"))];
  return {
    vmSizes: ALL_SIZES,
    vmSizeFilters: ROLES.map((role) => ({
      filterMode: "Include", regions: [region], clusterFlavors: ["*"], nodeTypes: [NODE_TYPE[role]], clusterVersions: [...CREATABLE_VERSIONS], osType: ["Linux"], vmSizes: [...VM_SIZES_BY_ROLE[role]],
    })),
    billingResources: [REGIONS[region], "default"].map((r) => ({
      region: r,
      billingMeters: meters.map((m) => ({ meterParameter: m, meter: meterId(`${r}/${m}`), unit: "CoreHours" })),
      diskBillingMeters: [{ diskRpMeter: meterId(`${r}/disk`), sku: "All", tier: "Standard" }],
    })),
  };
}
