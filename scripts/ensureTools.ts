// Installs the Debian tools the test suite needs when they are missing and we are allowed to (root + apt-get).
// Keeps `npm install && npm test` working on a fresh machine with nothing installed by hand.
import { execFileSync, spawnSync } from "node:child_process";

function has(cmd: string): boolean {
  return spawnSync("sh", ["-c", `command -v ${cmd}`], { stdio: "ignore" }).status === 0;
}

export function ensureShellcheck(): void {
  if (has("shellcheck")) return;
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  if (!isRoot || !has("apt-get")) {
    throw new Error("shellcheck is required by the tests: install the Debian package `shellcheck`.");
  }
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  try {
    execFileSync("apt-get", ["install", "-y", "-qq", "shellcheck"], { stdio: "ignore", env });
  } catch {
    execFileSync("apt-get", ["update", "-qq"], { stdio: "ignore", env });
    execFileSync("apt-get", ["install", "-y", "-qq", "shellcheck"], { stdio: "ignore", env });
  }
}
