// The market engine: trades, socket aggregates (A/AM) and REST backfill in; OHLCV+VWAP bars, watchlist
// summaries and coalesced chart updates out. Pure: no I/O, no timers; time comes from the data (trade
// timestamps) or from the caller (`rollover(now)`, `setReference(…, at)`).
//
// How the layers compose (precedence per window, highest first):
//   1s  : socket `A` bar            > our bar built from trades
//   1m  : socket `AM` bar > REST bar > our bar built from trades
//   5m, 15m: composed from the 1m layer. On the trade path they are updated incrementally (same result as
//         composing, without re-reading 1m bars per trade); whenever a 1m bar is replaced by AM or REST the
//         5m/15m bars containing it are rebuilt from the 1m ring, so an override propagates. Trades that fall
//         into an overridden minute change neither that minute nor its 5m/15m bars (the aggregate already
//         counts them). `A` bars only affect the 1s timeframe.
// A window is a bar only if it holds a trade that updates last (or an aggregate); a window with only
// volume-updating trades (e.g. odd lots) is kept hidden, so its volume is there when the bar appears.
// REST backfill (1m) follows feeds/gap.ts: inside a reported gap REST is authoritative (replaces our bars,
// drops gap minutes REST has no bar for); outside it REST only fills minutes that have no bar.
// Day volume is kept as the sum of the day's 1m volumes (trades add, an AM/REST replacement adds its delta).
// Volumes are summed in micro-shares (integers, exact: whole-share sums stay whole, fractional-share trades
// count to the millionth; docs/decisions/0007-decimal-volume.md); bars and summaries report shares.
// Late TRF prints (off-exchange trades reported through a Trade Reporting Facility, `trft` before the SIP time
// `t`) land where Polygon's own aggregates put them: in the window they happened in (their `trft`), which is
// re-sent, for up to 15 minutes of lateness; a later one reaches only the day's volume, not the intraday bars
// (Polygon, "Understanding Aggregate Bar Delays": FINRA has up to 15 minutes to report a dark-pool trade; bars
// are held 15 minutes for late trades, later ones are only included at the end of the day).
//
// Updates never go back in time for a chart: each drained update carries per changed timeframe the newest
// bar, `closed` = bars finalised since the previous drain (older than the newest, not older than the newest
// bar of the previous drain, ascending; the chart applies them before the newest), and `corrected` for
// timeframes where a bar older than what the chart already had as newest changed (late trade, AM that
// differs from our bar, REST backfill): the chart reloads history for those.
import type { Bar, BarSource, SymbolSummary, Timeframe, Trade } from '../domain/market'
import { TIMEFRAMES, TIMEFRAME_MS } from '../domain/market'
import type { SymbolUpdate } from '../domain/market'
import * as ring from './bar-ring'
import { BarRing } from './bar-ring'
import * as cond from './conditions'
import { IdWindow, SeqWindow } from './dedup'
import { easternDayBounds } from '../domain/eastern-time'

export interface MarketEngineOptions {
  /** Bars kept per symbol and timeframe (ring depth). */
  historyDepth: number
  /** Timeframes reported (default all four). 1m is kept internally when 5m or 15m is asked for. */
  timeframes?: Timeframe[]
  /** Recent sequence numbers (or ids) remembered per symbol for duplicate detection. Default 2048. */
  dedupWindow?: number
  /** Finalised bars carried per timeframe in one update before it turns into `corrected`. Default 32. */
  maxClosedPerUpdate?: number
}

/** A `SymbolUpdate` plus the bars finalised since the last drain (see the file comment). */
export interface MarketUpdate extends SymbolUpdate {
  closed: Partial<Record<Timeframe, Bar[]>>
}

/**
 * Minutes the feed did not fully observe (`Gap` from feeds/gap.ts): window starts `from`…`to`, both
 * INCLUSIVE. Inside it REST is authoritative: its bars replace ours, and a minute REST has no bar for had no
 * qualifying trades (our partial bar is dropped). AM bars keep precedence (the socket saw the whole minute).
 */
export interface BackfillGap {
  from: number
  to: number
}

