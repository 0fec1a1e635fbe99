// Live progress of a job for `submit --wait`: a frame (job, cluster, one row per step) redrawn in place on a
// terminal, or one appended line per change otherwise (CI logs, pipes); and the final summary.
// Pure functions of the job record plus a "server now" estimate, so they are unit-tested without a server.
import type { Clock } from "../shared/clock";
import type { JobRecord, StepRecord } from "../shared/workflow/jobRecord";
import { elapsedMs, formatDuration, plural, shortTime, table } from "./format";
import type { Output } from "./output";

/**
 * Estimates the server's "now" for elapsed times of running steps. Job timestamps are server time: sandbox
 * (virtual) time locally, where a scaled clock runs `speed`× faster than the wall and its epoch is unknown. So the
 * estimate is anchored on the record's `updatedAt` when it was first seen, advanced by wall time × speed.
 * With `useWallClock` (a deployment: server time is real UTC) the local wall clock is used directly.
 */
export class ServerTimeEstimator {
  private anchor: { updatedAt: string; serverMs: number; wallMs: number } | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly speed: number,
    private readonly useWallClock: boolean,
  ) {}

  /** Records a freshly read job record (moves the anchor when the record changed). */
  observe(record: Pick<JobRecord, "updatedAt">): void {
    if (this.useWallClock || !record.updatedAt || this.anchor?.updatedAt === record.updatedAt) return;
    const serverMs = Date.parse(record.updatedAt);
    if (!Number.isNaN(serverMs)) this.anchor = { updatedAt: record.updatedAt, serverMs, wallMs: this.clock.nowMs() };
  }

  /** The estimated server time in epoch milliseconds. */
  nowMs(): number {
    if (this.useWallClock || !this.anchor) return this.clock.nowMs();
    return this.anchor.serverMs + (this.clock.nowMs() - this.anchor.wallMs) * this.speed;
  }
}

/** The cluster's state as the progress view shows it; `probed` is the live HDInsight clusterState when known. */
export function clusterStateOf(record: JobRecord, probed?: string): string {
  const c = record.cluster ?? {};
  if (c.releasedAt) return "released";
  if (c.readyAt) return probed ?? "ready";
  if (record.state === "queued") return "waiting";
  if (record.state === "acquiringCluster") return probed ? `provisioning (${probed})` : "provisioning";
  return c.name ? (probed ?? "unknown") : "none";
}

/** "2/3" style attempt column: attempts made so far (the record does not carry the retry budget). */
function attemptsOf(step: StepRecord): string {
  return step.attempts?.length ? String(step.attempts.length) : "-";
}

function stepElapsed(step: StepRecord, nowMs: number): number | undefined {
  return elapsedMs(step.startedAt ?? step.attempts?.[0]?.startedAt, step.endedAt, nowMs);
}

function stepNote(step: StepRecord): string {
  const last = step.attempts?.[step.attempts.length - 1];
  const error = step.error ?? last?.error;
  if (error) return oneLine(error, 80);
  if (last?.appId) return last.appId;
  return last?.batchId !== undefined ? `livy batch ${last.batchId}` : "";
}

function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** The frame of the live view: job line, cluster line, blank, step table. */
export function progressLines(record: JobRecord, nowMs: number, probedClusterState?: string): string[] {
  const jobElapsed = elapsedMs(record.startedAt ?? record.submittedAt, record.endedAt, nowMs);
  const c = record.cluster ?? {};
  const clusterName = c.name ?? "(not yet chosen)";
  const how = [c.acquisition, c.profile].filter(Boolean).join(", ");
  const lines = [
    `job      ${record.name ?? record.id} (${record.id})  ${record.state}  ${formatDuration(jobElapsed)}`,
    `cluster  ${clusterName}${how ? ` (${how})` : ""}  ${clusterStateOf(record, probedClusterState)}`,
  ];
  if (record.edges?.length) lines.push(`edges    ${record.edges.map((e) => `${e.vm} ${e.state}`).join(", ")}`);
  const steps = record.steps ?? [];
  if (steps.length) {
    lines.push(
      ...table(steps, [
        { header: "STEP", value: (s) => s.id },
        { header: "STATE", value: (s) => s.state },
        { header: "ATTEMPTS", value: attemptsOf, right: true },
        { header: "ELAPSED", value: (s) => formatDuration(stepElapsed(s, nowMs)), right: true },
        { header: "NOTE", value: stepNote },
      ]),
    );
  }
  return lines;
}

