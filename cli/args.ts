// Command-line options, parsed by node:util parseArgs in strict mode: each command declares its options (type,
// placeholder, one line of help), so an unknown option, a missing value or a value given to a flag is a usage
// error instead of being ignored. The global options (--output, --json, --help) are accepted by every command.
import { parseArgs as parseNodeArgs } from "node:util";

export interface OptionSpec {
  type: "string" | "boolean";
  /** One-letter alias, e.g. "h" for --help. */
  short?: string;
  /** Placeholder of the value in the help, e.g. "N" or "DIR" (string options). */
  value?: string;
  /** One line for the command's --help. */
  description: string;
  /** Repeatable (string options): every value is kept, in order, in ParsedArgs.lists. */
  multiple?: boolean;
}

export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

export const OUTPUT_FORMATS = ["table", "json"] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export const GLOBAL_OPTIONS: OptionSpecs = {
  output: { type: "string", value: "json|table", description: "table (default): for people; json: one JSON document on standard output" },
  json: { type: "boolean", description: "same as --output json" },
  help: { type: "boolean", short: "h", description: "print this help and exit" },
};

export interface ParsedArgs {
  positional: string[];
  /** Option values by name (without leading dashes); booleans are true. A repeated option keeps the last value. */
  options: Record<string, string | true>;
  /** The output format: --output, or json with --json. */
  output: OutputFormat;
  /** True when the output is JSON (--output json or --json). */
  json: boolean;
  /** Usage problems such as "Unknown option '--frobnicate'"; the command does not run when there is one. */
  errors: string[];
  /** Values of repeatable options (`multiple`), e.g. lists.param for `-p a=1 -p b=2`. */
  lists: Record<string, string[]>;
}

/** Parses a command's arguments (after the command name) against its options and the global ones. */
export function parseArgs(argv: readonly string[], commandOptions: OptionSpecs = {}): ParsedArgs {
  const specs: OptionSpecs = { ...commandOptions, ...GLOBAL_OPTIONS };
  const config: Record<string, { type: "string" | "boolean"; short?: string; multiple?: boolean }> = {};
  for (const [name, spec] of Object.entries(specs)) {
    config[name] = { type: spec.type, ...(spec.short ? { short: spec.short } : {}), ...(spec.multiple ? { multiple: true } : {}) };
  }
  const lists: Record<string, string[]> = Object.create(null) as Record<string, string[]>;
  const options: Record<string, string | true> = Object.create(null) as Record<string, string | true>;
  let positional: string[] = [];
  const errors: string[] = [];
  try {
    const parsed = parseNodeArgs({ args: [...argv], options: config, strict: true, allowPositionals: true });
    positional = parsed.positionals;
    for (const [name, value] of Object.entries(parsed.values)) {
      if (value === true || typeof value === "string") options[name] = value;
      else if (Array.isArray(value)) lists[name] = value.filter((v): v is string => typeof v === "string");
    }
  } catch (err) {
    const code = (err as { code?: string }).code ?? "";
    if (!code.startsWith("ERR_PARSE_ARGS")) throw err;
    // Node's messages are multi-line (a hint on how to pass a dash-led value): keep them on one line.
    errors.push((err as Error).message.replace(/\s*\n\s*/g, " "));
  }
  const format = options.output;
  let output: OutputFormat = options.json === true ? "json" : "table";
  if (typeof format === "string") {
    if (!(OUTPUT_FORMATS as readonly string[]).includes(format))
      errors.push(`--output must be one of ${OUTPUT_FORMATS.join(", ")} (got '${format}')`);
    else if (options.json === true && format !== "json") errors.push(`--json contradicts --output ${format}`);
    else output = format as OutputFormat;
  }
  return { positional, options, output, json: output === "json", errors, lists };
}

/** The `-p NAME=value` option of the commands that render templates (repeatable; a later NAME wins). */
/** `--interval-ms N`: how often a `--wait` polls. */
export const INTERVAL_OPTION: OptionSpec = {
  type: "string",
  value: "N",
  description: "with --wait: poll every N milliseconds (default 2000)",
};
export const PARAM_OPTION: OptionSpec = {
  type: "string",
  short: "p",
  multiple: true,
  value: "NAME=value",
  description: "a template parameter value (repeatable): {{ params.NAME }}",
};

/** `-p NAME=value` pairs as an object (a later NAME wins), or the malformed ones. */
export function parseParams(args: ParsedArgs): { ok: true; values: Record<string, string> } | { ok: false; errors: string[] } {
  const values: Record<string, string> = Object.create(null) as Record<string, string>;
  const errors: string[] = [];
  for (const pair of args.lists.param ?? []) {
    const eq = pair.indexOf("=");
    const name = eq > 0 ? pair.slice(0, eq) : "";
    if (!/^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(name)) errors.push(`-p ${pair}: expected NAME=value with NAME of letters, digits or _`);
    else values[name] = pair.slice(eq + 1);
  }
  return errors.length ? { ok: false, errors } : { ok: true, values: { ...values } };
}

/** True when the arguments ask for help (-h or --help before any `--`), whatever else is wrong with them. */
export function wantsHelp(argv: readonly string[]): boolean {
  const end = argv.indexOf("--");
  return (end === -1 ? argv : argv.slice(0, end)).some((a) => a === "--help" || a === "-h");
}

/** A string option, or undefined when absent. */
export function stringOption(args: ParsedArgs, name: string): string | undefined {
  const v = args.options[name];
  return typeof v === "string" ? v : undefined;
}

/** The option lines of a command's help: `  --name VALUE   description`, aligned. */
export function optionHelpLines(commandOptions: OptionSpecs): string[] {
  const entries = Object.entries({ ...commandOptions, ...GLOBAL_OPTIONS });
  const left = entries.map(([name, s]) => `${s.short ? `-${s.short}, ` : "    "}--${name}${s.value ? ` ${s.value}` : ""}`);
  const width = Math.max(...left.map((l) => l.length));
  return entries.map(([, s], i) => `  ${left[i].padEnd(width)}  ${s.description}`);
}
