// Shared frame of the commands that call the HTTP API: find the API, run, and print API errors the same way
// everywhere — problem+json as one `pointer: message` line per problem, or one JSON document with --json.
import { problemLine, type Output } from "./output";
import { resolveApiTarget, type ApiTarget } from "./api";
import { JobflowApi, type ApiError } from "./apiClient";
import type { Clock } from "../shared/clock";
import { systemClock } from "../shared/clock";
import { EXIT } from "./exitCodes";
import type { Command, CommandContext } from "./main";

export interface RemoteContext extends CommandContext {
  api: JobflowApi;
  target: ApiTarget;
  /** Wall clock of the CLI process (polling intervals). */
  clock: Clock;
}

/** Wraps a command body that needs the API; errors named ApiConfigError / ApiError are printed, exit code 1. */
export function remoteCommand(body: (ctx: RemoteContext) => Promise<number>): Command["run"] {
  return async (ctx) => {
    try {
      const target = await resolveApiTarget({ env: ctx.env });
      return await body({ ...ctx, api: new JobflowApi(target), target, clock: systemClock });
    } catch (err) {
      const name = (err as { name?: string })?.name;
      if (name === "ApiError") return reportApiError(ctx.out, err as ApiError, ctx.args.json);
      if (name === "ApiConfigError") {
        if (ctx.args.json) ctx.out.json({ ok: false, error: { message: (err as Error).message } });
        else ctx.out.error(`jobflow: ${(err as Error).message}`);
        return EXIT.failed;
      }
      throw err;
    }
  };
}

/** Prints an API error: human lines on stderr, or `{ok: false, status, title, detail, problems}` on stdout. */
export function reportApiError(out: Output, err: ApiError, json: boolean): number {
  if (json) {
    out.json({ ok: false, status: err.status, title: err.title, detail: err.detail ?? null, problems: err.problems });
    return EXIT.failed;
  }
  for (const line of apiErrorLines(err)) out.error(line);
  return EXIT.failed;
}

/** The human lines of an API error: one `pointer: message` per problem, else `title: detail`. */
export function apiErrorLines(err: ApiError): string[] {
  const status = err.status ? ` (HTTP ${err.status})` : "";
  if (err.problems.length === 0) return [`jobflow: ${err.title}${err.detail ? `: ${err.detail}` : ""}${status}`];
  return [`jobflow: ${err.title}${status}`, ...err.problems.map(problemLine)];
}

/** The single required positional argument, or undefined after printing the usage line. */
export function onePositional(ctx: CommandContext, usage: string, count = 1): string[] | undefined {
  if (ctx.args.positional.length !== count) {
    ctx.out.error(`usage: ${usage}`);
    return undefined;
  }
  return ctx.args.positional;
}

/** A non-negative integer option, its default when absent; undefined (after an error line) when malformed. */
export function intOption(ctx: CommandContext, name: string, fallback: number | undefined, min = 0): number | undefined | null {
  const raw = ctx.args.options[name];
  if (raw === undefined) return fallback;
  const n = typeof raw === "string" && /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(n) || n < min) {
    ctx.out.error(`jobflow: --${name} needs an integer ≥ ${min}`);
    return null;
  }
  return n;
}
