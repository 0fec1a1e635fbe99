// Scenario settings (how batches behave when their conf does not say) and injected faults for the gateway.
// Both are set through the control endpoint and persisted with the gateway's state.
import { isRecord } from "./httpUtil";

export type BatchOutcome = "success" | "dead";

/** Per-file behaviour: the first rule whose `filePattern` (a JS regular expression) matches the batch's file wins. */
export interface BatchRule {
  filePattern: string;
  outcome?: BatchOutcome;
  durationSeconds?: number;
  logLines?: number;
}

export interface GatewayScenario {
  /** Virtual seconds from POST to a terminal state (starting + running). */
  defaultDurationSeconds: number;
  /** Virtual seconds a batch stays `starting` (capped at half its duration). */
  startingSeconds: number;
  defaultOutcome: BatchOutcome;
  /** Application stdout lines a batch prints over its run. */
  defaultLogLines: number;
  /** Livy `livy.server.session.state-retain.sec`: finished batches are forgotten (404) after this. */
  retainSeconds: number;
  /** YARN `activeNodes` reported by the RM metrics. */
  activeNodes: number;
  rules: BatchRule[];
}

export const defaultScenario: GatewayScenario = {
  defaultDurationSeconds: 120,
  startingSeconds: 10,
  defaultOutcome: "success",
  defaultLogLines: 20,
  retainSeconds: 600,
  activeNodes: 4,
  rules: [],
};

export type GatewayFaultKind = "gateway502" | "gateway429" | "livy500" | "batchOutcome" | "livySubmitHold";

/**
 * An injected fault. `gateway502`: the next `remaining` requests to the cluster get the gateway's 502 page.
 * `livy500`: the next `remaining` Livy requests get a 500. `batchOutcome`: the next `remaining` batches submitted
 * (whose file matches `filePattern`, when given) end with `outcome` regardless of their conf. `gateway429`: the next
 * `remaining` requests to the cluster get 429 Too Many Requests, with `Retry-After: retryAfterSeconds` (default 1;
 * null = no header). `livySubmitHold`: the next `remaining` batch submissions (POST /livy/batches, whose file matches
 * `filePattern`, when given) are held before the batch exists until `POST /_sandbox/gateway/holds/release` (tests:
 * a cancel while a probe's follow-up submission is in flight).
 */
export interface GatewayFault {
  kind: GatewayFaultKind;
  cluster?: string;
  remaining: number;
  outcome?: BatchOutcome;
  filePattern?: string;
  retryAfterSeconds?: number | null;
}

const outcomes: readonly string[] = ["success", "dead"];
const faultKinds: readonly string[] = ["gateway502", "gateway429", "livy500", "batchOutcome", "livySubmitHold"];

function positiveNumber(body: Record<string, unknown>, key: string, problems: string[], allowZero = false): number | undefined {
  const v = body[key];
  if (v === undefined) return undefined;
  if (typeof v !== "number" || !Number.isFinite(v) || v < 0 || (!allowZero && v === 0)) {
    problems.push(`${key} must be a ${allowZero ? "non-negative" : "positive"} number`);
    return undefined;
  }
  return v;
}

function outcomeOf(value: unknown, key: string, problems: string[]): BatchOutcome | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string" || !outcomes.includes(value)) {
    problems.push(`${key} must be "success" or "dead"`);
    return undefined;
  }
  return value as BatchOutcome;
}

function patternOf(value: unknown, key: string, problems: string[]): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string") {
    problems.push(`${key} must be a regular expression string`);
    return undefined;
  }
  try {
    new RegExp(value);
  } catch {
    problems.push(`${key} is not a valid regular expression`);
    return undefined;
  }
  return value;
}

