// Nearest-rank percentiles (pure): the p-th percentile of n values is the value of rank ceil(p/100 · n), 1-based.
// One definition for the figures Jobflow learns from (cluster timings) and the ones its benchmarks print.

/** Nearest-rank percentile (p in 0–100) of values in ascending order; NaN for none. */
export function nearestRankSorted(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] as number;
}

/** Nearest-rank percentile (p in 0–100) of values in any order; NaN for none. */
export function nearestRank(values: readonly number[], p: number): number {
  return nearestRankSorted(
    [...values].sort((a, b) => a - b),
    p,
  );
}
