// Where CLI commands write. Injected so tests (and other front ends) can capture output without spawning.

export interface Output {
  /** Writes one line to standard output. */
  line(text: string): void;
  /** Writes one line to standard error. */
  error(text: string): void;
  /** Writes one JSON document (pretty-printed) to standard output. */
  json(value: unknown): void;
  /** Present when standard output is a terminal: live views redraw in place instead of appending lines. */
  readonly tty?: { columns(): number };
}

export const processOutput: Output = {
  line: (text) => process.stdout.write(text + "\n"),
  error: (text) => process.stderr.write(text + "\n"),
  json: (value) => process.stdout.write(JSON.stringify(value, null, 2) + "\n"),
  tty: process.stdout.isTTY ? { columns: () => process.stdout.columns || 80 } : undefined,
};

/** Output collected in memory (tests). */
export function memoryOutput(): Output & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    stdout,
    stderr,
    line: (t) => stdout.push(t),
    error: (t) => stderr.push(t),
    json: (v) => stdout.push(JSON.stringify(v, null, 2)),
  };
}

/** A problem as one CLI line: `<pointer>: <message>` ("(document)" for the whole document). */
export function problemLine(p: { pointer: string; message: string }): string {
  return `${p.pointer === "" ? "(document)" : p.pointer}: ${p.message}`;
}
