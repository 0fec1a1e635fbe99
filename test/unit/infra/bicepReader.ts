// A small Bicep reader, tokenizer-level: enough for our own templates (infra/**), not a Bicep compiler (none runs
// here). It strips comments, finds resource/module/var/param declarations with their bodies by bracket matching,
// reads object literals as key -> raw expression, and follows values across module boundaries.
import { readdirSync, readFileSync, statSync } from "node:fs";
import * as path from "node:path";

/** Template files by path relative to the infra folder, e.g. "main.bicep", "modules/rbac/app-core.bicep". */
export type TemplateSet = Map<string, string>;

export interface ResourceDecl {
  file: string;
  symbol: string;
  /** Full type, children expanded (e.g. Microsoft.Storage/storageAccounts/blobServices/containers). */
  type: string;
  apiVersion?: string;
  existing: boolean;
  /** Text between the outer braces of the body. */
  body: string;
  start: number;
  end: number;
}

export interface ModuleDecl {
  file: string;
  symbol: string;
  /** Resolved template path (relative to the infra folder). */
  target: string;
  body: string;
}

/** Reads every .bicep and .json file under `dir` into a TemplateSet. */
export function loadTemplates(dir: string): TemplateSet {
  const set: TemplateSet = new Map();
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const full = path.join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (/\.(bicep|json)$/.test(name)) set.set(path.relative(dir, full).split(path.sep).join("/"), readFileSync(full, "utf8"));
    }
  };
  walk(dir);
  return set;
}

/** Replaces // and /* comments by spaces (newlines kept), leaving strings ('...', '''...''') intact. */
export function stripComments(text: string): string {
  let out = "";
  let i = 0;
  while (i < text.length) {
    if (text.startsWith("'''", i)) {
      const end = text.indexOf("'''", i + 3);
      const stop = end < 0 ? text.length : end + 3;
      out += text.slice(i, stop);
      i = stop;
    } else if (text[i] === "'") {
      let j = i + 1;
      while (j < text.length && text[j] !== "'") j += text[j] === "\\" ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else if (text.startsWith("//", i)) {
      while (i < text.length && text[i] !== "\n") { out += " "; i++; }
    } else if (text.startsWith("/*", i)) {
      const end = text.indexOf("*/", i + 2);
      const stop = end < 0 ? text.length : end + 2;
      out += text.slice(i, stop).replace(/[^\n]/g, " ");
      i = stop;
    } else {
      out += text[i];
      i++;
    }
  }
  return out;
}

const CLOSE: Record<string, string> = { "{": "}", "[": "]", "(": ")" };

/** Index just past the bracket that closes the one at `open` (strings skipped). */
export function matchBracket(text: string, open: number): number {
  const stack: string[] = [];
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === "'") {
      if (text.startsWith("'''", i)) { i = text.indexOf("'''", i + 3) + 2; continue; }
      i++;
      while (i < text.length && text[i] !== "'") i += text[i] === "\\" ? 2 : 1;
      continue;
    }
    if (c in CLOSE) stack.push(CLOSE[c]);
    else if (c === "}" || c === "]" || c === ")") {
      if (stack.pop() !== c) throw new Error(`unbalanced '${c}' at ${i}`);
      if (stack.length === 0) return i + 1;
    }
  }
  throw new Error(`no closing bracket for '${text[open]}' at ${open}`);
}

/** Splits `text` at `separators` that sit outside brackets and strings. */
export function splitTopLevel(text: string, separators: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "'") {
      const stop = text.startsWith("'''", i) ? text.indexOf("'''", i + 3) + 3 : skipString(text, i);
      current += text.slice(i, stop);
      i = stop - 1;
      continue;
    }
    if (c in CLOSE) depth++;
    else if (c === "}" || c === "]" || c === ")") depth--;
    if (depth === 0 && separators.includes(c)) { parts.push(current); current = ""; continue; }
    current += c;
  }
  parts.push(current);
  return parts.map((p) => p.trim()).filter(Boolean);
}

function skipString(text: string, i: number): number {
  let j = i + 1;
  while (j < text.length && text[j] !== "'") j += text[j] === "\\" ? 2 : 1;
  return j + 1;
}

/** Key -> raw value expression of an object literal `{ ... }` (one property per line, or comma separated). */
export function parseObject(literal: string): Map<string, string> {
  const text = literal.trim();
  if (!text.startsWith("{")) throw new Error(`not an object literal: ${text.slice(0, 40)}`);
  const inner = text.slice(1, matchBracket(text, 0) - 1);
  const result = new Map<string, string>();
  for (const entry of splitTopLevel(inner, "\n,")) {
    const m = /^('(?:[^'\\]|\\.)*'|[A-Za-z_$][\w$]*)\s*:\s*([\s\S]*)$/.exec(entry);
    if (!m) continue; // nested resource declarations and decorators are not properties
    result.set(m[1].replace(/^'|'$/g, ""), m[2].trim());
  }
  return result;
}