export interface BackfillResult {
  /** Minutes whose bar was replaced by the REST bar (they fell in the gap). */
  replaced: number
  /** Minutes that had no bar and got the REST bar. */
  added: number
  /** REST bars not used: minute fully observed, covered by an AM bar, or older than the history kept. */
  skipped: number
  /** REST bars that failed validation. */
  rejected: number
  /** Gap minutes REST had no bar for whose partial bar was dropped. */
  dropped: number
}

export interface MarketStats {
  /** Trades that updated something. */
  trades: number
  duplicates: number
  /** Trades with invalid fields (non-finite, non-positive price, bad symbol…). */
  rejected: number
  /** Trades whose conditions exclude them from both last and volume (e.g. 15, 16). */
  conditionIgnored: number
  /** TRF prints reported more than 15 minutes late: in the day's volume, not in intraday bars. */
  lateTrf: number
  /** Trades/bars older than the history kept for their timeframe (their window is not stored). */
  tooOld: number
  aggregates: number
  aggregatesRejected: number
}

export interface RingSize {
  len: number
  cap: number
  depth: number
}

export interface MarketEngine {
  /** False when the trade was rejected or a duplicate. Never throws on bad input. */
  ingestTrade(t: Trade): boolean
  /** Socket aggregate: source 'A' (1 s) or 'AM' (1 min). False when rejected. */
  ingestAggregate(b: Bar): boolean
  /**
   * REST 1-minute bars for `symbol`. Without `gap` they only fill minutes that have no bar (history load);
   * minutes inside `gap` are replaced (see BackfillGap). Idempotent: a second merge adds nothing.
   */
  ingestBackfill(symbol: string, bars: readonly Bar[], gap?: BackfillGap): BackfillResult
  /** Previous close for the trading day containing `at` (change is measured against it). */
  setReference(symbol: string, prevClose: number, at: number): void
  /** Starts a new trading day for every symbol whose day ended before `now` (day volume resets). */
  rollover(now: number): void
  /** At most one update per symbol changed since the last drain. */
  drainUpdates(): MarketUpdate[]
  /** The newest `limit` bars, oldest first. */
  history(symbol: string, tf: Timeframe, limit: number): Bar[]
  summary(symbol: string): SymbolSummary | null
  symbols(): string[]
  stats(): MarketStats
  /** Structural sizes (tests, diagnostics). */
  sizes(symbol: string): { rings: Partial<Record<Timeframe, RingSize>>; dedup: number } | null
}

// Imported constants copied into module locals: transpilers (tsx/esbuild) may turn imports into getter
// calls, which would cost on every trade.
const SRC_TRADES = ring.SRC_TRADES
const SRC_A = ring.SRC_A
const SRC_AM = ring.SRC_AM
const SRC_REST = ring.SRC_REST
const F = ring.F
const START = ring.START
const OPEN = ring.OPEN
const HIGH = ring.HIGH
const LOW = ring.LOW
const CLOSE = ring.CLOSE
const VOLUME = ring.VOLUME
const PV = ring.PV
const TRADES = ring.TRADES
const OPEN_TS = ring.OPEN_TS
const OPEN_SEQ = ring.OPEN_SEQ
const CLOSE_TS = ring.CLOSE_TS
const CLOSE_SEQ = ring.CLOSE_SEQ
const isVisible = ring.isVisible
const SOURCE = ring.SOURCE
const NO_LAST = cond.NO_LAST
const NO_VOLUME = cond.NO_VOLUME
const MAX_CODE = cond.MAX_CODE
const FLAGS = cond.CONDITION_FLAGS

const K_1S = 0
const K_1M = 1
const K_5M = 2
const K_15M = 3
const TF_MS: readonly number[] = [1_000, 60_000, 300_000, 900_000]
const SOURCES: readonly BarSource[] = ['trades', 'A', 'AM', 'rest']
// Year 2200: anything later is a unit error (µs or ns instead of ms).
const MAX_TS = 7_258_118_400_000
const MAX_SYMBOL_LENGTH = 32
/** Micro-shares per share: volumes are summed as integers of these (exact). */
const MICRO = 1_000_000
/** How late a TRF print may be and still land in its own window's bars (Polygon holds bars 15 minutes). */
export const LATE_TRF_MS = 15 * 60_000

/** Precedence of a bar source over another for the same window. */
function rank(src: number): number {
  return src === SRC_TRADES ? 0 : src === SRC_REST ? 1 : 2
}

