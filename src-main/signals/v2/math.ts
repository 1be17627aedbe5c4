// Pure numeric pieces of impact v2 (docs/impact-v2.md): median, sample stdev, the shrunk OLS beta, the sigma
// floor and the stale-headline word sets. No I/O, no state; table-driven tests in math.test.ts.

/** Median of values[0..n) (even count: mean of the two middle values); sorts that prefix in place. NaN when n = 0. */
export function medianInPlace(values: Float64Array | number[], n: number): number {
  if (n <= 0) return NaN
  if (n > 32 && values instanceof Float64Array) values.subarray(0, n).sort()
  // Insertion sort: windows are small (a 2-second window of one symbol), and prices on a cent grid repeat.
  for (let i = 1; i < n; i++) {
    const v = values[i] as number
    let j = i - 1
    while (j >= 0 && (values[j] as number) > v) {
      values[j + 1] = values[j] as number
      j--
    }
    values[j + 1] = v
  }
  const mid = n >> 1
  return n % 2 === 1 ? (values[mid] as number) : ((values[mid - 1] as number) + (values[mid] as number)) / 2
}

/** Median of a list (not modified). NaN when empty. */
export function median(values: readonly number[]): number {
  const copy = values.slice()
  return medianInPlace(copy, copy.length)
}

/** Sample standard deviation (n − 1); NaN when n < 2. */
export function sampleStdev(values: readonly number[]): number {
  const n = values.length
  if (n < 2) return NaN
  let mean = 0
  for (const v of values) mean += v
  mean /= n
  let ss = 0
  for (const v of values) ss += (v - mean) * (v - mean)
  return Math.sqrt(ss / (n - 1))
}

/** A pair of same-minute 1-minute log returns: x of the proxy M, y of the symbol S. */
export interface ReturnPair {
  x: number
  y: number
}

/**
 * Beta of S on M: OLS with intercept, shrunk to 1 with weight w = 0.25/se² (a prior of 1 ± 0.5), clamped to
 * [0, 3]. n < 3 or Sxx = 0: 1; se² = 0: the OLS slope as measured.
 */
export function shrunkBeta(pairs: readonly ReturnPair[]): number {
  const n = pairs.length
  if (n < 3) return 1
  let mx = 0
  let my = 0
  for (const p of pairs) {
    mx += p.x
    my += p.y
  }
  mx /= n
  my /= n
  let sxx = 0
  let sxy = 0
  for (const p of pairs) {
    sxx += (p.x - mx) * (p.x - mx)
    sxy += (p.x - mx) * (p.y - my)
  }
  if (sxx === 0) return 1
  const b = sxy / sxx
  const alpha = my - b * mx
  let ssr = 0
  for (const p of pairs) {
    const e = p.y - alpha - b * p.x
    ssr += e * e
  }
  const se2 = ssr / (n - 2) / sxx
  const beta = se2 === 0 ? b : (0.25 / se2 * b + 1) / (0.25 / se2 + 1)
  return Math.min(3, Math.max(0, beta))
}

/** The sigma floor from a previous session's 1-minute returns: max(1.4826 × median|r|, 0.5 × stdev(r)); null with < 10. */
export function sigmaFloor(returns: readonly number[]): number | null {
  if (returns.length < 10) return null
  const abs = returns.map(Math.abs)
  return Math.max(1.4826 * median(abs), 0.5 * sampleStdev(returns))
}

/** Realised sigma from the counted 1-minute abnormal returns: sample stdev with ≥ 10 of them, else null. */
export function sigmaRealised(returns: readonly number[]): number | null {
  return returns.length < 10 ? null : sampleStdev(returns)
}

/** sigma = max(realised?, floor?, 0.01/p); null when realised and floor are both absent. */
export function combineSigma(realised: number | null, floor: number | null, price: number | null): number | null {
  if (realised === null && floor === null) return null
  let s = Math.max(realised ?? 0, floor ?? 0)
  if (price !== null && price > 0) s = Math.max(s, 0.01 / price)
  return s
}

const WORD = /[\p{L}\p{Nd}]+/gu

/** Stale detection's words: letter/decimal-digit runs of the NFKC-normalised, lower-cased title, as a set. */
export function titleWords(title: string): Set<string> {
  const out = new Set<string>()
  for (const m of title.normalize('NFKC').toLowerCase().matchAll(WORD)) out.add(m[0])
  return out
}

/** Jaccard ≥ 0.6 decided in integers; two empty sets are not similar. */
export function similarWords(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  let inter = 0
  for (const w of a) if (b.has(w)) inter++
  const union = a.size + b.size - inter
  return union > 0 && 10 * inter >= 6 * union
}
