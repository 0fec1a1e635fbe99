// `jobflow` entry point: a table of commands. To add one, import its module's `command` and add it to COMMANDS.
// (Static imports: tsx, vitest and tsc all resolve them; a command module imports only `type Command` from here.)
import { parseArgs, type ParsedArgs } from "./args";
import { command as cancel } from "./commands/cancel";
import { command as clusters } from "./commands/clusters";
import { command as edges } from "./commands/edges";
import { command as leases } from "./commands/leases";
import { command as logs } from "./commands/logs";
import { command as plan } from "./commands/plan";
import { command as reaper } from "./commands/reaper";
import { command as schema } from "./commands/schema";
import { command as schedules } from "./commands/schedules";
import { command as status } from "./commands/status";
import { command as submit } from "./commands/submit";
import { command as validate } from "./commands/validate";
import { processOutput, type Output } from "./output";

export interface CommandContext {
  args: ParsedArgs;
  out: Output;
  env: Record<string, string | undefined>;
}

export interface Command {
  /** One line for `jobflow help`. */
  summary: string;
  /** Usage line, e.g. "jobflow validate FILE [--json]". */
  usage: string;
  /** Options of this command that take no value (besides the global --json and --help). */
  booleanFlags?: readonly string[];
  /** Runs the command; resolves to the process exit code (0 ok, 1 the input or the remote said no, 2 usage). */
  run(ctx: CommandContext): Promise<number> | number;
}

export const COMMANDS: Record<string, Command> = {
  validate,
  schema,
  plan,
  submit,
  status,
  logs,
  cancel,
  clusters,
  edges,
  reaper,
  schedules,
  leases,
};

async function help(out: Output): Promise<number> {
  out.line("usage: jobflow <command> [options]   (global: --json)");
  for (const [name, command] of Object.entries(COMMANDS)) out.line(`  ${name.padEnd(10)} ${command.summary}`);
  return 0;
}

/** Runs `jobflow` with the given arguments (without node and the script path). */
export async function main(argv: readonly string[], out: Output = processOutput, env: CommandContext["env"] = process.env): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "help" || name === "--help" || name === "-h") return help(out);
  const command = Object.prototype.hasOwnProperty.call(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) {
    out.error(`jobflow: unknown command '${name}' (try: ${Object.keys(COMMANDS).join(", ")})`);
    return 2;
  }
  const args = parseArgs(rest, command.booleanFlags);
  if (args.options.help === true) {
    out.line(`usage: ${command.usage}`);
    return 0;
  }
  if (args.errors.length) {
    for (const e of args.errors) out.error(`jobflow ${name}: ${e}`);
    out.error(`usage: ${command.usage}`);
    return 2;
  }
  return command.run({ args, out, env });
}

// Run when started as the CLI (bin/jobflow.js requires this file; `tsx cli/main.ts` runs it directly).
const entry = require.main?.filename ?? "";
if (require.main === module || /[\\/]bin[\\/]jobflow(\.js)?$/.test(entry)) {
  // `jobflow … | head` closes the pipe early: that is the reader's choice, not an error.
  process.stdout.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw err;
  });
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`jobflow: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
