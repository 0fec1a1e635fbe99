// The expression inside one `{{ … }}` placeholder. Deliberately tiny and closed: a dotted name (`params.bucket`,
// `ds`, `params['bucket']`), a string or integer literal, or a call of one of the built-in macros
// (`macros.ds_add(ds, -1)`). There is no operator, no attribute access on values, no filter and no way to reach
// JavaScript: a name is looked up in a plain table of strings, a call in a table of named functions. Pure.

export type Expression =
  { kind: "literal"; value: string } | { kind: "name"; path: string[] } | { kind: "call"; callee: string[]; args: Expression[] };

export type ParsedExpression = { ok: true; expression: Expression } | { ok: false; message: string };

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*/;
const MAX_ARGS = 8;

class Reader {
  position = 0;
  constructor(readonly text: string) {}
  skipSpace(): void {
    while (this.position < this.text.length && /\s/.test(this.text[this.position])) this.position++;
  }
  peek(): string {
    this.skipSpace();
    return this.text[this.position] ?? "";
  }
  take(ch: string): boolean {
    if (this.peek() !== ch) return false;
    this.position++;
    return true;
  }
  ident(): string | undefined {
    this.skipSpace();
    const m = IDENT.exec(this.text.slice(this.position));
    if (!m) return undefined;
    this.position += m[0].length;
    return m[0];
  }
  /** A '…' or "…" literal with \\ escapes; undefined when none starts here. */
  quoted(): string | undefined {
    const quote = this.peek();
    if (quote !== "'" && quote !== '"') return undefined;
    let out = "";
    for (let i = this.position + 1; i < this.text.length; i++) {
      const c = this.text[i];
      if (c === "\\" && i + 1 < this.text.length) out += this.text[++i];
      else if (c === quote) {
        this.position = i + 1;
        return out;
      } else out += c;
    }
    throw new SyntaxError("a string is not closed");
  }
  integer(): string | undefined {
    this.skipSpace();
    const m = /^-?[0-9]{1,9}(?![0-9.])/.exec(this.text.slice(this.position));
    if (!m) return undefined;
    this.position += m[0].length;
    return String(Number(m[0]));
  }
}

function parseValue(r: Reader, depth: number): Expression {
  if (depth > 4) throw new SyntaxError("calls are nested too deeply");
  const literal = r.quoted() ?? r.integer();
  if (literal !== undefined) return { kind: "literal", value: literal };
  const first = r.ident();
  if (first === undefined) throw new SyntaxError(r.peek() ? `unexpected '${r.peek()}'` : "an expression is missing");
  const path = [first];
  for (;;) {
    if (r.take(".")) {
      const next = r.ident();
      if (next === undefined) throw new SyntaxError(`a name must follow '${path.join(".")}.'`);
      path.push(next);
    } else if (r.peek() === "[") {
      r.take("[");
      const key = r.quoted();
      if (key === undefined || !r.take("]")) throw new SyntaxError(`only a quoted name may stand in [ ] after '${path.join(".")}'`);
      path.push(key);
    } else break;
  }
  if (!r.take("(")) return { kind: "name", path };
  const args: Expression[] = [];
  if (!r.take(")")) {
    do {
      if (args.length >= MAX_ARGS) throw new SyntaxError("too many arguments");
      args.push(parseValue(r, depth + 1));
    } while (r.take(","));
    if (!r.take(")"))
      throw new SyntaxError(
        r.peek()
          ? `unexpected '${r.peek()}' in the arguments of ${path.join(".")}`
          : `')' is missing after the arguments of ${path.join(".")}`,
      );
  }
  return { kind: "call", callee: path, args };
}

/** Parses the text between `{{` and `}}`. Jinja filters (`x | f`) and operators are refused with a reason. */
export function parseExpression(text: string): ParsedExpression {
  const r = new Reader(text);
  try {
    const expression = parseValue(r, 0);
    const rest = r.peek();
    if (rest === "|") return { ok: false, message: "filters (`| …`) are not supported; use a parameter or a macro" };
    if (rest)
      return {
        ok: false,
        message: `unexpected '${text.slice(r.position).trim().slice(0, 20)}' (only a name, a literal or a macro call is allowed)`,
      };
    return { ok: true, expression };
  } catch (err) {
    return { ok: false, message: err instanceof Error ? err.message : String(err) };
  }
}

/** What a name resolves against: plain strings by dotted name, and the callable macros by dotted name. */
export interface Scope {
  values: ReadonlyMap<string, string>;
  functions: ReadonlyMap<string, (args: string[]) => string>;
  /** Why a name is not there (e.g. "Airflow Variables are not available"), by its first segment; optional. */
  explain?(path: string[]): string | undefined;
}

export type Evaluated = { ok: true; value: string } | { ok: false; message: string };

export function evaluate(expression: Expression, scope: Scope): Evaluated {
  if (expression.kind === "literal") return { ok: true, value: expression.value };
  if (expression.kind === "name") {
    const name = expression.path.join(".");
    const value = scope.values.get(name);
    if (value !== undefined) return { ok: true, value };
    if (scope.functions.has(name)) return { ok: false, message: `${name} is a macro: call it, e.g. ${name}(ds, …)` };
    return { ok: false, message: scope.explain?.(expression.path) ?? `'${name}' is not defined` };
  }
  const name = expression.callee.join(".");
  const fn = scope.functions.get(name);
  if (!fn) return { ok: false, message: `'${name}' is not a known macro (known: ${[...scope.functions.keys()].join(", ") || "none"})` };
  const args: string[] = [];
  for (const a of expression.args) {
    const v = evaluate(a, scope);
    if (!v.ok) return v;
    args.push(v.value);
  }
  try {
    return { ok: true, value: fn(args) };
  } catch (err) {
    return { ok: false, message: `${name}: ${err instanceof Error ? err.message : String(err)}` };
  }
}
