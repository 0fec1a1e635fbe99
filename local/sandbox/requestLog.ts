// Who called what: every request the sandbox answers, for tests that count ARM calls ("one status probe per
// cluster") and for debugging. Bounded (the newest 20,000 to 25,000), oldest entries dropped first; the number of
// requests per component is counted apart and never trimmed, for figures over long runs (bench:scale).

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
  private counts = new Map<RequestComponent, number>();

  add(entry: Omit<RequestLogEntry, "seq">): void {
    this.entries.push({ seq: ++this.seq, ...entry });
    this.counts.set(entry.component, (this.counts.get(entry.component) ?? 0) + 1);
    // Trimmed in chunks: dropping one entry per request past the bound moved 20,000 entries every time.
    if (this.entries.length >= MAX_ENTRIES + TRIM_CHUNK) this.entries.splice(0, this.entries.length - MAX_ENTRIES);
  }

  /** Entries after `sinceSeq`, optionally only one component. */
  list(filter: { sinceSeq?: number; component?: string } = {}): RequestLogEntry[] {
    return this.entries.filter((e) => e.seq > (filter.sinceSeq ?? 0) && (!filter.component || e.component === filter.component));
  }

  /** Requests per component since the start or the last clear(), including entries already trimmed from list(). */
  countsByComponent(): Record<RequestComponent, number> {
    const out: Record<RequestComponent, number> = { arm: 0, gateway: 0, keyvault: 0, control: 0, prices: 0 };
    for (const [component, n] of this.counts) out[component] = n;
    return out;
  }

  clear(): void {
    this.entries = [];
    this.counts.clear();
  }
}
