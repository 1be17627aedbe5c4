// Order statistics shared by the benchmarks.

/** p-th percentile (0..100) by nearest rank of ascending values. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!
}

/** The same, of values in any order (sorts a copy). */
export const percentileOf = (xs: readonly number[], p: number): number => percentile([...xs].sort((a, b) => a - b), p)
