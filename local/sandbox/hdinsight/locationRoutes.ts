// Microsoft.HDInsight location-level APIs, served from the shared HDInsight 5.1 catalogue: capabilities (versions
// with component versions, regions, VM sizes and per-role vmsize_filters), billingSpecs, usages (cores),
// checkNameAvailability, validateCreateRequest (the create checks, reported instead of refused) and
// locations/{l}/azureasyncoperations/{id} (any cluster operation of the subscription).
import { createHash } from "node:crypto";
import { ArmError, isArmError } from "../http";
import type { ArmReply, ArmRequest } from "../armTypes";
import {
  CREATABLE_VERSIONS,
  FULL_VERSION,
  KINDS_51,
  NODE_TYPE,
  REGIONS,
  VM_SIZES_BY_ROLE,
  type RoleName,
} from "../../../shared/hdinsight/catalogue";
import { locationProblem, regionName } from "../../../shared/hdinsight/checks";
import type { HdInsightDeps, OperationStatus } from "./clusterRoutes";
import { validateClusterName, validateCreateBody } from "./validate";

/** Cores a subscription may run per region (the sandbox's quota; Azure's default is per subscription and region). */
const CORE_QUOTA = 10_000;
const CORES_PER_NODE = 8;

const ALL_SIZES = [...new Set(Object.values(VM_SIZES_BY_ROLE).flat())].sort();
const ROLES = Object.keys(VM_SIZES_BY_ROLE) as RoleName[];
const CLUSTER_NAME = /^[a-zA-Z][a-zA-Z0-9-]{1,57}[a-zA-Z0-9]$/;

