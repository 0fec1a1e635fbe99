// Test harness for the edge sync script: a temp root per VM, recorder stubs for the package tools on PATH, client
// config bundles built with the real tar, and a real HTTP server on 127.0.0.1 that serves them to the real curl.
import { execFile, execFileSync } from "node:child_process";
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EDGE_SYNC_SCRIPT } from "../../../shared/builders/edgeSyncScript";
import { buildEdgeRunCommand, type BuildEdgeRunCommandOptions } from "../../../shared/builders/edgeRunCommand";

export interface ScriptRun {
  code: number;
  stdout: string;
  stderr: string;
}

export class EdgeHarness {
  readonly base = mkdtempSync(join(tmpdir(), "jobflow-edge-"));
  readonly scriptPath = join(this.base, "edge-sync.sh");
  readonly stubDir = join(this.base, "stubs");
  readonly recordPath = join(this.base, "record.log");
  readonly requests: string[] = [];
  private readonly bundles = new Map<string, Buffer>();
  private server?: Server;
  private rootCount = 0;
  port = 0;

  async start(): Promise<void> {
    writeFileSync(this.scriptPath, EDGE_SYNC_SCRIPT);
    mkdirSync(this.stubDir);
    // Recorders: one line per call, each argument bracketed, so tests see exactly what would have run.
    for (const tool of ["apt-get", "apt-key", "dpkg", "systemctl"]) {
      const stub = join(this.stubDir, tool);
      writeFileSync(
        stub,
        `#!/bin/sh\n{ printf '%s' '${tool}'; for a in "$@"; do printf ' [%s]' "$a"; done; printf '\\n'; } >>"$JF_TEST_RECORD"\n` +
          (tool === "dpkg" ? "exit 1\n" : "exit 0\n"),
      );
      chmodSync(stub, 0o755);
    }
    this.server = createServer((req, res) => {
      this.requests.push(req.url ?? "");
      const path = new URL(req.url ?? "/", "http://127.0.0.1").pathname;
      const bundle = this.bundles.get(path);
      if (!bundle) {
        res.writeHead(404).end("not found");
        return;
      }
      res.writeHead(200, { "content-type": "application/gzip", "content-length": bundle.length }).end(bundle);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    rmSync(this.base, { recursive: true, force: true });
  }

  /** Builds a tar.gz from { "hadoop/core-site.xml": "..." } with the real tar and serves it at `path`. */
  serveBundle(path: string, files: Record<string, string>, extra?: (dir: string) => void): string {
    const dir = mkdtempSync(join(this.base, "bundle-"));
    for (const [name, content] of Object.entries(files)) {
      mkdirSync(join(dir, name, ".."), { recursive: true });
      writeFileSync(join(dir, name), content);
    }
    extra?.(dir);
    const tgz = join(this.base, `${path.replace(/\W/g, "_")}.tgz`);
    execFileSync("tar", ["-czf", tgz, "-C", dir, ...readdirSync(dir)]);
    this.serveRaw(path, readFileSync(tgz));
    return this.url(path);
  }

  serveRaw(path: string, body: Buffer): void {
    this.bundles.set(path, body);
  }

  url(path: string, query = "sv=2024-08-04&sig=abc%2Bdef"): string {
    return `http://127.0.0.1:${this.port}${path}?${query}`;
  }

  /** A fresh per-VM root with an /etc/hosts and a distribution conf dir, like a real VM. */
  newRoot(): string {
    const root = join(this.base, `vm${++this.rootCount}`);
    mkdirSync(join(root, "etc/hadoop/conf"), { recursive: true });
    writeFileSync(join(root, "etc/hadoop/conf/distro-default.xml"), "<configuration/>\n");
    writeFileSync(join(root, "etc/hosts"), "127.0.0.1 localhost\n10.9.9.9 dss-edge-01\n");
    return root;
  }

  run(env: Record<string, string>): Promise<ScriptRun> {
    return new Promise((resolve) => {
      execFile(
        "bash",
        [this.scriptPath],
        {
          env: { PATH: `${this.stubDir}:${process.env.PATH ?? "/usr/bin:/bin"}`, JF_TEST_RECORD: this.recordPath, ...env },
          timeout: 60_000,
        },
        (err, stdout, stderr) => {
          const code = err ? (typeof err.code === "number" ? err.code : -1) : 0;
          resolve({ code, stdout, stderr });
        },
      );
    });
  }

  /** Runs the script exactly as Run Command would: parameters and protected parameters become the environment. */
  runCommand(options: BuildEdgeRunCommandOptions): Promise<ScriptRun> {
    const cmd = buildEdgeRunCommand(options);
    const env: Record<string, string> = {};
    for (const p of [...cmd.parameters, ...cmd.protectedParameters]) env[p.name] = p.value;
    return this.run(env);
  }

  records(): string[] {
    try {
      return readFileSync(this.recordPath, "utf8").split("\n").filter(Boolean);
    } catch {
      return [];
    }
  }

  clearRecords(): void {
    rmSync(this.recordPath, { force: true });
  }
}

/** Every path under root with its type and content (files), link target (links); sorted. Ignores the lock file. */
export function snapshot(root: string): string[] {
  const out: string[] = [];
  const walk = (rel: string): void => {
    for (const name of readdirSync(join(root, rel)).sort()) {
      const path = rel === "" ? name : `${rel}/${name}`;
      if (path === "etc/jobflow/.lock") continue;
      const st = lstatSync(join(root, path));
      if (st.isSymbolicLink()) out.push(`L ${path} -> ${readlinkSync(join(root, path))}`);
      else if (st.isDirectory()) {
        out.push(`D ${path} ${(st.mode & 0o777).toString(8)}`);
        walk(path);
      } else out.push(`F ${path} ${(st.mode & 0o777).toString(8)} ${JSON.stringify(readFileSync(join(root, path), "utf8"))}`);
    }
  };
  walk("");
  return out;
}
