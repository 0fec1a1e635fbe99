// Parameter values: the declarations of a job document (checked by the JSON Schema in shared/spec/jobSchema.ts)
// merged with the supplied values (request, schedule, backfill, `-p`) and defaults, each checked against its
// declared type and pattern. A document that declares no parameters takes any supplied value as a string (EMR
// files, which cannot declare any). Pure.
import type { Problem } from "../errors";
import { joinPointer } from "../spec/ajv";
import { PARAMETER_LIMITS } from "../spec/jobSchema";

export type ParameterType = "string" | "integer" | "number" | "boolean";
export type SuppliedValue = string | number | boolean;

export interface ParameterDeclaration {
  type?: ParameterType;
  default?: SuppliedValue;
  description?: string;
  pattern?: string;
}

/**
 * Resolved values and every problem. `values` also holds declared parameters whose value was refused (as given),
 * so a template using them renders and only the value's own problem is reported.
 */
export interface ResolvedParameters {
  values: Map<string, string>;
  problems: Problem[];
  declared: boolean;
}

/** A group quantified after it already contains a quantifier, e.g. (a+)+ or (x*){2,}: catastrophic backtracking. */
const NESTED_QUANTIFIER = /\((?:[^()\\]|\\.)*[+*}](?:[^()\\]|\\.)*\)\s*[+*{]/;

/** Problems of a declared pattern (pointer given): not a regular expression, or one with nested quantifiers. */
export function patternProblems(pattern: string, pointer: string): Problem[] {
  if (NESTED_QUANTIFIER.test(pattern))
    return [
      { pointer, message: "must not quantify a group that has a quantifier inside (e.g. (a+)+): such patterns can take exponential time" },
    ];
  try {
    new RegExp(pattern, "u");
    return [];
  } catch (err) {
    return [{ pointer, message: `is not a regular expression: ${(err as Error).message}` }];
  }
}

/** The value as text when it fits the type, else the reason. */
function coerce(value: SuppliedValue, type: ParameterType): { ok: true; text: string } | { ok: false; message: string } {
  const text = String(value);
  if (text.length > PARAMETER_LIMITS.valueLength)
    return { ok: false, message: `must be at most ${PARAMETER_LIMITS.valueLength} characters long` };
  switch (type) {
    case "string":
      return { ok: true, text };
    case "integer":
      return /^-?[0-9]{1,15}$/.test(text.trim())
        ? { ok: true, text: String(Number(text.trim())) }
        : { ok: false, message: `must be a whole number (got '${text}')` };
    case "number":
      return text.trim() !== "" && Number.isFinite(Number(text))
        ? { ok: true, text: String(Number(text)) }
        : { ok: false, message: `must be a number (got '${text}')` };
    case "boolean":
      return text === "true" || text === "false" ? { ok: true, text } : { ok: false, message: `must be true or false (got '${text}')` };
  }
}

/**
 * Resolves every parameter. `declarations` = the document's `parameters` (schema-valid) or undefined; `supplied`
 * = the values given, problems about which point at `suppliedPointer`/NAME; problems about a declaration point at
 * `declarationsPointer`/NAME.
 */
export function resolveParameters(
  declarations: Record<string, ParameterDeclaration> | undefined,
  supplied: Record<string, SuppliedValue>,
  pointers: { declarations: string; supplied: string },
): ResolvedParameters {
  const problems: Problem[] = [];
  const values = new Map<string, string>();
  const declaredNames = Object.keys(declarations ?? {});
  if (declarations === undefined || declaredNames.length === 0) {
    for (const [name, value] of Object.entries(supplied)) {
      const c = coerce(value, "string");
      if (c.ok) values.set(name, c.text);
      else problems.push({ pointer: joinPointer(pointers.supplied, name), message: c.message });
    }
    return { values, problems, declared: false };
  }
  for (const name of Object.keys(supplied)) {
    if (!Object.prototype.hasOwnProperty.call(declarations, name)) {
      problems.push({
        pointer: joinPointer(pointers.supplied, name),
        message: `is not a parameter of this job (declared: ${declaredNames.join(", ")})`,
      });
    }
  }
  for (const [name, decl] of Object.entries(declarations)) {
    const type = decl.type ?? "string";
    const at = joinPointer(pointers.declarations, name);
    const pattern = decl.pattern;
    const patternOk = pattern === undefined || patternProblems(pattern, `${at}/pattern`).length === 0;
    if (pattern !== undefined) problems.push(...patternProblems(pattern, `${at}/pattern`));
    const check = (value: SuppliedValue, pointer: string, what: string): string => {
      const c = coerce(value, type);
      if (!c.ok) {
        problems.push({ pointer, message: `${what}${c.message}` });
        return String(value);
      }
      if (pattern !== undefined && patternOk && !new RegExp(`^(?:${pattern})$`, "u").test(c.text)) {
        problems.push({ pointer, message: `${what}'${c.text}' does not match the pattern ${pattern}` });
      }
      return c.text;
    };
    const defaultText = decl.default !== undefined ? check(decl.default, `${at}/default`, "") : undefined;
    if (Object.prototype.hasOwnProperty.call(supplied, name)) {
      values.set(name, check(supplied[name], joinPointer(pointers.supplied, name), `the value of parameter '${name}' `));
    } else if (defaultText !== undefined) {
      values.set(name, defaultText);
    } else {
      problems.push({
        pointer: at,
        message: `parameter '${name}' has no default and no value was supplied (-p ${name}=… or "parameters": {"${name}": …} in the request)`,
      });
    }
  }
  return { values, problems, declared: true };
}
