// Building blocks of the golden inputs (scripts/golden-v2/cases.ts): a seeded PRNG, log-price paths, print tapes
// on the one-cent grid, previous sessions' minute bars, coverage and articles. Deterministic: every random number
// comes from the case's own generator, seeded from its name.
import { DEFAULT_IMPACT_SETTINGS } from '../../src-main/domain/impact'
import type { ImpactSettings, PrintSource } from '../../src-main/domain/impact'
import {
  etWallToUtc,
  MIN,
  type GoldenArticle,
  type GoldenInput,
  type GoldenMinuteBar,
  type GoldenPrint,
  type GoldenSecondBar,
  type GoldenSpan,
} from './reference'

/** mulberry32: a small seedable uniform generator in [0, 1). */
export class Prng {
  private state: number
  constructor(seed: number) {
    this.state = seed >>> 0
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0
    let t = this.state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  /** Integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1))
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)] as T
  }
  /** Standard normal (Box–Muller). */
  normal(): number {
    const u = 1 - this.next()
    const v = this.next()
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v)
  }
}

/** FNV-1a of a string: the seed of a case's generator. */
export function seedOf(text: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0
  return h
}

export const cents = (x: number): number => Math.round(x * 100) / 100

/** A log-price path: a random walk with one step per second over [from, to], 0 at `from`. */
export type Path = (t: number) => number

export function walk(rng: Prng, from: number, to: number, sdPerMin: number): Path {
  const steps = Math.ceil((to - from) / 1000) + 1
  const values = new Float64Array(steps)
  const sd = sdPerMin / Math.sqrt(60)
  for (let i = 1; i < steps; i++) values[i] = (values[i - 1] as number) + sd * rng.normal()
  return (t) => values[Math.min(steps - 1, Math.max(0, Math.floor((t - from) / 1000)))] as number
}

/** A log step of `size` spread linearly over [at, at + over] (over = 0: a jump at `at`). */
export function step(at: number, size: number, over = 0): Path {
  return (t) => (t < at ? 0 : over === 0 || t >= at + over ? size : (size * (t - at)) / over)
}

export const sum =
  (...paths: Path[]): Path =>
  (t) =>
    paths.reduce((s, p) => s + p(t), 0)
export const scale =
  (k: number, p: Path): Path =>
  (t) =>
    k * p(t)
export const zero: Path = () => 0

export type Gap = [number, number] | ((t: number) => [number, number])

const SIZES = [100, 100, 100, 100, 200, 200, 300, 500, 50, 25, 1000, 150]

export interface TapeSpec {
  symbol: string
  from: number
  to: number
  /** Gap between prints in ms, uniform in [min, max] (or that range as a function of the time). */
  gap: Gap
  /** Price at t, before rounding to the cent. */
  price: (t: number) => number
  source?: PrintSource
  conditions?: (t: number) => number[]
  /** Size multiplier at t (default 1). */
  volume?: (t: number) => number
}

export class CaseBuilder {
  readonly rng: Prng
  readonly prints: GoldenPrint[] = []
  readonly minuteBars: GoldenMinuteBar[] = []
  readonly secondBars: GoldenSecondBar[] = []
  readonly articles: GoldenArticle[] = []
  readonly coverage: Record<string, GoldenSpan[]> = {}
  settings: ImpactSettings = { ...DEFAULT_IMPACT_SETTINGS }
  private readonly seqs = new Map<string, number>()

  constructor(
    readonly name: string,
    readonly description: string,
    readonly date: string,
    seed: string = name,
  ) {
    this.rng = new Prng(seedOf(seed))
  }

  /** Instant of an ET wall clock `HH:MM[:SS[.mmm]]` on the case's date (or on `date`). */
  et(clock: string, date = this.date): number {
    const m = /^(\d\d):(\d\d)(?::(\d\d)(?:\.(\d{3}))?)?$/.exec(clock)
    if (!m) throw new Error(`bad clock ${clock}`)
    const ms = ((Number(m[1]) * 60 + Number(m[2])) * 60 + Number(m[3] ?? 0)) * 1000 + Number(m[4] ?? 0)
    return etWallToUtc(date, ms)
  }

  /** Next sequence number of a symbol: increasing, not contiguous (as Polygon's `q`). */
  nextSeq(symbol: string): number {
    const seq = (this.seqs.get(symbol) ?? 4_100_000 + this.rng.int(0, 900_000)) + this.rng.int(1, 40)
    this.seqs.set(symbol, seq)
    return seq
  }

  print(p: Omit<GoldenPrint, 'seq' | 'conditions' | 'source'> & Partial<GoldenPrint>): GoldenPrint {
    const out: GoldenPrint = {
      symbol: p.symbol,
      ts: p.ts,
      price: p.price,
      size: p.size,
      conditions: p.conditions ?? [],
      seq: p.seq ?? this.nextSeq(p.symbol),
      source: p.source ?? 'live',
    }
    this.prints.push(out)
    return out
  }

