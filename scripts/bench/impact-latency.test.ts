import { describe, expect, it } from 'vitest'
import {
  dataTimeOffset,
  etClock,
  etInstant,
  firstPerKey,
  matchShocks,
  previousSessionBars,
  shockPlan,
  tradeKey,
  type Fired,
  type Shock,
} from './impact-latency'

const H = 3_600_000

describe('New York time', () => {
  it.each([
    { name: 'winter (EST, UTC−5)', utc: '2026-12-07T14:56:48.250Z', want: { y: 2026, m: 12, d: 7, ms: 9 * H + 56 * 60_000 + 48_250 } },
    { name: 'summer (EDT, UTC−4)', utc: '2026-07-01T13:30:00.000Z', want: { y: 2026, m: 7, d: 1, ms: 9.5 * H } },
    { name: 'before UTC midnight is the previous ET day', utc: '2026-12-08T02:00:00.000Z', want: { y: 2026, m: 12, d: 7, ms: 21 * H } },
  ])('etClock: $name', ({ utc, want }) => {
    expect(etClock(Date.parse(utc))).toEqual(want)
  })

  it.each([
    { name: 'winter', args: [2026, 12, 7, 10.5 * H], want: '2026-12-07T15:30:00.000Z' },
    { name: 'summer', args: [2026, 7, 1, 10 * H], want: '2026-07-01T14:00:00.000Z' },
    { name: 'day 0 is the last of the previous month', args: [2026, 12, 0, 10 * H], want: '2026-11-30T15:00:00.000Z' },
    { name: 'the day after a DST change (EST→EDT on 2026-03-08)', args: [2026, 3, 9, 10 * H], want: '2026-03-09T14:00:00.000Z' },
  ])('etInstant: $name', ({ args: [y, m, d, t], want }) => {
    expect(new Date(etInstant(y!, m!, d!, t!)).toISOString()).toBe(want)
  })
})

describe('dataTimeOffset', () => {
  const at = (utc: string): number => Date.parse(utc)
  it.each([
    { name: 'regular session with room: wall time', now: '2026-12-07T14:56:48Z', span: 15 * 60_000, want: 0 },
    { name: 'pre-market with room: wall time', now: '2026-12-07T10:00:00Z', span: 15 * 60_000, want: 0 },
    { name: 'post-market with room: wall time', now: '2026-12-07T22:00:00Z', span: 15 * 60_000, want: 0 },
    { name: 'run would cross the open: 10:30 ET', now: '2026-12-07T14:20:00Z', span: 15 * 60_000, want: at('2026-12-07T15:30:00Z') - at('2026-12-07T14:20:00Z') },
    { name: 'night: back to 10:30 ET the same ET day', now: '2026-12-08T02:00:00Z', span: 15 * 60_000, want: at('2026-12-07T15:30:00Z') - at('2026-12-08T02:00:00Z') },
    { name: 'early morning: forward to 10:30 ET', now: '2026-12-07T06:00:00Z', span: 15 * 60_000, want: at('2026-12-07T15:30:00Z') - at('2026-12-07T06:00:00Z') },
  ])('$name', ({ now, span, want }) => {
    expect(dataTimeOffset(at(now), span)).toBe(want)
  })
})

describe('previousSessionBars', () => {
  const bars = previousSessionBars(new Map([['AAA', 100], ['SPY', 500]]), 'SPY', Date.parse('2026-12-07T15:00:00Z'))
  it('one regular hour per symbol on the ET day before', () => {
    expect(bars).toHaveLength(120)
    for (const b of bars) {
      const c = etClock(b.start)
      expect([c.y, c.m, c.d]).toEqual([2026, 12, 6])
      expect(c.ms).toBeGreaterThanOrEqual(10 * H)
      expect(c.ms).toBeLessThan(11 * H)
      expect(b.end - b.start).toBe(60_000)
      expect(b.source).toBe('rest')
    }
  })
  it('closes alternate for a symbol, stay flat for the proxy', () => {
    expect(bars.filter((b) => b.symbol === 'AAA').slice(0, 4).map((b) => b.close)).toEqual([100, 100.1, 100, 100.1])
    expect(new Set(bars.filter((b) => b.symbol === 'SPY').map((b) => b.close))).toEqual(new Set([500]))
  })
})

describe('shockPlan', () => {
  const plan = shockPlan({ shockSymbols: ['A', 'B'], nullSymbols: ['N'], rounds: 2, roundMs: 60_000, leadMs: 2_000, nullsPerRound: 1, idPrefix: 'x' })
  it('a headline, then its jump; directions alternate by round; nulls never jump', () => {
    expect(plan.map((p) => [p.at, p.kind, p.symbol, p.kind === 'jump' ? p.direction : p.shock])).toEqual([
      [15_000, 'article', 'A', true],
      [15_000, 'article', 'N', false],
      [17_000, 'jump', 'A', 'up'],
      [45_000, 'article', 'B', true],
      [47_000, 'jump', 'B', 'up'],
      [75_000, 'article', 'A', true],
      [75_000, 'article', 'N', false],
      [77_000, 'jump', 'A', 'down'],
      [105_000, 'article', 'B', true],
      [107_000, 'jump', 'B', 'down'],
    ])
  })
  it('a jump carries its headline id; ids are unique', () => {
    const ids = plan.filter((p) => p.kind === 'article').map((p) => p.articleId)
    expect(new Set(ids).size).toBe(ids.length)
    for (const j of plan.filter((p) => p.kind === 'jump')) {
      const a = plan.find((p) => p.kind === 'article' && p.articleId === j.articleId)
      expect(a && j.at - a.at).toBe(2_000)
      expect(a?.symbol).toBe(j.symbol)
    }
  })
})

