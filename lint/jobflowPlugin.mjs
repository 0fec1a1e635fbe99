// ESLint plugin `jobflow`: the two rules that keep orchestrator code replay-safe (lint/README.md).
// * deterministic-imports — follows an orchestration's value imports transitively and reports, at the import that
//   leads there, any reached module that imports a Node built-in, an SDK or I/O code, or uses the clock, randomness,
//   process.env or real-time timers. `orchestrations/lease.ts` → `shared/policies/x.ts` → `node:crypto` is caught.
// * yield-durable-calls — a durable call (context.df.callActivity, createTimer, waitForExternalEvent, Task.all, …)
//   whose Task is never yielded does nothing (or runs unawaited): each must be yielded, collected into
//   Task.all/any, returned to a caller, handed to a helper whose result is yielded, or kept in a variable that is
//   yielded or collected later.
import { problemsThrough } from "./importGraph.mjs";

const DEFAULTS = {
  allowedPackages: ["durable-functions", "@azure/functions", "ajv", "@noble/hashes"],
  forbiddenPaths: ["(^|/)functions/", "(^|/)local/", "(^|/)cloud/azure/"],
  stopAt: "(^|/)orchestrations/",
};

const deterministicImports = {
  meta: {
    type: "problem",
    docs: { description: "Orchestrations, and every module they import transitively, stay deterministic" },
    schema: [
      {
        type: "object",
        properties: {
          allowedPackages: { type: "array", items: { type: "string" } },
          forbiddenPaths: { type: "array", items: { type: "string" } },
          stopAt: { type: "string" },
        },
        additionalProperties: false,
      },
    ],
    messages: {
      reached:
        "orchestrations are replayed and must be deterministic: {{chain}}{{message}}. Move it into an activity (functions/) or make the module pure.",
    },
  },
  create(context) {
    const o = { ...DEFAULTS, ...(context.options[0] ?? {}) };
    const options = {
      root: context.cwd,
      allowedPackages: o.allowedPackages,
      forbiddenPaths: o.forbiddenPaths.map((p) => new RegExp(p)),
      stopAt: o.stopAt ? new RegExp(o.stopAt) : undefined,
    };
    const check = (node, specifier, typeOnly) => {
      if (typeOnly || typeof specifier !== "string") return;
      for (const p of problemsThrough(context.filename, specifier, options)) {
        context.report({
          node,
          messageId: "reached",
          data: { chain: p.chain.length ? `${p.chain.join(" → ")} ` : "", message: p.message },
        });
      }
    };
    return {
      ImportDeclaration(node) {
        const onlyTypes =
          node.importKind === "type" ||
          (node.specifiers.length > 0 && node.specifiers.every((s) => s.type === "ImportSpecifier" && s.importKind === "type"));
        check(node, node.source.value, onlyTypes);
      },
      ExportNamedDeclaration(node) {
        if (node.source) check(node, node.source.value, node.exportKind === "type");
      },
      ExportAllDeclaration(node) {
        check(node, node.source.value, node.exportKind === "type");
      },
    };
  },
};

/** Durable calls that return a Task (on context.df, or Task.all/any). */
const DURABLE_METHODS = new Set([
  "callActivity",
  "callActivityWithRetry",
  "callSubOrchestrator",
  "callSubOrchestratorWithRetry",
  "callHttp",
  "callEntity",
  "createTimer",
  "waitForExternalEvent",
  "all",
  "any",
]);

const unwrap = (node) => {
  let n = node;
  while (
    n.parent &&
    ["TSAsExpression", "TSNonNullExpression", "TSSatisfiesExpression", "TSTypeAssertion", "ChainExpression"].includes(n.parent.type)
  )
    n = n.parent;
  return n;
};

/** Orchestration helpers that return a durable Task or a generator of them (orchestrations/activityCall.ts, cloudCall.ts). */
const DURABLE_HELPERS = new Set(["activityTask", "callActivityTyped", "callCloud"]);

function isDurableCall(node, sourceCode) {
  if (node.type === "CallExpression" && node.callee.type === "Identifier") return DURABLE_HELPERS.has(node.callee.name);
  if (node.type !== "CallExpression" || node.callee.type !== "MemberExpression" || node.callee.computed) return false;
  const name = node.callee.property.name;
  if (!DURABLE_METHODS.has(name)) return false;
  const object = sourceCode.getText(node.callee.object);
  if (name === "all" || name === "any") return /(^|\.)Task$/.test(object);
  return /(^|\.)df$/.test(object);
}

