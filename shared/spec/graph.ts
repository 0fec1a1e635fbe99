// The step graph: dependsOn edges, cycle detection and "which steps may run at the same time". Pure.

export interface StepNode {
  id: string;
  dependsOn: readonly string[];
}

/** Every cycle (as id paths "a → b → a"), each reported once, in document order of its first step. */
export function findCycles(steps: readonly StepNode[]): string[][] {
  const byId = new Map(steps.map((s) => [s.id, s] as const));
  const state = new Map<string, "active" | "done">();
  const cycles: string[][] = [];
  for (const start of steps) {
    if (state.has(start.id)) continue;
    // Iterative DFS: the path stack holds [id, next dependency index].
    const path: [string, number][] = [[start.id, 0]];
    state.set(start.id, "active");
    while (path.length) {
      const top = path[path.length - 1];
      const deps = byId.get(top[0])?.dependsOn ?? [];
      if (top[1] >= deps.length) {
        state.set(top[0], "done");
        path.pop();
        continue;
      }
      const next = deps[top[1]++];
      if (!byId.has(next)) continue;
      const seen = state.get(next);
      if (seen === "active") {
        const from = path.findIndex(([id]) => id === next);
        cycles.push([...path.slice(from).map(([id]) => id), next]);
      } else if (seen === undefined) {
        state.set(next, "active");
        path.push([next, 0]);
      }
    }
  }
  return cycles;
}

/** Ids each step transitively depends on (ancestors). Assumes no cycle. */
function ancestors(steps: readonly StepNode[]): Map<string, Set<string>> {
  const byId = new Map(steps.map((s) => [s.id, s] as const));
  const memo = new Map<string, Set<string>>();
  const visit = (id: string): Set<string> => {
    const known = memo.get(id);
    if (known) return known;
    const result = new Set<string>();
    memo.set(id, result); // placeholder also guards against a cycle slipping through
    for (const dep of byId.get(id)?.dependsOn ?? []) {
      if (!byId.has(dep)) continue;
      result.add(dep);
      for (const a of visit(dep)) result.add(a);
    }
    return result;
  };
  for (const s of steps) visit(s.id);
  return memo;
}

/**
 * For each step, the other steps it may run at the same time as: none when maxConcurrentSteps is 1; otherwise every
 * step that is neither its ancestor nor its descendant in the dependsOn graph. Assumes no cycle.
 */
export function concurrentPeers(steps: readonly StepNode[], maxConcurrentSteps: number): Map<string, string[]> {
  const peers = new Map<string, string[]>(steps.map((s) => [s.id, []]));
  if (maxConcurrentSteps <= 1) return peers;
  const anc = ancestors(steps);
  for (let i = 0; i < steps.length; i++) {
    for (let j = i + 1; j < steps.length; j++) {
      const a = steps[i].id;
      const b = steps[j].id;
      if (anc.get(a)?.has(b) || anc.get(b)?.has(a)) continue;
      peers.get(a)?.push(b);
      peers.get(b)?.push(a);
    }
  }
  return peers;
}
