// How the job orchestration reads a Livy batch state: the classification table is shared/states/livy.ts; this
// only adds "missing" (Livy forgot the batch after its retention time), which the step can no longer explain.
import { classifyLivyState } from "../states/livy";

export type LivyOutcome = "active" | "succeeded" | "failed";

export function livyOutcome(state: string): LivyOutcome {
  if (state === "missing") return "failed";
  const c = classifyLivyState(state);
  if (!c.terminal) return "active";
  return c.failed ? "failed" : "succeeded";
}