/** Argument expressions of a call `name(a, b, ...)`; undefined when `expr` is not such a call. */
export function callArgs(expr: string, name: string): string[] | undefined {
  const m = new RegExp(`^${name}\\s*\\(`).exec(expr.trim());
  if (!m) return undefined;
  const text = expr.trim();
  const open = m[0].length - 1;
  return splitTopLevel(text.slice(open + 1, matchBracket(text, open) - 1), ",");
}

/** The value expression following `=` at `from` (an object/array/call is taken whole; otherwise to end of line). */
function valueAt(text: string, from: number): string {
  let i = from;
  while (text[i] === " ") i++;
  if (text[i] === "{" || text[i] === "[") return text.slice(i, matchBracket(text, i));
  const eol = text.indexOf("\n", i);
  return text.slice(i, eol < 0 ? text.length : eol).trim();
}

export function findResources(set: TemplateSet, file: string): ResourceDecl[] {
  const text = stripComments(set.get(file) ?? "");
  const re = /(^|\n)[ \t]*resource\s+(\w+)\s+'([^'@]+)(?:@([^']+))?'\s*(existing\s*)?=\s*/g;
  const decls: ResourceDecl[] = [];
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const open = text.indexOf("{", m.index + m[0].length);
    const end = matchBracket(text, open);
    decls.push({ file, symbol: m[2], type: m[3], apiVersion: m[4], existing: Boolean(m[5]), body: text.slice(open + 1, end - 1), start: m.index, end });
  }
  // A declaration nested in another one's body is a child: expand its type, inherit the version.
  for (const d of decls) {
    const parent = decls.filter((p) => p !== d && p.start < d.start && d.start < p.end).sort((a, b) => b.start - a.start)[0];
    if (parent && !d.type.includes("/")) {
      d.type = `${parent.type}/${d.type}`;
      d.apiVersion ??= parent.apiVersion;
    }
  }
  return decls;
}

export function findModules(set: TemplateSet, file: string): ModuleDecl[] {
  const text = stripComments(set.get(file) ?? "");
  const re = /(^|\n)[ \t]*module\s+(\w+)\s+'([^']+)'\s*=\s*/g;
  const mods: ModuleDecl[] = [];
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const open = text.indexOf("{", m.index + m[0].length);
    const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), m[3]));
    mods.push({ file, symbol: m[2], target, body: text.slice(open, matchBracket(text, open)) });
  }
  return mods;
}

/** `var name = <expr>` of a file. */
export function findVar(set: TemplateSet, file: string, name: string): string | undefined {
  const text = stripComments(set.get(file) ?? "");
  const m = new RegExp(`(^|\\n)[ \\t]*var\\s+${name}\\s*=`).exec(text);
  return m ? valueAt(text, m.index + m[0].length) : undefined;
}

/** Names of the parameters of a file, and which of them are @secure(). */
export function findParams(set: TemplateSet, file: string): { names: string[]; secure: string[] } {
  const text = stripComments(set.get(file) ?? "");
  const names = [...text.matchAll(/(^|\n)[ \t]*param\s+(\w+)\s/g)].map((m) => m[2]);
  const secure = [...text.matchAll(/@secure\(\)\s*(?:@[^\n]*\s*)*param\s+(\w+)/g)].map((m) => m[1]);
  return { names, secure };
}

/** Where `param` of `file` gets its value: each module call site's expression (with the caller's file). */
export function paramSources(set: TemplateSet, file: string, param: string): { file: string; expr: string }[] {
  const sources: { file: string; expr: string }[] = [];
  for (const caller of set.keys()) {
    if (!caller.endsWith(".bicep")) continue;
    for (const mod of findModules(set, caller)) {
      if (mod.target !== file) continue;
      const params = parseObject(parseObject(mod.body).get("params") ?? "{}");
      const expr = params.get(param);
      if (expr !== undefined) sources.push({ file: caller, expr });
    }
  }
  return sources;
}

export interface ResolvedEntry {
  value: string;
  /** File the value expression is written in. */
  file: string;
}

/**
 * The keys of an object-valued expression: an object literal, union(...) of such, or a var/param naming one (params
 * followed to their module call sites). Unresolvable parts are reported in `unresolved`.
 */
export function resolveObject(set: TemplateSet, file: string, expr: string, unresolved: string[] = []): Map<string, ResolvedEntry> {
  const out = new Map<string, ResolvedEntry>();
  const e = expr.trim();
  const unionArgs = callArgs(e, "union");
  if (e.startsWith("{")) {
    for (const [k, v] of parseObject(e)) out.set(k, { value: v, file });
  } else if (unionArgs) {
    for (const arg of unionArgs) for (const [k, v] of resolveObject(set, file, arg, unresolved)) out.set(k, v);
  } else if (/^\w+$/.test(e)) {
    const v = findVar(set, file, e);
    const sources = v === undefined ? paramSources(set, file, e) : [{ file, expr: v }];
    if (sources.length === 0) unresolved.push(`${file}: ${e}`);
    for (const s of sources) for (const [k, val] of resolveObject(set, s.file, s.expr, unresolved)) out.set(k, val);
  } else {
    unresolved.push(`${file}: ${e.slice(0, 60)}`);
  }
  return out;
}
