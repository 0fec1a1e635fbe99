// Trace context across the Durable boundary, as plain data. A job's trace starts at its trigger; the W3C
// traceparent of the span that started an orchestration rides in the orchestration's input (property `$trace`),
// and from there in every activity / sub-orchestration / continue-as-new input the orchestration schedules. The
// orchestrations themselves never see this: the host-side hook (telemetryHooks.ts) rewrites the actions an
// orchestrator returned and strips the carrier before an activity handler runs. Everything here is pure and
// deterministic (same orchestration input → same rewritten actions on every replay), and imports no OTel.

/** What travels with an input: the parent span and the ids every span and log line of the job carries. */
export interface TraceCarrier {
  /** W3C traceparent of the parent span (absent when tracing is off: the ids still correlate the logs). */
  traceparent?: string;
  tracestate?: string;
  jobId?: string;
  leaseId?: string;
  clusterName?: string;
  /** The orchestration instance that scheduled the work. */
  instanceId?: string;
  orchestration?: string;
}

export const CARRIER_KEY = "$trace";
/** Non-object inputs (arrays) travel wrapped: `{ $trace, $input }`. */
export const WRAPPED_KEY = "$input";

const TRACEPARENT = /^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Keeps only the known string fields of a carrier (inputs are untrusted JSON after a round trip). */
export function cleanCarrier(value: unknown): TraceCarrier | undefined {
  if (!isPlainObject(value)) return undefined;
  const out: TraceCarrier = {};
  for (const key of ["traceparent", "tracestate", "jobId", "leaseId", "clusterName", "instanceId", "orchestration"] as const) {
    const v = value[key];
    if (typeof v === "string" && v.length > 0 && v.length <= 512) out[key] = v;
  }
  if (out.traceparent && !TRACEPARENT.test(out.traceparent)) delete out.traceparent;
  return Object.keys(out).length ? out : undefined;
}

/** The carrier an input holds, if any. */
export function carrierOf(input: unknown): TraceCarrier | undefined {
  return isPlainObject(input) ? cleanCarrier(input[CARRIER_KEY]) : undefined;
}

/** `input` with `carrier` attached: a property on objects, a `{ $trace, $input }` wrapper around arrays; others unchanged. */
export function withCarrier(input: unknown, carrier: TraceCarrier | undefined): unknown {
  if (!carrier) return input;
  if (Array.isArray(input)) return { [CARRIER_KEY]: carrier, [WRAPPED_KEY]: input };
  if (isPlainObject(input)) return { ...input, [CARRIER_KEY]: carrier };
  return input;
}

/** Splits an activity input into what the handler expects and the carrier it brought. */
export function splitCarrier(input: unknown): { input: unknown; carrier?: TraceCarrier } {
  if (!isPlainObject(input) || !(CARRIER_KEY in input)) return { input };
  const carrier = cleanCarrier(input[CARRIER_KEY]);
  const keys = Object.keys(input);
  if (keys.length === 2 && WRAPPED_KEY in input) return { input: input[WRAPPED_KEY], ...(carrier ? { carrier } : {}) };
  const { [CARRIER_KEY]: _dropped, ...rest } = input;
  return { input: rest, ...(carrier ? { carrier } : {}) };
}

/** Durable action types (durable-functions ActionType) whose input goes to another function or execution. */
const CARRYING_ACTIONS = new Set([0, 1, 2, 3, 4]); // CallActivity(WithRetry), CallSubOrchestrator(WithRetry), ContinueAsNew
const COMPOUND_ACTIONS = new Set([11, 12]); // WhenAny, WhenAll

interface ActionLike {
  actionType?: number;
  input?: unknown;
  compoundActions?: ActionLike[];
  [k: string]: unknown;
}

/** A copy of one action (and its compound children) whose inputs carry `carrier`. */
function rewriteAction(action: ActionLike, carrier: TraceCarrier): ActionLike {
  if (!isPlainObject(action)) return action;
  if (COMPOUND_ACTIONS.has(action.actionType ?? -1) && Array.isArray(action.compoundActions)) {
    return { ...action, compoundActions: action.compoundActions.map((a) => rewriteAction(a, carrier)) };
  }
  if (!CARRYING_ACTIONS.has(action.actionType ?? -1)) return action;
  const inner = action.input;
  // A carrier the input already holds (a continue-as-new input spread from this execution's) is replaced.
  return { ...action, input: withCarrier(stripCarrierProperty(inner), carrier) };
}

function stripCarrierProperty(input: unknown): unknown {
  return splitCarrier(input).input;
}

/**
 * The OrchestratorState an orchestrator returned, with every scheduled input carrying `carrier`. Deterministic:
 * depends only on the state and the carrier (which comes from the orchestration's own input).
 */
export function rewriteOrchestratorState<T>(state: T, carrier: TraceCarrier | undefined): T {
  if (!carrier || !isPlainObject(state) || !Array.isArray(state.actions)) return state;
  const actions = (state.actions as unknown[]).map((group) =>
    Array.isArray(group) ? group.map((a) => rewriteAction(a as ActionLike, carrier)) : rewriteAction(group as ActionLike, carrier),
  );
  return { ...state, actions } as T;
}
