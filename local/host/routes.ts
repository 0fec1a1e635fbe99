// ASP.NET Core route templates as the Functions host uses them for HTTP triggers: literal segments (matched
// case-insensitively), `{p}`, `{p?}`, `{p=default}`, `{*rest}`/`{**rest}`, and inline constraints such as
// `{id:int}`, `{name:alpha}`, `{id:guid}`, `{flag:bool}`, `{n:min(1)}`, `{s:length(2,8)}`, `{s:regex(^a+$)}`.
// Limitation: a parameter must fill its whole segment (no complex segments like `{a}.{b}`).

interface LiteralSegment {
  kind: "literal";
  text: string;
}

interface ParameterSegment {
  kind: "parameter";
  name: string;
  optional: boolean;
  catchAll: boolean;
  defaultValue?: string;
  constraints: ((value: string) => boolean)[];
}

type Segment = LiteralSegment | ParameterSegment;

export interface RouteTemplate {
  template: string;
  segments: Segment[];
  /** ASP.NET-style precedence key: lower sorts first (literals before constrained before plain before catch-all). */
  precedence: number[];
}

const GUID = /^[{(]?[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}[)}]?$/i;

function constraintFor(spec: string, template: string): (value: string) => boolean {
  const m = /^(\w+)(?:\((.*)\))?$/s.exec(spec);
  if (!m) throw new Error(`Invalid route constraint "${spec}" in "${template}".`);
  const [, name, rawArgs = ""] = m;
  const args = rawArgs.split(",").map((a) => a.trim());
  const num = (i: number): number => Number(args[i]);
  switch (name.toLowerCase()) {
    case "int":
    case "long":
      return (v) => /^-?\d+$/.test(v);
    case "alpha":
      return (v) => /^[a-z]+$/i.test(v);
    case "guid":
      return (v) => GUID.test(v);
    case "bool":
      return (v) => /^(true|false)$/i.test(v);
    case "double":
    case "float":
    case "decimal":
      return (v) => v.trim() !== "" && Number.isFinite(Number(v));
    case "datetime":
      return (v) => !Number.isNaN(Date.parse(v));
    case "min":
      return (v) => /^-?\d+$/.test(v) && Number(v) >= num(0);
    case "max":
      return (v) => /^-?\d+$/.test(v) && Number(v) <= num(0);
    case "range":
      return (v) => /^-?\d+$/.test(v) && Number(v) >= num(0) && Number(v) <= num(1);
    case "minlength":
      return (v) => v.length >= num(0);
    case "maxlength":
      return (v) => v.length <= num(0);
    case "length":
      return args.length > 1 ? (v) => v.length >= num(0) && v.length <= num(1) : (v) => v.length === num(0);
    case "regex": {
      const re = new RegExp(rawArgs, "i");
      return (v) => re.test(v);
    }
    default:
      throw new Error(`Unsupported route constraint "${name}" in "${template}".`);
  }
}

function parseParameter(body: string, template: string): ParameterSegment {
  let text = body;
  let catchAll = false;
  if (text.startsWith("**")) [catchAll, text] = [true, text.slice(2)];
  else if (text.startsWith("*")) [catchAll, text] = [true, text.slice(1)];
  let defaultValue: string | undefined;
  const eq = text.indexOf("=");
  if (eq >= 0) [text, defaultValue] = [text.slice(0, eq), text.slice(eq + 1)];
  let optional = false;
  if (text.endsWith("?")) [optional, text] = [true, text.slice(0, -1)];
  // Constraints are separated by ':' but a regex argument may itself contain ':' inside parentheses.
  const parts: string[] = [];
  let depth = 0;
  let current = "";
  for (const ch of text) {
    if (ch === "(") depth++;
    if (ch === ")") depth--;
    if (ch === ":" && depth === 0) {
      parts.push(current);
      current = "";
    } else current += ch;
  }
  parts.push(current);
  const [name, ...specs] = parts;
  if (!/^\w+$/.test(name)) throw new Error(`Invalid route parameter "{${body}}" in "${template}".`);
  return {
    kind: "parameter",
    name,
    optional: optional || catchAll,
    catchAll,
    defaultValue,
    constraints: specs.map((s) => constraintFor(s, template)),
  };
}

/** Parses a route template (without the route prefix); throws on syntax it does not support. */
export function parseRouteTemplate(template: string): RouteTemplate {
  const trimmed = template.replace(/^\/+|\/+$/g, "");
  const segments: Segment[] =
    trimmed === ""
      ? []
      : trimmed.split("/").map((raw) => {
          const inner = raw.slice(1, -1);
          // A whole-segment parameter; braces inside it must be doubled (`{{`, `}}`), as ASP.NET requires in regexes.
          if (raw.startsWith("{") && raw.endsWith("}") && !/[{}]/.test(inner.replace(/\{\{|\}\}/g, ""))) {
            return parseParameter(inner.replace(/\{\{/g, "{").replace(/\}\}/g, "}"), template);
          }
          if (raw.includes("{") || raw.includes("}")) {
            throw new Error(`Complex route segment "${raw}" in "${template}" is not supported by the local host.`);
          }
          return { kind: "literal", text: raw };
        });
  segments.forEach((s, i) => {
    if (s.kind === "parameter" && s.catchAll && i !== segments.length - 1) {
      throw new Error(`A catch-all parameter must be the last segment of "${template}".`);
    }
  });
  const precedence = segments.map((s) => {
    if (s.kind === "literal") return 1;
    if (s.catchAll) return 5;
    if (s.constraints.length > 0) return 2;
    return s.optional ? 4 : 3;
  });
  return { template, segments, precedence };
}

/** Route parameters of `path` (already without prefix and query) if it matches, else undefined. */
export function matchRoute(route: RouteTemplate, path: string): Record<string, string> | undefined {
  const trimmed = path.replace(/^\/+|\/+$/g, "");
  const rawParts = trimmed === "" ? [] : trimmed.split("/");
  const params: Record<string, string> = {};
  let i = 0;
  for (const segment of route.segments) {
    if (segment.kind === "literal") {
      const part = rawParts[i];
      if (part === undefined || safeDecode(part).toLowerCase() !== segment.text.toLowerCase()) return undefined;
      i++;
      continue;
    }
    if (segment.catchAll) {
      const rest = rawParts.slice(i).map(safeDecode).join("/");
      i = rawParts.length;
      if (rest === "") {
        if (segment.defaultValue !== undefined) params[segment.name] = segment.defaultValue;
        continue;
      }
      if (!segment.constraints.every((c) => c(rest))) return undefined;
      params[segment.name] = rest;
      continue;
    }
    const part = rawParts[i];
    if (part === undefined || part === "") {
      if (!segment.optional && segment.defaultValue === undefined) return undefined;
      if (segment.defaultValue !== undefined) params[segment.name] = segment.defaultValue;
      continue;
    }
    const value = safeDecode(part);
    if (!segment.constraints.every((c) => c(value))) return undefined;
    params[segment.name] = value;
    i++;
  }
  return i === rawParts.length ? params : undefined;
}

/** Orders routes as ASP.NET does: more specific templates first. */
export function compareRoutePrecedence(a: RouteTemplate, b: RouteTemplate): number {
  const n = Math.max(a.precedence.length, b.precedence.length);
  for (let i = 0; i < n; i++) {
    const x = a.precedence[i] ?? 0;
    const y = b.precedence[i] ?? 0;
    if (x !== y) return x - y;
  }
  return 0;
}

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}
