// ESLint flat config. The rules that are architecture, not style: orchestrations/ — and everything it imports,
// transitively — stays deterministic, and every durable Task is yielded (lint/jobflowPlugin.mjs); no promise is left
// floating (type-aware, through the TypeScript project service).
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import jobflow from "./lint/jobflowPlugin.mjs";

const nodeBuiltins = [
  "assert",
  "async_hooks",
  "buffer",
  "child_process",
  "cluster",
  "crypto",
  "dgram",
  "dns",
  "events",
  "fs",
  "fs/promises",
  "http",
  "http2",
  "https",
  "net",
  "os",
  "path",
  "perf_hooks",
  "process",
  "readline",
  "stream",
  "timers",
  "tls",
  "url",
  "util",
  "v8",
  "vm",
  "worker_threads",
  "zlib",
];

export default tseslint.config(
  {
    ignores: [
      "node_modules/**",
      "dist/**",
      "dist-cli/**",
      ".data/**",
      "coverage/**",
      "**/*.d.ts",
      "console/dist/**",
      "test-results/**",
      "test/fixtures/lint/**",
    ],
  }, // mistakes on purpose, linted by test/unit/lint/
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: "readonly",
        console: "readonly",
        Buffer: "readonly",
        setTimeout: "readonly",
        clearTimeout: "readonly",
        setInterval: "readonly",
        clearInterval: "readonly",
        setImmediate: "readonly",
        URL: "readonly",
        URLSearchParams: "readonly",
        fetch: "readonly",
        AbortController: "readonly",
        AbortSignal: "readonly",
        __dirname: "readonly",
        require: "readonly",
        module: "readonly",
        TextEncoder: "readonly",
        TextDecoder: "readonly",
        structuredClone: "readonly",
        queueMicrotask: "readonly",
        Response: "readonly",
        Request: "readonly",
        Headers: "readonly",
      },
    },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-require-imports": "off",
    },
  },
  {
    // Type-aware: an un-awaited promise loses its errors (an unhandled rejection) and its ordering.
    files: ["**/*.ts", "**/*.tsx", "**/*.mts"],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: { "@typescript-eslint/no-floating-promises": "error" },
  },
  {
    // Deterministic orchestrator code: replayed by the Durable runtime, so no I/O, no wall clock, no randomness.
    files: ["orchestrations/**/*.ts"],
    plugins: { jobflow },
    rules: {
      "jobflow/deterministic-imports": "error",
      "jobflow/yield-durable-calls": "error",
      "no-restricted-imports": [
        "error",
        {
          paths: [
            ...nodeBuiltins.map((name) => ({ name, message: "orchestrations/ is deterministic: do I/O in an activity (functions/)." })),
            ...nodeBuiltins.map((name) => ({
              name: `node:${name}`,
              message: "orchestrations/ is deterministic: do I/O in an activity (functions/).",
            })),
          ],
          patterns: [
            { group: ["node:*"], message: "orchestrations/ is deterministic: no Node built-ins." },
            { group: ["@azure/*", "!@azure/functions"], message: "orchestrations/ is deterministic: SDK calls belong in activities." },
            {
              group: ["@opentelemetry/*"],
              message:
                "orchestrations/ are replayed: spans come from the host-side hooks (functions/runtime/telemetryHooks.ts), never from orchestrator code.",
            },
            {
              group: ["**/cloud/azure/**", "**/local/**", "**/functions/**"],
              message: "orchestrations/ may import only deterministic shared code.",
            },
          ],
        },
      ],
      "no-restricted-globals": [
        "error",
        { name: "process", message: "No process.env in orchestrations: pass settings as input." },
        { name: "setTimeout", message: "Use context.df.createTimer." },
        { name: "setInterval", message: "Use context.df.createTimer." },
        { name: "fetch", message: "Do I/O in an activity." },
        { name: "require", message: "Use static imports of deterministic modules." },
      ],
      "no-restricted-syntax": [
        "error",
        { selector: "MemberExpression[object.name='Date'][property.name='now']", message: "Use context.df.currentUtcDateTime." },
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: "Use context.df.currentUtcDateTime." },
        { selector: "CallExpression[callee.name='Date']", message: "Use context.df.currentUtcDateTime." },
        {
          selector: "MemberExpression[object.name='Math'][property.name='random']",
          message: "Randomness breaks replay; use context.df.newGuid.",
        },
        { selector: "MemberExpression[object.name='crypto']", message: "Randomness breaks replay; use context.df.newGuid." },
      ],
    },
  },
  {
    // The console runs in the browser (console/README.md): DOM globals, no Node.
    files: ["console/src/**/*.{ts,tsx}"],
    languageOptions: {
      globals: {
        window: "readonly",
        document: "readonly",
        HTMLElement: "readonly",
        HTMLDivElement: "readonly",
        HTMLInputElement: "readonly",
        HTMLSelectElement: "readonly",
        HTMLTextAreaElement: "readonly",
        process: "off",
        Buffer: "off",
        __dirname: "off",
        require: "off",
      },
    },
    rules: {
      // The browser bundle may share the state vocabulary (shared/states/*: pure, no Node) and nothing else server-side.
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["node:*", "**/functions/**", "**/local/**", "**/orchestrations/**", "**/cli/**", "**/shared/*", "!**/shared/states"],
              message: "console/ runs in the browser: it may import shared/states/* and front-end packages only (console/README.md)",
              // Types are erased from the bundle: the pages read records typed by the server's own definitions.
              allowTypeImports: true,
            },
          ],
        },
      ],
    },
  },
);
