// In-memory HDInsightClusters. beginCreate stores the request (`requests`) and a cluster in InProgress/Accepted;
// tests move it on with setState(); beginDelete marks it Deleting and finishDelete() (or deleteAt: "accept")
// removes it. Idempotency and errors follow the contract: repeating a create is accepted, creating over a Deleting
// cluster is a ConflictError, deleting a missing cluster succeeds, get of a missing one is undefined.
import { JobflowError } from "../../errors";
import type { ClusterCreateParametersExtended, ClusterInfo, HDInsightClusters, ListClustersOptions } from "../clusters";
import { CallRecorder } from "./recorder";

type Method = "beginCreate" | "get" | "beginDelete" | "list" | "updateTags";

export class FakeHDInsightClusters extends CallRecorder<Method> implements HDInsightClusters {
  private readonly clusters = new Map<string, ClusterInfo>();
  /** The create request of each cluster, by name (the last one sent). */
  readonly requests = new Map<string, ClusterCreateParametersExtended>();

  constructor(private readonly options: { resourceGroup?: string; location?: string; deleteAt?: "accept" | "finishDelete" } = {}) {
    super();
  }

  async beginCreate(name: string, params: ClusterCreateParametersExtended): Promise<void> {
    this.enter("beginCreate", name, params);
    const existing = this.clusters.get(name);
    if (existing?.provisioningState.toLowerCase() === "deleting")
      throw new JobflowError("ConflictError", `cluster ${name} is being deleted`, { statusCode: 409 });
    this.requests.set(name, structuredClone(params));
    if (existing) return;
    this.put({
      name,
      location: params.location ?? this.options.location ?? "westeurope",
      tags: { ...(params.tags ?? {}) },
      provisioningState: "InProgress",
      clusterState: "Accepted",
    });
  }

  async get(name: string): Promise<ClusterInfo | undefined> {
    this.enter("get", name);
    const c = this.clusters.get(name);
    return c ? structuredClone(c) : undefined;
  }

  async beginDelete(name: string): Promise<void> {
    this.enter("beginDelete", name);
    const c = this.clusters.get(name);
    if (!c) return;
    if (this.options.deleteAt === "accept") this.clusters.delete(name);
    else Object.assign(c, { provisioningState: "Deleting", clusterState: "Deleting" });
  }

  async list(options?: ListClustersOptions): Promise<ClusterInfo[]> {
    this.enter("list", options);
    const wanted = Object.entries(options?.tagFilter ?? {});
    return [...this.clusters.values()].filter((c) => wanted.every(([k, v]) => c.tags[k] === v)).map((c) => structuredClone(c));
  }

  async updateTags(name: string, tags: Record<string, string>): Promise<ClusterInfo> {
    this.enter("updateTags", name, tags);
    const c = this.clusters.get(name);
    if (!c) throw new JobflowError("NotFoundError", `cluster ${name} does not exist`, { statusCode: 404 });
    c.tags = { ...tags };
    return structuredClone(c);
  }

  /** Adds or replaces a cluster (fields not given get running-cluster defaults). */
  put(cluster: Partial<ClusterInfo> & { name: string }): ClusterInfo {
    const rg = this.options.resourceGroup ?? "jobflow-test";
    const info: ClusterInfo = {
      id: `/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/${rg}/providers/Microsoft.HDInsight/clusters/${cluster.name}`,
      resourceGroup: rg,
      location: this.options.location ?? "westeurope",
      tags: {},
      provisioningState: "Succeeded",
      clusterState: "Running",
      clusterVersion: "5.1.3000.0.2406130129",
      gatewayEndpoint: `${cluster.name}.azurehdinsight.net`,
      sshEndpoint: `${cluster.name}-ssh.azurehdinsight.net`,
      errors: [],
      ...cluster,
    };
    this.clusters.set(cluster.name, info);
    return info;
  }

  /** Moves a cluster on (e.g. `{ provisioningState: "Succeeded", clusterState: "Running" }`). */
  setState(name: string, state: Partial<Omit<ClusterInfo, "name">>): void {
    const c = this.clusters.get(name);
    if (!c) throw new Error(`FakeHDInsightClusters: no cluster ${name}`);
    Object.assign(c, state);
  }

  /** Ends a pending delete (the cluster is gone: get answers undefined). */
  finishDelete(name: string): void {
    this.clusters.delete(name);
  }

  names(): string[] {
    return [...this.clusters.keys()];
  }

  reset(): void {
    this.resetCalls();
    this.clusters.clear();
    this.requests.clear();
  }
}
