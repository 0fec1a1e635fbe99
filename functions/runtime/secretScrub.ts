// The generic scrubber at the invocation boundary (issue 11): every function invocation gets a fresh record of
// the secret values it read (the secret store in services() reports each value here), and on the way out its
// error (→ job record, jobflow.job.failed event, host log) and, for activities, its result (→ orchestration
// history) are scrubbed of those values. Wired once through the programming model's preInvocation hook, so no
// activity can forget it. Orchestrators are left alone: they never read secrets and must stay deterministic.
import { AsyncLocalStorage } from "node:async_hooks";
import { app } from "@azure/functions";
import type { SecretStore } from "../../shared/cloud/secrets";
import { scrubDeep, scrubError, secretStrings } from "../../shared/security/scrub";

const readInThisInvocation = new AsyncLocalStorage<Set<string>>();

/** Remembers a value read from the secret store for the current invocation (no-op outside one). */
export function noteSecretRead(value: string): void {
  const seen = readInThisInvocation.getStore();
  if (seen) for (const s of secretStrings(value)) seen.add(s);
}

/** The secret strings read so far in the current invocation, longest first. */
export function secretsReadInThisInvocation(): string[] {
  return [...(readInThisInvocation.getStore() ?? [])].sort((a, b) => b.length - a.length);
}

/** A secret store that reports every value it returns to the current invocation's record. */
export function recordingSecretStore(inner: SecretStore): SecretStore {
  return {
    getSecret: async (name, options) => {
      const value = await inner.getSecret(name, options);
      noteSecretRead(value);
      return value;
    },
  };
}

type Handler = (...args: unknown[]) => unknown;

/** Wraps a handler: runs it with a fresh record, scrubs what it throws (and returns, when `scrubResult`). */
export function scrubbingHandler(handler: Handler, scrubResult: boolean): Handler {
  return (...args: unknown[]) => readInThisInvocation.run(new Set<string>(), async () => {
    try {
      const result = await handler(...args);
      return scrubResult ? scrubDeep(result, secretsReadInThisInvocation()) : result;
    } catch (err) {
      throw scrubError(err, secretsReadInThisInvocation());
    }
  });
}

let registered = false;

/** Registers the preInvocation hook (idempotent per module instance; the host reloads modules per start). */
export function registerSecretScrubbing(): void {
  if (registered) return;
  registered = true;
  app.hook.preInvocation((context) => {
    const type = String(context.invocationContext.options.trigger.type).toLowerCase();
    if (type === "orchestrationtrigger" || type === "entitytrigger") return;
    context.functionHandler = scrubbingHandler(context.functionHandler as Handler, type === "activitytrigger") as typeof context.functionHandler;
  });
}
