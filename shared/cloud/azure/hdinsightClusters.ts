// HDInsightClusters over @azure/arm-hdinsight (api-version 2021-06-01). For long-running operations only the initial
// request is sent: this SDK's `beginCreate/beginDelete` send the initial request AND one poll before returning
// (core-lro 2 LroEngine.poll()), so we stop the poll by aborting as soon as the initial response arrives (see
// initialRequestOnly). The orchestrator polls `get` instead; no SDK poller outlives the call.
import { HDInsightManagementClient, type Cluster } from "@azure/arm-hdinsight";
import type { ClusterCreateParametersExtended } from "@azure/arm-hdinsight";
import { systemClock } from "../../clock";
import { isErrorNamed } from "../../errors";
import type { ClusterCallOptions, ClusterInfo, HDInsightClusters, ListClustersOptions } from "../clusters";
import { ARM_SCOPE, retryOn429OptionsFor, tlsOptionsFor, type AzureClientOptions } from "./clientOptions";
import { mapAzureError, withMappedErrors } from "./mapError";
import { addRetryOn429Policy } from "./retryOn429Policy";

export interface HDInsightClustersOptions extends AzureClientOptions {
  subscriptionId: string;
  /** Resource group of calls that do not name one. */
  resourceGroup: string;
  /** Token scope; default ARM's, which must be explicit because this SDK derives it from `endpoint` otherwise. */
  credentialScopes?: string[];
  /** Override the RP api-version (e.g. "2025-01-15-preview"); default the SDK's 2021-06-01. */
  apiVersion?: string;
}

export function createHDInsightClusters(options: HDInsightClustersOptions): HDInsightClusters {
  const clock = options.clock ?? systemClock;
  const client = new HDInsightManagementClient(options.credential, options.subscriptionId, {
    endpoint: options.endpoint,
    credentialScopes: options.credentialScopes ?? [ARM_SCOPE],
    retryOptions: options.retryOptions,
    ...(options.apiVersion ? { apiVersion: options.apiVersion } : {}),
    ...tlsOptionsFor(options.caPem),
  });
  addRetryOn429Policy(client.pipeline, retryOn429OptionsFor(options));
  const rgOf = (o?: ClusterCallOptions): string => o?.resourceGroup ?? options.resourceGroup;

  const get = async (name: string, o?: ClusterCallOptions): Promise<ClusterInfo | undefined> => {
    try {
      return toClusterInfo(await client.clusters.get(rgOf(o), name, { abortSignal: o?.abortSignal }));
    } catch (err) {
      const mapped = mapAzureError(err, `get cluster ${name}`, clock);
      if (isErrorNamed(mapped, "NotFoundError")) return undefined;
      throw mapped;
    }
  };

  return {
    async beginCreate(name: string, params: ClusterCreateParametersExtended, o?: ClusterCallOptions): Promise<void> {
      try {
        await initialRequestOnly(o?.abortSignal, (lro) => client.clusters.beginCreate(rgOf(o), name, params, lro));
      } catch (err) {
        const mapped = mapAzureError(err, `create cluster ${name}`, clock);
        // A repeated create of a cluster that already exists (ARM may answer 409): accepted, unless it is going away.
        if (isErrorNamed(mapped, "ConflictError")) {
          const existing = await get(name, o);
          if (existing && !/^deleting$/i.test(existing.provisioningState)) return;
        }
        throw mapped;
      }
    },

    get,

    async beginDelete(name: string, o?: ClusterCallOptions): Promise<void> {
      try {
        await initialRequestOnly(o?.abortSignal, (lro) => client.clusters.beginDelete(rgOf(o), name, lro));
      } catch (err) {
        const mapped = mapAzureError(err, `delete cluster ${name}`, clock);
        if (isErrorNamed(mapped, "NotFoundError")) return;
        throw mapped;
      }
    },

    async list(o?: ListClustersOptions): Promise<ClusterInfo[]> {
      const rg = o?.resourceGroup ?? options.resourceGroup;
      return withMappedErrors(
        `list clusters in ${rg}`,
        async () => {
          const pages =
            rg === "*"
              ? client.clusters.list({ abortSignal: o?.abortSignal })
              : client.clusters.listByResourceGroup(rg, { abortSignal: o?.abortSignal });
          const out: ClusterInfo[] = [];
          for await (const cluster of pages) {
            const info = toClusterInfo(cluster);
            if (matchesTags(info.tags, o?.tagFilter)) out.push(info);
          }
          return out;
        },
        clock,
      );
    },

    async updateTags(name: string, tags: Record<string, string>, o?: ClusterCallOptions): Promise<ClusterInfo> {
      return withMappedErrors(
        `update tags of cluster ${name}`,
        async () => toClusterInfo(await client.clusters.update(rgOf(o), name, { tags }, { abortSignal: o?.abortSignal })),
        clock,
      );
    },
  };
}

interface InitialRequestOptions {
  abortSignal: AbortSignal;
  onResponse: () => void;
}

/**
 * Runs an SDK `begin…` call but lets only its initial request reach the wire: the first response (success or error)
 * aborts a private signal, so the SDK's immediate follow-up poll fails with AbortError before it is sent, which we
 * swallow. Errors of the initial request itself propagate; the caller's own abort still rejects.
 */
export async function initialRequestOnly(
  callerSignal: AbortSignal | undefined,
  begin: (options: InitialRequestOptions) => Promise<unknown>,
): Promise<void> {
  const controller = new AbortController();
  const forward = (): void => controller.abort();
  if (callerSignal?.aborted) controller.abort();
  callerSignal?.addEventListener("abort", forward, { once: true });
  let answered = false;
  try {
    await begin({
      abortSignal: controller.signal,
      onResponse: () => {
        if (answered) return;
        answered = true;
        controller.abort();
      },
    });
  } catch (err) {
    const aborted = (err as { name?: unknown } | null)?.name === "AbortError";
    if (!(aborted && answered && !callerSignal?.aborted)) throw err;
  } finally {
    callerSignal?.removeEventListener("abort", forward);
  }
}

export function matchesTags(tags: Record<string, string>, filter: Record<string, string> | undefined): boolean {
  if (!filter) return true;
  return Object.entries(filter).every(([k, v]) => tags[k] === v);
}

/** The resource group segment of an ARM id ("" when the id has none). */
export function resourceGroupOf(id: string): string {
  return /\/resourceGroups\/([^/]+)/i.exec(id)?.[1] ?? "";
}

export function toClusterInfo(c: Cluster): ClusterInfo {
  const p = c.properties;
  const endpoint = (name: string): string | undefined =>
    p?.connectivityEndpoints?.find((e) => (e.name ?? "").toUpperCase() === name)?.location;
  const id = c.id ?? "";
  return {
    name: c.name ?? "",
    id,
    resourceGroup: resourceGroupOf(id),
    location: c.location,
    tags: { ...(c.tags ?? {}) },
    provisioningState: p?.provisioningState ?? "",
    clusterState: p?.clusterState ?? "",
    clusterVersion: p?.clusterVersion,
    createdDate: p?.createdDate,
    gatewayEndpoint: endpoint("HTTPS"),
    sshEndpoint: endpoint("SSH"),
    errors: (p?.errors ?? []).map((e) => ({ code: e.code ?? "", message: e.message ?? "" })),
  };
}
