// Guards that run before schema validation so hostile input (huge text, deep nesting, cycles in objects handed in
// by a caller, absurd node counts) is refused cheaply and without recursion.
import type { Problem } from "../errors";
import { LIMITS } from "./jobSchema";

/** Size of a string in UTF-8 bytes, without Buffer (pure). */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

export function textSizeProblem(text: string, maxBytes: number): Problem | undefined {
  // Every UTF-16 unit needs at least one UTF-8 byte, so a long string is refused without counting.
  if (text.length > maxBytes || utf8Length(text) > maxBytes) {
    return { pointer: "", message: `is larger than the ${Math.floor(maxBytes / 1024)} KiB limit of a job document` };
  }
  return undefined;
}

const MAX_NODES = 100_000;

/** Depth, node-count and cycle check of an already parsed value (iterative). */
export function shapeProblems(doc: unknown, maxDepth: number = LIMITS.nestingDepth): Problem[] {
  const stack: [unknown, number][] = [[doc, 0]];
  const seen = new WeakSet<object>();
  let nodes = 0;
  while (stack.length) {
    const [value, depth] = stack.pop() as [unknown, number];
    if (typeof value !== "object" || value === null) continue;
    if (depth > maxDepth) return [{ pointer: "", message: `is nested more than ${maxDepth} levels deep` }];
    if (seen.has(value)) return [{ pointer: "", message: "contains a reference cycle (not a JSON document)" }];
    seen.add(value);
    const children = Array.isArray(value) ? value : Object.values(value);
    nodes += children.length;
    if (nodes > MAX_NODES) return [{ pointer: "", message: `has more than ${MAX_NODES} values` }];
    for (const child of children) stack.push([child, depth + 1]);
  }
  return [];
}
