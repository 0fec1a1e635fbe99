// The generic scrubber at the invocation boundary (issue 11): every function invocation gets a fresh record of
// the secret values it read (the secret store in services() reports each value here; values read earlier by the
// process count too, for credentials cached across invocations), and on the way out its
// error (→ job record, jobflow.job.failed event, host log) and, for activities, its result (→ orchestration
// history) are scrubbed of those values. Wired once through the programming model's preInvocation hook, so no
// activity can forget it. Orchestrators are left alone: they never read secrets and must stay deterministic.
import { AsyncLocalStorage } from "node:async_hooks";
import { app } from "@azure/functions";
import type { SecretStore } from "../../shared/cloud/secrets";
import { scrubDeep, scrubError, secretStrings } from "../../shared/security/scrub";

const readInThisInvocation = new AsyncLocalStorage<Set<string>>();
/**
 * Values read by any invocation of this process: a credential cached by one invocation (gateway logins) may end
 * up in another's error, so every invocation is scrubbed of them too. Bounded: the oldest are forgotten first.
 */
const readInThisProcess = new Set<string>();
const MAX_REMEMBERED = 1000;
/** readInThisProcess sorted longest first, rebuilt only when it changed (not per invocation). */
let processSorted: string[] | undefined;

/** Remembers a value read from the secret store (for the current invocation and the process). */
export function noteSecretRead(value: string): void {
  const seen = readInThisInvocation.getStore();
  for (const s of secretStrings(value)) {
    seen?.add(s);
    if (!readInThisProcess.has(s)) processSorted = undefined;
    readInThisProcess.delete(s);
    readInThisProcess.add(s);
    if (readInThisProcess.size > MAX_REMEMBERED) readInThisProcess.delete(readInThisProcess.values().next().value as string);
  }
}

/** The secret strings to scrub in the current invocation, longest first. */
export function secretsToScrub(): readonly string[] {
  processSorted ??= [...readInThisProcess].sort((a, b) => b.length - a.length);
  const own = readInThisInvocation.getStore();
  let extra: string[] | undefined; // read in this invocation but already forgotten by the process (over MAX_REMEMBERED)
  for (const s of own ?? []) if (!readInThisProcess.has(s)) (extra ??= []).push(s);
  return extra ? [...extra, ...processSorted].sort((a, b) => b.length - a.length) : processSorted;
}

/**
 * True when some string of `value` (or an object key) contains one of `secrets`, raw or JSON-escaped — walking
 * what scrubDeep walks (plain objects and arrays, 32 levels), without copying. Most results carry no secret:
 * they are then passed on as they are instead of deep-copied.
 */
export function containsSecret(value: unknown, secrets: readonly string[]): boolean {
  if (secrets.length === 0) return false;
  const needles = [...secrets];
  for (const s of secrets) {
    const escaped = JSON.stringify(s).slice(1, -1);
    if (escaped !== s) needles.push(escaped);
  }
  const hit = (text: string): boolean => needles.some((n) => text.includes(n));
  const walk = (v: unknown, depth: number): boolean => {
    if (typeof v === "string") return hit(v);
    if (depth > 32 || typeof v !== "object" || v === null) return false;
    if (Array.isArray(v)) return v.some((x) => walk(x, depth + 1));
    if (Object.getPrototypeOf(v) !== Object.prototype) return false;
    for (const [k, x] of Object.entries(v)) if (hit(k) || walk(x, depth + 1)) return true;
    return false;
  };
  return walk(value, 0);
}

/** Notes the secret material of a secret store result: a string, or an object's `value` (versioned reads). */
function noteResult(result: unknown): void {
  if (typeof result === "string") noteSecretRead(result);
  else if (typeof result === "object" && result !== null && typeof (result as { value?: unknown }).value === "string")
    noteSecretRead((result as { value: string }).value);
}

/**
 * A secret store whose every method reports the values it returns (whatever methods the store has, so a new
 * read method cannot bypass it). `inner` is called on each use, so a lazily built store stays lazy.
 */
export function recordingSecretStore<T extends SecretStore>(inner: () => T): T {
  return new Proxy({} as T, {
    get(_target, prop) {
      const store = inner();
      const member = Reflect.get(store, prop, store) as unknown;
      if (typeof member !== "function") return member;
      return async (...args: unknown[]) => {
        const result = await (member as (...a: unknown[]) => Promise<unknown>).apply(store, args);
        noteResult(result);
        return result;
      };
    },
  });
}

type Handler = (...args: unknown[]) => unknown;

/** Wraps a handler: runs it with a fresh record, scrubs what it throws (and returns, when `scrubResult`). */
export function scrubbingHandler(handler: Handler, scrubResult: boolean): Handler {
  return (...args: unknown[]) =>
    readInThisInvocation.run(new Set<string>(), async () => {
      try {
        const result = await handler(...args);
        if (!scrubResult) return result;
        const secrets = secretsToScrub();
        return containsSecret(result, secrets) ? scrubDeep(result, secrets) : result;
      } catch (err) {
        throw scrubError(err, secretsToScrub());
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
    context.functionHandler = scrubbingHandler(
      context.functionHandler as Handler,
      type === "activitytrigger",
    ) as typeof context.functionHandler;
  });
}
