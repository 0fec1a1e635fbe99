import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DISCOVERY_FILE, NO_API_MESSAGE, clockNote, findDiscoveryFile, resolveApiTarget, serverClockSpeed } from "../../../cli/api";

const tempDirs: string[] = [];
afterAll(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

function project(discovery?: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), "jobflow-cli-api-"));
  tempDirs.push(dir);
  writeFileSync(join(dir, "package.json"), "{}");
  if (discovery !== undefined) {
    mkdirSync(join(dir, ".data", "local"), { recursive: true });
    writeFileSync(join(dir, DISCOVERY_FILE), typeof discovery === "string" ? discovery : JSON.stringify(discovery));
  }
  return dir;
}

const DISCOVERY = {
  apiUrl: "http://127.0.0.1:7071",
  functionKey: "k-local",
  sandboxUrl: "https://127.0.0.1:8443",
  sandboxCa: "/x/ca.pem",
  clock: { mode: "scaled", speed: 60 },
};

describe("resolveApiTarget", () => {
  it("uses JOBFLOW_URL + JOBFLOW_KEY first, with or without the /api suffix", async () => {
    const dir = project(DISCOVERY);
    const t = await resolveApiTarget({ env: { JOBFLOW_URL: "https://jf.azurewebsites.net/api/", JOBFLOW_KEY: "k" }, cwd: dir });
    expect(t).toEqual({ baseUrl: "https://jf.azurewebsites.net", auth: { kind: "functionKey", key: "k" }, source: { kind: "env" } });
    expect(clockNote(t)).toBeUndefined();
    expect(serverClockSpeed(t)).toBe(1);
  });

  it("signs in with Entra ID when JOBFLOW_URL has no key, and asks for JOBFLOW_SCOPE when it is missing", async () => {
    const t = await resolveApiTarget({ env: { JOBFLOW_URL: "https://jf.example.net", JOBFLOW_SCOPE: "api://jf/.default" } });
    expect(t.auth).toEqual({ kind: "entra", scope: "api://jf/.default" });
    await expect(resolveApiTarget({ env: { JOBFLOW_URL: "https://jf.example.net" } })).rejects.toMatchObject({
      name: "ApiConfigError",
      message: expect.stringMatching(/JOBFLOW_SCOPE/),
    });
    await expect(resolveApiTarget({ env: { JOBFLOW_URL: "ftp://x", JOBFLOW_KEY: "k" } })).rejects.toMatchObject({ name: "ApiConfigError" });
  });

  it("finds the npm start discovery file in the project folder, also from a subfolder", async () => {
    const dir = project(DISCOVERY);
    const sub = join(dir, "jobs", "nightly");
    mkdirSync(sub, { recursive: true });
    const t = await resolveApiTarget({ env: {}, cwd: sub });
    expect(t.baseUrl).toBe("http://127.0.0.1:7071");
    expect(t.auth).toEqual({ kind: "functionKey", key: "k-local" });
    expect(t.source).toEqual({ kind: "discovery", file: join(dir, DISCOVERY_FILE) });
    expect(clockNote(t)).toBe("local runtime: timestamps are sandbox (virtual) time (scaled clock, 60× real time)");
    expect(serverClockSpeed(t)).toBe(60);
  });

  it("does not look above the project folder (the one with package.json)", () => {
    const outer = project(DISCOVERY);
    const inner = join(outer, "inner");
    mkdirSync(inner);
    writeFileSync(join(inner, "package.json"), "{}");
    expect(findDiscoveryFile(inner)).toBeUndefined();
  });

  it("says how to start the runtime when nothing is configured, and names a broken discovery file", async () => {
    await expect(resolveApiTarget({ env: {}, cwd: project() })).rejects.toMatchObject({ name: "ApiConfigError", message: NO_API_MESSAGE });
    expect(NO_API_MESSAGE).toContain("start the local runtime with `npm start`, or set JOBFLOW_URL and JOBFLOW_KEY");
    const broken = project("{not json");
    await expect(resolveApiTarget({ env: {}, cwd: broken })).rejects.toMatchObject({
      name: "ApiConfigError",
      message: expect.stringContaining(join(broken, DISCOVERY_FILE)),
    });
    const noKey = project({ apiUrl: "http://127.0.0.1:7071" });
    await expect(resolveApiTarget({ env: {}, cwd: noKey })).rejects.toMatchObject({ message: expect.stringMatching(/functionKey/) });
  });

  it("reads a manual clock as speed 0", async () => {
    const t = await resolveApiTarget({ env: {}, cwd: project({ ...DISCOVERY, clock: { mode: "manual" } }) });
    expect(serverClockSpeed(t)).toBe(0);
    expect(clockNote(t)).toMatch(/manual clock/);
  });
});
