// Who called what: every request the sandbox answers, for tests that count ARM calls ("one status probe per
// cluster") and for debugging. Bounded (the newest 20,000 to 25,000), oldest entries dropped first.

export type RequestComponent = "arm" | "gateway" | "keyvault" | "control" | "prices";

export interface RequestLogEntry {
  seq: number;
  /** Virtual time of the request. */
  atMs: number;
  component: RequestComponent;
  method: string;
  /** Path without the query string. */
  path: string;
  status: number;
  principal?: string;
  /** Set when fault injection or throttling answered instead of the emulated service. */
  note?: string;
}

const MAX_ENTRIES = 20_000;
const TRIM_CHUNK = 5_000;

export class RequestLog {
  private entries: RequestLogEntry[] = [];
  private seq = 0;

  add(entry: Omit<RequestLogEntry, "seq">): void {
    this.entries.push({ seq: ++this.seq, ...entry });
    // Trimmed in chunks: dropping one entry per request past the bound moved 20,000 entries every time.
    if (this.entries.length >= MAX_ENTRIES + TRIM_CHUNK) this.entries.splice(0, this.entries.length - MAX_ENTRIES);
  }

  /** Entries after `sinceSeq`, optionally only one component. */
  list(filter: { sinceSeq?: number; component?: string } = {}): RequestLogEntry[] {
    return this.entries.filter((e) => e.seq > (filter.sinceSeq ?? 0) && (!filter.component || e.component === filter.component));
  }

  clear(): void {
    this.entries = [];
  }
}
