// ARM's token-bucket throttling (the 2024+ model): per subscription + principal + operation kind, plus
// Microsoft.Compute's "Update VM" per-VM policy for Run Command create/update/delete and v1 runCommand.
// Buckets refill on the sandbox clock, so a manual clock makes budgets deterministic in tests and a scaled clock
// keeps them consistent with clients whose polling intervals are also virtual.
import type { Clock } from "../../shared/clock";

export type ArmOperationKind = "reads" | "writes" | "deletes";

export interface BucketLimit {
  capacity: number;
  refillPerSecond: number;
}

export interface ThrottlingOptions {
  enabled?: boolean;
  reads?: BucketLimit;
  writes?: BucketLimit;
  deletes?: BucketLimit;
  /** Compute "Update VM" policy, per VM. */
  updateVm?: BucketLimit;
}

export const DEFAULT_LIMITS: Required<Omit<ThrottlingOptions, "enabled">> = {
  reads: { capacity: 250, refillPerSecond: 25 },
  writes: { capacity: 200, refillPerSecond: 10 },
  deletes: { capacity: 200, refillPerSecond: 10 },
  updateVm: { capacity: 12, refillPerSecond: 4 / 60 },
};

interface Bucket {
  tokens: number;
  updatedAtMs: number;
}

export interface ThrottleDecision {
  allowed: boolean;
  remaining: number;
  /** Virtual seconds until a token is available (only when refused). */
  retryAfterSeconds?: number;
}

export class TokenBuckets {
  enabled: boolean;
  private limits: Required<Omit<ThrottlingOptions, "enabled">>;
  private buckets = new Map<string, Bucket>();

  constructor(
    private readonly clock: Clock,
    options: ThrottlingOptions = {},
  ) {
    this.enabled = options.enabled ?? true;
    this.limits = { ...DEFAULT_LIMITS, ...stripUndefined(options) };
  }

  /** Changes limits/switch at runtime (control endpoint); buckets restart full. */
  configure(options: ThrottlingOptions): void {
    if (options.enabled !== undefined) this.enabled = options.enabled;
    this.limits = { ...this.limits, ...stripUndefined(options) };
    this.buckets.clear();
  }

  describe(): ThrottlingOptions {
    return { enabled: this.enabled, ...this.limits };
  }

  reset(): void {
    this.buckets.clear();
  }

  /** Takes one ARM token for (subscription, principal, kind). When disabled, always allows and reports a full bucket. */
  takeArm(subscriptionId: string, principal: string, kind: ArmOperationKind): ThrottleDecision {
    return this.take(`arm|${subscriptionId.toLowerCase()}|${principal}|${kind}`, this.limits[kind]);
  }

  /** Takes one token of Compute's per-VM "Update VM" policy. */
  takeUpdateVm(vmResourceId: string): ThrottleDecision {
    return this.take(`vm|${vmResourceId.toLowerCase()}`, this.limits.updateVm);
  }

  private take(key: string, limit: BucketLimit): ThrottleDecision {
    if (!this.enabled) return { allowed: true, remaining: limit.capacity - 1 };
    const now = this.clock.nowMs();
    const bucket = this.buckets.get(key) ?? { tokens: limit.capacity, updatedAtMs: now };
    const refilled = ((now - bucket.updatedAtMs) / 1000) * limit.refillPerSecond;
    bucket.tokens = Math.min(limit.capacity, bucket.tokens + Math.max(0, refilled));
    bucket.updatedAtMs = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true, remaining: Math.floor(bucket.tokens) };
    }
    const retryAfterSeconds = Math.max(1, Math.ceil((1 - bucket.tokens) / limit.refillPerSecond));
    return { allowed: false, remaining: 0, retryAfterSeconds };
  }
}

function stripUndefined(options: ThrottlingOptions): Partial<Required<Omit<ThrottlingOptions, "enabled">>> {
  const out: Partial<Required<Omit<ThrottlingOptions, "enabled">>> = {};
  if (options.reads) out.reads = options.reads;
  if (options.writes) out.writes = options.writes;
  if (options.deletes) out.deletes = options.deletes;
  if (options.updateVm) out.updateVm = options.updateVm;
  return out;
}
