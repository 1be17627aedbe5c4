// The pure parts of the Flink trade → signal latency benchmark (scenario flink-impact-latency in flink.ts): New York
// time for data time, the previous session's minute bars that give every symbol a sigma floor, the plan of headlines
// and price shocks, and matching the signals that come back to the shocks and to the trades that triggered them.
import type { Bar } from '../../src-main/domain/market'

const MIN = 60_000
const HOUR = 60 * MIN

const etParts = new Intl.DateTimeFormat('en-US', {
  timeZone: 'America/New_York',
  hourCycle: 'h23',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
})

/** The New York wall clock at an instant: date and milliseconds since midnight. */
export interface EtClock {
  y: number
  m: number
  d: number
  ms: number
}

export function etClock(ts: number): EtClock {
  const p: Record<string, number> = {}
  for (const x of etParts.formatToParts(new Date(ts))) if (x.type !== 'literal') p[x.type] = Number(x.value)
  const sec = ((p.hour ?? 0) * 60 + (p.minute ?? 0)) * 60 + (p.second ?? 0)
  return { y: p.year ?? 0, m: p.month ?? 0, d: p.day ?? 0, ms: sec * 1000 + (((ts % 1000) + 1000) % 1000) }
}

/** The instant New York's wall clock shows `ms` after midnight of y-m-d (d may run past the month's end). */
export function etInstant(y: number, m: number, d: number, ms: number): number {
  const want = Date.UTC(y, m - 1, d) + ms
  let t = want + 5 * HOUR
  for (let i = 0; i < 3; i++) {
    const c = etClock(t)
    const diff = Date.UTC(c.y, c.m - 1, c.d) + c.ms - want
    if (diff === 0) break
    t -= diff
  }
  return t
}

/** ET sessions [from, to) in ms of the day: pre, regular, post (docs/impact-v2.md; prints outside are not eligible). */
export const SESSIONS: readonly (readonly [number, number])[] = [
  [4 * HOUR, 9.5 * HOUR],
  [9.5 * HOUR, 16 * HOUR],
  [16 * HOUR, 20 * HOUR],
]

/**
 * Data time = wall time + this offset. 0 (data time is wall time) when [now, now + spanMs] lies inside one ET
 * session: prints are eligible only 04:00–20:00 ET and a move's window may not reach back across a session's start.
 * Otherwise the shift that puts `now` at 10:30 ET of the same ET date.
 */
export function dataTimeOffset(now: number, spanMs: number): number {
  const c = etClock(now)
  if (SESSIONS.some(([from, to]) => c.ms >= from && c.ms + spanMs < to)) return 0
  return etInstant(c.y, c.m, c.d, 10.5 * HOUR) - now
}

/**
 * One regular hour (10:00–11:00 ET) of 1-minute bars per symbol on the ET day before `dataNow`, as the app publishes
 * REST history to market.bars.1m: closes alternate base and base × (1 + step), so every symbol has a sigma floor
 * (1.4826 × median |r| ≈ 1.48 × step) and, the proxy's bars being flat, beta 1.
 */
export function previousSessionBars(bases: ReadonlyMap<string, number>, proxy: string, dataNow: number, step = 0.001): Bar[] {
  const c = etClock(dataNow)
  const from = etInstant(c.y, c.m, c.d - 1, 10 * HOUR)
  const out: Bar[] = []
  for (const [symbol, base] of bases) {
    for (let i = 0; i < 60; i++) {
      const close = Math.round(base * (symbol === proxy ? 1 : 1 + (i % 2) * step) * 100) / 100
      const start = from + i * MIN
      out.push({ symbol, start, end: start + MIN, open: close, high: close, low: close, close, volume: 10_000, vwap: close, trades: 100, source: 'rest' })
    }
  }
  return out
}

export type Direction = 'up' | 'down'

/** One step of the plan, at `at` ms after the measurement starts. */
export type PlanStep =
  | { at: number; kind: 'article'; symbol: string; articleId: string; shock: boolean }
  | { at: number; kind: 'jump'; symbol: string; articleId: string; direction: Direction }

export interface PlanOptions {
  shockSymbols: readonly string[]
  nullSymbols: readonly string[]
  rounds: number
  /** Each round shocks every shock symbol once; ≥ 60 s + confirmation so a move's 60-s window never spans two. */
  roundMs: number
  /** Headline → jump. */
  leadMs: number
  /** Null headlines (no jump follows) per round. */
  nullsPerRound: number
  idPrefix: string
}

