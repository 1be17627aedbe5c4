import { describe, expect, it } from 'vitest'
import { easternDateStart } from '../domain/eastern-time'
import {
  maxWindowFor,
  DEFAULT_PLAN_OPTIONS,
  mergeSpans,
  minuteWindow,
  planHistory,
  subtractSpans,
  type HistoryNeed,
  type HistoryRequest,
  type PlanOptions,
  type Span,
} from './history-plan'

const MIN = 60_000
const T = Date.UTC(2026, 10, 18, 15, 0, 0) // 10:00 ET, Wednesday 2026-11-18
const at = (m: number, s = 0, ms = 0): number => T + m * MIN + s * 1000 + ms
const w = (symbol: string, from: number, to: number): HistoryNeed => ({ symbol, from, to })
const ticks = (symbol: string, from: number, to: number): HistoryRequest => ({ kind: 'ticks', symbol, from, to })
/** The minute-bar request for the Eastern day 2026-11-18 (12 calendar days back: from 2026-11-06). */
const minutes18 = (symbol: string): HistoryRequest => ({
  kind: 'minutes',
  symbol,
  day: '2026-11-18',
  from: easternDateStart('2026-11-06')!,
  to: easternDateStart('2026-11-18')! - 1,
})

describe('mergeSpans / subtractSpans', () => {
  const cases: { name: string; spans: Span[]; minus: Span[]; merged: Span[]; left: Span[] }[] = [
    { name: 'empty', spans: [], minus: [], merged: [], left: [] },
    {
      name: 'overlapping and adjacent merge, a gap does not',
      spans: [{ from: 10, to: 20 }, { from: 0, to: 5 }, { from: 21, to: 30 }, { from: 15, to: 25 }, { from: 32, to: 40 }],
      minus: [],
      merged: [{ from: 0, to: 5 }, { from: 10, to: 30 }, { from: 32, to: 40 }],
      left: [{ from: 0, to: 5 }, { from: 10, to: 30 }, { from: 32, to: 40 }],
    },
    {
      name: 'holes cut from the middle, the ends and the whole',
      spans: [{ from: 0, to: 100 }, { from: 200, to: 210 }],
      minus: [{ from: 10, to: 19 }, { from: 90, to: 150 }, { from: -5, to: 2 }, { from: 200, to: 210 }],
      merged: [{ from: 0, to: 100 }, { from: 200, to: 210 }],
      left: [{ from: 3, to: 9 }, { from: 20, to: 89 }],
    },
    { name: 'an inverted span is nothing', spans: [{ from: 5, to: 4 }], minus: [], merged: [], left: [] },
  ]
  it.each(cases)('$name', ({ spans, minus, merged, left }) => {
    expect(mergeSpans(spans)).toEqual(merged)
    expect(subtractSpans(spans, minus)).toEqual(left)
  })
})

describe('minuteWindow', () => {
  it.each([
    // A Wednesday in November (after the DST change on 2026-11-01).
    { t: T, day: '2026-11-18', from: '2026-11-06' },
    // Across the spring DST change (2026-03-08): midnights stay Eastern midnights.
    { t: Date.UTC(2026, 2, 12, 14, 0), day: '2026-03-12', from: '2026-02-28' },
    // Late evening Eastern is still that Eastern day (UTC is already the next).
    { t: Date.UTC(2026, 10, 19, 3, 30), day: '2026-11-18', from: '2026-11-06' },
  ])('$day', ({ t, day, from }) => {
    expect(minuteWindow(t, 12)).toEqual({ day, from: easternDateStart(from), to: easternDateStart(day)! - 1 })
  })
})

