// Observed create and delete durations per cluster profile (shared/cost/clusterTimings.ts), one blob per profile
// hash, `stats/cluster-timings/<profileHash>.json` in the jobs container. Written by the cluster orchestration's
// recordClusterTiming activity (one cluster at a time per profile is the common case; a lost update under a race
// loses one sample, which the estimate tolerates), read for pre-provisioning lead times and keep-warm decisions.
import type { JobflowBlobStore } from "../../shared/cloud/blobStore";
import {
  addTimingSample,
  estimateTimings,
  type ClusterTimingEstimate,
  type ClusterTimingKind,
  type ClusterTimingSamples,
} from "../../shared/cost/clusterTimings";

export const clusterTimingsBlob = (profileHash: string): string => `stats/cluster-timings/${profileHash}.json`;

export class ClusterTimingStore {
  constructor(
    private readonly blobs: JobflowBlobStore,
    private readonly container: string,
  ) {}

  async samples(profileHash: string): Promise<ClusterTimingSamples | undefined> {
    return (await this.blobs.getJson<ClusterTimingSamples>(this.container, clusterTimingsBlob(profileHash)))?.value;
  }

  /** p50/p90 of the profile's recent creates and deletes, or the defaults before there is history. */
  async estimate(profileHash: string): Promise<ClusterTimingEstimate> {
    return estimateTimings(await this.samples(profileHash));
  }

  async record(profileHash: string, kind: ClusterTimingKind, clusterName: string, ms: number): Promise<void> {
    const current = await this.samples(profileHash);
    const next = addTimingSample(current, profileHash, kind, { clusterName, ms });
    if (next !== current) await this.blobs.putJson(this.container, clusterTimingsBlob(profileHash), next);
  }
}
