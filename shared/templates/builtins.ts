// Built-in template values of a run, with Airflow's names so Airflow-templated EMR files render unchanged:
// ds, ds_nodash, ts, ts_nodash, logical_date, data_interval_start, data_interval_end, run_id, job_id, and the
// macros.ds_add / macros.ds_format functions. Dates are rendered in UTC, as Airflow does. Pure (no clock: the run
// context says which times to use).

export interface RunContext {
  /** The run's logical date (Airflow's logical_date = the start of the data interval), ISO 8601. */
  logicalDate: string;
  /** End of the data interval, ISO 8601. Default: the logical date (a manual run's interval is empty). */
  dataIntervalEnd?: string;
  /** Airflow-style run id, e.g. scheduled__2026-12-06T00:00:00+00:00. */
  runId: string;
  /** The Jobflow job id the run gets. */
  jobId: string;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, "0");

/** Airflow's `ts`: 2026-12-06T00:00:00+00:00 (UTC, seconds, no fraction). */
export function airflowTimestamp(d: Date): string {
  return `${isoDate(d)}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}+00:00`;
}

function isoDate(d: Date): string {
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

function parseInstant(iso: string, what: string): Date {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) throw new Error(`${what} '${iso}' is not an ISO 8601 time`);
  return d;
}

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

/** strptime for the directives date paths use: %Y %m %d %H %M %S %y %j %%; anything else is an error. */
export function strptime(text: string, format: string): Date {
  let y = 1900,
    mo = 1,
    d = 1,
    h = 0,
    mi = 0,
    s = 0,
    doy: number | undefined;
  let i = 0;
  const num = (min: number, max: number): number => {
    const m = new RegExp(`^[0-9]{${min},${max}}`).exec(text.slice(i));
    if (!m) throw new Error(`'${text}' does not match the format '${format}'`);
    i += m[0].length;
    return Number(m[0]);
  };
  for (let f = 0; f < format.length; f++) {
    const c = format[f];
    if (c !== "%") {
      if (text[i] !== c) throw new Error(`'${text}' does not match the format '${format}'`);
      i++;
      continue;
    }
    const directive = format[++f];
    switch (directive) {
      case "Y":
        y = num(4, 4);
        break;
      case "y": {
        const v = num(2, 2);
        y = v < 69 ? 2000 + v : 1900 + v;
        break;
      }
      case "m":
        mo = num(1, 2);
        break;
      case "d":
        d = num(1, 2);
        break;
      case "H":
        h = num(1, 2);
        break;
      case "M":
        mi = num(1, 2);
        break;
      case "S":
        s = num(1, 2);
        break;
      case "j":
        doy = num(1, 3);
        break;
      case "%":
        if (text[i] !== "%") throw new Error(`'${text}' does not match the format '${format}'`);
        i++;
        break;
      default:
        throw new Error(`the format directive %${directive ?? ""} is not supported (supported: %Y %y %m %d %H %M %S %j %%)`);
    }
  }
  if (i !== text.length) throw new Error(`'${text}' has extra text after the format '${format}'`);
  const date = doy !== undefined ? new Date(Date.UTC(y, 0, doy, h, mi, s)) : new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  const valid = doy !== undefined || (date.getUTCMonth() === mo - 1 && date.getUTCDate() === d && h < 24 && mi < 60 && s < 60);
  if (!valid) throw new Error(`'${text}' is not a valid date`);
  return date;
}

/** strftime for %Y %y %m %d %H %M %S %j %B %b %%. */
export function strftime(date: Date, format: string): string {
  return format.replace(/%(.)/gs, (_, c: string) => {
    switch (c) {
      case "Y":
        return pad(date.getUTCFullYear(), 4);
      case "y":
        return pad(date.getUTCFullYear() % 100);
      case "m":
        return pad(date.getUTCMonth() + 1);
      case "d":
        return pad(date.getUTCDate());
      case "H":
        return pad(date.getUTCHours());
      case "M":
        return pad(date.getUTCMinutes());
      case "S":
        return pad(date.getUTCSeconds());
      case "j":
        return pad(Math.floor((date.getTime() - Date.UTC(date.getUTCFullYear(), 0, 1)) / 86_400_000) + 1, 3);
      case "B":
        return MONTHS[date.getUTCMonth()];
      case "b":
        return MONTHS[date.getUTCMonth()].slice(0, 3);
      case "%":
        return "%";
      default:
        throw new Error(`the format directive %${c} is not supported (supported: %Y %y %m %d %H %M %S %j %B %b %%)`);
    }
  });
}

function dsAdd(args: string[]): string {
  if (args.length !== 2) throw new Error("takes (ds, days)");
  const days = Number(args[1]);
  if (!Number.isInteger(days) || Math.abs(days) > 100_000) throw new Error(`days must be a whole number, not '${args[1]}'`);
  const d = strptime(args[0], "%Y-%m-%d");
  return isoDate(new Date(d.getTime() + days * 86_400_000));
}

function dsFormat(args: string[]): string {
  if (args.length !== 3) throw new Error("takes (ds, input_format, output_format)");
  return strftime(strptime(args[0], args[1]), args[2]);
}

/** The macros a template may call. */
export const MACROS: ReadonlyMap<string, (args: string[]) => string> = new Map([
  ["macros.ds_add", dsAdd],
  ["macros.ds_format", dsFormat],
]);

/** Names of the built-in values (reserved: no parameter may use them as `params.` does not clash, but documented). */
export const BUILTIN_NAMES = [
  "ds",
  "ds_nodash",
  "ts",
  "ts_nodash",
  "logical_date",
  "data_interval_start",
  "data_interval_end",
  "run_id",
  "job_id",
] as const;

/** The built-in values of a run. Throws when a time is not ISO 8601 (callers pass times they produced). */
export function builtinValues(run: RunContext): Map<string, string> {
  const logical = parseInstant(run.logicalDate, "logicalDate");
  const end = parseInstant(run.dataIntervalEnd ?? run.logicalDate, "dataIntervalEnd");
  const ts = airflowTimestamp(logical);
  return new Map([
    ["ds", isoDate(logical)],
    ["ds_nodash", isoDate(logical).replace(/-/g, "")],
    ["ts", ts],
    ["ts_nodash", ts.slice(0, 19).replace(/[-:]/g, "")],
    ["logical_date", ts],
    ["data_interval_start", ts],
    ["data_interval_end", airflowTimestamp(end)],
    ["run_id", run.runId],
    ["job_id", run.jobId],
  ]);
}

/** Airflow's run id for a run of a kind at a logical date: manual__…, scheduled__…, backfill__…. */
export function airflowRunId(kind: "manual" | "scheduled" | "backfill", logicalDate: string): string {
  return `${kind}__${airflowTimestamp(parseInstant(logicalDate, "logicalDate"))}`;
}