const isCollector = (node, sourceCode) =>
  node.type === "CallExpression" &&
  node.callee.type === "MemberExpression" &&
  ["all", "any"].includes(node.callee.property.name) &&
  /(^|\.)Task$/.test(sourceCode.getText(node.callee.object));

const yieldDurableCalls = {
  meta: {
    type: "problem",
    docs: { description: "Every durable Task in an orchestration is yielded (directly or through Task.all/any)" },
    schema: [],
    messages: {
      notYielded:
        "'{{call}}' is never yielded: yield it, collect it into context.df.Task.all/any, or return it to a caller that does. Without yield it does not run in order (or at all) and replay diverges.",
    },
  },
  create(context) {
    const sourceCode = context.sourceCode;
    /** Names (identifier or member text) that appear under a yield or inside a Task.all/any call. */
    const sinks = new Set();
    /** Durable calls stored in a name: reported at the end unless the name reaches a sink. */
    const stored = [];
    const collectNames = (node) => {
      const stack = [node];
      while (stack.length) {
        const n = stack.pop();
        if (!n || typeof n.type !== "string") continue;
        if (n.type === "Identifier" || n.type === "MemberExpression") sinks.add(sourceCode.getText(n));
        for (const [key, value] of Object.entries(n)) {
          if (key === "parent") continue;
          if (Array.isArray(value)) stack.push(...value);
          else if (value && typeof value.type === "string") stack.push(value);
        }
      }
    };
    const report = (node) => context.report({ node, messageId: "notYielded", data: { call: sourceCode.getText(node.callee) } });
    return {
      YieldExpression(node) {
        if (node.argument) collectNames(node.argument);
      },
      CallExpression(node) {
        if (isCollector(node, sourceCode)) node.arguments.forEach(collectNames);
        if (!isDurableCall(node, sourceCode)) return;
        const self = unwrap(node);
        const parent = self.parent;
        if (parent.type === "YieldExpression") return;
        if (parent.type === "ReturnStatement" || (parent.type === "ArrowFunctionExpression" && parent.body === self)) return;
        // Inside the arguments of a Task.all/any call (an array of calls, or a map whose callback returns one).
        for (let a = parent; a; a = a.parent) {
          if (a.type === "FunctionExpression" || a.type === "FunctionDeclaration" || a.type === "Program") break;
          if (isCollector(a, sourceCode)) return;
        }
        // Handed to a helper whose result is yielded (`yield* waitFor(context, context.df.createTimer(…))`).
        if (parent.type === "CallExpression" && parent.arguments.includes(self) && unwrap(parent).parent.type === "YieldExpression") return;
        if (parent.type === "VariableDeclarator" && parent.init === self) stored.push({ node, name: bindingName(parent.id, sourceCode) });
        else if (parent.type === "AssignmentExpression" && parent.right === self)
          stored.push({ node, name: sourceCode.getText(parent.left) });
        else if (parent.type === "ArrayExpression" || parent.type === "Property")
          stored.push({ node, name: arrayHolder(parent, sourceCode) });
        else if (parent.type === "CallExpression" && parent.callee.type === "MemberExpression" && parent.callee.property.name === "push")
          stored.push({ node, name: sourceCode.getText(parent.callee.object) });
        else report(node);
      },
      "Program:exit"() {
        for (const s of stored) if (!s.name || !sinks.has(s.name)) report(s.node);
      },
    };
  },
};

/** The name a declaration binds (without its type annotation). */
function bindingName(id, sourceCode) {
  return id.type === "Identifier" ? id.name : sourceCode.getText(id);
}

/** The variable an array (or object) literal holding a durable call is assigned to, if any. */
function arrayHolder(node, sourceCode) {
  let n = node;
  while (n.parent && ["ArrayExpression", "ObjectExpression", "Property"].includes(n.parent.type)) n = n.parent;
  const p = n.parent;
  if (p?.type === "VariableDeclarator" && p.init === n) return bindingName(p.id, sourceCode);
  if (p?.type === "AssignmentExpression" && p.right === n) return sourceCode.getText(p.left);
  return undefined;
}

export default {
  meta: { name: "jobflow" },
  rules: { "deterministic-imports": deterministicImports, "yield-durable-calls": yieldDurableCalls },
};
