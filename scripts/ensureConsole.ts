// Builds the console (console/ → console/dist, with Vite) when the build is missing or older than its sources, so
// `npm start` and `npm test` work on a fresh clone without a separate build step. `npm run build` always builds it.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";

const ROOT = resolve(__dirname, "..");
const CONSOLE = join(ROOT, "console");
const INDEX = join(CONSOLE, "dist", "index.html");

function newestMtimeMs(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  return readdirSync(path).reduce((max, name) => Math.max(max, newestMtimeMs(join(path, name))), st.mtimeMs);
}

/**
 * True when console/dist is missing or older than console/src, shared/states (bundled into it), index.html,
 * vite.config.mts or package-lock.json.
 */
export function consoleBuildIsStale(): boolean {
  if (!existsSync(INDEX)) return true;
  const sources = [
    join(CONSOLE, "src"),
    join(ROOT, "shared", "states"),
    join(CONSOLE, "index.html"),
    join(CONSOLE, "vite.config.mts"),
    join(ROOT, "package-lock.json"),
  ];
  const built = statSync(INDEX).mtimeMs;
  return sources.some((s) => existsSync(s) && newestMtimeMs(s) > built);
}

export function ensureConsoleBuilt(say: (line: string) => void = () => undefined): void {
  if (!consoleBuildIsStale()) return;
  say("Building the console (vite build console/) …");
  execFileSync(process.execPath, [join(ROOT, "node_modules", "vite", "bin", "vite.js"), "build", "--logLevel", "warn"], {
    cwd: CONSOLE,
    stdio: ["ignore", "inherit", "inherit"],
  });
}
