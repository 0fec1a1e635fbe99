// Fault injection for ARM requests: the next N requests matching a method/path pattern get a canned failure
// instead of reaching the emulated resource provider. Cluster- and VM-level faults (provisioning Failed, cluster
// vanished, run-command failure) live with those resources; gateway faults live in the gateway component.

export type FaultKind =
  /** 429 with `Retry-After: retryAfterSeconds` (omit the header with retryAfterSeconds null). */
  | "throttle"
  /** A 5xx (500 by default; 503 carries Retry-After when retryAfterSeconds is set). */
  | "error"
  /** Hang for hangMs (real) then destroy the socket without a response. */
  | "timeout";

export interface FaultSpec {
  kind: FaultKind;
  /** How many matching requests fail (default 1). */
  count?: number;
  /** HTTP method to match (any when omitted). */
  method?: string;
  /** Substring the request path must contain, case-insensitive (any when omitted). */
  pathContains?: string;
  status?: number;
  retryAfterSeconds?: number | null;
  hangMs?: number;
}

export interface ActiveFault extends Required<Pick<FaultSpec, "kind" | "count">> {
  id: number;
  method?: string;
  pathContains?: string;
  status: number;
  retryAfterSeconds: number | null;
  hangMs: number;
}

export class FaultTable {
  private faults: ActiveFault[] = [];
  private nextId = 1;

  /** Adds a fault; validates the spec (throws Error with a message for a 400). */
  add(spec: FaultSpec): ActiveFault {
    if (!["throttle", "error", "timeout"].includes(spec.kind)) throw new Error(`unknown fault kind '${String(spec.kind)}'`);
    const count = spec.count ?? 1;
    if (!Number.isInteger(count) || count < 1) throw new Error("count must be a positive integer");
    const defaultStatus = spec.kind === "throttle" ? 429 : spec.kind === "error" ? 500 : 0;
    const fault: ActiveFault = {
      id: this.nextId++,
      kind: spec.kind,
      count,
      method: spec.method?.toUpperCase(),
      pathContains: spec.pathContains?.toLowerCase(),
      status: spec.status ?? defaultStatus,
      retryAfterSeconds: spec.retryAfterSeconds === undefined ? (spec.kind === "throttle" ? 1 : null) : spec.retryAfterSeconds,
      hangMs: spec.hangMs ?? 1000,
    };
    this.faults.push(fault);
    return fault;
  }

  /** Consumes and returns the first fault matching this request, if any. */
  take(method: string, path: string): ActiveFault | undefined {
    const lower = path.toLowerCase();
    const i = this.faults.findIndex(
      (f) => (!f.method || f.method === method.toUpperCase()) && (!f.pathContains || lower.includes(f.pathContains)),
    );
    if (i < 0) return undefined;
    const fault = this.faults[i];
    fault.count -= 1;
    if (fault.count <= 0) this.faults.splice(i, 1);
    return { ...fault };
  }

  list(): ActiveFault[] {
    return this.faults.map((f) => ({ ...f }));
  }

  clear(): void {
    this.faults = [];
  }
}
