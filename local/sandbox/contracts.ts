// The seam between the sandbox's ARM side (server, HDInsight, Compute: local/sandbox/*) and its cluster-gateway
// and Key Vault emulators (local/sandbox/gateway, local/sandbox/keyvault). The ARM side owns the HTTPS server,
// cluster records and the clock; it mounts the gateway under /gateway/{cluster}/… and Key Vault under /keyvault/….
import type { IncomingMessage, ServerResponse } from "node:http";
import type { VirtualClock } from "../clock/virtualClock";

/** What the gateway needs to know about a cluster the ARM side holds. */
export interface SandboxClusterView {
  name: string;
  /** Lower-case summary of the ARM state: the gateway answers only for "running" clusters (else 502/404 as Azure). */
  state: "provisioning" | "running" | "deleting" | "deleted" | "failed";
  gatewayUsername: string;
  gatewayPassword: string;
  /** e.g. "5.1" as sent; the gateway reports the fully qualified "5.1.3000.0.2406130129" style. */
  clusterVersion: string;
  /** Epoch ms when the cluster reached Running (for YARN/Ambari uptime answers). */
  runningSinceMs?: number;
  /**
   * The cluster's default file system from its storageProfile, e.g. "abfs://container@account.dfs.core.windows.net"
   * (the client configs' fs.defaultFS). Optional: the gateway derives one from the cluster name when absent.
   */
  defaultFsUrl?: string;
}

export interface SandboxComponentDeps {
  clock: VirtualClock;
  /** Folder for this component's persisted state (created by the caller). */
  dataDir: string;
  lookupCluster(name: string): SandboxClusterView | undefined;
  /** Secrets to pre-load (Key Vault component): name → value. Optional; added for startSandbox({ seedSecrets }). */
  seedSecrets?: Record<string, string>;
  /** Records a request in the sandbox request log (for counting calls in tests). */
  logRequest(entry: { method: string; path: string; status: number; component: "gateway" | "keyvault" }): void;
}

/** Handles a request whose path was /gateway/{clusterName}{subPath}; subPath starts with "/" and keeps its query. */
export type GatewayRequestHandler = (req: IncomingMessage, res: ServerResponse, clusterName: string, subPath: string) => Promise<void>;

/** Handles /_sandbox/{component}/{subPath}: scenario settings, fault injection and inspection for that component. */
export type ControlRequestHandler = (req: IncomingMessage, res: ServerResponse, subPath: string, body: unknown) => Promise<void>;

export interface SandboxComponent {
  handle: GatewayRequestHandler | ((req: IncomingMessage, res: ServerResponse, subPath: string) => Promise<void>);
  control: ControlRequestHandler;
  /** Called when the ARM side deletes a cluster: forget its batches/apps. */
  onClusterDeleted?(clusterName: string): void;
  /** Persist state to dataDir (called after mutations and at shutdown). */
  save(): Promise<void>;
  /** Wipe all state (control reset). */
  reset(): Promise<void>;
}

/**
 * Builds a component. The ARM side loads them by convention: local/sandbox/gateway/index.ts exports
 * `createGatewayComponent` and local/sandbox/keyvault/index.ts exports `createKeyVaultComponent` (both of this
 * type); startSandbox's `components` option can override either (e.g. in tests).
 */
export type SandboxComponentFactory = (deps: SandboxComponentDeps) => SandboxComponent | Promise<SandboxComponent>;
