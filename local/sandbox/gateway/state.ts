// The gateway's whole state (scenario, faults, per-cluster batches and YARN apps) and its JSON persistence.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { SerializedJsonFile } from "../stateFile";
import type { StoredBatch } from "./batchModel";
import { defaultScenario, type GatewayFault, type GatewayScenario } from "./scenario";

export type YarnFinalStatus = "SUCCEEDED" | "FAILED" | "KILLED";

/** A YARN application started outside Livy (injected through the control endpoint), e.g. a long Hive query. */
export interface InjectedApp {
  seq: number;
  name: string;
  applicationType: string;
  user: string;
  queue: string;
  /** "ACCEPTED" apps wait for resources; "RUNNING" apps run. */
  initialState: "ACCEPTED" | "RUNNING";
  startedAtMs: number;
  /** Planned end (from durationSeconds); undefined = runs until finished through the control endpoint. */
  plannedEndMs?: number;
  finishedAtMs?: number;
  finalStatus?: YarnFinalStatus;
}

export interface ClusterGatewayState {
  /** YARN's cluster timestamp, the `<epoch>` of application ids: when the cluster was first seen running. */
  yarnEpochMs: number;
  nextBatchId: number;
  nextAppSeq: number;
  batches: StoredBatch[];
  injectedApps: InjectedApp[];
  /** The head node holding the active NameNode/ResourceManager (and `headnodehost`); hn0 unless failed over. */
  activeHeadnode?: "hn0" | "hn1";
}

export interface GatewayState {
  scenario: GatewayScenario;
  faults: GatewayFault[];
  clusters: Record<string, ClusterGatewayState>;
}

export function emptyGatewayState(): GatewayState {
  return { scenario: { ...defaultScenario, rules: [] }, faults: [], clusters: {} };
}

const fileName = "gateway-state.json";

/** Loads the persisted state from `dataDir`, or an empty state when there is none (or it is unreadable). */
export function loadGatewayState(dataDir: string): GatewayState {
  try {
    const parsed = JSON.parse(readFileSync(join(dataDir, fileName), "utf8")) as Partial<GatewayState>;
    return {
      scenario: { ...defaultScenario, ...parsed.scenario, rules: parsed.scenario?.rules ?? [] },
      faults: parsed.faults ?? [],
      clusters: parsed.clusters ?? {},
    };
  } catch {
    return emptyGatewayState();
  }
}

/**
 * The gateway's state file (atomic, serialized saves).
 * The file holds batch confs as submitted, secrets included: it is the sandbox's "Azure side" data folder.
 */
export class GatewayStateFile extends SerializedJsonFile<GatewayState> {
  constructor(dataDir: string) {
    // Saved in the background (changed()): at most about ten whole-state writes a second however busy Livy is.
    super(dataDir, fileName, 100);
  }
}
