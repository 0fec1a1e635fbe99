// `jobflow` entry point: a table of commands. To add one, add a line to COMMANDS that requires a module exporting
// `command: Command` (required lazily, so one command's dependencies never slow down another).
import { parseArgs, type ParsedArgs } from "./args";
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

type CommandModule = { command: Command };

export const COMMANDS: Record<string, () => Command> = {
  validate: () => (require("./commands/validate") as CommandModule).command,
  schema: () => (require("./commands/schema") as CommandModule).command,
};

async function help(out: Output): Promise<number> {
  out.line("usage: jobflow <command> [options]   (global: --json)");
  for (const [name, load] of Object.entries(COMMANDS)) out.line(`  ${name.padEnd(10)} ${load().summary}`);
  return 0;
}

/** Runs `jobflow` with the given arguments (without node and the script path). */
export async function main(argv: readonly string[], out: Output = processOutput, env: CommandContext["env"] = process.env): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "help" || name === "--help" || name === "-h") return help(out);
  const load = Object.prototype.hasOwnProperty.call(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!load) {
    out.error(`jobflow: unknown command '${name}' (try: ${Object.keys(COMMANDS).join(", ")})`);
    return 2;
  }
  const command = load();
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
