// Where orchestration instances live. The engine keeps every record in memory and writes each change through
// the store before acting on it (write-ahead, see README.md), so a store only needs atomic puts of a record
// (how it encodes them — whole records or deltas — is its own business).
import type { InstanceRecord } from "./types";

export interface InstanceStore {
  /** Every stored instance (used once, at engine start, to rehydrate). Order is unspecified. */
  loadAll(): Promise<InstanceRecord[]>;
  /**
   * Durably replaces the record of `record.instanceId`. Atomic: after a crash a reader sees either the previous
   * or the new version, never a mix. Resolves only once the write survives a process kill.
   */
  put(record: InstanceRecord): Promise<void>;
  /** Removes an instance; deleting a missing one succeeds. */
  delete(instanceId: string): Promise<void>;
  /**
   * The engine now holds `record` (same content as the record last put for its instance, e.g. with its history
   * packed): a store that keeps references to written records keeps this one instead (optional).
   */
  replaceHeld?(record: InstanceRecord): void;
  /** Releases open files once the last write resolved (optional: stores without any need none). */
  close?(): Promise<void>;
}

/** Keeps deep copies in a Map: for unit tests and the benchmark (no durability). */
export class MemoryInstanceStore implements InstanceStore {
  private readonly records = new Map<string, string>();
  /** Number of puts so far (tests use it to reason about write-ahead order). */
  writes = 0;

  async loadAll(): Promise<InstanceRecord[]> {
    return [...this.records.values()].map((text) => JSON.parse(text) as InstanceRecord);
  }

  async put(record: InstanceRecord): Promise<void> {
    this.writes++;
    this.records.set(record.instanceId, JSON.stringify(record));
  }

  async delete(instanceId: string): Promise<void> {
    this.records.delete(instanceId);
  }
}
