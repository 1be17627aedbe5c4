// The deliberately naive reference of news impact v2 and move alerts (docs/impact-v2.md), which generates the
// golden vectors in fixtures/news-impact/v2/. Batch, linear scans, no incremental state: every question scans
// all prints again (memoised only where a pure function of its arguments is asked twice). It imports nothing
// from src-main/signals or src-main/market, so the app is checked against an independent reading of the
// document: ET wall clock comes from Intl, the conditions table is read from fixtures/trade-conditions.json.
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Direction, ImpactRecordV2, ImpactSettings, MoveAlert, PrintSource } from '../../src-main/domain/impact'

// ---------------------------------------------------------------- the file format (input part)

export interface GoldenPrint {
  symbol: string
  ts: number
  price: number
  size: number
  conditions: number[]
  seq: number
  source: PrintSource
}
export interface GoldenSpan {
  from: number
  to: number
  source: PrintSource
}
export interface GoldenMinuteBar {
  symbol: string
  start: number
  close: number
  volume: number
}
export interface GoldenSecondBar {
  symbol: string
  start: number
  close: number
  volume: number
  trades: number
}
export interface GoldenArticle {
  id: string
  published: number
  receivedAt: number
  title: string
  tickers: string[]
}
export interface GoldenInput {
  name: string
  description: string
  asOf: number
  settings: ImpactSettings
  coverage: Record<string, GoldenSpan[]>
  minuteBars: GoldenMinuteBar[]
  prints: GoldenPrint[]
  secondBars: GoldenSecondBar[]
  articles: GoldenArticle[]
}
export type ExpectedImpact = Omit<ImpactRecordV2, 'origin'>
export type ExpectedMove = Omit<MoveAlert, 'origin'>
export interface GoldenExpected {
  impacts: ExpectedImpact[]
  moves: ExpectedMove[]
}

export const MIN = 60_000
const HOUR = 3_600_000
const DAY_MS = 86_400_000

// ---------------------------------------------------------------- Eastern time, from Intl only

const etFormat = new Intl.DateTimeFormat('en-US', {
  timeZone: 'America/New_York',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
})

// New York's offset from UTC changes only on whole UTC hours, so one Intl call per UTC hour is exact.
const offsetByHour = new Map<number, number>()
function etOffset(ts: number): number {
  const hour = Math.floor(ts / HOUR)
  const known = offsetByHour.get(hour)
  if (known !== undefined) return known
  const at = hour * HOUR
  const f: Record<string, number> = {}
  for (const part of etFormat.formatToParts(new Date(at))) if (part.type !== 'literal') f[part.type] = Number(part.value)
  const wall = Date.UTC(f.year ?? 0, (f.month ?? 1) - 1, f.day ?? 1, f.hour ?? 0, f.minute ?? 0, f.second ?? 0)
  const offset = wall - at
  offsetByHour.set(hour, offset)
  return offset
}

/** ET calendar date `YYYY-MM-DD` of an instant: the trading day. */
export function etDate(ts: number): string {
  return new Date(ts + etOffset(ts)).toISOString().slice(0, 10)
}

/** Milliseconds since ET midnight. */
export function etMsOfDay(ts: number): number {
  const local = ts + etOffset(ts)
  return ((local % DAY_MS) + DAY_MS) % DAY_MS
}

/** The instant the New York wall clock shows `msOfDay` on `date` (the first one when the clock repeats). */
export function etWallToUtc(date: string, msOfDay: number): number {
  const wall = Date.parse(`${date}T00:00:00Z`) + msOfDay
  // Try the winter and the summer offset; the one that reads back as the same wall clock is it.
  for (const offset of [-4 * HOUR, -5 * HOUR]) {
    const ts = wall - offset
    if (etOffset(ts) === offset) return ts
  }
  return wall + 5 * HOUR
}

export type Session = 'pre' | 'regular' | 'post'
const SESSIONS: { name: Session; from: number; to: number }[] = [
  { name: 'pre', from: 4 * HOUR, to: 9.5 * HOUR },
  { name: 'regular', from: 9.5 * HOUR, to: 16 * HOUR },
  { name: 'post', from: 16 * HOUR, to: 20 * HOUR },
]

