// In-memory LivyClient of one cluster: submitted batches get ids 0, 1, … in state "starting"; tests move them on
// with setState() and give them logs with setLog(). getBatch/getBatchLog of an unknown id are undefined (Livy's
// 404), deleteBatch of one succeeds, as the contract says.
import type { LivyBatch, LivyBatchList, LivyBatchLog, LivyBatchRequest, LivyClient } from "../livy";
import { CallRecorder } from "./recorder";

type Method = "submitBatch" | "getBatch" | "getBatchLog" | "listBatches" | "deleteBatch";

export class FakeLivyClient extends CallRecorder<Method> implements LivyClient {
  private readonly batches = new Map<number, LivyBatch & { request: LivyBatchRequest }>();
  private readonly logs = new Map<number, string[]>();
  private nextId = 0;

  async submitBatch(body: LivyBatchRequest): Promise<LivyBatch> {
    this.enter("submitBatch", body);
    const batch = { id: this.nextId++, name: body.name ?? null, state: "starting", appId: null, request: structuredClone(body) };
    this.batches.set(batch.id, batch);
    return this.view(batch);
  }

  async getBatch(id: number): Promise<LivyBatch | undefined> {
    this.enter("getBatch", id);
    const b = this.batches.get(id);
    return b ? this.view(b) : undefined;
  }

  async getBatchLog(id: number, range: { from?: number; size?: number } = {}): Promise<LivyBatchLog | undefined> {
    this.enter("getBatchLog", id, range);
    if (!this.batches.has(id)) return undefined;
    const all = this.logs.get(id) ?? [];
    const from = range.from ?? 0;
    return { id, from, total: all.length, log: all.slice(from, from + (range.size ?? 100)) };
  }

  async listBatches(options: { from?: number; size?: number } = {}): Promise<LivyBatchList> {
    this.enter("listBatches", options);
    const all = [...this.batches.values()].map((b) => this.view(b));
    const from = options.from ?? 0;
    return { from, total: all.length, sessions: all.slice(from, from + (options.size ?? 20)) };
  }

  async deleteBatch(id: number): Promise<void> {
    this.enter("deleteBatch", id);
    this.batches.delete(id);
  }

  /** The request a batch was submitted with (secrets resolved: what Livy received). */
  requestOf(id: number): LivyBatchRequest | undefined {
    return this.batches.get(id)?.request;
  }

  setState(id: number, state: string, appId?: string): void {
    const b = this.batches.get(id);
    if (!b) throw new Error(`FakeLivyClient: no batch ${id}`);
    b.state = state;
    if (appId !== undefined) b.appId = appId;
  }

  setLog(id: number, lines: string[]): void {
    this.logs.set(id, [...lines]);
  }

  reset(): void {
    this.resetCalls();
    this.batches.clear();
    this.logs.clear();
    this.nextId = 0;
  }

  private view(b: LivyBatch & { request: LivyBatchRequest }): LivyBatch {
    const { request: _request, ...batch } = b;
    return { ...batch };
  }
}
