// Runs Run Command scripts for real with bash, one at a time per VM (as the Azure agent does), with the VM's
// root as JF_ROOT, parameters as environment variables and recorders first on PATH. Output keeps the last 4 KiB
// of each stream, like the Linux run-command handler's instance view.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Clock } from "../../../shared/clock";
import type { VmRegistry } from "./vms";

export const OUTPUT_TAIL_BYTES = 4 * 1024;
/** v1 runCommand's cap; v2 without timeoutInSeconds gets the same. */
export const DEFAULT_TIMEOUT_SECONDS = 90 * 60;

export interface RunFault {
  kind: "fail" | "timeout";
  exitCode?: number;
  message?: string;
}

export interface RunJob {
  id: string;
  vm: string;
  script: string;
  /** source.scriptUri: the script is downloaded when the job starts (a failed download fails the run). */
  loadScript?: () => Promise<string>;
  /** Named parameters and protected parameters: become environment variables. */
  env: Record<string, string>;
  /** Unnamed parameters: positional arguments ($1, $2, …), passed as argv (never spliced into the script). */
  args: string[];
  timeoutSeconds: number;
  fault?: RunFault;
  onStart(startMs: number): void;
  onOutput(stdout: string, stderr: string): void;
  /** Every chunk of output as it arrives (for the output / error append blobs). */
  onChunk?(stream: "stdout" | "stderr", chunk: Buffer): void;
  /** May return a promise: the VM's next job waits for it (e.g. the blobs being flushed). */
  onEnd(result: RunResult): void | Promise<void>;
}

export interface RunResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  state: "Succeeded" | "Failed" | "TimedOut" | "Canceled";
  message: string;
  endMs: number;
}

interface VmQueue {
  running?: { job: RunJob; child?: ChildProcess; canceled: boolean };
  pending: RunJob[];
}

export class RunExecutor {
  private queues = new Map<string, VmQueue>();
  private idleWaiters: Array<() => void> = [];

  constructor(
    private readonly clock: Clock,
    private readonly vms: VmRegistry,
  ) {}

  /** True while the VM runs or has queued a script (v1 answers 409 Conflict then). */
  busy(vm: string): boolean {
    const q = this.queues.get(vm.toLowerCase());
    return !!q && (!!q.running || q.pending.length > 0);
  }

  enqueue(job: RunJob): void {
    const q = this.queue(job.vm);
    q.pending.push(job);
    this.pump(q);
  }

  /** Cancels a queued or running job (v2 DELETE). Resolves once the process has exited. */
  async cancel(jobId: string): Promise<void> {
    for (const q of this.queues.values()) {
      const i = q.pending.findIndex((j) => j.id === jobId);
      if (i >= 0) {
        const [job] = q.pending.splice(i, 1);
        void job.onEnd({
          exitCode: -1,
          stdout: "",
          stderr: "",
          state: "Canceled",
          message: "Canceled before it started.",
          endMs: this.clock.nowMs(),
        });
        return;
      }
      if (q.running?.job.id === jobId) {
        q.running.canceled = true;
        const child = q.running.child;
        await new Promise<void>((resolve) => {
          if (!child || child.exitCode !== null) return resolve();
          child.once("close", () => resolve());
          killGroup(child);
        });
        return;
      }
    }
  }

  /** Resolves when no VM runs or queues anything (tests, shutdown). */
  whenIdle(): Promise<void> {
    if ([...this.queues.values()].every((q) => !q.running && q.pending.length === 0)) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }

  async stop(): Promise<void> {
    for (const q of this.queues.values()) {
      q.pending = [];
      if (q.running?.child) killGroup(q.running.child);
    }
    await this.whenIdle();
  }

  private queue(vm: string): VmQueue {
    const key = vm.toLowerCase();
    let q = this.queues.get(key);
    if (!q) this.queues.set(key, (q = { pending: [] }));
    return q;
  }