export function sessionOf(ts: number): Session | null {
  const ms = etMsOfDay(ts)
  return SESSIONS.find((s) => ms >= s.from && ms < s.to)?.name ?? null
}

/** Start of the session `ts` is in, on `ts`'s ET date; null outside every session. */
export function sessionStart(ts: number): number | null {
  const ms = etMsOfDay(ts)
  const s = SESSIONS.find((x) => ms >= x.from && ms < x.to)
  return s ? etWallToUtc(etDate(ts), s.from) : null
}

// ---------------------------------------------------------------- the conditions table

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const CONDITIONS = (
  JSON.parse(readFileSync(join(ROOT, 'fixtures', 'trade-conditions.json'), 'utf8')) as {
    conditions: Record<string, { updatesLast: boolean; updatesVolume: boolean }>
  }
).conditions
const FORM_T = 12

/** Moves prices per the table once Form T (12) is taken out: `[12]` yes, `[12, 37]` no. */
export function updatesLast(conditions: readonly number[]): boolean {
  return conditions.filter((c) => c !== FORM_T).every((c) => CONDITIONS[String(c)]?.updatesLast !== false)
}
/** Counts in volume per the table; unknown codes count. */
export function updatesVolume(conditions: readonly number[]): boolean {
  return conditions.every((c) => CONDITIONS[String(c)]?.updatesVolume !== false)
}

// ---------------------------------------------------------------- statistics helpers

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2
}
function mean(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length
}
/** Sample standard deviation (divisor n − 1). */
function stdev(xs: readonly number[]): number {
  const m = mean(xs)
  return Math.sqrt(xs.reduce((acc, x) => acc + (x - m) ** 2, 0) / (xs.length - 1))
}

// ---------------------------------------------------------------- prints as the definition sees them

/** A print after validation, live-wins and de-duplication, with the flags the definition derives from it. */
export interface RefPrint {
  symbol: string
  ts: number
  price: number
  size: number
  conditions: number[]
  seq: number | null
  source: PrintSource
  /** Print count it stands for (a second bar: max(1, trades)). */
  weight: number
  fromBar: boolean
  eligible: boolean
  countsVolume: boolean
}

/** Sort order of the definition: (ts, seq), a second bar's print after the real prints of its ms. */
export function comparePrints(a: RefPrint, b: RefPrint): number {
  if (a.ts !== b.ts) return a.ts - b.ts
  if (a.fromBar !== b.fromBar) return a.fromBar ? 1 : -1
  return (a.seq ?? 0) - (b.seq ?? 0)
}

const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x)

