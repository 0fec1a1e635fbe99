// State machines as data: a transition table keyed by (state, event). Orchestrations and the job record use
// `transition` so an impossible move (a step "succeeding" after it was cancelled) fails loudly instead of being
// recorded. Pure and deterministic.

export interface StateMachine<S extends string, E extends string> {
  name: string;
  states: readonly S[];
  events: readonly E[];
  initial: S;
  /** States with no way out (no transitions). */
  terminal: readonly S[];
  /** States that count as failure (terminal or not, e.g. a failed cluster still has to be deleted). */
  failed: readonly S[];
  /** Allowed moves; a missing (state, event) entry is a disallowed transition. */
  transitions: { readonly [K in S]: Partial<Record<E, S>> };
}

/** Thrown for a (state, event) pair the table does not allow. Recognise it by `name`. */
export class InvalidTransitionError extends Error {
  constructor(
    readonly machine: string,
    readonly state: string,
    readonly event: string,
  ) {
    super(`${machine}: event '${event}' is not allowed in state '${state}'`);
    this.name = "InvalidTransitionError";
  }
}

export function isInvalidTransitionError(err: unknown): err is InvalidTransitionError {
  return typeof err === "object" && err !== null && (err as { name?: unknown }).name === "InvalidTransitionError";
}

/** The state after `event` in `state`; throws InvalidTransitionError when the table has no such move. */
export function transition<S extends string, E extends string>(machine: StateMachine<S, E>, state: S, event: E): S {
  const row = Object.prototype.hasOwnProperty.call(machine.transitions, state) ? machine.transitions[state] : undefined;
  const target = row !== undefined && Object.prototype.hasOwnProperty.call(row, event) ? row[event] : undefined;
  if (target === undefined) throw new InvalidTransitionError(machine.name, state, event);
  return target;
}

/** Whether `event` is allowed in `state` (no throw). */
export function canTransition<S extends string, E extends string>(machine: StateMachine<S, E>, state: S, event: E): boolean {
  const row = Object.prototype.hasOwnProperty.call(machine.transitions, state) ? machine.transitions[state] : undefined;
  return row !== undefined && Object.prototype.hasOwnProperty.call(row, event);
}

/** Events allowed in `state`, in the machine's event order. */
export function allowedEvents<S extends string, E extends string>(machine: StateMachine<S, E>, state: S): E[] {
  return machine.events.filter((e) => canTransition(machine, state, e));
}

export function isTerminal<S extends string, E extends string>(machine: StateMachine<S, E>, state: S): boolean {
  return machine.terminal.includes(state);
}

export function isFailed<S extends string, E extends string>(machine: StateMachine<S, E>, state: S): boolean {
  return machine.failed.includes(state);
}
