// The orchestration trigger payload as JSON text, built without re-serializing the whole history every episode.
// The SDK replays the full history each episode (as on Azure), so the host sends it each time; but an event that
// was played once is sent in the same form (`IsPlayed: true`) in every later episode, so its JSON text is
// computed once and reused (cached per event object, which the engine never mutates). The text is exactly what
// `JSON.stringify(orchestrationPayload(...))` produces — test/unit/durable/payloadJson.test.ts proves it.
import type { HistoryEvent } from "./types";

/**
 * A value already serialized to JSON. The durable invoker sends `text` as the trigger's `{json}` data as is;
 * anything else that serializes it (`JSON.stringify`, e.g. the unit-test invoker) gets the parsed value.
 */
export class JsonText {
  constructor(readonly text: string) {}

  toJSON(): unknown {
    return JSON.parse(this.text) as unknown;
  }
}

/** JSON of `{...event, IsPlayed: true}` per event object (events are immutable once in a record's history). */
const playedJson = new WeakMap<HistoryEvent, string>();

/** Drops the cached JSON of a finished execution's events (no episode will send them again). */
export function forgetEventJson(history: readonly HistoryEvent[]): void {
  for (const e of history) playedJson.delete(e);
}

/** JSON text of one history event as the payload carries it. */
export function eventJson(event: HistoryEvent, played: boolean): string {
  if (!played) return JSON.stringify({ ...event, IsPlayed: false });
  let text = playedJson.get(event);
  if (text === undefined) {
    text = JSON.stringify({ ...event, IsPlayed: true });
    playedJson.set(event, text);
  }
  return text;
}

/** `[…]` of the history with the first `playedCount` events marked as played. */
export function historyJson(history: readonly HistoryEvent[], playedCount: number): string {
  const parts = new Array<string>(history.length);
  for (let i = 0; i < history.length; i++) parts[i] = eventJson(history[i], i < playedCount);
  return `[${parts.join(",")}]`;
}

/**
 * The canonical JSON of a stored JSON text, as `JSON.stringify(parseJson(text))` gives it (null for nothing, the
 * text as a JSON string when it is not JSON). Inputs are the same text episode after episode: remembered (bounded).
 */
const canonicalCache = new Map<string, string>();
const CANONICAL_CACHE_MAX = 8192;

export function canonicalJson(text: string | null | undefined): string {
  if (text === null || text === undefined || text === "") return "null";
  const hit = canonicalCache.get(text);
  if (hit !== undefined) return hit;
  let out: string;
  try {
    out = JSON.stringify(JSON.parse(text) as unknown) ?? "null";
  } catch {
    out = JSON.stringify(text);
  }
  if (out === text) out = text; // already canonical (the usual case): keep one copy of the string, not two
  if (canonicalCache.size >= CANONICAL_CACHE_MAX) canonicalCache.delete(canonicalCache.keys().next().value as string);
  canonicalCache.set(text, out);
  return out;
}
