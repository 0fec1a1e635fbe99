// What an orchestration reaches through its imports, and what in there would break replay. Used by the ESLint rule
// jobflow/deterministic-imports (lint/jobflowPlugin.mjs). Each module is parsed once per lint run (TypeScript's
// parser, no type checking); only value imports are followed — `import type` is erased and runs nothing.
import { builtinModules } from "node:module";
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, relative, resolve, sep } from "node:path";
import ts from "typescript";

const BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

/** Globals whose use makes code differ between the first run and a replay. */
const CLOCK_AND_CHANCE = [
  { test: (n) => isAccess(n, "Date", "now"), what: "Date.now() (the wall clock)" },
  {
    test: (n) => ts.isNewExpression(n) && isIdent(n.expression, "Date") && (n.arguments?.length ?? 0) === 0,
    what: "new Date() (the wall clock)",
  },
  { test: (n) => ts.isCallExpression(n) && isIdent(n.expression, "Date"), what: "Date() (the wall clock)" },
  { test: (n) => isAccess(n, "Math", "random"), what: "Math.random() (randomness)" },
  { test: (n) => isAccess(n, "process"), what: "process (environment, I/O)" },
  { test: (n) => isAccess(n, "crypto"), what: "crypto (randomness)" },
  { test: (n) => isAccess(n, "globalThis"), what: "globalThis (shared mutable state)" },
  { test: (n) => isCallOf(n, ["setTimeout", "setInterval", "setImmediate"]), what: "a real-time timer (use context.df.createTimer)" },
  { test: (n) => isCallOf(n, ["fetch"]), what: "fetch (I/O)" },
  { test: (n) => isCallOf(n, ["require"]), what: "require() (dynamic loading)" },
];

function isIdent(node, name) {
  return ts.isIdentifier(node) && node.text === name;
}
function isAccess(node, object, property) {
  return ts.isPropertyAccessExpression(node) && isIdent(node.expression, object) && (property === undefined || node.name.text === property);
}
function isCallOf(node, names) {
  return ts.isCallExpression(node) && ts.isIdentifier(node.expression) && names.includes(node.expression.text);
}

/** The value imports of a module (specifier and line), skipping type-only ones. */
function valueImports(sourceFile) {
  const out = [];
  const line = (node) => sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile)).line + 1;
  for (const st of sourceFile.statements) {
    if (ts.isImportDeclaration(st)) {
      const clause = st.importClause;
      const named = clause?.namedBindings;
      const onlyTypes =
        clause?.isTypeOnly ||
        (clause &&
          !clause.name &&
          named &&
          ts.isNamedImports(named) &&
          named.elements.length > 0 &&
          named.elements.every((e) => e.isTypeOnly));
      if (!onlyTypes) out.push({ specifier: st.moduleSpecifier.text, line: line(st) });
    } else if (ts.isExportDeclaration(st) && st.moduleSpecifier && !st.isTypeOnly) {
      out.push({ specifier: st.moduleSpecifier.text, line: line(st) });
    } else if (ts.isImportEqualsDeclaration(st) && ts.isExternalModuleReference(st.moduleReference) && !st.isTypeOnly) {
      out.push({ specifier: st.moduleReference.expression.text, line: line(st) });
    }
  }
  return out;
}

/** Uses of the clock, randomness, the environment or real-time timers anywhere in a module. */
function nondeterministicUses(sourceFile) {
  const found = [];
  const visit = (node) => {
    for (const rule of CLOCK_AND_CHANCE) {
      if (rule.test(node)) {
        found.push({ what: rule.what, line: sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile)).line + 1 });
        break;
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return found;
}

const cache = new Map();

/** Parsed facts about one module, cached by path and modification time. */
export function moduleFacts(file) {
  const mtimeMs = statSync(file).mtimeMs;
  const hit = cache.get(file);
  if (hit && hit.mtimeMs === mtimeMs) return hit.facts;
  const sourceFile = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
  const facts = { imports: valueImports(sourceFile), uses: nondeterministicUses(sourceFile) };
  cache.set(file, { mtimeMs, facts });
  return facts;
}

/** A relative import resolved to a TypeScript file, or undefined. */
export function resolveRelative(fromFile, specifier) {
  const base = resolve(dirname(fromFile), specifier);
  for (const candidate of [`${base}.ts`, `${base}.tsx`, `${base}${sep}index.ts`, base]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return undefined;
}

/**
 * Why an import is not allowed anywhere under an orchestration, or undefined when it is.
 * @param {string} specifier as written
 * @param {string | undefined} resolved the file a relative import resolves to
 * @param {{ root: string, allowedPackages: string[], forbiddenPaths: RegExp[] }} options
 */
export function forbiddenImport(specifier, resolved, options) {
  if (BUILTINS.has(specifier) || specifier.startsWith("node:")) return `imports '${specifier}' (a Node built-in: I/O, clock or randomness)`;
  if (!specifier.startsWith(".")) {
    const pkg = specifier.startsWith("@") ? specifier.split("/").slice(0, 2).join("/") : specifier.split("/")[0];
    if (!options.allowedPackages.includes(pkg))
      return `imports '${specifier}' (a package not known to be deterministic; allowed: ${options.allowedPackages.join(", ")})`;
    return undefined;
  }
  if (!resolved) return undefined;
  const rel = relative(options.root, resolved).split(sep).join("/");
  const bad = options.forbiddenPaths.find((re) => re.test(rel));
  return bad ? `imports ${rel} (I/O code: cloud SDK implementations, functions/ or local/)` : undefined;
}

/**
 * Every problem reachable from one import of a linted file: a forbidden import or a non-deterministic use in any
 * module it leads to, each with the chain of modules that leads there. Modules matching `stopAt` (other
 * orchestrations) are not entered: they are linted themselves.
 */
export function problemsThrough(fromFile, specifier, options) {
  const problems = [];
  const first = specifier.startsWith(".") ? resolveRelative(fromFile, specifier) : undefined;
  const direct = forbiddenImport(specifier, first, options);
  if (direct) return [{ chain: [], message: direct }];
  if (!first) return [];
  const visited = new Set();
  const rel = (f) => relative(options.root, f).split(sep).join("/");
  const walk = (file, chain) => {
    if (visited.has(file) || (options.stopAt && options.stopAt.test(rel(file)))) return;
    visited.add(file);
    const facts = moduleFacts(file);
    const here = [...chain, rel(file)];
    for (const use of facts.uses) problems.push({ chain: here, message: `uses ${use.what} at line ${use.line}` });
    for (const imp of facts.imports) {
      const target = imp.specifier.startsWith(".") ? resolveRelative(file, imp.specifier) : undefined;
      const why = forbiddenImport(imp.specifier, target, options);
      if (why) problems.push({ chain: here, message: `${why} at line ${imp.line}` });
      else if (target) walk(target, here);
    }
  };
  walk(first, []);
  return problems;
}
