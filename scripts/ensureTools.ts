// Installs the Debian tools the test suite needs (shellcheck, chromium) when they are missing and we are allowed to (root + apt-get).
// Keeps `npm install && npm test` working on a fresh machine with nothing installed by hand.
import { execFileSync, spawnSync } from "node:child_process";

function has(cmd: string): boolean {
  return spawnSync("sh", ["-c", `command -v ${cmd}`], { stdio: "ignore" }).status === 0;
}

export function ensureShellcheck(): void {
  ensureDebianPackage("shellcheck", "shellcheck", "the edge sync script is linted with it");
}

/** Debian's Chromium, driven by playwright-core in the console's browser tests (no browser download of its own). */
export function ensureChromium(): void {
  ensureDebianPackage("chromium", "chromium", "the console's browser tests drive it");
}

function ensureDebianPackage(cmd: string, pkg: string, why: string): void {
  if (has(cmd)) return;
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  if (!isRoot || !has("apt-get")) {
    throw new Error(`${cmd} is required by the tests (${why}): install the Debian package \`${pkg}\`.`);
  }
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  try {
    execFileSync("apt-get", ["install", "-y", "-qq", pkg], { stdio: "ignore", env });
  } catch {
    execFileSync("apt-get", ["update", "-qq"], { stdio: "ignore", env });
    execFileSync("apt-get", ["install", "-y", "-qq", pkg], { stdio: "ignore", env });
  }
}