class SymbolState {
  readonly rings: (BarRing | null)[]
  readonly seqs: SeqWindow
  ids: IdWindow | null = null
  dirty = false
  /** Per timeframe: oldest window start changed since the last drain (Infinity = unchanged). */
  readonly dirtyMin = new Float64Array(4).fill(Infinity)
  /** Per timeframe: start of the newest bar at the last drain (what the chart has as newest). */
  readonly drained = new Float64Array(4).fill(-Infinity)
  last = NaN
  lastTs = -Infinity
  lastSeq = 0
  first = NaN
  firstTs = Infinity
  firstSeq = 0
  dayVolume = 0
  dayStart = -Infinity
  dayEnd = -Infinity
  prevClose = NaN
  prevCloseDay = NaN

  constructor(
    readonly symbol: string,
    depth: number,
    kept: readonly boolean[],
    dedup: number,
  ) {
    this.rings = kept.map((on, k) => (on ? new BarRing(depth, TF_MS[k] as number) : null))
    this.seqs = new SeqWindow(dedup)
  }
}

function validPrice(x: number): boolean {
  return x > 0 && x < Infinity
}

/** Checks an aggregate/REST bar's numbers; returns its aligned window start, or NaN if invalid. */
function barStart(b: Bar, ms: number): number {
  if (typeof b !== 'object' || b === null) return NaN
  const { start, open, high, low, close, volume } = b
  if (!(start > 0 && start < MAX_TS)) return NaN
  if (!validPrice(open) || !validPrice(high) || !validPrice(low) || !validPrice(close)) return NaN
  if (!(volume >= 0 && volume < Infinity)) return NaN
  // Tolerate a tiny float slack; a bar whose high is below its low is corrupt.
  if (
    high < low ||
    open > high * (1 + 1e-9) ||
    open < low * (1 - 1e-9) ||
    close > high * (1 + 1e-9) ||
    close < low * (1 - 1e-9)
  ) {
    return NaN
  }
  // A start a few ms off the boundary still names its window: align rather than drop the data.
  return start - (start % ms)
}

function applyTrade(
  r: BarRing,
  p: number,
  price: number,
  size: number,
  units: number,
  ts: number,
  seq: number,
  updLast: boolean,
  updVol: boolean,
): boolean {
  const d = r.d
  const b = p * F
  if (updVol) {
    d[b + VOLUME] = (d[b + VOLUME] as number) + units
    d[b + PV] = (d[b + PV] as number) + price * size
    d[b + TRADES] = (d[b + TRADES] as number) + 1
  }
  if (!updLast) return isVisible(d, b)
  if (!isVisible(d, b)) {
    d[b + OPEN] = price
    d[b + HIGH] = price
    d[b + LOW] = price
    d[b + CLOSE] = price
    d[b + OPEN_TS] = ts
    d[b + OPEN_SEQ] = seq
    d[b + CLOSE_TS] = ts
    d[b + CLOSE_SEQ] = seq
    return true
  }
  if (price > (d[b + HIGH] as number)) d[b + HIGH] = price
  if (price < (d[b + LOW] as number)) d[b + LOW] = price
  const ot = d[b + OPEN_TS] as number
  if (ts < ot || (ts === ot && seq < (d[b + OPEN_SEQ] as number))) {
    d[b + OPEN] = price
    d[b + OPEN_TS] = ts
    d[b + OPEN_SEQ] = seq
  }
  const ct = d[b + CLOSE_TS] as number
  if (ts > ct || (ts === ct && seq >= (d[b + CLOSE_SEQ] as number))) {
    d[b + CLOSE] = price
    d[b + CLOSE_TS] = ts
    d[b + CLOSE_SEQ] = seq
  }
  return true
}

function slotVwap(r: BarRing, p: number): number {
  const b = p * F
  const v = (r.d[b + VOLUME] as number) / MICRO
  return v > 0 ? (r.d[b + PV] as number) / v : (r.d[b + CLOSE] as number)
}