/** A stable GUID-shaped meter id (the real ones are Azure Commerce meter GUIDs). */
function meterId(seed: string): string {
  const h = createHash("sha256").update(seed).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

export function handleLocation(
  deps: HdInsightDeps,
  req: ArmRequest,
  sub: string,
  location: string,
  rest: string,
  status: (id: string) => OperationStatus | undefined,
): ArmReply {
  const [what, id] = rest.split("/");
  const kind = what.toLowerCase();
  const method = (expected: string) => {
    if (req.method !== expected)
      throw new ArmError(405, "MethodNotAllowed", `The requested method '${req.method}' is not allowed for '${req.path}'.`);
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
    return { status: 200, body: capabilities(region, coresUsed(deps, sub, region)) };
  }
  if (kind === "billingspecs" && !id) {
    method("GET");
    return { status: 200, body: billingSpecs(region) };
  }
  if (kind === "usages" && !id) {
    method("GET");
    return {
      status: 200,
      body: {
        value: [
          {
            unit: "Count",
            currentValue: coresUsed(deps, sub, region),
            limit: CORE_QUOTA,
            name: { value: "cores", localizedValue: "Cores" },
          },
        ],
      },
    };
  }
  if (kind === "validatecreaterequest" && !id) {
    method("POST");
    return { status: 200, body: validateCreateRequest(deps, req.body) };
  }
  if (kind === "checknameavailability" && !id) {
    method("POST");
    const name = typeof (req.body as { name?: unknown } | undefined)?.name === "string" ? (req.body as { name: string }).name : "";
    if (!CLUSTER_NAME.test(name))
      return { status: 200, body: { nameAvailable: false, reason: "Invalid", message: `The cluster name '${name}' is invalid.` } };
    const taken = deps.store.findByName(name) !== undefined;
    return {
      status: 200,
      body: taken
        ? { nameAvailable: false, reason: "AlreadyExists", message: `The cluster name '${name}' is not available.` }
        : { nameAvailable: true },
    };
  }
  throw new ArmError(404, "NotFound", `No HDInsight location operation at '${req.path}'.`);
}

function coresUsed(deps: HdInsightDeps, sub: string, region: string): number {
  return deps.store
    .list({ subscriptionId: sub })
    .filter((c) => regionName(c.location) === region)
    .reduce((n, c) => n + c.nodeCount * CORES_PER_NODE, 0);
}

/** The create checks on a ClusterCreateRequestValidationParameters body, as a report (200 even when invalid). */
function validateCreateRequest(deps: HdInsightDeps, body: unknown): Record<string, unknown> {
  const errors: Array<{ code: string; message: string; errorResource: string; messageArguments: string[] }> = [];
  const push = (code: string, message: string, target = "") => errors.push({ code, message, errorResource: target, messageArguments: [] });
  const name = typeof (body as { name?: unknown } | undefined)?.name === "string" ? (body as { name: string }).name : "";
  try {
    validateClusterName(name);
    if (deps.store.findByName(name)) push("ClusterNameUnavailable", `The cluster name '${name}' is not available.`, "name");
  } catch (e) {
    if (!isArmError(e)) throw e;
    push(e.code, e.message, "name");
  }
  try {
    validateCreateBody(body);
  } catch (e) {
    if (!isArmError(e)) throw e;
    if (e.details?.length) e.details.forEach((d) => push(d.code, d.message, d.target ?? ""));
    else push(e.code, e.message);
  }
  return {
    validationErrors: errors,
    validationWarnings: [],
    estimatedCreationDuration: `PT${Math.round(deps.settings.provisioningDurationMs / 60_000)}M`,
    aaddsResourcesDetails: [],
  };
}

function capabilities(region: string, used: number): Record<string, unknown> {
  const available = CREATABLE_VERSIONS.map((v) => ({
    friendlyName: v,
    displayName: `Version ${FULL_VERSION[v] ?? v}`,
    isDefault: v === CREATABLE_VERSIONS[0],
    componentVersions: Object.fromEntries(
      Object.values(KINDS_51).flatMap((k) => Object.entries(k.components).map(([c, vs]) => [c, vs.join(",")])),
    ),
  }));
  const upper = (list: readonly string[]) => list.map((s) => s.toUpperCase());
  return {
    // "paas" are the retired Windows clusters: nothing is offered there.
    versions: { paas: { available: [] }, iaas: { available } },
    regions: { paas: { available: [] }, iaas: { available: upper(Object.values(REGIONS)) } },
    vmsizes: { paas: { available: [] }, iaas: { available: upper(ALL_SIZES) } },
    vmsize_filters: ROLES.map((role) => ({
      FilterMode: "Include",
      Regions: [REGIONS[region].toUpperCase()],
      ClusterFlavors: ["*"],
      NodeTypes: [NODE_TYPE[role]],
      ClusterVersions: [...CREATABLE_VERSIONS],
      VMSizes: upper(VM_SIZES_BY_ROLE[role]),
    })),
    features: [],
    quota: {
      coresUsed: used,
      maxCoresAllowed: CORE_QUOTA,
      regionalQuotas: [{ regionName: REGIONS[region], coresUsed: used, coresAvailable: CORE_QUOTA - used }],
    },
  };
}

function billingSpecs(region: string): Record<string, unknown> {
  const meters = [
    "default",
    ...new Set(
      Object.values(KINDS_51)
        .map((k) => k.meter)
        .filter((m) => m !== "default"),
    ),
  ];
  return {
    vmSizes: ALL_SIZES,
    vmSizeFilters: ROLES.map((role) => ({
      filterMode: "Include",
      regions: [region],
      clusterFlavors: ["*"],
      nodeTypes: [NODE_TYPE[role]],
      clusterVersions: [...CREATABLE_VERSIONS],
      osType: ["Linux"],
      vmSizes: [...VM_SIZES_BY_ROLE[role]],
    })),
    billingResources: [REGIONS[region], "default"].map((r) => ({
      region: r,
      billingMeters: meters.map((m) => ({ meterParameter: m, meter: meterId(`${r}/${m}`), unit: "CoreHours" })),
      diskBillingMeters: [{ diskRpMeter: meterId(`${r}/disk`), sku: "All", tier: "Standard" }],
    })),
  };
}
