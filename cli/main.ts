// `jobflow` entry point: a table of commands. To add one, import its module's `command` and add it to COMMANDS.
// (Static imports: tsx, vitest and tsc all resolve them; a command module imports only `type Command` from here.)
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { optionHelpLines, parseArgs, wantsHelp, type OptionSpecs, type ParsedArgs } from "./args";
import { command as cancel } from "./commands/cancel";
import { command as clusters } from "./commands/clusters";
import { command as costs } from "./commands/costs";
import { command as edges } from "./commands/edges";
import { command as importCommand } from "./commands/import";
import { command as leases } from "./commands/leases";
import { command as logs } from "./commands/logs";
import { command as plan } from "./commands/plan";
import { command as reaper } from "./commands/reaper";
import { command as repair } from "./commands/repair";
import { command as schema } from "./commands/schema";
import { command as schedules } from "./commands/schedules";
import { command as status } from "./commands/status";
import { command as submit } from "./commands/submit";
import { command as validate } from "./commands/validate";
import { EXIT } from "./exitCodes";
import { processOutput, type Output } from "./output";

export interface CommandContext {
  args: ParsedArgs;
  out: Output;
  env: Record<string, string | undefined>;
}

export interface Command {
  /** One line for `jobflow --help`. */
  summary: string;
  /** Usage line(s), e.g. "jobflow validate FILE [--profiles DIR]"; the global options are implied. */
  usage: string;
  /** This command's options (besides the global --output, --json and --help); anything else is a usage error. */
  options?: OptionSpecs;
  /** At least one command line a user can copy, shown by `jobflow <command> --help`. */
  examples: readonly string[];
  /** Runs the command; resolves to the process exit code (cli/exitCodes.ts). */
  run(ctx: CommandContext): Promise<number> | number;
}

export const COMMANDS: Record<string, Command> = {
  validate,
  schema,
  plan,
  import: importCommand,
  submit,
  status,
  logs,
  cancel,
  repair,
  clusters,
  costs,
  edges,
  reaper,
  schedules,
  leases,
};

/** The version of the jobflow package this CLI belongs to (the nearest package.json named "jobflow" above it). */
export function cliVersion(): string {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    const file = join(dir, "package.json");
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, "utf8")) as { name?: string; version?: string };
      if (pkg.name === "jobflow" && pkg.version) return pkg.version;
    }
    if (dirname(dir) === dir) return "unknown";
  }
}

function globalHelp(out: Output): number {
  out.line("usage: jobflow <command> [options]");
  out.line("       jobflow --version | --help");
  out.line("");
  out.line("commands:");
  for (const [name, command] of Object.entries(COMMANDS)) out.line(`  ${name.padEnd(10)} ${command.summary}`);
  out.line("");
  out.line("options of every command:");
  for (const line of optionHelpLines({})) out.line(line);
  out.line("");
  out.line("exit codes: 0 done, 1 failed (invalid input, API error, job failed/cancelled), 2 usage error,");
  out.line("            3 job completed with failures (submit --wait), 130 interrupted");
  out.line("`jobflow <command> --help` shows a command's options and an example; docs/cli.md has the details.");
  return EXIT.ok;
}

/** `jobflow <command> --help`: usage, summary, options, examples. */
export function commandHelp(command: Command): string[] {
  const lines = [`usage: ${command.usage}`, "", command.summary, "", "options:", ...optionHelpLines(command.options ?? {}), ""];
  lines.push(command.examples.length === 1 ? "example:" : "examples:", ...command.examples.map((e) => `  ${e}`));
  return lines;
}

/** Runs `jobflow` with the given arguments (without node and the script path). */
export async function main(
  argv: readonly string[],
  out: Output = processOutput,
  env: CommandContext["env"] = process.env,
): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "help" || name === "--help" || name === "-h") return globalHelp(out);
  if (name === "--version" || name === "version") {
    out.line(cliVersion());
    return EXIT.ok;
  }
  const command = Object.prototype.hasOwnProperty.call(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) {
    out.error(
      `jobflow: unknown ${name.startsWith("-") ? "option" : "command"} '${name}' (commands: ${Object.keys(COMMANDS).join(", ")}; see jobflow --help)`,
    );
    return EXIT.usage;
  }
  if (wantsHelp(rest)) {
    for (const line of commandHelp(command)) out.line(line);
    return EXIT.ok;
  }
  const args = parseArgs(rest, command.options);
  if (args.errors.length) {
    for (const e of args.errors) out.error(`jobflow ${name}: ${e}`);
    out.error(`usage: ${command.usage}   (jobflow ${name} --help for the options)`);
    return EXIT.usage;
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
      process.exitCode = EXIT.failed;
    },
  );
}
