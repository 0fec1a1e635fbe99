#!/usr/bin/env node
// Entry point of `jobflow`. In an installation it runs the compiled CLI (dist-cli/, `npm run build:cli`) with plain
// Node — tsx is a dev dependency and absent there. In a development checkout (cli/ sources and tsx present) it runs
// the TypeScript sources through tsx, so a stale build never wins over the code being edited.
// JOBFLOW_CLI_FROM=dist|source forces one (the tests run the compiled CLI this way).
"use strict";
const { existsSync } = require("node:fs");
const { join } = require("node:path");

const root = join(__dirname, "..");
const compiled = join(root, "dist-cli", "cli", "main.js");
const source = join(root, "cli", "main.ts");

function resolves(id) {
  try {
    require.resolve(id);
    return true;
  } catch {
    return false;
  }
}

const from = process.env.JOBFLOW_CLI_FROM || (existsSync(source) && resolves("tsx/cjs") ? "source" : "dist");
if (from === "source") {
  require("tsx/cjs");
  require(source);
} else if (existsSync(compiled)) {
  process.setSourceMapsEnabled(true); // stack traces name cli/*.ts lines
  require(compiled);
} else {
  process.stderr.write(
    "jobflow: the CLI is not built: run `npm run build:cli` (or `npm install` the dev dependencies to run it from source)\n",
  );
  process.exitCode = 1;
}
