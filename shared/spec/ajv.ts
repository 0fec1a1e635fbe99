// One Ajv (JSON Schema 2020-12) setup for every Jobflow schema, and the translation of Ajv's errors into plain
// Problems (JSON pointer + English message). Pure: no Node built-ins, so orchestrations may import it.
import Ajv2020 from "ajv/dist/2020";
import type { ErrorObject, ValidateFunction } from "ajv/dist/2020";
import type { Problem } from "../errors";

/** Schema annotation (ignored by validators) giving the plain-English form of a `pattern`, e.g. "a lowercase name". */
export const HINT_KEYWORD = "x-hint";

let shared: Ajv2020 | undefined;

function ajv(): Ajv2020 {
  if (!shared) {
    // allErrors: report every problem at once; verbose: errors carry parentSchema (for x-hint).
    shared = new Ajv2020({ allErrors: true, verbose: true, strict: true, allowUnionTypes: true });
    shared.addKeyword({ keyword: HINT_KEYWORD, schemaType: "string" });
  }
  return shared;
}

/** Compiles a schema once per schema object (Ajv caches by identity). */
export function compileSchema(schema: object): ValidateFunction {
  return ajv().compile(schema);
}

/** Escapes one JSON pointer segment (RFC 6901). */
export function pointerSegment(key: string | number): string {
  return String(key).replace(/~/g, "~0").replace(/\//g, "~1");
}

export function joinPointer(base: string, ...keys: (string | number)[]): string {
  return base + keys.map((k) => "/" + pointerSegment(k)).join("");
}

function list(values: readonly unknown[]): string {
  return values.map((v) => (typeof v === "string" ? `"${v}"` : JSON.stringify(v))).join(", ");
}

function typeName(t: unknown): string {
  const names: Record<string, string> = {
    object: "an object",
    array: "a list",
    string: "a string",
    integer: "a whole number",
    number: "a number",
    boolean: "true or false",
    null: "null",
  };
  return Array.isArray(t) ? t.map(typeName).join(" or ") : (names[String(t)] ?? String(t));
}

/** Plain-English message of one Ajv error, and the pointer it is about. */
function describe(e: ErrorObject, base: string): Problem {
  const at = base + e.instancePath;
  const p = e.params as Record<string, unknown>;
  const hint = (e.parentSchema as Record<string, unknown> | undefined)?.[HINT_KEYWORD];
  switch (e.keyword) {
    case "required":
      return { pointer: joinPointer(at, String(p.missingProperty)), message: "is required" };
    case "additionalProperties": {
      const allowed = Object.keys((e.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      const suffix = allowed.length ? ` (allowed: ${allowed.join(", ")})` : "";
      return { pointer: joinPointer(at, String(p.additionalProperty)), message: `is not a known field${suffix}` };
    }
    case "type":
      return { pointer: at, message: `must be ${typeName(p.type)}` };
    case "enum":
      return { pointer: at, message: `must be one of ${list(p.allowedValues as unknown[])}` };
    case "const":
      return { pointer: at, message: `must be ${list([p.allowedValue])}` };
    case "pattern":
      return { pointer: at, message: typeof hint === "string" ? `must be ${hint}` : `must match the pattern ${String(p.pattern)}` };
    case "propertyNames": {
      const keyHint = (e.parentSchema as { propertyNames?: Record<string, unknown> } | undefined)?.propertyNames?.[HINT_KEYWORD];
      return {
        pointer: joinPointer(at, String(p.propertyName)),
        message: "is not an allowed key" + (typeof keyHint === "string" ? ` (keys must be ${keyHint})` : ""),
      };
    }
    case "minLength":
      return { pointer: at, message: p.limit === 1 ? "must not be empty" : `must be at least ${String(p.limit)} characters long` };
    case "maxLength":
      return { pointer: at, message: `must be at most ${String(p.limit)} characters long` };
    case "minItems":
      return { pointer: at, message: `must have at least ${String(p.limit)} item${p.limit === 1 ? "" : "s"}` };
    case "maxItems":
      return { pointer: at, message: `must have at most ${String(p.limit)} items` };
    case "maxProperties":
      return { pointer: at, message: `must have at most ${String(p.limit)} entries` };
    case "uniqueItems":
      return { pointer: at, message: `must not repeat an item (items ${String(p.j)} and ${String(p.i)} are the same)` };
    case "minimum":
    case "maximum":
    case "exclusiveMinimum":
    case "exclusiveMaximum":
      return { pointer: at, message: `must be ${String(p.comparison)} ${String(p.limit)}` };
    case "format":
      return { pointer: at, message: `must be a valid ${String(p.format)}` };
    default:
      return { pointer: at, message: e.message ?? `is not valid (${e.keyword})` };
  }
}

/** Problems of a failed Ajv validation, deduplicated, in document order of discovery. */
export function ajvProblems(errors: ErrorObject[] | null | undefined, base = ""): Problem[] {
  const seen = new Set<string>();
  const out: Problem[] = [];
  for (const e of errors ?? []) {
    // `propertyNames` reports each bad key twice (the inner pattern error and the wrapper); keep the wrapper.
    if (e.propertyName !== undefined && e.keyword !== "propertyNames") continue;
    const problem = describe(e, base);
    const key = problem.pointer + "\u0000" + problem.message;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(problem);
    }
  }
  return out;
}
