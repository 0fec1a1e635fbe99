// The orchestration trigger payload as JSON text, built without re-serializing the whole history every episode.
// The SDK replays the full history each episode (as on Azure), so the host sends it each time; but an event that
// was played once is sent in the same form (`IsPlayed: true`) in every later episode. So the engine keeps, per
// running instance, the JSON of its played events as one flat string and appends to it; an episode serializes
// only the events that are new since the last one. The text is exactly what `JSON.stringify` of the payload
// object gives (test/unit/durable/payloadJson.test.ts proves it episode after episode).
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

/** JSON text of one history event as the payload carries it. */
export function eventJson(event: HistoryEvent, played: boolean): string {
  return JSON.stringify({ ...event, IsPlayed: played });
}

/**
 * The canonical JSON of a stored JSON text, as `JSON.stringify(parseJson(text))` gives it: null for nothing, the
 * text as a JSON string when it is not JSON.
 */
export function canonicalJson(text: string | null | undefined): string {
  if (text === null || text === undefined || text === "") return "null";
  let out: string;
  try {
    out = JSON.stringify(JSON.parse(text) as unknown);
  } catch {
    return JSON.stringify(text);
  }
  return out === text ? text : out; // already canonical (the usual case): keep one copy of the string, not two
}

interface Played {
  executionId: string;
  /** How many events `json` holds (`e0,e1,…` without brackets) and the last of them (identity). */
  count: number;
  last: HistoryEvent | undefined;
  json: string;
  input: string | null | undefined;
  inputJson: string;
}

/** Makes V8 store `text` as one flat string (a string built by `+` is a tree of pieces until then). */
function flat(text: string): string {
  if (text.length > 0) text.charCodeAt(text.length - 1);
  return text;
}

/**
 * Per running instance: the JSON of its played events and of its input, reused from episode to episode. Bounded:
 * past `maxChars` characters in all, the instances that ran an episode least recently are dropped (their next
 * episode serializes the history once more and starts a new entry).
 */
export class PayloadJsonCache {
  /** In least-recently-used order (an episode moves its instance to the end). */
  private readonly byInstance = new Map<string, Played>();
  private chars = 0;

  constructor(private readonly maxChars = 128 * 2 ** 20) {}

  /** `[…]` of `history` with its first `playedCount` events marked as played. */
  historyJson(instanceId: string, executionId: string, history: readonly HistoryEvent[], playedCount: number): string {
    const entry = this.entryFor(instanceId, executionId, history, playedCount);
    const parts: string[] = [];
    for (let i = entry.count; i < playedCount; i++) parts.push(eventJson(history[i], true));
    if (parts.length > 0) {
      this.chars -= entry.json.length;
      entry.json = flat(entry.count === 0 ? parts.join(",") : `${entry.json},${parts.join(",")}`);
      this.chars += entry.json.length;
      entry.count = playedCount;
      entry.last = history[playedCount - 1];
      this.evictBeyondBound(instanceId);
    }
    const unplayed: string[] = [];
    for (let i = playedCount; i < history.length; i++) unplayed.push(eventJson(history[i], false));
    if (unplayed.length === 0) return `[${entry.json}]`;
    return entry.count === 0 ? `[${unplayed.join(",")}]` : `[${entry.json},${unplayed.join(",")}]`;
  }

  /** canonicalJson of the instance's input, computed once per execution. */
  inputJson(instanceId: string, input: string | null | undefined): string {
    const entry = this.byInstance.get(instanceId);
    if (!entry) return canonicalJson(input);
    if (entry.input !== input) {
      entry.input = input;
      entry.inputJson = canonicalJson(input);
    }
    return entry.inputJson;
  }

  /** Drops an instance's entry (finished, purged, or continued as new: no episode will send that history again). */
  forget(instanceId: string): void {
    const entry = this.byInstance.get(instanceId);
    if (!entry) return;
    this.chars -= entry.json.length;
    this.byInstance.delete(instanceId);
  }

  /** Instances with an entry (memory checks in tests). */
  get size(): number {
    return this.byInstance.size;
  }

  /** Characters of JSON held in all. */
  get heldChars(): number {
    return this.chars;
  }

  private evictBeyondBound(keep: string): void {
    for (const id of this.byInstance.keys()) {
      if (this.chars <= this.maxChars) return;
      if (id !== keep) this.forget(id);
    }
  }

  private entryFor(instanceId: string, executionId: string, history: readonly HistoryEvent[], playedCount: number): Played {
    const known = this.byInstance.get(instanceId);
    const reusable =
      known !== undefined &&
      known.executionId === executionId &&
      known.count <= playedCount &&
      (known.count === 0 || history[known.count - 1] === known.last);
    if (known) this.forget(instanceId); // re-inserted below: most recently used last
    if (known && reusable) {
      this.byInstance.set(instanceId, known);
      this.chars += known.json.length;
      return known;
    }
    const fresh: Played = { executionId, count: 0, last: undefined, json: "", input: undefined, inputJson: "null" };
    if (known && known.executionId === executionId) {
      fresh.input = known.input;
      fresh.inputJson = known.inputJson;
    }
    this.byInstance.set(instanceId, fresh);
    return fresh;
  }
}