/** Every print that exists at `asOf`, in the definition's order. */
export function preparePrints(input: GoldenInput): RefPrint[] {
  const raw: RefPrint[] = [
    ...input.prints.map((p) => ({
      symbol: p.symbol,
      ts: p.ts,
      price: p.price,
      size: p.size,
      conditions: Array.isArray(p.conditions) ? p.conditions : [],
      seq: p.seq,
      source: p.source,
      weight: 1,
      fromBar: false,
      eligible: false,
      countsVolume: false,
    })),
    ...input.secondBars.map((b) => ({
      symbol: b.symbol,
      ts: b.start + 999,
      price: b.close,
      size: b.volume,
      conditions: [],
      seq: null,
      source: 'seconds' as const,
      weight: Math.max(1, isNum(b.trades) ? b.trades : 0),
      fromBar: true,
      eligible: false,
      countsVolume: false,
    })),
  ]
  // Valid first: an invalid print is nothing at all (not even a de-duplication key).
  const valid = raw.filter((p) => isNum(p.ts) && isNum(p.price) && p.price > 0 && isNum(p.size) && p.size > 0)
  const known = valid.filter((p) => p.ts <= input.asOf)
  // Live wins: history only before the symbol's first live print.
  const firstLive = (symbol: string): number => {
    const live = known.filter((p) => p.symbol === symbol && p.source === 'live').map((p) => p.ts)
    return live.length > 0 ? Math.min(...live) : Infinity
  }
  const afterLiveWins = known.filter((p) => p.source === 'live' || p.ts < firstLive(p.symbol))
  // De-duplication by (symbol, seq, ET day): the first one listed wins.
  const seen = new Set<string>()
  const unique = afterLiveWins.filter((p) => {
    if (p.seq === null) return true
    const key = `${p.symbol}|${p.seq}|${etDate(p.ts)}`
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
  for (const p of unique) {
    p.eligible = sessionOf(p.ts) !== null && updatesLast(p.conditions)
    p.countsVolume = updatesVolume(p.conditions)
  }
  return unique.sort(comparePrints)
}

// ---------------------------------------------------------------- the reference, one object per input

/** The value of a pure computation, computed once per key. */
function memo<T>(cache: Map<string, unknown>, key: string, compute: () => T): T {
  if (cache.has(key)) return cache.get(key) as T
  const value = compute()
  cache.set(key, value)
  return value
}

export interface SigmaParts {
  sigma: number | null
  realised: number | null
  floor: number | null
}
export interface BetaParts {
  beta: number
  betaHat: number | null
  se2: number | null
  n: number
}
export interface Abnormal {
  value: number
  adjusted: boolean
}

export class Reference {
  readonly prints: RefPrint[]
  /** Valid minute bars, one per (symbol, start): a later duplicate replaces an earlier one. */
  readonly bars: GoldenMinuteBar[]
  private readonly priceMemo = new Map<string, number | null>()
  private readonly sigmaMemo = new Map<string, SigmaParts>()
  private readonly betaMemo = new Map<string, BetaParts>()
  private readonly memo = new Map<string, unknown>()

  constructor(readonly input: GoldenInput) {
    this.prints = preparePrints(input)
    const bars = new Map<string, GoldenMinuteBar>()
    for (const b of input.minuteBars) {
      if (!isNum(b.start) || !isNum(b.close) || b.close <= 0 || !isNum(b.volume) || b.volume < 0) continue
      bars.set(`${b.symbol}|${b.start}`, b)
    }
    this.bars = [...bars.values()].sort((x, y) => x.start - y.start)
  }

  get proxy(): string {
    return this.input.settings.proxy
  }

  /** The symbol's eligible prints in order (the list is fixed once built, so it is built once). */
  eligible(symbol: string): RefPrint[] {
    return memo(this.memo, `eligible|${symbol}`, () => this.prints.filter((p) => p.symbol === symbol && p.eligible))
  }

  /** p_S(t): median over (t − 2 s, t] with ≥ 3 prints, else the last eligible print at or before t. */
  price(symbol: string, t: number): number | null {
    const key = `${symbol}|${t}`
    const memo = this.priceMemo.get(key)
    if (memo !== undefined) return memo
    // One pass over all the symbol's prints: the window's prices and the last print at or before t.
    let last: number | null = null
    const inWindow: number[] = []
    for (const p of this.eligible(symbol)) {
      if (p.ts > t) break
      last = p.price
      if (p.ts > t - 2000) inWindow.push(p.price)
    }
    const value = inWindow.length >= 3 ? median(inWindow) : last
    this.priceMemo.set(key, value)
    return value
  }

  /**
   * [a, b] covered: every ms of it lies in the union of the symbol's spans, where spans that overlap, touch or
   * are 1 ms apart join into one stretch (history up to the socket's start, then live, is one).
   */
  covered(symbol: string, a: number, b: number): boolean {
    const spans = [...(this.input.coverage[symbol] ?? [])].filter((s) => s.from <= s.to).sort((x, y) => x.from - y.from)
    const stretches: { from: number; to: number }[] = []
    for (const s of spans) {
      const last = stretches.at(-1)
      if (last !== undefined && s.from <= last.to + 1) last.to = Math.max(last.to, s.to)
      else stretches.push({ from: s.from, to: s.to })
    }
    return stretches.some((s) => s.from <= a && b <= s.to)
  }

  // ---- minute bars

  /** Closes of the symbol's regular-session minute bars on an ET date, by bar start (a later duplicate replaces). */
  private regularBars(symbol: string, date: string): Map<number, number> {
    const out = new Map<number, number>()
    for (const b of this.bars) {
      if (b.symbol !== symbol) continue
      if (etDate(b.start) !== date || sessionOf(b.start) !== 'regular') continue
      out.set(b.start, b.close)
    }
    return out
  }

  /** 1-minute log returns of the regular session of a day, keyed by the later bar's start. */
  minuteReturns(symbol: string, date: string): Map<number, number> {
    return memo(this.memo, `returns|${symbol}|${date}`, () => this.computeMinuteReturns(symbol, date))
  }
  private computeMinuteReturns(symbol: string, date: string): Map<number, number> {
    const bars = this.regularBars(symbol, date)
    const out = new Map<number, number>()
    for (const [start, close] of bars) {
      const prev = bars.get(start - MIN)
      if (prev !== undefined) out.set(start, Math.log(close / prev))
    }
    return out
  }

  /** ET dates before `date` with at least one regular-session bar of the symbol, most recent first. */
  regularDaysBefore(symbol: string, date: string): string[] {
    return memo(this.memo, `days|${symbol}|${date}`, () => this.computeRegularDaysBefore(symbol, date))
  }
  private computeRegularDaysBefore(symbol: string, date: string): string[] {
    const days = new Set<string>()
    for (const b of this.bars) {
      if (b.symbol === symbol && sessionOf(b.start) === 'regular' && etDate(b.start) < date) {
        days.add(etDate(b.start))
      }
    }
    return [...days].sort().reverse()
  }

  /** β of S for trading day `date`: OLS over up to 5 previous regular sessions, shrunk towards 1, clamped. */
  betaParts(symbol: string, date: string): BetaParts {
    const key = `${symbol}|${date}`
    const memo = this.betaMemo.get(key)
    if (memo) return memo
    let out: BetaParts = { beta: 1, betaHat: null, se2: null, n: 0 }
    if (symbol !== this.proxy) {
      const xs: number[] = []
      const ys: number[] = []
      for (const day of this.regularDaysBefore(symbol, date).slice(0, 5)) {
        const rS = this.minuteReturns(symbol, day)
        const rM = this.minuteReturns(this.proxy, day)
        for (const [start, y] of rS) {
          const x = rM.get(start)
          if (x !== undefined) {
            xs.push(x)
            ys.push(y)
          }
        }
      }
      const n = xs.length
      if (n >= 3) {
        const xBar = mean(xs)
        const yBar = mean(ys)
        let sxx = 0
        let sxy = 0
        for (let i = 0; i < n; i++) {
          sxx += ((xs[i] as number) - xBar) ** 2
          sxy += ((xs[i] as number) - xBar) * ((ys[i] as number) - yBar)
        }
        if (sxx !== 0) {
          const betaHat = sxy / sxx
          const alpha = yBar - betaHat * xBar
          let ssr = 0
          for (let i = 0; i < n; i++) ssr += ((ys[i] as number) - alpha - betaHat * (xs[i] as number)) ** 2
          const se2 = ssr / (n - 2) / sxx
          let beta: number
          if (se2 === 0) beta = betaHat
          else {
            const w = 0.25 / se2
            beta = (w * betaHat + 1) / (w + 1)
          }
          out = { beta: Math.min(3, Math.max(0, beta)), betaHat, se2, n }
        } else out = { beta: 1, betaHat: null, se2: null, n }
      } else out = { beta: 1, betaHat: null, se2: null, n }
    }
    this.betaMemo.set(key, out)
    return out
  }

  beta(symbol: string, date: string): number {
    return this.betaParts(symbol, date).beta
  }

  /** a(u, t), with β of t's trading day; raw (adjusted false) without a proxy price or for the proxy itself. */
  abnormal(symbol: string, u: number, t: number): Abnormal | null {
    const su = this.price(symbol, u)
    const st = this.price(symbol, t)
    if (su === null || st === null) return null
    const raw = Math.log(st / su)
    if (symbol === this.proxy) return { value: raw, adjusted: false }
    const mu = this.price(this.proxy, u)
    const mt = this.price(this.proxy, t)
    if (mu === null || mt === null) return { value: raw, adjusted: false }
    // β of u's trading day: t0's for an impact (the day the record reports), u's for a move (same day as t).
    return { value: raw - this.beta(symbol, etDate(u)) * Math.log(mt / mu), adjusted: true }
  }

  // ---- sigma

  realisedSigma(symbol: string, T: number): number | null {
    const start = sessionStart(T)
    if (start === null) return null
    const moves: number[] = []
    for (let i = 0; i < 30; i++) {
      const lo = T - (i + 1) * MIN
      const hi = T - i * MIN
      if (lo < start || !this.covered(symbol, lo, hi)) continue
      const a = this.abnormal(symbol, lo, hi)
      if (a !== null) moves.push(a.value)
    }
    return moves.length >= 10 ? stdev(moves) : null
  }

  /** The floor depends on T's trading day only. */
  floorSigma(symbol: string, T: number): number | null {
    const date = etDate(T)
    return memo(this.memo, `floor|${symbol}|${date}`, () => this.floorOfDay(symbol, date))
  }
  private floorOfDay(symbol: string, date: string): number | null {
    const previous = this.regularDaysBefore(symbol, date)[0]
    if (previous === undefined) return null
    const beta = this.beta(symbol, date)
    const rS = this.minuteReturns(symbol, previous)
    const rM = symbol === this.proxy ? new Map<number, number>() : this.minuteReturns(this.proxy, previous)
    const rs: number[] = []
    for (const [start, r] of rS) {
      const m = rM.get(start)
      rs.push(m === undefined ? r : r - beta * m)
    }
    if (rs.length < 10) return null
    return Math.max(1.4826 * median(rs.map(Math.abs)), 0.5 * stdev(rs))
  }

  sigmaParts(symbol: string, T: number): SigmaParts {
    const key = `${symbol}|${T}`
    const memo = this.sigmaMemo.get(key)
    if (memo) return memo
    const realised = this.realisedSigma(symbol, T)
    const floor = this.floorSigma(symbol, T)
    let sigma: number | null = null
    if (realised !== null || floor !== null) {
      const p = this.price(symbol, T)
      const terms = [realised, floor, p === null ? null : 0.01 / p].filter((x): x is number => x !== null)
      sigma = Math.max(...terms)
    }
    const out = { sigma, realised, floor }
    this.sigmaMemo.set(key, out)
    return out
  }

  // ---- move alerts

  /** Latest quiet-spell end at or before t: an eligible print that is the day's first or follows ≥ 5 min of none. */
  quietEnd(symbol: string, t: number): number | null {
    const dayStart = etWallToUtc(etDate(t), 4 * HOUR)
    const day = this.eligible(symbol).filter((p) => p.ts >= dayStart && p.ts <= t)
    let end: number | null = null
    day.forEach((p, i) => {
      const prev = day[i - 1]
      if (prev === undefined || p.ts - prev.ts >= 5 * MIN) end = p.ts
    })
    return end
  }

  /** The move rule at an eligible print at t: null when it cannot be evaluated, else whether it holds. */
  moveRule(symbol: string, t: number): { holds: boolean; direction: Direction; u: number; a: Abnormal; sigma: number } | null {
    const u = t - MIN
    if (!this.eligible(symbol).some((p) => p.ts >= u - MIN && p.ts <= u)) return null
    const start = sessionStart(t)
    if (start === null || u < start) return null
    const quiet = this.quietEnd(symbol, t)
    if (quiet !== null && u < quiet) return null
    if (!this.covered(symbol, u - MIN, t)) return null
    const sigma = this.sigmaParts(symbol, u).sigma
    const a = this.abnormal(symbol, u, t)
    if (sigma === null || a === null) return null
    return {
      holds: Math.abs(a.value) >= this.input.settings.zMove * sigma,
      direction: a.value >= 0 ? 'up' : 'down',
      u,
      a,
      sigma,
    }
  }

  /**
   * Every fire of the move rule over the day (each run fires at most once), and whether it was emitted or
   * swallowed by the silence after an emitted move in the same direction.
   */
  moveFires(symbol: string): { ts: number; direction: Direction; emitted: boolean }[] {
    const dayStart = etWallToUtc(etDate(this.input.asOf), 4 * HOUR)
    const out: { ts: number; direction: Direction; emitted: boolean }[] = []
    let run: { start: number; direction: Direction; fired: boolean } | null = null
    let last: { direction: Direction; at: number } | null = null
    for (const p of this.eligible(symbol).filter((q) => q.ts >= dayStart)) {
      const rule = this.moveRule(symbol, p.ts)
      if (rule === null || !rule.holds) {
        run = null
        continue
      }
      if (run === null || run.direction !== rule.direction) run = { start: p.ts, direction: rule.direction, fired: false }
      if (run.fired || p.ts - run.start < 1000) continue
      run.fired = true
      const silent = last !== null && last.direction === rule.direction && p.ts < last.at + 5 * MIN
      out.push({ ts: p.ts, direction: rule.direction, emitted: !silent })
      if (!silent) last = { direction: rule.direction, at: p.ts }
    }
    return out
  }

  movesOf(symbol: string): ExpectedMove[] {
    const { settings } = this.input
    return this.moveFires(symbol)
      .filter((f) => f.emitted)
      .map((f) => {
        const rule = this.moveRule(symbol, f.ts) as NonNullable<ReturnType<Reference['moveRule']>>
        return {
          id: `${symbol}|${f.ts}`,
          symbol,
          windowStart: rule.u,
          detectedAt: f.ts,
          direction: f.direction,
          size: rule.a.value,
          z: rule.a.value / rule.sigma,
          sigma: rule.sigma,
          beta: this.beta(symbol, etDate(rule.u)),
          adjusted: rule.a.adjusted,
          price: this.price(symbol, f.ts) as number,
          headlines: [],
          settings: { proxy: settings.proxy, zMove: settings.zMove },
        }
      })
  }

  moves(): ExpectedMove[] {
    const symbols = [...new Set(this.prints.map((p) => p.symbol))].filter((s) => s !== this.proxy).sort()
    const moves = symbols.flatMap((s) => this.movesOf(s))
    for (const m of moves) {
      m.headlines = this.input.articles
        .filter((a) => a.tickers.includes(m.symbol) && Math.abs(a.published - m.detectedAt) <= 3 * MIN)
        .sort((x, y) => x.published - y.published || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0))
        .map((a) => a.id)
    }
    return moves.sort((x, y) => x.detectedAt - y.detectedAt || (x.symbol < y.symbol ? -1 : x.symbol > y.symbol ? 1 : 0))
  }

  // ---- headline impact

  impact(article: GoldenArticle, symbol: string, moves: readonly ExpectedMove[]): ExpectedImpact {
    const { asOf, settings } = this.input
    const t0 = article.published
    const eligible = this.eligible(symbol)
    const p0 = this.price(symbol, t0)
    const sig = this.sigmaParts(symbol, t0)
    const sigma = sig.sigma
    const printedIn = (from: number, to: number): boolean => eligible.some((p) => p.ts > from && p.ts <= to)

    const horizon = (k: number): { ret: number | null; ar: number | null; z: number | null; a: number | null } => {
      const end = t0 + k * MIN
      if (asOf < end || p0 === null || !printedIn(t0, end)) return { ret: null, ar: null, z: null, a: null }
      const pk = this.price(symbol, end) as number
      const a = (this.abnormal(symbol, t0, end) as Abnormal).value
      return { ret: pk / p0 - 1, ar: Math.exp(a) - 1, z: sigma === null ? null : a / (sigma * Math.sqrt(k)), a }
    }
    const h1 = horizon(1)
    const h5 = horizon(5)
    const h15 = horizon(15)

    const quiet = (k: number): boolean | null => {
      if (asOf < t0 + k * MIN) return null
      if (printedIn(t0, t0 + k * MIN)) return false
      if (!this.covered(symbol, t0 - 30 * MIN, t0 + k * MIN)) return false
      const before = eligible.filter((p) => p.ts >= t0 - 30 * MIN && p.ts < t0).reduce((s, p) => s + p.weight, 0)
      return (before * k) / 30 >= 20
    }
    const quiet1 = quiet(1)
    const quiet5 = quiet(5)
    const quiet15 = quiet(15)

    const { rvol5, rvolBasis } = this.rvol(symbol, t0)

    // Early signal: the rule with confirmation at S's eligible prints in (t0, t0 + 5 min].
    let signal: ImpactRecordV2['signal'] = null
    let detectedAt: number | null = null
    const threshold = sigma === null ? null : settings.z * sigma * Math.sqrt(5)
    if (threshold !== null && p0 !== null) {
      let run: { start: number; direction: Direction } | null = null
      for (const p of eligible.filter((q) => q.ts > t0 && q.ts <= t0 + 5 * MIN)) {
        const a = this.abnormal(symbol, t0, p.ts)
        if (a === null || Math.abs(a.value) < threshold) {
          run = null
          continue
        }
        const direction: Direction = a.value >= 0 ? 'up' : 'down'
        if (run === null || run.direction !== direction) run = { start: p.ts, direction }
        if (p.ts - run.start >= 1000) {
          signal = direction
          detectedAt = p.ts
          break
        }
      }
    }

    // +5 min rule R5 on a value x of a.
    const r5 = (x: number): boolean => {
      if (sigma === null) return false
      const z = Math.abs(x) / (sigma * Math.sqrt(5))
      return z >= settings.z || (rvol5 !== null && rvol5 >= settings.rvol && z >= settings.zWithVolume)
    }
    const at5 = asOf >= t0 + 5 * MIN
    if (signal === null && at5) {
      const window = eligible.filter((p) => p.ts > t0 && p.ts <= t0 + 5 * MIN)
      const last = window.at(-1)
      const a5 = h5.a
      if (last !== undefined && quiet5 === false && a5 !== null && a5 !== 0 && r5(a5)) {
        const sign = Math.sign(a5)
        // Walk back from L while R5 holds with z5's sign; the run's first print must be ≥ 1 s before L.
        let runStart: number | null = null
        for (let i = window.length - 1; i >= 0; i--) {
          const p = window[i] as RefPrint
          const a = this.abnormal(symbol, t0, p.ts)
          if (a === null || Math.sign(a.value) !== sign || !r5(a.value)) break
          runStart = p.ts
        }
        if (runStart !== null && runStart <= last.ts - 1000) {
          signal = sign > 0 ? 'up' : 'down'
          detectedAt = t0 + 5 * MIN
        }
      }
      if (signal === null) signal = 'none'
    }

    let confirmed: boolean | null = null
    if (at5 && (signal === 'up' || signal === 'down')) {
      const a5 = h5.a
      confirmed = a5 !== null && r5(a5) && (signal === 'up' ? a5 > 0 : a5 < 0)
    }

    const fired = signal === 'up' || signal === 'down'
    const linked = moves
      .filter((m) => m.symbol === symbol && Math.abs(m.detectedAt - t0) <= 3 * MIN)
      .sort((x, y) => Math.abs(x.detectedAt - t0) - Math.abs(y.detectedAt - t0) || x.detectedAt - y.detectedAt)

    return {
      articleId: article.id,
      symbol,
      published: t0,
      receivedAt: article.receivedAt,
      asOf,
      source: this.sourceAt(symbol, t0),
      p0,
      beta: this.beta(symbol, etDate(t0)),
      // Whether a(t0, ·) uses the proxy: p_M never turns null again after t0, so one check at t0 says it.
      adjusted: symbol !== this.proxy && p0 !== null && this.price(this.proxy, t0) !== null,
      sigma,
      sigmaRealised: sig.realised,
      sigmaFloor: sig.floor,
      ret1: h1.ret,
      ret5: h5.ret,
      ret15: h15.ret,
      ar1: h1.ar,
      ar5: h5.ar,
      ar15: h15.ar,
      z1: h1.z,
      z5: h5.z,
      z15: h15.z,
      quiet1,
      quiet5,
      quiet15,
      rvol5,
      rvolBasis,
      signal,
      detectedAt,
      confirmed,
      alertAt: fired && detectedAt !== null ? Math.max(detectedAt, article.receivedAt) : null,
      move: linked[0]?.id ?? null,
      latencyMs: article.receivedAt - article.published,
      stale: this.stale(article, symbol),
      final: asOf >= t0 + 15 * MIN,
      settings: { ...settings },
    }
  }

  /** Source of the last eligible print at or before t0, else of the first one after, else null. */
  sourceAt(symbol: string, t0: number): PrintSource | null {
    const eligible = this.eligible(symbol)
    const before = eligible.filter((p) => p.ts <= t0).at(-1)
    return before?.source ?? eligible.find((p) => p.ts > t0)?.source ?? null
  }

  rvol(symbol: string, t0: number): { rvol5: number | null; rvolBasis: 'slot' | 'hour' | null } {
    if (this.input.asOf < t0 + 5 * MIN) return { rvol5: null, rvolBasis: null }
    // The numerator's window must be covered too: volume the data does not see is unknown, not zero.
    if (!this.covered(symbol, t0, t0 + 5 * MIN)) return { rvol5: null, rvolBasis: null }
    const volume = (from: number, to: number): number =>
      this.prints
        .filter((p) => p.symbol === symbol && p.countsVolume && p.ts >= from && p.ts < to)
        .reduce((s, p) => s + p.size, 0)
    const v = volume(t0, t0 + 5 * MIN)
    const date = etDate(t0)
    const days = [
      ...new Set(this.bars.filter((b) => b.symbol === symbol).map((b) => etDate(b.start))),
    ]
      .filter((d) => d < date)
      .sort()
      .reverse()
      .slice(0, 5)
    const slotMs = Math.floor(etMsOfDay(t0) / MIN) * MIN
    if (days.length > 0) {
      const perDay = days.map((d) => {
        const from = etWallToUtc(d, slotMs)
        return this.bars
          .filter((b) => b.symbol === symbol && b.start >= from && b.start < from + 5 * MIN)
          .reduce((s, b) => s + b.volume, 0)
      })
      const m = mean(perDay)
      if (m > 0) return { rvol5: v / m, rvolBasis: 'slot' }
    }
    if (this.covered(symbol, t0 - 60 * MIN, t0)) {
      const base = volume(t0 - 60 * MIN, t0) / 12
      if (base > 0) return { rvol5: v / base, rvolBasis: 'hour' }
    }
    return { rvol5: null, rvolBasis: null }
  }

  stale(article: GoldenArticle, symbol: string): boolean {
    const t0 = article.published
    const candidates = this.input.articles
      .map((a, index) => ({ a, index }))
      .filter(({ a }) => a.id !== article.id && a.tickers.includes(symbol) && a.published >= t0 - 24 * HOUR && a.published < t0)
      .sort((x, y) => y.a.published - x.a.published || y.index - x.index)
      .slice(0, 10)
    const mine = words(article.title)
    return candidates.some(({ a }) => {
      const theirs = words(a.title)
      const inter = [...mine].filter((w) => theirs.has(w)).length
      const union = new Set([...mine, ...theirs]).size
      return union > 0 && 10 * inter >= 6 * union
    })
  }

  run(): GoldenExpected {
    const moves = this.moves()
    const impacts = this.input.articles.flatMap((a) => a.tickers.map((s) => this.impact(a, s, moves)))
    return { impacts, moves }
  }
}

/** Word set of a title: runs of letters or decimal digits after NFKC, lower-cased. */
export function words(title: string): Set<string> {
  return new Set(title.normalize('NFKC').toLowerCase().match(/[\p{L}\p{Nd}]+/gu) ?? [])
}

/** The expected output of a golden input. */
export function reference(input: GoldenInput): GoldenExpected {
  return new Reference(input).run()
}
