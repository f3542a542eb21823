// Small statistics helpers for the benchmarks.

/** The p-th percentile (0..100) of the values, nearest rank; NaN for none. */
export function percentile(sorted: Float64Array | number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export function sortedCopy(values: number[]): Float64Array {
  return Float64Array.from(values).sort();
}

export const fmt = (n: number, digits = 0): string => (Number.isFinite(n) ? n.toFixed(digits) : '-');

/** A ratio a/b printed with two decimals, followed by "x". */
export const ratio = (a: number, b: number): string => (b > 0 && Number.isFinite(a / b) ? `${(a / b).toFixed(2)}x` : '-');

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
