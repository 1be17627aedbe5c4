// The market factor every symbol shares: a log-price path F(t) (F(origin) = 0) that SPY follows exactly and every
// other name follows by its beta, plus the macro moves ("Fed", "CPI", "Wall Street falls as …") scheduled on it.
// The path is a random walk on a 1-second grid, linearly interpolated, generated in 1-hour blocks each seeded from
// (seed, block), so F is a pure function of (seed, origin) and the macro moves: the same whichever symbols are active
// and however generation is chunked.
import { sessionOf, varianceFactor } from './intraday'
import { hashSeed, Rng } from './prng'
import { type Ramp, rampsLevel } from './shocks'
import { MARKET_VOL } from './symbols'

const STEP_MS = 1000
const BLOCK_STEPS = 3600
const BLOCK_MS = STEP_MS * BLOCK_STEPS
/** One trading year of regular-session milliseconds: volatility is quoted per trading time. */
const YEAR_MS = 252 * 6.5 * 3_600_000
/** Blocks kept in memory (a symbol activated late catches up from the origin and regenerates what it needs). */
const MAX_CACHED_BLOCKS = 8

export class MarketFactor {
  /** Level at the start of each block generated so far (index = block). */
  private readonly blockStarts: number[] = [0]
  private readonly cache = new Map<number, Float64Array>()
  private readonly sdPerStep: number
  /** Macro ramps, sorted by start. */
  private readonly macro: Ramp[] = []

  constructor(
    readonly seed: number,
    readonly origin: number,
    vol = MARKET_VOL,
  ) {
    this.sdPerStep = vol * Math.sqrt(STEP_MS / YEAR_MS)
  }

  /** F(t): the market's log move since the origin (0 before it), macro moves included. */
  level(t: number): number {
    return this.walk(t) + (this.macro.length > 0 ? rampsLevel(this.macro, t) : 0)
  }

  /** The random walk alone (no macro moves). */
  walk(t: number): number {
    if (t <= this.origin) return 0
    const x = (t - this.origin) / STEP_MS
    const i = Math.floor(x)
    const a = this.gridAt(i)
    const frac = x - i
    return frac === 0 ? a : a + (this.gridAt(i + 1) - a) * frac
  }

  addMacro(ramps: readonly Ramp[]): void {
    for (const r of ramps) this.macro.push(r)
    this.macro.sort((p, q) => p.from - q.from)
  }

  // The block read last: reads come in runs within one block (every symbol's quotes walk forward in time).
  private lastBlock = -1
  private lastArray: Float64Array = new Float64Array(0)

  private gridAt(i: number): number {
    const b = Math.floor(i / BLOCK_STEPS)
    if (b !== this.lastBlock) {
      this.lastArray = this.block(b)
      this.lastBlock = b
    }
    return this.lastArray[i - b * BLOCK_STEPS] ?? 0
  }

  private block(b: number): Float64Array {
    const hit = this.cache.get(b)
    if (hit) return hit
    // Block starts come from every earlier block once: generate forward up to b.
    while (this.blockStarts.length <= b) {
      const k = this.blockStarts.length - 1
      const prev = this.cache.get(k) ?? this.generate(k)
      this.blockStarts.push(prev[BLOCK_STEPS] ?? 0)
    }
    return this.generate(b)
  }

  private generate(b: number): Float64Array {
    const rng = new Rng(hashSeed(this.seed, `factor:${this.origin}:${b}`))
    const out = new Float64Array(BLOCK_STEPS + 1)
    let level = this.blockStarts[b] ?? 0
    out[0] = level
    const t0 = this.origin + b * BLOCK_MS
    let sd = 0
    for (let k = 1; k <= BLOCK_STEPS; k++) {
      // The session's variance share changes on whole minutes: look it up once a minute.
      if ((k - 1) % 60 === 0) sd = this.sdPerStep * Math.sqrt(varianceFactor(sessionOf(t0 + k * STEP_MS)))
      level += sd * rng.normal()
      out[k] = level
    }
    if (this.cache.size >= MAX_CACHED_BLOCKS) {
      const oldest = this.cache.keys().next().value
      if (oldest !== undefined) this.cache.delete(oldest)
    }
    this.cache.set(b, out)
    return out
  }
}
