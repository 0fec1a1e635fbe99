// Loads the Functions app the way the worker does (nodejs-worker src/startApp.ts): provide the core module, require
// the entry point (registrations happen as a side effect), refuse later registrations, then run appStart hooks.
// TypeScript entry points are loaded through tsx's CommonJS loader, so the app runs as the same CommonJS code it
// compiles to, and `@azure/functions` is the one copy in node_modules.
import Module from "node:module";
import * as path from "node:path";
import { installFunctionsCore, lockRegistrations, registeredFunctions, resetRegistrations, type RegisteredFunction } from "./functionsCore";
import { runAppHooks } from "./invoke";

export interface LoadAppOptions {
  /** Absolute or cwd-relative path of the entry module (e.g. functions/index.ts). */
  appEntry: string;
  /**
   * Folder whose cached modules are dropped before a reload in the same process, so registrations run again
   * (default: the current working directory). node_modules and the host itself are never dropped.
   */
  appRoot?: string;
}

export interface LoadedApp {
  entry: string;
  appRoot: string;
  functions: RegisteredFunction[];
}

const HOST_DIR = __dirname;

function ensureTypeScriptLoader(): void {
  const extensions = (Module as unknown as { _extensions: Record<string, unknown> })._extensions;
  if (extensions[".ts"]) return; // already running under tsx (npm start) or another TS loader
  // tsx's CommonJS API hooks require() for .ts/.tsx/.mts/.cts files (process-wide, on purpose: the app's own
  // relative imports must load too).
  const tsx = require("tsx/cjs/api") as { register: () => () => void };
  tsx.register();
}

/** Drops cached app modules (not node_modules, not the host) so that requiring the entry registers again. */
function purgeAppModules(appRoot: string): void {
  const rootWithSep = appRoot.endsWith(path.sep) ? appRoot : appRoot + path.sep;
  const cache = (Module as unknown as { _cache: Record<string, unknown> })._cache;
  for (const file of Object.keys(cache)) {
    if (!file.startsWith(rootWithSep)) continue;
    if (file.includes(`${path.sep}node_modules${path.sep}`)) continue;
    if (file.startsWith(HOST_DIR + path.sep)) continue;
    delete cache[file];
  }
}

/**
 * Loads the app: registrations are captured, an entity registration or duplicate name aborts with an error,
 * and appStart hooks have run when this resolves.
 */
export async function loadApp(options: LoadAppOptions): Promise<LoadedApp> {
  const entry = path.resolve(options.appEntry);
  const appRoot = path.resolve(options.appRoot ?? process.cwd());
  installFunctionsCore();
  resetRegistrations();
  ensureTypeScriptLoader();
  purgeAppModules(appRoot);
  const requireFromEntry = Module.createRequire(entry);
  try {
    requireFromEntry(entry);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    throw new Error(`Failed to load the Functions app from ${entry}: ${message}`, { cause: err });
  }
  lockRegistrations();
  await runAppHooks("appStart", path.dirname(entry));
  return { entry, appRoot, functions: registeredFunctions() };
}
