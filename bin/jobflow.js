#!/usr/bin/env node
// Entry point of `npx jobflow`: runs the TypeScript CLI through tsx's CommonJS hook.
require("tsx/cjs");
require("../cli/main.ts");
