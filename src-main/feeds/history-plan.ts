// Which REST history requests to make next for news impact v2 (docs/impact-v2.md, "History first"). Pure: from
// the engine's needs (windows no coverage holds yet), what was already fetched, queued or given up, and now.
// - Windows are whole seconds (from the start of the second holding `from` to the end of the one holding `to`), so
//   `/v3/trades` and 1-second bars cover the same span and a second bar is never cut in two.
// - Capped at the last second that has ended by now; a short piece that ends near now waits until it is worth a
//   call (the need grows with time and would otherwise cost one call per sync on a 5-a-minute plan).
// - Per symbol, overlapping and adjacent windows merge into one request; longer than `maxWindowMs` splits, the
//   newest part first.
// - Newest first: the trader looks at the top of the timeline.
// - Previous sessions' 1-minute bars (beta, sigma floor, rvol slots) once per symbol per Eastern day.
import { easternDayStart, easternParts } from '../domain/eastern-time'

/** A window of data time the engine needs history for (HistoryWindow in src-main/signals/v2/types.ts). */
export interface HistoryNeed {
  symbol: string
  from: number
  to: number
}

/** A closed span of data time, ms. */
export interface Span {
  from: number
  to: number
}

/** Tick history for [from, to]: `/v3/trades`, or 1-second bars when the plan has none. */
export interface TicksRequest {
  kind: 'ticks'
  symbol: string
  from: number
  to: number
}

/** 1-minute bars of the sessions before Eastern day `day` (YYYY-MM-DD), [from, to]. */
export interface MinutesRequest {
  kind: 'minutes'
  symbol: string
  day: string
  from: number
  to: number
}

export type HistoryRequest = TicksRequest | MinutesRequest

export interface PlanState {
  /** Tick spans already fetched, queued or given up, per upper-case symbol (closed, any order, may overlap). */
  held: ReadonlyMap<string, readonly Span[]>
  /** `SYMBOL|YYYY-MM-DD` of the minute-bar requests already made. */
  minuteDays: ReadonlySet<string>
}

export interface PlanOptions {
  /** A merged window longer than this is split (each part one request). */
  maxWindowMs: number
  /** A piece shorter than this that ends within this of now waits (it is still growing). */
  minTailMs: number
  /** Minute bars reach back this many calendar days (5 trading days with weekends and two holidays). */
  minuteDaysBack: number
  /** Symbols that get minute bars for every day a need touches (the market proxy: beta needs its returns). */
  minuteAlways: readonly string[]
  /** Symbols that get today's minute bars even without a need, after everything else (watchlist: live headlines need beta too). */
  minuteToday: readonly string[]
}

export const DEFAULT_PLAN_OPTIONS: PlanOptions = {
  maxWindowMs: 60 * 60_000,
  minTailMs: 60_000,
  minuteDaysBack: 12,
  minuteAlways: [],
  minuteToday: [],
}

/**
 * The longest request window for a plan. A window reaches the engine whole, after its last page: on an unlimited
 * plan 15-minute windows bring the newest headlines' numbers after a page or two; at a few calls a minute every
 * call counts (a quiet symbol's hour is one page either way), so windows stay an hour.
 */
export const maxWindowFor = (callsPerMinute: number): number =>
  Number.isFinite(callsPerMinute) && callsPerMinute > 0 ? 60 * 60_000 : 15 * 60_000

export interface Plan {
  /** In the order to make them. */
  requests: HistoryRequest[]
  /** Each request's priority (the data time of the newest need it serves; higher sooner), for a queue that merges plans. */
  priorities: number[]
  /** When a piece held back as too short becomes due (plan again then); null when none was held back. */
  recheckAt: number | null
}

const SECOND = 1000
const DAY = 86_400_000

const validSymbol = (s: unknown): s is string => typeof s === 'string' && /^[A-Za-z0-9.:-]{1,16}$/.test(s)

/** Sorted, merged copies: overlapping or adjacent (next.from ≤ prev.to + 1) spans become one. */
export function mergeSpans(spans: readonly Span[]): Span[] {
  const sorted = spans.filter((s) => s.to >= s.from).map((s) => ({ from: s.from, to: s.to })).sort((a, b) => a.from - b.from)
  const out: Span[] = []
  for (const s of sorted) {
    const last = out[out.length - 1]
    if (last && s.from <= last.to + 1) last.to = Math.max(last.to, s.to)
    else out.push(s)
  }
  return out
}

