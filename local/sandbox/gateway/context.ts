// What the gateway's route handlers (Livy, Ambari, YARN, control) share.
import type { VirtualClock } from "../../clock/virtualClock";
import type { SandboxClusterView } from "../contracts";
import type { ClusterGatewayState, GatewayState } from "./state";
import type { RequestHolds } from "./holds";

export interface GatewayContext {
  readonly state: GatewayState;
  readonly clock: VirtualClock;
  /** Marks state as changed: it is persisted shortly after (and on save()). */
  changed(): void;
  /** The cluster's gateway state, created on first use (YARN epoch = when the cluster started running). */
  clusterState(view: SandboxClusterView): ClusterGatewayState;
  /** Requests held by a `livySubmitHold` fault until released (holds.ts). */
  readonly holds: RequestHolds;
}

/** Livy's retention of finished sessions, in ms, from the current scenario. */
export function retainMs(ctx: GatewayContext): number {
  return ctx.state.scenario.retainSeconds * 1000;
}
