// A tiny argument parser: positionals, `--flag` (declared boolean), `--key value`, `--key=value`, `--` ends
// options. `--json` is global and always boolean.

export interface ParsedArgs {
  positional: string[];
  /** Option values by name (without leading dashes); booleans are true. A repeated option keeps the last value. */
  options: Record<string, string | true>;
  json: boolean;
  /** Problems such as "--out needs a value". */
  errors: string[];
}

export const GLOBAL_BOOLEANS = ["json", "help"] as const;

export function parseArgs(argv: readonly string[], booleanFlags: readonly string[] = []): ParsedArgs {
  const booleans = new Set<string>([...GLOBAL_BOOLEANS, ...booleanFlags]);
  const positional: string[] = [];
  const options: Record<string, string | true> = Object.create(null) as Record<string, string | true>;
  const errors: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--") {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith("--") || arg === "--") {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf("=");
    const name = eq > 0 ? arg.slice(2, eq) : arg.slice(2);
    if (booleans.has(name)) {
      if (eq > 0) errors.push(`--${name} takes no value`);
      else options[name] = true;
    } else if (eq > 0) {
      options[name] = arg.slice(eq + 1);
    } else if (i + 1 < argv.length && !argv[i + 1].startsWith("--")) {
      options[name] = argv[++i];
    } else {
      errors.push(`--${name} needs a value`);
    }
  }
  return { positional, options, json: options.json === true, errors };
}

/** A string option, or undefined when absent. */
export function stringOption(args: ParsedArgs, name: string): string | undefined {
  const v = args.options[name];
  return typeof v === "string" ? v : undefined;
}