describe('planHistory', () => {
  const none = { held: new Map<string, Span[]>(), minuteDays: new Set<string>() }
  const opts = (o: Partial<PlanOptions> = {}): PlanOptions => ({ ...DEFAULT_PLAN_OPTIONS, ...o })
  const cases: {
    name: string
    needs: HistoryNeed[]
    held?: [string, Span[]][]
    minuteDays?: string[]
    now: number
    options?: Partial<PlanOptions>
    requests: HistoryRequest[]
    recheckAt?: number | null
  }[] = [
    {
      name: 'one headline: its window in whole seconds, then the symbol-day minute bars',
      needs: [w('aapl', at(-30, 0, 250), at(15, 10, 1))],
      now: at(60),
      requests: [ticks('AAPL', at(-30), at(15, 10, 999)), minutes18('AAPL')],
    },
    {
      name: 'overlapping and adjacent windows of a symbol are one request',
      needs: [w('AAPL', at(-30), at(15) - 1), w('AAPL', at(-20), at(5)), w('AAPL', at(15), at(20) - 1)],
      now: at(60),
      requests: [ticks('AAPL', at(-30), at(20) - 1), minutes18('AAPL')],
    },
    {
      name: 'newest first across symbols; minute bars after the newest ticks of their day',
      needs: [w('MSFT', at(-60), at(-40)), w('AAPL', at(-30), at(-10))],
      now: at(60),
      requests: [ticks('AAPL', at(-30), at(-10, 0, 999)), minutes18('AAPL'), ticks('MSFT', at(-60), at(-40, 0, 999)), minutes18('MSFT')],
    },
    {
      name: 'what is fetched or queued is not asked again; the minute bars were asked already',
      needs: [w('AAPL', at(-30), at(15) - 1)],
      held: [['AAPL', [{ from: at(-20), to: at(-10) - 1 }, { from: at(10), to: at(20) }]]],
      minuteDays: ['AAPL|2026-11-18'],
      now: at(60),
      requests: [ticks('AAPL', at(-10), at(10) - 1), ticks('AAPL', at(-30), at(-20) - 1)],
    },
    {
      name: 'capped at the last second that has ended',
      needs: [w('AAPL', at(-30), at(15))],
      now: at(2, 5, 400),
      requests: [ticks('AAPL', at(-30), at(2, 5) - 1), minutes18('AAPL')],
    },
    {
      name: 'a long window splits, the newest part first',
      needs: [w('AAPL', at(-70), at(0) - 1)],
      minuteDays: ['AAPL|2026-11-18'],
      now: at(60),
      options: { maxWindowMs: 30 * MIN },
      requests: [ticks('AAPL', at(-30), at(0) - 1), ticks('AAPL', at(-60), at(-30) - 1), ticks('AAPL', at(-70), at(-60) - 1)],
    },
    {
      name: 'a short piece ending at now waits until it is worth a call',
      needs: [w('AAPL', at(-30), at(5, 20))],
      held: [['AAPL', [{ from: at(-30), to: at(5) - 1 }]]],
      minuteDays: ['AAPL|2026-11-18'],
      now: at(5, 20),
      requests: [],
      recheckAt: at(5, 20) - 1 + MIN + 1,
    },
    {
      name: 'a need inside the second in progress asks nothing yet, and says when to look again',
      needs: [w('AAPL', at(-30), at(5, 20, 400))],
      held: [['AAPL', [{ from: at(-30), to: at(5, 20) - 1 }]]],
      minuteDays: ['AAPL|2026-11-18'],
      now: at(5, 20, 400),
      requests: [],
      recheckAt: at(5, 20) + MIN,
    },
    {
      name: 'a short piece that ended long ago is asked for',
      needs: [w('AAPL', at(-30), at(15) - 1)],
      held: [['AAPL', [{ from: at(-30), to: at(14, 40) - 1 }]]],
      minuteDays: ['AAPL|2026-11-18'],
      now: at(30),
      requests: [ticks('AAPL', at(14, 40), at(15) - 1)],
      recheckAt: null,
    },
    {
      name: 'the proxy gets minute bars for every day a need touches; the watchlist for today',
      needs: [w('AAPL', Date.UTC(2026, 10, 17, 20, 0), Date.UTC(2026, 10, 17, 20, 10) - 1)],
      minuteDays: ['AAPL|2026-11-17'],
      now: at(0),
      options: { minuteAlways: ['spy'], minuteToday: ['NVDA', 'AAPL'] },
      requests: [
        ticks('AAPL', Date.UTC(2026, 10, 17, 20, 0), Date.UTC(2026, 10, 17, 20, 10) - 1),
        { kind: 'minutes', symbol: 'SPY', day: '2026-11-17', from: easternDateStart('2026-11-05')!, to: easternDateStart('2026-11-17')! - 1 },
        minutes18('AAPL'),
        minutes18('NVDA'),
      ],
    },
    {
      name: 'a window across Eastern midnight wants both days',
      needs: [w('AAPL', Date.UTC(2026, 10, 18, 4, 50), Date.UTC(2026, 10, 18, 5, 10) - 1)],
      now: at(0),
      requests: [
        ticks('AAPL', Date.UTC(2026, 10, 18, 4, 50), Date.UTC(2026, 10, 18, 5, 10) - 1),
        minutes18('AAPL'),
        { kind: 'minutes', symbol: 'AAPL', day: '2026-11-17', from: easternDateStart('2026-11-05')!, to: easternDateStart('2026-11-17')! - 1 },
      ],
    },
    {
      name: 'bad needs are skipped: not a number, a bad symbol, in the future, inverted',
      needs: [
        w('AAPL', Number.NaN, at(0)),
        w('BAD SYMBOL', at(-30), at(0)),
        w('', at(-30), at(0)),
        w('AAPL', at(10), at(20)),
        w('AAPL', at(-5), at(-10)),
      ],
      now: at(0),
      requests: [],
      recheckAt: null,
    },
  ]
  it.each(cases)('$name', (c) => {
    const state = c.held || c.minuteDays ? { held: new Map(c.held ?? []), minuteDays: new Set(c.minuteDays ?? []) } : none
    const plan = planHistory(c.needs, state, c.now, opts(c.options))
    expect(plan.requests).toEqual(c.requests)
    if (c.recheckAt !== undefined) expect(plan.recheckAt).toBe(c.recheckAt)
  })

  it('planning again with every request held asks for nothing (no request twice)', () => {
    const needs = [w('AAPL', at(-30), at(15)), w('MSFT', at(-90), at(-10)), w('AAPL', at(-100), at(-50))]
    const first = planHistory(needs, none, at(60), opts({ maxWindowMs: 20 * MIN }))
    expect(first.requests.length).toBeGreaterThan(4)
    const held = new Map<string, Span[]>()
    const minuteDays = new Set<string>()
    for (const r of first.requests) {
      if (r.kind === 'ticks') held.set(r.symbol, [...(held.get(r.symbol) ?? []), { from: r.from, to: r.to }])
      else minuteDays.add(`${r.symbol}|${r.day}`)
    }
    // The requests tile the merged needs exactly: no overlap, no gap.
    for (const [symbol, spans] of held) {
      const total = spans.reduce((n, s) => n + s.to - s.from + 1, 0)
      const merged = mergeSpans(spans)
      expect(merged.reduce((n, s) => n + s.to - s.from + 1, 0), symbol).toBe(total)
    }
    expect(mergeSpans(held.get('AAPL')!)).toEqual([{ from: at(-100), to: at(-50, 0, 999) }, { from: at(-30), to: at(15, 0, 999) }])
    expect(planHistory(needs, { held, minuteDays }, at(60), opts({ maxWindowMs: 20 * MIN })).requests).toEqual([])
  })
})

describe('maxWindowFor', () => {
  it.each([
    ['unlimited (0)', 0, 15 * 60_000],
    ['free tier 5/min', 5, 60 * 60_000],
    ['a paid limit 100/min', 100, 60 * 60_000],
    ['not a number: unlimited', Number.NaN, 15 * 60_000],
  ])('%s', (_name, calls, want) => {
    expect(maxWindowFor(calls)).toBe(want)
  })
})