const shock = (articleId: string, symbol: string, jumpAt: number, direction: 'up' | 'down' = 'up'): Shock => ({ articleId, symbol, jumpAt, direction })
const fired = (key: string, symbol: string, detectedAt: number, consumedAt: number, extra: Partial<Fired> = {}): Fired => ({
  key,
  articleId: null,
  symbol,
  direction: 'up',
  detectedAt,
  consumedAt,
  ...extra,
})

describe('firstPerKey', () => {
  it('keeps the first record of each key in consume order', () => {
    const a = fired('a|X', 'X', 10, 100)
    const b = fired('b|Y', 'Y', 20, 110)
    expect(firstPerKey([a, b, { ...a, consumedAt: 300 }])).toEqual([a, b])
  })
})

describe('matchShocks', () => {
  const produced = new Map([
    [tradeKey('X', 1_002_000), 5_000],
    [tradeKey('Y', 2_003_000), 6_000],
  ])
  const byArticle = { by: 'article' as const, windowMs: 30_000, lostAfterMs: 30_000 }
  const byMove = { by: 'move' as const, windowMs: 30_000, lostAfterMs: 30_000 }
  it.each([
    {
      name: 'early signals: latency from the trigger trade',
      shocks: [shock('a', 'X', 1_000_000), shock('b', 'Y', 2_000_000)],
      fired: [fired('a|X', 'X', 1_002_000, 7_500, { articleId: 'a' }), fired('b|Y', 'Y', 2_003_000, 8_000, { articleId: 'b' })],
      o: byArticle,
      want: { latencies: [2_000, 2_500], lost: [] as string[], untimed: 0, spurious: 0 },
    },
    {
      name: 'no signal: lost; a null headline that fired: spurious',
      shocks: [shock('a', 'X', 1_000_000), shock('b', 'Y', 2_000_000)],
      fired: [fired('a|X', 'X', 1_002_000, 7_500, { articleId: 'a' }), fired('n|Z', 'Z', 1_500_000, 7_000, { articleId: 'n' })],
      o: byArticle,
      want: { latencies: [2_500], lost: ['b'], untimed: 0, spurious: 1 },
    },
    {
      name: 'wrong direction or before the jump: lost, and the record spurious',
      shocks: [shock('a', 'X', 1_000_000), shock('b', 'Y', 2_000_000)],
      fired: [fired('a|X', 'X', 1_002_000, 7_500, { articleId: 'a', direction: 'down' }), fired('b|Y', 'Y', 1_999_000, 8_000, { articleId: 'b' })],
      o: byArticle,
      want: { latencies: [], lost: ['a', 'b'], untimed: 0, spurious: 2 },
    },
    {
      name: 'later than lostAfterMs: lost',
      shocks: [shock('a', 'X', 1_000_000)],
      fired: [fired('a|X', 'X', 1_002_000, 35_001, { articleId: 'a' })],
      o: byArticle,
      want: { latencies: [], lost: ['a'], untimed: 0, spurious: 0 },
    },
    {
      name: 'trigger trade not in the produce log: untimed',
      shocks: [shock('a', 'X', 1_000_000)],
      fired: [fired('a|X', 'X', 1_002_001, 7_500, { articleId: 'a' })],
      o: byArticle,
      want: { latencies: [], lost: [], untimed: 1, spurious: 0 },
    },
    {
      name: 'moves: by symbol, direction and window; one alert per shock',
      shocks: [shock('a', 'X', 1_000_000), shock('b', 'Y', 2_000_000)],
      fired: [
        fired('X|1002000', 'X', 1_002_000, 6_000, { articleId: null }),
        fired('Y|2003000', 'Y', 2_003_000, 6_900, { articleId: null }),
        fired('X|1040000', 'X', 1_040_000, 9_000, { articleId: null }),
      ],
      o: byMove,
      want: { latencies: [900, 1_000], lost: [], untimed: 0, spurious: 1 },
    },
    {
      name: 'moves: outside the window or the other direction do not count',
      shocks: [shock('a', 'X', 1_000_000, 'down')],
      fired: [fired('X|1002000', 'X', 1_002_000, 6_000, { articleId: null }), fired('X|1031000', 'X', 1_031_000, 6_000, { articleId: null, direction: 'down' })],
      o: byMove,
      want: { latencies: [], lost: ['a'], untimed: 0, spurious: 2 },
    },
  ])('$name', ({ shocks, fired: f, o, want }) => {
    const m = matchShocks(shocks, f, produced, o)
    expect(m.latencies).toEqual(want.latencies)
    expect(m.lost.map((s) => s.articleId)).toEqual(want.lost)
    expect(m.untimed).toHaveLength(want.untimed)
    expect(m.spurious).toHaveLength(want.spurious)
  })
})