  private pump(q: VmQueue): void {
    if (q.running) return;
    const job = q.pending.shift();
    if (!job) {
      if ([...this.queues.values()].every((x) => !x.running && x.pending.length === 0)) this.idleWaiters.splice(0).forEach((r) => r());
      return;
    }
    q.running = { job, canceled: false };
    const finish = (result: RunResult): void => {
      void Promise.resolve()
        .then(() => job.onEnd(result))
        .catch(() => undefined)
        .finally(() => {
          q.running = undefined;
          this.pump(q);
        });
    };
    job.onStart(this.clock.nowMs());
    if (job.fault) {
      const fault = job.fault;
      setImmediate(() => finish(faultResult(fault, this.clock.nowMs())));
      return;
    }
    if (job.loadScript) {
      job.loadScript().then(
        (script) => this.spawnJob(q, { ...job, script }, finish),
        (e: Error) =>
          finish({ exitCode: -1, stdout: "", stderr: `${e.message}\n`, state: "Failed", message: e.message, endMs: this.clock.nowMs() }),
      );
      return;
    }
    this.spawnJob(q, job, finish);
  }

  private spawnJob(q: VmQueue, job: RunJob, finish: (r: RunResult) => void): void {
    const runDir = join(this.vms.runsDirOf(job.vm), job.id);
    mkdirSync(runDir, { recursive: true });
    const scriptPath = join(runDir, "script.sh");
    writeFileSync(scriptPath, job.script, { mode: 0o700 });
    const root = this.vms.rootOf(job.vm);
    const env: Record<string, string> = {
      PATH: `${this.vms.binDir}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`,
      HOME: join(root, "root"),
      TMPDIR: join(root, "tmp"),
      LANG: "C.UTF-8",
      JF_ROOT: root,
      JF_SANDBOX_VM: job.vm,
      JF_SANDBOX_RECORDER_LOG: this.vms.recorderLogOf(job.vm),
      ...job.env,
    };
    // Own process group, so a timeout or delete kills the script's children too (a lone `sleep` would otherwise keep
    // the output pipes open until it finished).
    const child = spawn("bash", [scriptPath, ...job.args], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"], detached: true });
    if (q.running) q.running.child = child;
    let stdout: Buffer = Buffer.alloc(0);
    let stderr: Buffer = Buffer.alloc(0);
    const tail = (buf: Buffer, chunk: Buffer): Buffer => {
      const joined = Buffer.concat([buf, chunk]);
      return joined.length > OUTPUT_TAIL_BYTES ? joined.subarray(joined.length - OUTPUT_TAIL_BYTES) : joined;
    };
    child.stdout.on("data", (c: Buffer) => {
      job.onChunk?.("stdout", c);
      stdout = tail(stdout, c);
      job.onOutput(stdout.toString("utf8"), stderr.toString("utf8"));
    });
    child.stderr.on("data", (c: Buffer) => {
      job.onChunk?.("stderr", c);
      stderr = tail(stderr, c);
      job.onOutput(stdout.toString("utf8"), stderr.toString("utf8"));
    });
    let timedOut = false;
    // The script runs in real time, so its timeout is real time too.
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child);
    }, job.timeoutSeconds * 1000);
    child.on("error", (e) => {
      stderr = tail(stderr, Buffer.from(`failed to start bash: ${e.message}\n`));
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      const canceled = q.running?.canceled ?? false;
      const exitCode = code ?? -1;
      const state = canceled ? "Canceled" : timedOut ? "TimedOut" : exitCode === 0 ? "Succeeded" : "Failed";
      const message = canceled
        ? "Execution was canceled (run command deleted)."
        : timedOut
          ? `Execution timed out after ${job.timeoutSeconds} seconds.`
          : exitCode === 0
            ? "Execution completed"
            : `Execution failed: command terminated with exit status=${exitCode}${signal ? ` (signal ${signal})` : ""}`;
      finish({ exitCode, stdout: stdout.toString("utf8"), stderr: stderr.toString("utf8"), state, message, endMs: this.clock.nowMs() });
    });
  }
}

function killGroup(child: ChildProcess): void {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
  } catch {
    child.kill("SIGKILL"); // the group is already gone; make sure the leader is too
  }
}

function faultResult(fault: RunFault, nowMs: number): RunResult {
  if (fault.kind === "timeout")
    return {
      exitCode: -1,
      stdout: "",
      stderr: "",
      state: "TimedOut",
      message: fault.message ?? "Execution timed out (injected by the sandbox).",
      endMs: nowMs,
    };
  const exitCode = fault.exitCode ?? 1;
  return {
    exitCode,
    stdout: "",
    stderr: `${fault.message ?? "injected run-command failure"}\n`,
    state: "Failed",
    message: `Execution failed: command terminated with exit status=${exitCode}`,
    endMs: nowMs,
  };
}