function toBar(symbol: string, r: BarRing, p: number, ms: number): Bar {
  const d = r.d
  const b = p * F
  const start = d[b + START] as number
  return {
    symbol,
    start,
    end: start + ms,
    open: d[b + OPEN] as number,
    high: d[b + HIGH] as number,
    low: d[b + LOW] as number,
    close: d[b + CLOSE] as number,
    volume: (d[b + VOLUME] as number) / MICRO,
    vwap: slotVwap(r, p),
    trades: d[b + TRADES] as number,
    source: SOURCES[d[b + SOURCE] as number] as BarSource,
  }
}

function closeEnough(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b))
}

export function createMarketEngine(opts: MarketEngineOptions): MarketEngine {
  const depth = opts.historyDepth
  if (!Number.isInteger(depth) || depth < 1)
    throw new Error(`historyDepth must be a positive integer, got ${depth}`)
  const requested = opts.timeframes ?? [...TIMEFRAMES]
  const reported = TIMEFRAMES.map((tf) => requested.includes(tf))
  const kept = reported.slice()
  if (kept[K_5M] === true || kept[K_15M] === true) kept[K_1M] = true
  const reportedKs = [K_1S, K_1M, K_5M, K_15M].filter((k) => reported[k] === true)
  const dedupSize = opts.dedupWindow ?? 2048
  const maxClosed = opts.maxClosedPerUpdate ?? 32

  const states = new Map<string, SymbolState>()
  const dirtyList: SymbolState[] = []
  let lastSymbol = ''
  let lastState: SymbolState | null = null
  const stats: MarketStats = {
    trades: 0,
    duplicates: 0,
    rejected: 0,
    conditionIgnored: 0,
    lateTrf: 0,
    tooOld: 0,
    aggregates: 0,
    aggregatesRejected: 0,
  }

  function stateFor(symbol: unknown): SymbolState | null {
    if (typeof symbol !== 'string') return null
    let st = states.get(symbol)
    if (st === undefined) {
      if (symbol.length === 0 || symbol.length > MAX_SYMBOL_LENGTH) return null
      st = new SymbolState(symbol, depth, kept, dedupSize)
      states.set(symbol, st)
    }
    return st
  }

  function touch(st: SymbolState): void {
    if (!st.dirty) {
      st.dirty = true
      dirtyList.push(st)
    }
  }

  function mark(st: SymbolState, k: number, s: number): void {
    if (s < (st.dirtyMin[k] as number)) st.dirtyMin[k] = s
    touch(st)
  }

  function roll(st: SymbolState, ts: number): void {
    const [start, end] = easternDayBounds(ts)
    st.dayStart = start
    st.dayEnd = end
    st.dayVolume = 0
    st.first = NaN
    st.firstTs = Infinity
    st.firstSeq = 0
    touch(st)
  }

  function ingestTrade(t: Trade): boolean {
    const price = t.price
    const size = t.size
    const sipTs = t.ts
    if (!(price > 0 && price < Infinity && size >= 0 && size < Infinity && sipTs > 0 && sipTs < MAX_TS)) {
      stats.rejected++
      return false
    }
    let st: SymbolState | null
    if (t.symbol === lastSymbol && lastState !== null) {
      st = lastState
    } else {
      st = stateFor(t.symbol)
      if (st === null) {
        stats.rejected++
        return false
      }
      lastSymbol = t.symbol
      lastState = st
    }

    const rawSeq = t.seq
    let seq = 0
    if (rawSeq > 0 && rawSeq <= Number.MAX_SAFE_INTEGER) {
      seq = rawSeq
      const w = st.seqs
      if (seq > w.newest) w.append(seq, sipTs)
      else if (!w.add(seq, sipTs)) {
        stats.duplicates++
        return false
      }
    } else if (typeof t.id === 'string' && t.id.length > 0) {
      if (st.ids === null) st.ids = new IdWindow(dedupSize)
      if (!st.ids.add(t.id)) {
        stats.duplicates++
        return false
      }
    }

    let f = 0
    const c = t.conditions
    if (c !== undefined && c.length > 0) {
      for (let i = 0; i < c.length; i++) {
        const code = c[i] as number
        // Non-integer, negative or large codes are unknown: they update both.
        if (code >= 0 && code < MAX_CODE && (code | 0) === code) f |= FLAGS[code] as number
      }
    }
    const updLast = (f & NO_LAST) === 0
    const updVol = (f & NO_VOLUME) === 0
    if (!updLast && !updVol) {
      stats.conditionIgnored++
      return true
    }
    stats.trades++

    // Where the print lands: its SIP time, or for a late TRF print the time the TRF had it (file comment).
    let ts = sipTs
    let inBars = true
    const trft = t.trft
    if (trft !== undefined && trft < sipTs && trft > 0 && t.trfi !== undefined) {
      ts = trft
      if (sipTs - trft > LATE_TRF_MS) {
        inBars = false
        stats.lateTrf++
      }
    }
    const units = Math.round(size * MICRO)

    if (ts >= st.dayEnd) roll(st, ts)
    const inDay = ts >= st.dayStart
    let countDay = updVol && inDay
    const rings = st.rings

    const r0 = inBars ? (rings[K_1S] as BarRing | null) : null
    if (r0 !== null) {
      // Fast path: same window as the newest slot (no modulo, no search).
      const hit = ts >= r0.curStart && ts < r0.curEnd
      const s = hit ? r0.curStart : ts - (ts % 1_000)
      const p = hit ? r0.last : r0.slot(s)
      if (p < 0) stats.tooOld++
      else if (
        r0.d[p * F + SOURCE] === SRC_TRADES &&
        applyTrade(r0, p, price, size, units, ts, seq, updLast, updVol)
      )
        mark(st, K_1S, s)
    }
    let higher = inBars
    const r1 = inBars ? (rings[K_1M] as BarRing | null) : null
    if (r1 !== null) {
      // Fast path: same window as the newest slot (no modulo, no search).
      const hit = ts >= r1.curStart && ts < r1.curEnd
      const s = hit ? r1.curStart : ts - (ts % 60_000)
      const p = hit ? r1.last : r1.slot(s)
      if (p < 0) stats.tooOld++
      else if (r1.d[p * F + SOURCE] !== SRC_TRADES) {
        // The minute is covered by an AM/REST bar, which already counts this trade.
        higher = false
        countDay = false
      } else if (applyTrade(r1, p, price, size, units, ts, seq, updLast, updVol)) mark(st, K_1M, s)
    }
    if (higher) {
      const r2 = rings[K_5M] as BarRing | null
      if (r2 !== null) {
        // Fast path: same window as the newest slot (no modulo, no search).
        const hit = ts >= r2.curStart && ts < r2.curEnd
        const s = hit ? r2.curStart : ts - (ts % 300_000)
        const p = hit ? r2.last : r2.slot(s)
        if (p >= 0 && applyTrade(r2, p, price, size, units, ts, seq, updLast, updVol)) mark(st, K_5M, s)
      }
      const r3 = rings[K_15M] as BarRing | null
      if (r3 !== null) {
        // Fast path: same window as the newest slot (no modulo, no search).
        const hit = ts >= r3.curStart && ts < r3.curEnd
        const s = hit ? r3.curStart : ts - (ts % 900_000)
        const p = hit ? r3.last : r3.slot(s)
        if (p >= 0 && applyTrade(r3, p, price, size, units, ts, seq, updLast, updVol)) mark(st, K_15M, s)
      }
    }

    let summaryChanged = false
    if (countDay) {
      st.dayVolume += units
      summaryChanged = true
    }
    if (updLast) {
      if (ts > st.lastTs || (ts === st.lastTs && seq >= st.lastSeq)) {
        st.last = price
        st.lastTs = ts
        st.lastSeq = seq
        summaryChanged = true
      }
      if (inDay && (ts < st.firstTs || (ts === st.firstTs && seq < st.firstSeq))) {
        st.first = price
        st.firstTs = ts
        st.firstSeq = seq
        summaryChanged = true
      }
    }
    if (summaryChanged) touch(st)
    return true
  }

  /** Writes an aggregate/REST bar over window `s` of timeframe k if its source has precedence. */
  function override(
    st: SymbolState,
    k: number,
    s: number,
    b: Bar,
    src: number,
  ): 'changed' | 'same' | 'skipped' {
    const r = st.rings[k] as BarRing | null
    if (r === null) return 'skipped'
    const p = r.slot(s)
    if (p < 0) {
      stats.tooOld++
      return 'skipped'
    }
    if (rank(src) < rank(r.d[p * F + SOURCE] as number)) return 'skipped'
    const vwap = b.vwap > 0 && b.vwap < Infinity ? b.vwap : b.close
    const units = Math.round(b.volume * MICRO)
    const same =
      isVisible(r.d, p * F) &&
      r.d[p * F + OPEN] === b.open &&
      r.d[p * F + HIGH] === b.high &&
      r.d[p * F + LOW] === b.low &&
      r.d[p * F + CLOSE] === b.close &&
      r.d[p * F + VOLUME] === units &&
      closeEnough(slotVwap(r, p), vwap)
    const oldVolume = r.d[p * F + VOLUME] as number
    const ms = TF_MS[k] as number
    r.d[p * F + SOURCE] = src
    r.d[p * F + OPEN] = b.open
    r.d[p * F + HIGH] = b.high
    r.d[p * F + LOW] = b.low
    r.d[p * F + CLOSE] = b.close
    r.d[p * F + VOLUME] = units
    r.d[p * F + PV] = vwap * b.volume
    r.d[p * F + TRADES] = b.trades >= 0 && b.trades < Infinity ? b.trades : 0
    r.d[p * F + OPEN_TS] = s
    r.d[p * F + OPEN_SEQ] = 0
    r.d[p * F + CLOSE_TS] = s + ms - 1
    r.d[p * F + CLOSE_SEQ] = 0
    if (k === K_1M && s >= st.dayStart && s < st.dayEnd && units !== oldVolume) {
      st.dayVolume += units - oldVolume
      touch(st)
    }
    if (same) return 'same'
    mark(st, k, s)
    return 'changed'
  }

  /** Rebuilds the window of timeframe k starting at S from the 1m ring. */
  function recompose(st: SymbolState, k: number, S: number): void {
    const r1 = st.rings[K_1M] as BarRing
    const r = st.rings[k] as BarRing | null
    if (r === null) return
    // The 1m ring no longer holds the whole window: keep the incrementally built bar.
    if (S < r1.floor) return
    const p = r.slot(S)
    if (p < 0) return
    r.reset(p, S)
    const end = S + (TF_MS[k] as number)
    let src = SRC_TRADES
    for (let i = r1.lowerBound(S); i < r1.len; i++) {
      const q = r1.phys(i)
      if ((r1.d[q * F + START] as number) >= end) break
      r.d[p * F + VOLUME] = (r.d[p * F + VOLUME] as number) + (r1.d[q * F + VOLUME] as number)
      r.d[p * F + PV] = (r.d[p * F + PV] as number) + (r1.d[q * F + PV] as number)
      r.d[p * F + TRADES] = (r.d[p * F + TRADES] as number) + (r1.d[q * F + TRADES] as number)
      const qs = r1.d[q * F + SOURCE] as number
      if (rank(qs) > rank(src)) src = qs
      if (!isVisible(r1.d, q * F)) continue
      if (!isVisible(r.d, p * F)) {
        r.d[p * F + OPEN] = r1.d[q * F + OPEN] as number
        r.d[p * F + OPEN_TS] = r1.d[q * F + OPEN_TS] as number
        r.d[p * F + OPEN_SEQ] = r1.d[q * F + OPEN_SEQ] as number
        r.d[p * F + HIGH] = r1.d[q * F + HIGH] as number
        r.d[p * F + LOW] = r1.d[q * F + LOW] as number
      } else {
        if ((r1.d[q * F + HIGH] as number) > (r.d[p * F + HIGH] as number))
          r.d[p * F + HIGH] = r1.d[q * F + HIGH] as number
        if ((r1.d[q * F + LOW] as number) < (r.d[p * F + LOW] as number))
          r.d[p * F + LOW] = r1.d[q * F + LOW] as number
      }
      r.d[p * F + CLOSE] = r1.d[q * F + CLOSE] as number
      r.d[p * F + CLOSE_TS] = r1.d[q * F + CLOSE_TS] as number
      r.d[p * F + CLOSE_SEQ] = r1.d[q * F + CLOSE_SEQ] as number
    }
    r.d[p * F + SOURCE] = src
    mark(st, k, S)
  }

  function summaryFromBar(st: SymbolState, s: number, ms: number, b: Bar): void {
    const closeTs = s + ms - 1
    // Only a change the watchlist can see makes the symbol dirty.
    if (closeTs > st.lastTs) {
      if (st.last !== b.close) touch(st)
      st.last = b.close
      st.lastTs = closeTs
      st.lastSeq = 0
    }
    if (s >= st.dayStart && s < st.dayEnd && s < st.firstTs) {
      if (st.first !== b.open) touch(st)
      st.first = b.open
      st.firstTs = s
      st.firstSeq = 0
    }
  }

  function ingestAggregate(b: Bar): boolean {
    const source = typeof b === 'object' && b !== null ? b.source : undefined
    const k = source === 'A' ? K_1S : source === 'AM' ? K_1M : -1
    const ms = TF_MS[k] ?? 0
    const s = k < 0 ? NaN : barStart(b, ms)
    const st = s > 0 ? stateFor(b.symbol) : null
    if (st === null) {
      stats.aggregatesRejected++
      return false
    }
    stats.aggregates++
    if (s >= st.dayEnd) roll(st, s)
    const res = override(st, k, s, b, k === K_1S ? SRC_A : SRC_AM)
    if (res === 'changed' && k === K_1M) {
      recompose(st, K_5M, s - (s % 300_000))
      recompose(st, K_15M, s - (s % 900_000))
    }
    summaryFromBar(st, s, ms, b)
    return true
  }

  function ingestBackfill(symbol: string, bars: readonly Bar[], gap?: BackfillGap): BackfillResult {
    const res: BackfillResult = { replaced: 0, added: 0, skipped: 0, rejected: 0, dropped: 0 }
    const st = Array.isArray(bars) ? stateFor(symbol) : null
    if (st === null) {
      res.rejected = Array.isArray(bars) ? bars.length : 0
      return res
    }
    const r1 = st.rings[K_1M]
    if (r1 === null || r1 === undefined) {
      res.skipped = bars.length
      return res
    }
    const hasGap = gap !== undefined && gap.from <= gap.to
    const gapFrom = hasGap ? gap.from - (gap.from % 60_000) : NaN
    const gapTo = hasGap ? gap.to : NaN
    // Windows of 5m/15m to rebuild once at the end (a gap is a handful of minutes).
    const touched = new Set<number>()
    const seen = new Set<number>()
    for (const b of bars) {
      const s = barStart(b, 60_000)
      if (!(s > 0)) {
        res.rejected++
        continue
      }
      if (s >= st.dayEnd) roll(st, s)
      const inGap = hasGap && s >= gapFrom && s <= gapTo
      if (inGap) seen.add(s)
      const existing = r1.find(s)
      if (existing >= 0 && !inGap) {
        // Fully observed minute (or merged before): keep what we have, never a second bar for it.
        res.skipped++
        continue
      }
      const outcome = override(st, K_1M, s, b, SRC_REST)
      if (outcome === 'skipped') {
        res.skipped++
        continue
      }
      if (existing >= 0) res.replaced++
      else res.added++
      summaryFromBar(st, s, 60_000, b)
      if (outcome === 'changed') touched.add(s)
    }
    // A gap minute REST has no bar for had no qualifying trades: drop our partial bar (AM bars stay).
    if (hasGap) {
      for (let i = r1.lowerBound(gapFrom); i < r1.len; i++) {
        const q = r1.phys(i)
        const s = r1.d[q * F + START] as number
        if (s > gapTo) break
        if (seen.has(s) || r1.d[q * F + SOURCE] === SRC_AM) continue
        const wasVisible = isVisible(r1.d, q * F)
        const oldVolume = r1.d[q * F + VOLUME] as number
        r1.reset(q, s)
        r1.d[q * F + SOURCE] = SRC_REST
        if (s >= st.dayStart && s < st.dayEnd && oldVolume !== 0) {
          st.dayVolume -= oldVolume
          touch(st)
        }
        if (wasVisible || oldVolume !== 0) {
          res.dropped++
          mark(st, K_1M, s)
          touched.add(s)
        }
      }
    }
    const windows5 = new Set<number>()
    const windows15 = new Set<number>()
    for (const s of touched) {
      windows5.add(s - (s % 300_000))
      windows15.add(s - (s % 900_000))
    }
    for (const S of windows5) recompose(st, K_5M, S)
    for (const S of windows15) recompose(st, K_15M, S)
    return res
  }

  function summaryOf(st: SymbolState): SymbolSummary {
    const last = Number.isFinite(st.last) ? st.last : null
    const ref = st.prevCloseDay === st.dayStart ? st.prevClose : Number.isFinite(st.first) ? st.first : null
    const change = last !== null && ref !== null ? last - ref : null
    return {
      symbol: st.symbol,
      last,
      ref,
      change,
      // Percent (1.5 = +1.5 %).
      changePct: change !== null && ref !== null ? (change / ref) * 100 : null,
      dayVolume: st.dayVolume / MICRO,
      lastTs: Number.isFinite(st.lastTs) ? st.lastTs : null,
    }
  }

  function setReference(symbol: string, prevClose: number, at: number): void {
    const st = validPrice(prevClose) && at > 0 && at < MAX_TS ? stateFor(symbol) : null
    if (st === null) return
    if (at >= st.dayEnd) roll(st, at)
    st.prevClose = prevClose
    st.prevCloseDay = easternDayBounds(at)[0]
    touch(st)
  }

  function rollover(now: number): void {
    if (!(now > 0 && now < MAX_TS)) return
    for (const st of states.values()) {
      if (st.dayEnd !== -Infinity && now >= st.dayEnd) roll(st, now)
    }
  }

  function drainUpdates(): MarketUpdate[] {
    const out: MarketUpdate[] = []
    for (const st of dirtyList) {
      st.dirty = false
      const bars: Partial<Record<Timeframe, Bar>> = {}
      const corrected: Timeframe[] = []
      const closed: Partial<Record<Timeframe, Bar[]>> = {}
      for (const k of reportedKs) {
        const dm = st.dirtyMin[k] as number
        if (dm === Infinity) continue
        st.dirtyMin[k] = Infinity
        const r = st.rings[k] as BarRing
        let n = r.len - 1
        while (n >= 0 && !isVisible(r.d, r.phys(n) * F)) n--
        if (n < 0) continue
        const pn = r.phys(n)
        const newest = r.d[pn * F + START] as number
        const tf = TIMEFRAMES[k] as Timeframe
        const ms = TF_MS[k] as number
        bars[tf] = toBar(st.symbol, r, pn, ms)
        if (dm < (st.drained[k] as number)) {
          corrected.push(tf)
        } else if (dm < newest) {
          const list: Bar[] = []
          for (let i = r.lowerBound(dm); i < n && list.length <= maxClosed; i++) {
            const q = r.phys(i)
            if (isVisible(r.d, q * F)) list.push(toBar(st.symbol, r, q, ms))
          }
          if (list.length > maxClosed) corrected.push(tf)
          else if (list.length > 0) closed[tf] = list
        }
        st.drained[k] = newest
      }
      out.push({ symbol: st.symbol, bars, corrected, closed, summary: summaryOf(st) })
    }
    dirtyList.length = 0
    return out
  }

  function history(symbol: string, tf: Timeframe, limit: number): Bar[] {
    const k = TIMEFRAMES.indexOf(tf)
    const st = states.get(symbol)
    if (st === undefined || k < 0 || reported[k] !== true || !(limit > 0)) return []
    const r = st.rings[k] as BarRing
    const ms = TIMEFRAME_MS[tf]
    const out: Bar[] = []
    for (let i = r.len - 1; i >= 0 && out.length < limit; i--) {
      const p = r.phys(i)
      if (isVisible(r.d, p * F)) out.push(toBar(symbol, r, p, ms))
    }
    return out.reverse()
  }

  return {
    ingestTrade,
    ingestAggregate,
    ingestBackfill,
    setReference,
    rollover,
    drainUpdates,
    history,
    summary(symbol) {
      const st = states.get(symbol)
      return st === undefined ? null : summaryOf(st)
    },
    symbols: () => [...states.keys()],
    stats: () => ({ ...stats }),
    sizes(symbol) {
      const st = states.get(symbol)
      if (st === undefined) return null
      const rings: Partial<Record<Timeframe, RingSize>> = {}
      st.rings.forEach((r, k) => {
        if (r !== null) rings[TIMEFRAMES[k] as Timeframe] = { len: r.len, cap: r.cap, depth: r.depth }
      })
      return { rings, dedup: Math.max(st.seqs.length, st.ids?.length ?? 0) }
    },
  }
}
