// Durable state of the in-process Service Bus: one JSON file under dataDir, replaced atomically (write + rename)
// after every change, so a killed host restarts with its queues, dead letters and topic logs. Locked messages are
// stored with their incremented deliveryCount and come back as available (their lock died with the process),
// as Service Bus redelivers a message whose lock expired.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import type { ServiceBusMessageRecord } from "./serviceBusMessages";

export const SERVICE_BUS_FORMAT_VERSION = 1;

export interface BusSnapshot {
  formatVersion: number;
  sequence: number;
  /** Per entity (queue or `topic/Subscriptions/name`): messages in delivery order, dead letters. */
  entities: { name: string; messages: ServiceBusMessageRecord[]; deadLetters: ServiceBusMessageRecord[] }[];
  topics: { name: string; messages: ServiceBusMessageRecord[] }[];
}

// Buffers do not survive JSON: store them as {"$base64": "…"}.
const replacer = (_key: string, value: unknown): unknown => {
  if (typeof value === "object" && value !== null && (value as { type?: unknown }).type === "Buffer" && Array.isArray((value as { data?: unknown }).data)) {
    return { $base64: Buffer.from((value as { data: number[] }).data).toString("base64") };
  }
  return value;
};
const reviver = (_key: string, value: unknown): unknown => {
  if (typeof value === "object" && value !== null && typeof (value as { $base64?: unknown }).$base64 === "string") {
    return Buffer.from((value as { $base64: string }).$base64, "base64");
  }
  return value;
};

export function busStateFile(dataDir: string): string {
  return path.join(dataDir, "servicebus", "state.json");
}

/** Reads the snapshot; undefined when there is none yet. Throws on a file of another format version. */
export function loadBusSnapshot(file: string): BusSnapshot | undefined {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
  const snapshot = JSON.parse(text, reviver) as BusSnapshot;
  if (snapshot.formatVersion !== SERVICE_BUS_FORMAT_VERSION) {
    throw new Error(`${file}: Service Bus state format ${snapshot.formatVersion} is not supported (expected ${SERVICE_BUS_FORMAT_VERSION}).`);
  }
  return snapshot;
}

/** Atomically replaces the snapshot file. */
export function saveBusSnapshot(file: string, snapshot: BusSnapshot): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, JSON.stringify(snapshot, replacer));
  renameSync(tmp, file);
}
