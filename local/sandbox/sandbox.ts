// startSandbox: the whole Azure sandbox in-process — HTTPS server, HDInsight and Compute emulation, the gateway
// and Key Vault components, control API, throttling and persistence — for `npm start`, `npm run sandbox` and tests.
import { createServer, type Server } from "node:https";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { AddressInfo } from "node:net";
import type { VirtualClock, ClockMode } from "../clock/virtualClock";
import { ensureCertificate } from "./tls";
import { FaultTable } from "./faults";
import { RequestLog } from "./requestLog";
import { TokenBuckets, type ThrottlingOptions } from "./throttling";
import { DEFAULT_SETTINGS, type ScenarioSettings } from "./armTypes";
import { readJsonFile, writeJsonFile } from "./stateFile";
import { restoreClock, saveClock } from "./clockState";
import { ClusterStore } from "./hdinsight/clusterStore";
import { handleHdInsight } from "./hdinsight/clusterRoutes";
import { ComputeService } from "./compute/computeService";
import { handleCompute, updateVmTarget } from "./compute/computeRoutes";
import { DEFAULT_VMS, type VmConfig } from "./compute/vms";
import { createControlHandler } from "./control";
import { createRequestHandler } from "./server";
import { loadComponents, type ComponentFactories } from "./components";
import { SandboxControl } from "./sandboxControl";

export interface StartSandboxOptions {
  /** Folder for certificate, state and VM roots; created if missing, reused across restarts. */
  dataDir: string;
  /** Port on 127.0.0.1 (default 0: a free port). */
  port?: number;
  /** A clock to share (e.g. the local host's). When omitted the sandbox owns one and persists its time. */
  clock?: VirtualClock;
  /** Mode of the sandbox-owned clock (default "scaled"). */
  clockMode?: ClockMode;
  /** Virtual seconds per real second for the sandbox-owned scaled clock (default 1). */
  speed?: number;
  /** Start the sandbox-owned clock here (ignores a persisted time). */
  clockStartMs?: number;
  /** ARM/Compute throttling: true/false or limits (default on with ARM's limits). */
  throttling?: boolean | ThrottlingOptions;
  /** Registered edge VMs (default dss-edge-01, jupyter-edge-01). */
  vms?: Array<string | VmConfig>;
  /** Secrets preloaded into the Key Vault component. */
  seedSecrets?: Record<string, string>;
  /** Initial scenario settings (persisted values win unless given here). */
  settings?: Partial<ScenarioSettings>;
  /** Override or disable (null) the gateway / Key Vault components. */
  components?: ComponentFactories;
}

export interface SandboxHandle {
  /** https://127.0.0.1:PORT — use as the ARM endpoint. */
  url: string;
  port: number;
  caPath: string;
  caPem: string;
  clock: VirtualClock;
  dataDir: string;
  /** In-process equivalents of the /_sandbox control endpoints. */
  control: SandboxControl;
  /** Persists state and closes the server (and the sandbox-owned clock's real timer). */
  stop(): Promise<void>;
}

export async function startSandbox(options: StartSandboxOptions): Promise<SandboxHandle> {
  const dataDir = options.dataDir;
  const stateDir = join(dataDir, "state");
  mkdirSync(stateDir, { recursive: true });
  const cert = ensureCertificate(join(dataDir, "tls"));
  const ownsClock = !options.clock;
  const clock = options.clock ?? restoreClock(stateDir, options.clockMode ?? "scaled", options.speed ?? 1, options.clockStartMs);
  const realSeconds = (virtualSeconds: number): number =>
    clock.mode === "manual" ? virtualSeconds : Math.max(1, Math.ceil(virtualSeconds / clock.speed));

  const settingsFile = join(stateDir, "settings.json");
  const settings: ScenarioSettings = {
    ...DEFAULT_SETTINGS,
    lroRetryAfterSeconds: clock.mode === "manual" ? 1 : realSeconds(15),
    ...readJsonFile<Partial<ScenarioSettings>>(settingsFile, {}),
    ...options.settings,
  };
  const saveSettings = (): void => writeJsonFile(settingsFile, settings);
  saveSettings();

  const throttle = new TokenBuckets(
    clock,
    typeof options.throttling === "object" ? options.throttling : { enabled: options.throttling ?? true },
  );
  const faults = new FaultTable();
  const log = new RequestLog();
  let gone: (name: string) => void = () => undefined;
  const clusters = new ClusterStore(clock, stateDir, (name) => gone(name));
  const vms = (options.vms ?? DEFAULT_VMS).map((v) => (typeof v === "string" ? { name: v } : v));
  const compute = new ComputeService(clock, settings, dataDir, stateDir, vms);
  let port = 0;

  const components = await loadComponents(options.components, {
    clock,
    dataDir,
    lookupCluster: (name) => {
      const c = clusters.findByName(name);
      return c ? clusters.view(c) : undefined;
    },
    logRequest: (e) => log.add({ atMs: clock.nowMs(), ...e }),
    ...(options.seedSecrets ? { seedSecrets: options.seedSecrets } : {}),
  });
  gone = (name) => components.gateway?.onClusterDeleted?.(name);

  const reset = async (): Promise<void> => {
    faults.clear();
    log.clear();
    throttle.reset();
    clusters.reset();
    await compute.reset();
    await components.gateway?.reset();
    await components.keyvault?.reset();
  };
  const control = createControlHandler({
    clock,
    settings,
    saveSettings,
    faults,
    throttle,
    log,
    clusters,
    reset,
    vmControl: (method, subPath, query, body) => compute.control(method, subPath, query, body),
    components: () => components,
  });
  const handler = createRequestHandler({
    clock,
    faults,
    throttle,
    log,
    realSeconds,
    control,
    fallbackBaseUrl: () => `https://127.0.0.1:${port}`,
    armRoutes: [
      (req) => handleHdInsight({ clock, settings, realSeconds, store: clusters, port: () => port }, req),
      (req) => handleCompute(compute, req),
    ],
    updateVmTarget,
    components: () => components,
    durable: () => clusters.flushed(),
  });

  const server: Server = createServer({ cert: cert.certPem, key: cert.keyPem }, handler);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const url = `https://127.0.0.1:${port}`;

  let clockSaver: NodeJS.Timeout | undefined;
  let stopClockListener: () => unknown = () => undefined;
  if (ownsClock) {
    saveClock(stateDir, clock);
    stopClockListener = clock.onAdvance(() => saveClock(stateDir, clock));
    clockSaver = setInterval(() => saveClock(stateDir, clock), 5_000);
    clockSaver.unref();
  }

  const stop = async (): Promise<void> => {
    if (clockSaver) clearInterval(clockSaver);
    stopClockListener();
    clusters.stop();
    await compute.executor.stop();
    clusters.save();
    await clusters.flushed();
    compute.store.save();
    await components.gateway?.save();
    await components.keyvault?.save();
    if (ownsClock) {
      saveClock(stateDir, clock);
      clock.dispose();
    }
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  };

  return {
    url,
    port,
    caPath: cert.caPath,
    caPem: cert.certPem,
    clock,
    dataDir,
    stop,
    control: new SandboxControl({ clock, settings, saveSettings, faults, throttle, log, clusters, compute, reset }),
  };
}