/**
 * Headlines and shocks: in each round every shock symbol gets a headline and `leadMs` later a jump (up in even
 * rounds, down in odd ones, so a symbol's price steps up and back); null headlines on symbols that never jump.
 * Sorted by time.
 */
export function shockPlan(o: PlanOptions): PlanStep[] {
  const out: PlanStep[] = []
  let n = 0
  for (let r = 0; r < o.rounds; r++) {
    const base = r * o.roundMs
    o.shockSymbols.forEach((symbol, i) => {
      const at = base + Math.round(((i + 0.5) * o.roundMs) / o.shockSymbols.length)
      const articleId = `${o.idPrefix}${n++}`
      out.push({ at, kind: 'article', symbol, articleId, shock: true })
      out.push({ at: at + o.leadMs, kind: 'jump', symbol, articleId, direction: r % 2 === 0 ? 'up' : 'down' })
    })
    for (let i = 0; i < o.nullsPerRound && o.nullSymbols.length > 0; i++) {
      const symbol = o.nullSymbols[(r * o.nullsPerRound + i) % o.nullSymbols.length]!
      out.push({ at: base + Math.round(((i + 0.25) * o.roundMs) / o.nullsPerRound), kind: 'article', symbol, articleId: `${o.idPrefix}${n++}`, shock: false })
    }
  }
  return out.sort((a, b) => a.at - b.at)
}

/** A jump that happened: its headline, symbol, direction and data time. */
export interface Shock {
  articleId: string
  symbol: string
  direction: Direction
  /** Data time of the jump (its first trade at the new level). */
  jumpAt: number
}

/** A signal as consumed: an early impact record (articleId set) or a move alert (articleId null). */
export interface Fired {
  /** Record key: `<articleId>|<symbol>` or the move's id. */
  key: string
  articleId: string | null
  symbol: string
  direction: Direction
  detectedAt: number
  /** Wall clock when the bench consumed it. */
  consumedAt: number
}

/** The first record of each key, in consume order (a record is re-sent at later stages or when a headline links). */
export function firstPerKey(records: readonly Fired[]): Fired[] {
  const seen = new Set<string>()
  const out: Fired[] = []
  for (const r of records) {
    if (seen.has(r.key)) continue
    seen.add(r.key)
    out.push(r)
  }
  return out
}

export const tradeKey = (symbol: string, ts: number): string => `${symbol}|${ts}`

export interface Matched {
  /** consumedAt − the trigger trade's produce time, ascending. */
  latencies: number[]
  /** Shocks with no signal, or none within `lostAfterMs` of its trigger trade. */
  lost: Shock[]
  /** Signals of a shock whose trigger trade (ts = detectedAt) was not in the produce log. */
  untimed: Fired[]
  /** Signals no shock explains: a null headline's, the wrong direction, before the jump, or a move of no shock. */
  spurious: Fired[]
}

export interface MatchOptions {
  /** Early signals match their shock by headline; move alerts by symbol and time. */
  by: 'article' | 'move'
  /** Moves: data time after the jump within which its alert must be detected. */
  windowMs: number
  lostAfterMs: number
}

/**
 * Pairs each shock with its signal (the first record per key) and the signal with the trade that fired it: the
 * trade of that symbol whose timestamp is the signal's detectedAt (`produced`: tradeKey → wall-clock produce time).
 */
export function matchShocks(shocks: readonly Shock[], fired: readonly Fired[], produced: ReadonlyMap<string, number>, o: MatchOptions): Matched {
  const out: Matched = { latencies: [], lost: [], untimed: [], spurious: [] }
  const used = new Set<Fired>()
  for (const s of shocks) {
    const f = fired.find((x) =>
      !used.has(x) &&
      x.symbol === s.symbol &&
      (o.by === 'article' ? x.articleId === s.articleId : x.direction === s.direction && x.detectedAt >= s.jumpAt && x.detectedAt <= s.jumpAt + o.windowMs),
    )
    if (!f || f.direction !== s.direction || f.detectedAt < s.jumpAt) {
      out.lost.push(s)
      continue
    }
    used.add(f)
    const at = produced.get(tradeKey(f.symbol, f.detectedAt))
    if (at === undefined) {
      out.untimed.push(f)
      continue
    }
    const ms = f.consumedAt - at
    if (ms > o.lostAfterMs) out.lost.push(s)
    else out.latencies.push(ms)
  }
  for (const f of fired) if (!used.has(f)) out.spurious.push(f)
  out.latencies.sort((a, b) => a - b)
  return out
}
