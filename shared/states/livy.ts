// Livy batch states (incubator-livy SessionState.scala) → what a step poller needs: is it over, and how.

export const LIVY_STATES = [
  "not_started",
  "starting",
  "recovering",
  "idle",
  "running",
  "busy",
  "shutting_down",
  "error",
  "dead",
  "killed",
  "success",
] as const;
export type LivyState = (typeof LIVY_STATES)[number];

/** starting: accepted, not yet running · running: the application runs · the rest are final. */
export type LivyPhase = "starting" | "running" | "succeeded" | "failed" | "killed" | "unknown";

export interface LivyClassification {
  phase: LivyPhase;
  terminal: boolean;
  failed: boolean;
}

const PHASES: { readonly [S in LivyState]: LivyPhase } = {
  not_started: "starting",
  starting: "starting",
  recovering: "starting", // Livy restarted and is re-reading the batch; the YARN app may well still run
  idle: "running", // interactive-session state; for a batch it means the app is up
  running: "running",
  busy: "running",
  shutting_down: "running", // on its way to a final state: keep polling
  error: "failed",
  dead: "failed", // spark-submit failed or the YARN app FAILED
  killed: "killed", // DELETE /batches/{id} or yarn kill
  success: "succeeded",
};

export const LIVY_TERMINAL_STATES: readonly LivyState[] = ["success", "dead", "killed", "error"];
export const LIVY_FAILED_STATES: readonly LivyState[] = ["dead", "killed", "error"];

/** Classifies a state string from Livy (case-insensitive). An unknown value is non-terminal: keep polling. */
export function classifyLivyState(state: string): LivyClassification {
  const key = state.trim().toLowerCase();
  const phase: LivyPhase = Object.prototype.hasOwnProperty.call(PHASES, key) ? PHASES[key as LivyState] : "unknown";
  const terminal = phase === "succeeded" || phase === "failed" || phase === "killed";
  return { phase, terminal, failed: phase === "failed" || phase === "killed" };
}