  /** Prints at random gaps in [from, to], on the cent grid. */
  tape(spec: TapeSpec): GoldenPrint[] {
    const out: GoldenPrint[] = []
    const gap = (t: number): [number, number] => (typeof spec.gap === 'function' ? spec.gap(t) : spec.gap)
    for (let t = spec.from + this.rng.int(0, gap(spec.from)[0]); t <= spec.to; t += this.rng.int(...gap(t))) {
      out.push(
        this.print({
          symbol: spec.symbol,
          ts: t,
          price: cents(spec.price(t)),
          size: Math.max(1, Math.round(this.rng.pick(SIZES) * (spec.volume?.(t) ?? 1))),
          conditions: spec.conditions?.(t) ?? [],
          source: spec.source ?? 'live',
        }),
      )
    }
    return out
  }

  cover(symbol: string, from: number, to: number, source: PrintSource = 'live'): void {
    ;(this.coverage[symbol] ??= []).push({ from, to, source })
  }

  article(id: string, published: number, title: string, tickers: string[], latencyMs = 40_000): GoldenArticle {
    const a = { id, published, receivedAt: published + latencyMs, title, tickers }
    this.articles.push(a)
    return a
  }

  /**
   * Minute bars of the previous trading days (most recent first in `days`) for the listed minutes of the day
   * (ET wall clock ranges [from, to)), from a fresh path per day: S = beta·M + idiosyncratic noise.
   */
  previousDays(opts: {
    days: string[]
    ranges: [string, string][]
    proxy?: { symbol: string; base: number; sdPerMin: number }
    stocks: { symbol: string; base: number; beta: number; sdPerMin: number; volumePerMin: number }[]
    proxyVolumePerMin?: number
  }): void {
    const proxy = opts.proxy ?? { symbol: 'SPY', base: 602.15, sdPerMin: 0.0005 }
    for (const day of opts.days) {
      const from = this.et('04:00', day)
      const to = this.et('20:00', day)
      const m = walk(this.rng, from, to, proxy.sdPerMin)
      const minutes: number[] = []
      for (const [a, b] of opts.ranges) for (let t = this.et(a, day); t < this.et(b, day); t += MIN) minutes.push(t)
      const drift = 1 + 0.01 * this.rng.normal()
      for (const start of minutes) {
        this.minuteBars.push({
          symbol: proxy.symbol,
          start,
          close: cents(proxy.base * drift * Math.exp(m(start + 59_000))),
          volume: Math.round((opts.proxyVolumePerMin ?? 4_000) * (0.5 + this.rng.next())),
        })
      }
      for (const s of opts.stocks) {
        const idio = walk(this.rng, from, to, s.sdPerMin)
        const sDrift = 1 + 0.015 * this.rng.normal()
        for (const start of minutes) {
          this.minuteBars.push({
            symbol: s.symbol,
            start,
            close: cents(s.base * sDrift * Math.exp(s.beta * m(start + 59_000) + idio(start + 59_000))),
            volume: Math.round(s.volumePerMin * (0.5 + this.rng.next())),
          })
        }
      }
    }
  }

  /**
   * Replaces the symbol's `trades` history prints in [from, to] by their 1-second bars (history from
   * range/1/second): close = the second's last print, volume = their sizes, trades = their count.
   */
  toSecondBars(symbol: string, from: number, to: number): void {
    const taken = this.prints.filter((p) => p.symbol === symbol && p.source === 'trades' && p.ts >= from && p.ts <= to)
    const bySecond = new Map<number, GoldenPrint[]>()
    for (const p of taken) {
      const start = Math.floor(p.ts / 1000) * 1000
      bySecond.set(start, [...(bySecond.get(start) ?? []), p])
    }
    for (const [start, ps] of [...bySecond].sort((a, b) => a[0] - b[0])) {
      const last = [...ps].sort((a, b) => a.ts - b.ts || a.seq - b.seq).at(-1) as GoldenPrint
      this.secondBars.push({ symbol, start, close: last.price, volume: ps.reduce((s, p) => s + p.size, 0), trades: ps.length })
    }
    for (const p of taken) this.prints.splice(this.prints.indexOf(p), 1)
  }

  build(asOf: number): GoldenInput {
    return {
      name: this.name,
      description: this.description,
      asOf,
      settings: this.settings,
      coverage: this.coverage,
      minuteBars: this.minuteBars,
      prints: this.prints,
      secondBars: this.secondBars,
      articles: this.articles,
    }
  }
}

const HOLIDAYS = new Set(['2026-11-26', '2026-12-25', '2027-01-01'])

/** The `n` trading days before `date` (weekdays that are not NYSE holidays), most recent first. */
export function tradingDaysBefore(date: string, n: number): string[] {
  const out: string[] = []
  let t = Date.parse(`${date}T12:00:00Z`)
  while (out.length < n) {
    t -= 86_400_000
    const d = new Date(t)
    const iso = d.toISOString().slice(0, 10)
    if (d.getUTCDay() !== 0 && d.getUTCDay() !== 6 && !HOLIDAYS.has(iso)) out.push(iso)
  }
  return out
}