/** The lines to append when the record moved from `prev` to `next` (non-terminal output). */
export function progressEvents(prev: JobRecord | undefined, next: JobRecord, probedClusterState?: string, prevProbed?: string): string[] {
  // Each event carries the server time it happened (the record's own timestamp, else its updatedAt); one poll
  // may see several transitions, so they are listed in time order.
  const events: { at: string; text: string }[] = [];
  const add = (iso: string | undefined, text: string): void => {
    events.push({ at: iso ?? next.updatedAt, text });
  };
  if (!prev || prev.state !== next.state) add(next.endedAt, `job ${next.id} ${next.state}`);
  const before = prev ? clusterStateOf(prev, prevProbed) : undefined;
  const now = clusterStateOf(next, probedClusterState);
  if ((before !== now || prev?.cluster?.name !== next.cluster?.name) && (next.cluster?.name || now !== "waiting")) {
    add(next.cluster?.releasedAt ?? next.cluster?.readyAt, `cluster ${next.cluster?.name ?? "-"} ${now}`);
  }
  for (const step of next.steps ?? []) {
    const old = prev?.steps?.find((s) => s.id === step.id);
    if (old && old.state === step.state && (old.attempts?.length ?? 0) === (step.attempts?.length ?? 0)) continue;
    if (!old && step.state === "pending") continue;
    const last = step.attempts?.[step.attempts.length - 1];
    const attempt = step.attempts?.length ? ` (attempt ${step.attempts.length})` : "";
    const finished = step.endedAt !== undefined;
    const took = finished ? ` after ${formatDuration(elapsedMs(step.startedAt, step.endedAt, 0))}` : "";
    const error = step.error ?? last?.error;
    add(
      finished ? step.endedAt : (last?.startedAt ?? step.startedAt),
      `step ${step.id} ${step.state}${attempt}${took}${error && finished ? `: ${oneLine(error, 120)}` : ""}`,
    );
  }
  for (const edge of next.edges ?? []) {
    const old = prev?.edges?.find((e) => e.vm === edge.vm);
    if ((old?.state ?? "pending") !== edge.state)
      add(undefined, `edge ${edge.vm} ${edge.state}${edge.error ? `: ${oneLine(edge.error, 120)}` : ""}`);
  }
  // Stable sort: same-time events keep the order job, cluster, steps, edges.
  return events.sort((a, b) => Date.parse(a.at) - Date.parse(b.at)).map((e) => `${shortTime(e.at)}  ${e.text}`);
}

/** The final summary: outcome and duration, step counts, cluster, cost estimate, errors. */
export function summaryLines(record: JobRecord): string[] {
  const took = formatDuration(elapsedMs(record.startedAt ?? record.submittedAt, record.endedAt, Date.parse(record.updatedAt)));
  const lines = [`job ${record.id} (${record.name}) ${record.state} in ${took}`];
  const counts = new Map<string, number>();
  for (const s of record.steps ?? []) counts.set(s.state, (counts.get(s.state) ?? 0) + 1);
  const stepWord = plural(record.steps?.length ?? 0, "step");
  lines.push(`  steps: ${stepWord}${counts.size ? ` — ${[...counts].map(([state, n]) => `${n} ${state}`).join(", ")}` : ""}`);
  const c = record.cluster ?? {};
  if (c.name) {
    const held = c.readyAt ? `, ready ${shortTime(c.readyAt)}` : "";
    const released = c.releasedAt ? `, released ${shortTime(c.releasedAt)}` : "";
    lines.push(`  cluster: ${c.name} (${[c.acquisition, c.profile, `reuse ${c.reuse}`].filter(Boolean).join(", ")})${held}${released}`);
  }
  const cost = record.estimatedCost;
  lines.push(
    cost
      ? `  cost: ${cost.amount.toFixed(2)} ${cost.currency} (${cost.nodeMinutes} node-minutes of ${cost.clusterName}; ${cost.final ? "final" : "so far: the provisioning share is settled when the cluster is deleted"}; prices: ${cost.priceSource})`
      : "  cost: not available (no cluster billed for this job)",
  );
  if (record.error) lines.push(`  error: ${oneLine(record.error, 200)}`);
  for (const s of record.steps ?? []) {
    const error = s.error ?? s.attempts?.[s.attempts.length - 1]?.error;
    if (error && s.state !== "succeeded") lines.push(`  step ${s.id} ${s.state}: ${oneLine(error, 200)}`);
  }
  return lines;
}

/** Draws the progress: in place on a terminal, as appended event lines otherwise. */
export class ProgressView {
  private drawnLines = 0;
  private previous: JobRecord | undefined;
  private previousProbe: string | undefined;

  constructor(private readonly out: Output) {}

  /** Shows the record's current progress. */
  update(record: JobRecord, nowMs: number, probedClusterState?: string): void {
    if (this.out.tty) {
      const width = Math.max(20, this.out.tty.columns() - 1);
      // Clip to the terminal width: a wrapped line would make the cursor-up count wrong.
      const frame = progressLines(record, nowMs, probedClusterState).map((l) => (l.length > width ? `${l.slice(0, width - 1)}…` : l));
      const rewind = this.drawnLines ? `\x1b[${this.drawnLines}A\x1b[J` : "";
      this.out.line(rewind + frame.join("\n"));
      this.drawnLines = frame.length;
    } else {
      for (const line of progressEvents(this.previous, record, probedClusterState, this.previousProbe)) this.out.line(line);
    }
    this.previous = record;
    this.previousProbe = probedClusterState;
  }
}