/** `spans` minus `minus` (both any order), merged and sorted. */
export function subtractSpans(spans: readonly Span[], minus: readonly Span[]): Span[] {
  const cut = mergeSpans(minus)
  const out: Span[] = []
  for (const s of mergeSpans(spans)) {
    let from = s.from
    for (const c of cut) {
      if (c.to < from || c.from > s.to) continue
      if (c.from > from) out.push({ from, to: c.from - 1 })
      from = Math.max(from, c.to + 1)
      if (from > s.to) break
    }
    if (from <= s.to) out.push({ from, to: s.to })
  }
  return out
}

/** The Eastern calendar date of the day starting at `dayStart`. */
function isoDate(dayStart: number): string {
  const p = easternParts(dayStart)
  return `${p.y}-${String(p.m).padStart(2, '0')}-${String(p.d).padStart(2, '0')}`
}

/** Minute bars of the `daysBack` calendar days before the Eastern day holding `t`: [their first midnight, day start). */
export function minuteWindow(t: number, daysBack: number): { day: string; from: number; to: number } {
  const day = easternDayStart(t)
  // Noon of the earlier day, then its midnight: correct across daylight-saving changes.
  const from = easternDayStart(day - daysBack * DAY + 12 * 3_600_000)
  return { day: isoDate(day), from, to: day - 1 }
}

export function planHistory(
  needs: readonly HistoryNeed[],
  state: PlanState,
  now: number,
  options: PlanOptions = DEFAULT_PLAN_OPTIONS,
): Plan {
  // The last millisecond of the last second that has ended.
  const cap = Math.floor((now + 1) / SECOND) * SECOND - 1
  const maxLen = Math.max(SECOND, Math.floor(options.maxWindowMs / SECOND) * SECOND)
  const bySymbol = new Map<string, Span[]>()
  /** Symbol-day → the newest need end on that day (its priority). */
  const days = new Map<string, { symbol: string; t: number; key: number }>()
  const wantDay = (symbol: string, t: number, key: number): void => {
    const k = `${symbol}|${isoDate(easternDayStart(t))}`
    const had = days.get(k)
    if (!had || key > had.key) days.set(k, { symbol, t, key })
  }

  let recheckAt: number | null = null
  const recheck = (t: number): void => {
    recheckAt = recheckAt === null ? t : Math.min(recheckAt, t)
  }
  for (const n of needs) {
    if (!validSymbol(n.symbol) || !Number.isFinite(n.from) || !Number.isFinite(n.to)) continue
    const symbol = n.symbol.toUpperCase()
    const from = Math.floor(n.from / SECOND) * SECOND
    // A need reaching into the second in progress is still growing: look again when its new part is worth a call.
    if (n.to > cap && n.from <= now) recheck(cap + 1 + options.minTailMs)
    const to = Math.min(Math.ceil((n.to + 1) / SECOND) * SECOND - 1, cap)
    if (to < from) continue
    const list = bySymbol.get(symbol) ?? []
    list.push({ from, to })
    bySymbol.set(symbol, list)
    for (const s of new Set([symbol, ...options.minuteAlways.filter(validSymbol).map((x) => x.toUpperCase())])) {
      wantDay(s, from, to)
      wantDay(s, to, to)
    }
  }
  // Last: a need's own requests come first.
  for (const s of options.minuteToday) if (validSymbol(s)) wantDay(s.toUpperCase(), now, -Infinity)

  const ticks: { req: TicksRequest; key: number }[] = []
  for (const [symbol, spans] of bySymbol) {
    for (const piece of subtractSpans(spans, state.held.get(symbol) ?? [])) {
      const len = piece.to - piece.from + 1
      if (len < options.minTailMs && piece.to > now - options.minTailMs) {
        recheck(piece.to + options.minTailMs + 1)
        continue
      }
      for (let to = piece.to; to >= piece.from; to -= maxLen) {
        const from = Math.max(piece.from, to - maxLen + 1)
        ticks.push({ req: { kind: 'ticks', symbol, from, to }, key: to })
      }
    }
  }

  const minutes: { req: MinutesRequest; key: number }[] = []
  for (const [k, d] of days) {
    if (state.minuteDays.has(k)) continue
    const w = minuteWindow(d.t, options.minuteDaysBack)
    minutes.push({ req: { kind: 'minutes', symbol: d.symbol, ...w }, key: d.key })
  }

  // Newest first; for the same end, ticks before minute bars (p0 and the returns before beta's refinement).
  const all = [...ticks, ...minutes].sort(
    (a, b) =>
      b.key - a.key ||
      (a.req.kind === b.req.kind ? 0 : a.req.kind === 'ticks' ? -1 : 1) ||
      (a.req.symbol < b.req.symbol ? -1 : a.req.symbol > b.req.symbol ? 1 : 0) ||
      b.req.from - a.req.from,
  )
  return { requests: all.map((x) => x.req), priorities: all.map((x) => x.key), recheckAt }
}
