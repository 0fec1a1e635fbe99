// A Livy batch as the sandbox stores it, and its state at any virtual instant. State is computed from timestamps
// (submission, planned duration, kill time) on every request, so nothing depends on timers firing and a restart
// of the sandbox (or a big clock jump) gives the same answers.
import type { CreateBatchRequest } from "./livyRequest";
import type { BatchOutcome } from "./scenario";
import { sparkSubmitCommandLine, type ClasspathFailure } from "./sparkSubmit";

export type LivyBatchState = "starting" | "running" | "success" | "dead" | "killed";

export interface StoredBatch {
  cluster: string;
  id: number;
  request: CreateBatchRequest;
  /** The basic-auth user who submitted it (Livy's `owner`). */
  owner: string;
  submittedAtMs: number;
  /** How long it stays `starting` before its YARN app runs. */
  startingMs: number;
  /** From submission to the terminal state. */
  durationMs: number;
  outcome: BatchOutcome;
  /** Application stdout lines printed evenly over the running phase. */
  logLines: number;
  /** YARN application sequence number (the `_0007` in application_<epoch>_0007). */
  appSeq: number;
  /** The YARN cluster timestamp (the `<epoch>` in application ids). */
  yarnEpochMs: number;
  /** Set when the S3A class path is broken: the driver's exception and YARN's diagnostics (sparkSubmit.ts). */
  failure?: ClasspathFailure;
  killedAtMs?: number;
  /** Set by DELETE: Livy forgets the session at once (YARN still remembers the app). */
  livyDeletedAtMs?: number;
}

export interface BatchStatus {
  state: LivyBatchState;
  /** Null until the YARN application exists (Livy reports it once spark-submit has it). */
  appId: string | null;
  /** When the YARN application started running; undefined if it never did. */
  appStartedAtMs?: number;
  /** When it reached its terminal state. */
  finishedAtMs?: number;
  /** False once Livy has forgotten it (DELETE, or retention elapsed after finishing). */
  visibleToLivy: boolean;
}

export function applicationId(yarnEpochMs: number, seq: number): string {
  return `application_${yarnEpochMs}_${String(seq).padStart(4, "0")}`;
}

/** The batch's state at `nowMs`, with Livy's retention of finished sessions (`retainMs`). */
export function batchStatusAt(batch: StoredBatch, nowMs: number, retainMs: number): BatchStatus {
  const runStart = batch.submittedAtMs + batch.startingMs;
  const end = batch.submittedAtMs + batch.durationMs;
  const appId = applicationId(batch.yarnEpochMs, batch.appSeq);
  let status: BatchStatus;
  if (batch.killedAtMs !== undefined && batch.killedAtMs < end) {
    const ran = batch.killedAtMs >= runStart;
    status = { state: "killed", appId: ran ? appId : null, finishedAtMs: batch.killedAtMs, visibleToLivy: true };
    if (ran) status.appStartedAtMs = runStart;
  } else if (nowMs < runStart) {
    status = { state: "starting", appId: null, visibleToLivy: true };
  } else if (nowMs < end) {
    status = { state: "running", appId, appStartedAtMs: runStart, visibleToLivy: true };
  } else {
    status = { state: batch.outcome, appId, appStartedAtMs: runStart, finishedAtMs: end, visibleToLivy: true };
  }
  const forgotten = batch.livyDeletedAtMs !== undefined || (status.finishedAtMs !== undefined && nowMs >= status.finishedAtMs + retainMs);
  status.visibleToLivy = !forgotten;
  return status;
}

function stamp(ms: number): string {
  // spark-submit's log4j layout: "yy/MM/dd HH:mm:ss".
  const iso = new Date(ms).toISOString();
  return `${iso.slice(2, 4)}/${iso.slice(5, 7)}/${iso.slice(8, 10)} ${iso.slice(11, 19)}`;
}

/**
 * The batch's log as Livy 0.7 returns it at `nowMs`: "stdout: ", the process's stdout lines, "\nstderr: ",
 * its stderr lines (spark-submit's client), "\nYARN Diagnostics: ", diagnostics. Lines appear as time passes.
 */
export function batchLogAt(batch: StoredBatch, status: BatchStatus, nowMs: number, activeNodes: number): string[] {
  const appId = applicationId(batch.yarnEpochMs, batch.appSeq);
  const runStart = batch.submittedAtMs + batch.startingMs;
  const end = status.finishedAtMs ?? batch.submittedAtMs + batch.durationMs;
  const name = batch.request.name ?? batch.request.file;
  const stdout: string[] = [];
  const stderr: string[] = [
    // The command line Livy ran, with Spark's redaction of secret-looking conf values (never a key in a log).
    `Running ${sparkSubmitCommandLine(batch.request)}`,
    `${stamp(batch.submittedAtMs)} INFO Client: Requesting a new application from cluster with ${activeNodes} NodeManagers`,
  ];
  const diagnostics: string[] = [];
  if (status.appStartedAtMs !== undefined) {
    stderr.push(`${stamp(runStart)} INFO YarnClientImpl: Submitted application ${appId}`);
    stderr.push(`${stamp(runStart)} INFO Client: Application report for ${appId} (state: RUNNING)`);
    const runMs = Math.max(1, end - runStart);
    const upTo = Math.min(nowMs, end);
    const shown =
      status.finishedAtMs !== undefined && status.state !== "killed"
        ? batch.logLines
        : Math.min(batch.logLines, Math.floor(((upTo - runStart) / runMs) * batch.logLines));
    const args = (batch.request.args ?? []).join(" ");
    if (batch.logLines > 0) stdout.push(`sandbox: running ${batch.request.file}${args ? ` ${args}` : ""} as ${name}`);
    for (let i = 1; i < shown; i++) stdout.push(`sandbox: ${name} progress ${i}/${batch.logLines - 1}`);
  }
  if (status.finishedAtMs !== undefined) {
    const at = stamp(status.finishedAtMs);
    if (status.state === "success") {
      stderr.push(`${at} INFO Client: Application report for ${appId} (state: FINISHED)`);
      stderr.push(`${at} INFO Client: final status: SUCCEEDED`);
    } else if (status.state === "dead") {
      if (batch.failure) stderr.push(...batch.failure.stderr);
      stderr.push(`${at} INFO Client: Application report for ${appId} (state: FINISHED)`);
      stderr.push(`${at} INFO Client: final status: FAILED`);
      stderr.push(`Exception in thread "main" org.apache.spark.SparkException: Application ${appId} finished with failed status`);
      diagnostics.push(batch.failure?.diagnostics ?? "User application exited with status 1");
    } else {
      stderr.push(`${at} INFO Client: Application report for ${appId} (state: KILLED)`);
      diagnostics.push(status.appStartedAtMs !== undefined ? "Application killed by user." : "Session was killed before submission.");
    }
  }
  return ["stdout: ", ...stdout, "\nstderr: ", ...stderr, "\nYARN Diagnostics: ", ...diagnostics];
}
