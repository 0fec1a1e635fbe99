// How the job orchestration reads a Livy batch state (reference/azure-apis.md §2): success is the only good end;
// dead, killed and error are failures; "missing" (Livy forgot the batch) is a failure we cannot explain further.
export type LivyOutcome = "active" | "succeeded" | "failed";

const LIVY_FAILED = new Set(["dead", "killed", "error", "missing"]);

export function livyOutcome(state: string): LivyOutcome {
  const s = state.toLowerCase();
  if (s === "success") return "succeeded";
  return LIVY_FAILED.has(s) ? "failed" : "active";
}