/** Merges a partial scenario from a control request into `current`; throws an Error listing every problem. */
export function mergeScenario(current: GatewayScenario, body: unknown): GatewayScenario {
  if (!isRecord(body)) throw new Error("scenario body must be a JSON object");
  const problems: string[] = [];
  const known = new Set([...Object.keys(defaultScenario)]);
  for (const key of Object.keys(body)) if (!known.has(key)) problems.push(`unknown scenario setting ${key}`);
  const next: GatewayScenario = { ...current, rules: [...current.rules] };
  next.defaultDurationSeconds = positiveNumber(body, "defaultDurationSeconds", problems) ?? next.defaultDurationSeconds;
  next.startingSeconds = positiveNumber(body, "startingSeconds", problems, true) ?? next.startingSeconds;
  next.defaultOutcome = outcomeOf(body.defaultOutcome, "defaultOutcome", problems) ?? next.defaultOutcome;
  next.defaultLogLines = positiveNumber(body, "defaultLogLines", problems, true) ?? next.defaultLogLines;
  next.retainSeconds = positiveNumber(body, "retainSeconds", problems, true) ?? next.retainSeconds;
  next.activeNodes = positiveNumber(body, "activeNodes", problems, true) ?? next.activeNodes;
  if (body.rules !== undefined) {
    if (!Array.isArray(body.rules)) problems.push("rules must be an array");
    else next.rules = body.rules.map((r, i) => parseRule(r, `rules[${i}]`, problems));
  }
  if (problems.length > 0) throw new Error(problems.join("; "));
  return next;
}

function parseRule(raw: unknown, at: string, problems: string[]): BatchRule {
  if (!isRecord(raw)) {
    problems.push(`${at} must be an object`);
    return { filePattern: "(?!)" };
  }
  const filePattern = patternOf(raw.filePattern, `${at}.filePattern`, problems);
  if (filePattern === undefined && raw.filePattern === undefined) problems.push(`${at}.filePattern is required`);
  const rule: BatchRule = { filePattern: filePattern ?? "(?!)" };
  const outcome = outcomeOf(raw.outcome, `${at}.outcome`, problems);
  if (outcome) rule.outcome = outcome;
  const duration = positiveNumber(raw, "durationSeconds", problems);
  if (duration !== undefined) rule.durationSeconds = duration;
  const lines = positiveNumber(raw, "logLines", problems, true);
  if (lines !== undefined) rule.logLines = lines;
  return rule;
}

/** Parses a fault injection request: `{kind, cluster?, count?, outcome?, filePattern?}` (count defaults to 1). */
export function parseFault(body: unknown): GatewayFault {
  if (!isRecord(body)) throw new Error("fault body must be a JSON object");
  const problems: string[] = [];
  const kind = body.kind;
  if (typeof kind !== "string" || !faultKinds.includes(kind)) problems.push(`kind must be one of ${faultKinds.join(", ")}`);
  const count = positiveNumber(body, "count", problems) ?? 1;
  if (!Number.isInteger(count)) problems.push("count must be an integer");
  if (body.cluster !== undefined && typeof body.cluster !== "string") problems.push("cluster must be a string");
  const outcome = outcomeOf(body.outcome, "outcome", problems);
  if (kind === "batchOutcome" && !outcome) problems.push("batchOutcome needs outcome");
  const filePattern = patternOf(body.filePattern, "filePattern", problems);
  const retryAfter = body.retryAfterSeconds;
  if (
    retryAfter !== undefined &&
    retryAfter !== null &&
    !(typeof retryAfter === "number" && Number.isInteger(retryAfter) && retryAfter >= 0)
  ) {
    problems.push("retryAfterSeconds must be a non-negative integer or null");
  }
  if (problems.length > 0) throw new Error(problems.join("; "));
  const fault: GatewayFault = { kind: kind as GatewayFaultKind, remaining: count };
  if (typeof body.cluster === "string") fault.cluster = body.cluster;
  if (outcome) fault.outcome = outcome;
  if (filePattern !== undefined) fault.filePattern = filePattern;
  if (kind === "gateway429") fault.retryAfterSeconds = retryAfter === undefined ? 1 : (retryAfter as number | null);
  return fault;
}

/**
 * Consumes one use of the first fault of `kind` that applies to `cluster` (and `file`, for batch outcomes);
 * returns it, or undefined when none applies. Spent faults are removed from `faults`.
 */
export function takeFault(faults: GatewayFault[], kind: GatewayFaultKind, cluster: string, file?: string): GatewayFault | undefined {
  const index = faults.findIndex(
    (f) =>
      f.kind === kind &&
      f.remaining > 0 &&
      (f.cluster === undefined || f.cluster === cluster) &&
      (f.filePattern === undefined || (file !== undefined && new RegExp(f.filePattern).test(file))),
  );
  if (index < 0) return undefined;
  const fault = faults[index] as GatewayFault;
  fault.remaining -= 1;
  if (fault.remaining <= 0) faults.splice(index, 1);
  return fault;
}
