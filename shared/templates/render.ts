// Renders one templated string. Tokenizing is done by mustache.js's parser (the logic-less template engine, pinned
// in package.json): it splits the text into literal text and `{{ … }}` tags. Rendering is ours and strict: only
// plain `{{ expr }}` tags are accepted (sections, inverted sections, partials, comments, triple braces and delimiter
// changes are refused), each expression is parsed by expression.ts and looked up in a table of strings, and
// everything that does not resolve is an error naming the placeholder. Nothing is HTML-escaped (values go into URIs
// and arguments, not HTML). Two other placeholder styles seen in real EMR files, `${name}` and `%NAME%`, are
// refused in the literal text with the `{{ params.name }}` spelling to use instead, so they never reach Livy as
// literal text. Pure.
import Mustache from "mustache";
import { evaluate, parseExpression, type Scope } from "./expression";

// Hostile documents must not grow a process-wide cache: every template is parsed afresh.
Mustache.templateCache = undefined;

const TAG_KINDS: Record<string, string> = {
  "#": "sections ({{#…}})",
  "^": "inverted sections ({{^…}})",
  "/": "section ends ({{/…}})",
  ">": "partials ({{>…}})",
  "!": "comments ({{!…}})",
  "=": "delimiter changes ({{=… =}})",
  "&": "unescaped tags ({{&…}} or {{{…}}})",
};

/** Where `${…}` passes (Spark's own substitution in conf values); elsewhere it is refused. */
export interface RenderOptions {
  /** Allow Spark's `${env:X}`, `${system:X}` and `${spark.x}` references (conf values). Default false. */
  sparkSubstitution?: boolean;
}

export type Rendered = { ok: true; value: string; templated: boolean } | { ok: false; problems: string[] };

const DOLLAR = /\$\{([^}]*)\}/g;
/** Windows/Ant-style %NAME% (two or more characters, so strftime's %Y%m%d is not mistaken for one). */
const PERCENT = /%([A-Za-z_][A-Za-z0-9_]+)%/g;
const SPARK_REF = /^(env:|system:|spark\.)[A-Za-z0-9_.:-]+$/;

function foreignStyles(text: string, options: RenderOptions): string[] {
  const problems: string[] = [];
  for (const m of text.matchAll(DOLLAR)) {
    if (options.sparkSubstitution && SPARK_REF.test(m[1])) continue;
    const name = /^[A-Za-z_][A-Za-z0-9_]*$/.test(m[1].trim()) ? m[1].trim() : "NAME";
    problems.push(
      `'${m[0]}' is not a Jobflow placeholder: write {{ params.${name} }} and declare or pass the parameter ` +
        `(to pass '${m[0]}' on literally, write {{ "${m[0].replace(/"/g, '\\"')}" }})`,
    );
  }
  for (const m of text.matchAll(PERCENT)) {
    problems.push(
      `'${m[0]}' is not a Jobflow placeholder: write {{ params.${m[1]} }} and declare or pass the parameter ` +
        `(to pass '${m[0]}' on literally, write {{ "${m[0]}" }})`,
    );
  }
  return problems;
}

/** Whether a string uses any placeholder style at all (cheap pre-check; `{{` alone counts). */
export function looksTemplated(text: string): boolean {
  return text.includes("{{") || /\$\{[^}]*\}/.test(text) || /%[A-Za-z_][A-Za-z0-9_]+%/.test(text);
}

export function renderString(text: string, scope: Scope, options: RenderOptions = {}): Rendered {
  let tokens: unknown[][];
  try {
    tokens = Mustache.parse(text) as unknown as unknown[][];
  } catch (err) {
    return { ok: false, problems: [`is not a valid template: ${err instanceof Error ? err.message : String(err)}`] };
  }
  const problems: string[] = [];
  let out = "";
  let templated = false;
  for (const token of tokens) {
    const [type, value] = token as [string, string];
    if (type === "text") {
      problems.push(...foreignStyles(value, options));
      out += value;
      continue;
    }
    templated = true;
    const shown = text.slice(token[2] as number, token[3] as number);
    if (type !== "name") {
      problems.push(
        `'${shown}': ${TAG_KINDS[type] ?? `'${type}' tags`} are not supported; only {{ name }}, {{ params.NAME }} and macro calls are`,
      );
      continue;
    }
    const parsed = parseExpression(value);
    if (!parsed.ok) {
      problems.push(`'${shown}': ${parsed.message}`);
      continue;
    }
    const result = evaluate(parsed.expression, scope);
    if (!result.ok) problems.push(`'${shown}' is unresolved: ${result.message}`);
    else out += result.value;
  }
  return problems.length ? { ok: false, problems } : { ok: true, value: out, templated };
}
