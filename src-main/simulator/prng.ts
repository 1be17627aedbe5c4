// Small, fast, seedable PRNG (sfc32) plus the distributions the market model draws from.
// Each symbol owns one generator seeded from (seed, symbol) so its tape does not depend on
// which other symbols are active or on how generation is chunked.
// Also mulberry32, a bare uniform stream for test data, fixtures and benchmarks.

/** FNV-1a over a string, mixed with a numeric seed. Pure. */
export function hashSeed(seed: number, text: string): number {
  let h = (0x811c9dc5 ^ (seed >>> 0)) >>> 0
  h = Math.imul(h ^ ((seed / 0x100000000) >>> 0), 0x01000193) >>> 0
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193) >>> 0
  }
  // Final avalanche (murmur3 fmix32).
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b) >>> 0
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35) >>> 0
  h ^= h >>> 16
  return h >>> 0
}

export class Rng {
  private a: number
  private b: number
  private c: number
  private d: number
  private spareNormal: number | null = null

  constructor(seed: number) {
    this.a = 0x9e3779b9
    this.b = 0x243f6a88
    this.c = 0xb7e15162
    this.d = seed >>> 0
    for (let i = 0; i < 15; i++) this.nextU32()
  }

  nextU32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0
    this.d = (this.d + 1) | 0
    this.a = this.b ^ (this.b >>> 9)
    this.b = (this.c + (this.c << 3)) | 0
    this.c = (this.c << 21) | (this.c >>> 11)
    this.c = (this.c + t) | 0
    return t >>> 0
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextU32() / 4294967296
  }

  /** Integer in [lo, hi] inclusive. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1))
  }

  normal(): number {
    if (this.spareNormal !== null) {
      const s = this.spareNormal
      this.spareNormal = null
      return s
    }
    let u = 0
    while (u === 0) u = this.next()
    const v = this.next()
    const r = Math.sqrt(-2 * Math.log(u))
    this.spareNormal = r * Math.sin(2 * Math.PI * v)
    return r * Math.cos(2 * Math.PI * v)
  }

  /** Exponential with the given rate (events per unit). */
  exponential(rate: number): number {
    return -Math.log(1 - this.next()) / rate
  }

  /** Pick an index from cumulative weights (last element = total). */
  pickCumulative(cumulative: readonly number[]): number {
    const total = cumulative[cumulative.length - 1] ?? 0
    const x = this.next() * total
    for (let i = 0; i < cumulative.length; i++) if (x < (cumulative[i] ?? 0)) return i
    return cumulative.length - 1
  }
}

/**
 * mulberry32: a seeded uniform stream in [0, 1). The Guardian generator, the golden-fixture and Flink-session
 * generators, and the benchmarks draw from it: changing it changes recorded fixtures (fixtures/news-impact,
 * fixtures/flink/session.jsonl) and the simulated news.
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
