// Wraps a cloud activity so its failure crosses the Durable boundary with its kind (issue 11 §6): permanent and
// not-found failures are returned as an ActivityFailure value (the orchestration's retry policy never sees them,
// so a 400/401/403 is not retried for eight minutes), transient and throttled ones are thrown as before with
// "[transient]"/"[throttled]" in front of the message. Classified once, here; typed by the activity's contract
// (shared/workflow/activityContracts.ts marks these activities `classified: true`).
import { mapAzureError } from "../../shared/cloud/azure/mapError";
import { errorMessage } from "../../shared/errors";
import { failureKind, kindTag, type ActivityFailure } from "../../shared/workflow/activityFailure";
import type { ActivityInput, ActivityResult, ClassifiedActivityName } from "../../shared/workflow/activityContracts";
import type { ActivityHandler, ActivityInvocation } from "./activityDeps";

export function classified<N extends ClassifiedActivityName>(
  activity: N,
  handler: (input: ActivityInput<N>, invocation: ActivityInvocation) => Promise<ActivityResult<N>>,
): ActivityHandler<N> {
  const wrapped = async (input: ActivityInput<N>, invocation: ActivityInvocation): Promise<ActivityResult<N> | ActivityFailure> => {
    try {
      return await handler(input, invocation);
    } catch (raw) {
      const err = mapAzureError(raw, activity);
      const kind = failureKind(err);
      const message = errorMessage(err);
      if (kind === "permanent" || kind === "notFound") {
        const e = err as { name?: unknown; statusCode?: unknown };
        const failure: ActivityFailure["activityFailure"] = { kind, errorName: typeof e.name === "string" ? e.name : "Error", message };
        if (typeof e.statusCode === "number") failure.statusCode = e.statusCode;
        return { activityFailure: failure };
      }
      const thrown = new Error(`${kindTag(kind)} ${message}`);
      thrown.name = (err as { name?: string }).name ?? "Error";
      throw thrown;
    }
  };
  // ActivityReturn<N> is ActivityResult<N> | ActivityFailure for every classified N; TS cannot see through the
  // conditional type for a generic N.
  return wrapped as ActivityHandler<N>;
}
