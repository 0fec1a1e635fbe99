// Small pure helpers for human output: aligned tables, durations, timestamps, exit codes by job state.
import type { JobState } from "../shared/workflow/jobRecord";
import { EXIT } from "./exitCodes";

export interface Column<T> {
  header: string;
  value(row: T): string;
  /** Right-align (numbers). */
  right?: boolean;
}

/** An aligned table: a header line and one line per row, columns separated by two spaces, no trailing blanks. */
export function table<T>(rows: readonly T[], columns: readonly Column<T>[]): string[] {
  const cells = rows.map((r) => columns.map((c) => c.value(r)));
  const widths = columns.map((c, i) => Math.max(c.header.length, ...cells.map((row) => row[i].length)));
  const render = (values: string[]): string =>
    values
      .map((v, i) => (columns[i].right ? v.padStart(widths[i]) : i === values.length - 1 ? v : v.padEnd(widths[i])))
      .join("  ")
      .trimEnd();
  return [render(columns.map((c) => c.header)), ...cells.map(render)];
}

/** A duration as "45s", "4m05s", "2h03m" or "3d04h"; "-" for an unknown or negative one. */
export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms) || ms < 0) return "-";
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${pad2(s % 60)}s`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h${pad2(m % 60)}m`;
  return `${Math.floor(h / 24)}d${pad2(h % 24)}h`;
}

const pad2 = (n: number): string => String(n).padStart(2, "0");

/** Milliseconds between two ISO timestamps (end defaults to `nowMs`); undefined without a start. */
export function elapsedMs(startIso: string | undefined, endIso: string | undefined, nowMs: number): number | undefined {
  if (!startIso) return undefined;
  const start = Date.parse(startIso);
  const end = endIso ? Date.parse(endIso) : nowMs;
  if (Number.isNaN(start) || Number.isNaN(end)) return undefined;
  return Math.max(0, end - start);
}

/** An ISO timestamp shortened for a table: "2026-11-21 02:04:05Z"; "-" when absent. */
export function shortTime(iso: string | null | undefined): string {
  if (!iso) return "-";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d
    .toISOString()
    .replace("T", " ")
    .replace(/\.\d{3}Z$/, "Z");
}

/**
 * Exit code of `submit --wait` for a job state: 0 succeeded, 3 completed with failures (some CONTINUE steps
 * failed), 1 failed or cancelled; undefined while the job is not finished (cli/exitCodes.ts).
 */
export function exitCodeForJobState(state: JobState | string): number | undefined {
  switch (state) {
    case "succeeded":
      return EXIT.ok;
    case "completedWithFailures":
      return EXIT.completedWithFailures;
    case "failed":
    case "cancelled":
      return EXIT.failed;
    default:
      return undefined;
  }
}

/** "1 step" / "2 steps". */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}
