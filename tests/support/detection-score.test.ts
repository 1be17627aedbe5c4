import { describe, expect, it } from 'vitest'
import {
  blankImpactRecord,
  DEFAULT_IMPACT_SETTINGS,
  type ImpactRecordV2,
  type MoveAlert,
} from '../../src-main/domain/impact'
import type { GroundTruthEntry } from '../../src-main/simulator/guardian/generator'
import type { ShockTruth } from '../../src-main/simulator/types'
import {
  dist,
  hoursBySession,
  scoreDetection,
  newestHeadlines,
  scoreScreen,
  type ObservedMove,
  type ScoreInput,
} from './detection-score'

// Tue 2026-11-24 11:00 ET (regular session).
const T = Date.UTC(2026, 10, 24, 16, 0)
const S = 1000
const MIN = 60_000

function shock(symbol: string | null, start: number, over: Partial<ShockTruth> = {}): ShockTruth {
  return {
    id: `${symbol ?? 'MARKET'}|${start}`,
    symbol,
    start,
    end: start + 2 * MIN,
    from: start,
    landed: start + 30 * S,
    direction: 'up',
    size: 0.02,
    halted: null,
    session: 'regular',
    articleId: symbol ? `a-${symbol}-${start}` : null,
    ...over,
  }
}

function move(symbol: string, detectedAt: number, direction: 'up' | 'down' = 'up'): ObservedMove {
  const alert: MoveAlert = {
    id: `${symbol}|${detectedAt}`,
    symbol,
    windowStart: detectedAt - MIN,
    detectedAt,
    direction,
    size: direction === 'up' ? 0.01 : -0.01,
    z: direction === 'up' ? 5 : -5,
    sigma: 0.002,
    beta: 1,
    adjusted: true,
    price: 100,
    headlines: [],
    settings: { proxy: 'SPY', zMove: 4 },
    origin: 'app',
  }
  return { alert, emittedDataAt: detectedAt + 500 }
}

function record(
  articleId: string,
  symbol: string,
  published: number,
  over: Partial<ImpactRecordV2> = {},
): ImpactRecordV2 {
  return {
    ...blankImpactRecord({
      articleId,
      symbol,
      published,
      receivedAt: published,
      asOf: published + 15 * MIN,
      settings: DEFAULT_IMPACT_SETTINGS,
      origin: 'app',
    }),
    ...over,
  }
}

function article(
  articleId: string,
  kind: GroundTruthEntry['kind'],
  symbol: string | null,
  published: number,
): GroundTruthEntry {
  return { articleId, kind, published, revision: 0, title: articleId, symbol, shock: null, recycledOf: null }
}

const input = (over: Partial<ScoreInput>): ScoreInput => ({
  from: T,
  to: T + 60 * MIN,
  symbols: ['AAPL', 'MSFT'],
  shocks: [],
  articles: [],
  received: new Map(),
  impacts: [],
  moves: [],
  ...over,
})

describe('scoreDetection: shock recall, delay and first told', () => {
  const x = shock('AAPL', T + 10 * MIN, { from: T + 9 * MIN, end: T + 14 * MIN })
  const art = x.articleId!
  const cases: {
    name: string
    moves: ObservedMove[]
    impacts: ImpactRecordV2[]
    recalled: boolean
    moveDelayMs: number | null
    toldDelayMs: number | null
    toldBy: 'move' | 'signal' | null
  }[] = [
    {
      name: 'a right-direction alert 3 s after the start',
      moves: [move('AAPL', x.start + 3 * S)],
      impacts: [],
      recalled: true,
      moveDelayMs: 3 * S,
      toldDelayMs: 3 * S,
      toldBy: 'move',
    },
    {
      name: 'an alert on the leakage (before the start) counts, delay negative',
      moves: [move('AAPL', x.start - 30 * S)],
      impacts: [],
      recalled: true,
      moveDelayMs: -30 * S,
      toldDelayMs: -30 * S,
      toldBy: 'move',
    },
    {
      name: 'an alert before the leakage is not about the shock',
      moves: [move('AAPL', x.from - S)],
      impacts: [],
      recalled: false,
      moveDelayMs: null,
      toldDelayMs: null,
      toldBy: null,
    },
    {
      name: 'wrong direction: not recalled, but the trader was told',
      moves: [move('AAPL', x.start + 3 * S, 'down')],
      impacts: [],
      recalled: false,
      moveDelayMs: null,
      toldDelayMs: 3 * S,
      toldBy: 'move',
    },
    {
      name: 'an alert after start + 5 min: told late, not recalled',
      moves: [move('AAPL', x.start + 6 * MIN)],
      impacts: [],
      recalled: false,
      moveDelayMs: null,
      toldDelayMs: 6 * MIN,
      toldBy: 'move',
    },
    {
      name: 'another symbol’s alert says nothing about this shock',
      moves: [move('MSFT', x.start + 3 * S)],
      impacts: [],
      recalled: false,
      moveDelayMs: null,
      toldDelayMs: null,
      toldBy: null,
    },
    {
      name: 'the headline’s signal, alertAt within 5 min',
      moves: [],
      impacts: [
        record(art, 'AAPL', x.start, {
          signal: 'up',
          detectedAt: x.start + 4 * S,
          alertAt: x.start + 90 * S,
        }),
      ],
      recalled: true,
      moveDelayMs: null,
      toldDelayMs: 90 * S,
      toldBy: 'signal',
    },
    {
      name: 'a signal the poller delivered after 5 min is not a recall',
      moves: [],
      impacts: [
        record(art, 'AAPL', x.start, {
          signal: 'up',
          detectedAt: x.start + 4 * S,
          alertAt: x.start + 7 * MIN,
        }),
      ],
      recalled: false,
      moveDelayMs: null,
      toldDelayMs: 7 * MIN,
      toldBy: 'signal',
    },
    {
      name: 'the earlier of move alert and signal tells first',
      moves: [move('AAPL', x.start + 20 * S)],
      impacts: [
        record(art, 'AAPL', x.start, {
          signal: 'up',
          detectedAt: x.start + 4 * S,
          alertAt: x.start + 10 * S,
        }),
      ],
      recalled: true,
      moveDelayMs: 20 * S,
      toldDelayMs: 10 * S,
      toldBy: 'signal',
    },
    {
      name: 'a signal in the wrong direction neither recalls nor tells',
      moves: [],
      impacts: [
        record(art, 'AAPL', x.start, {
          signal: 'down',
          detectedAt: x.start + 4 * S,
          alertAt: x.start + 10 * S,
        }),
      ],
      recalled: false,
      moveDelayMs: null,
      toldDelayMs: null,
      toldBy: null,
    },
  ]
  for (const c of cases)
    it(c.name, () => {
      const s = scoreDetection(input({ shocks: [x], moves: c.moves, impacts: c.impacts }))
      expect(s.shocks).toHaveLength(1)
      const got = s.shocks[0]!
      expect({
        recalled: got.recalled,
        moveDelayMs: got.moveDelayMs,
        toldDelayMs: got.toldDelayMs,
        toldBy: got.toldBy,
      }).toEqual({
        recalled: c.recalled,
        moveDelayMs: c.moveDelayMs,
        toldDelayMs: c.toldDelayMs,
        toldBy: c.toldBy,
      })
      expect(s.recall).toEqual({ n: 1, hit: c.recalled ? 1 : 0, rate: c.recalled ? 1 : 0 })
      // Never told counts as +∞ in the first-told distribution.
      expect(s.toldDelaySec.p50).toBe(c.toldDelayMs === null ? Infinity : c.toldDelayMs / 1000)
    })

  it('scores only shocks of scored symbols starting in the span, and splits recall by session', () => {
    const pre = shock('MSFT', T + 20 * MIN, { session: 'pre' })
    const s = scoreDetection(
      input({
        shocks: [x, pre, shock('AAPL', T - MIN), shock('TSLA', T + 5 * MIN), shock(null, T + 30 * MIN)],
        moves: [move('MSFT', pre.start + 2 * S)],
      }),
    )
    expect(s.shocks.map((y) => y.id)).toEqual([x.id, pre.id])
    expect(s.recallBySession.pre).toEqual({ n: 1, hit: 1, rate: 1 })
    expect(s.recallBySession.regular).toEqual({ n: 1, hit: 0, rate: 0 })
    expect(s.macroMoves).toBe(1)
  })
})

describe('scoreDetection: false move alerts', () => {
  const own = shock('AAPL', T + 20 * MIN, { from: T + 19 * MIN, end: T + 22 * MIN })
  const macro = shock(null, T + 40 * MIN, { from: T + 40 * MIN, end: T + 41 * MIN })
  const cases: { name: string; m: ObservedMove; false: boolean; duringMacro?: boolean }[] = [
    { name: 'no shock anywhere near', m: move('AAPL', T + 5 * MIN), false: true, duringMacro: false },
    {
      name: 'within 5 min before the own shock’s leakage',
      m: move('AAPL', own.from - 4 * MIN),
      false: false,
    },
    { name: 'within 5 min after the own shock’s end', m: move('AAPL', own.end + 4 * MIN), false: false },
    {
      name: 'more than 5 min after the own shock’s end',
      m: move('AAPL', own.end + 6 * MIN),
      false: true,
      duringMacro: false,
    },
    {
      name: 'another symbol’s shock does not excuse it',
      m: move('MSFT', own.start + 5 * S),
      false: true,
      duringMacro: false,
    },
    {
      name: 'a macro move is not a shock of its own',
      m: move('MSFT', macro.start + 10 * S),
      false: true,
      duringMacro: true,
    },
    {
      name: 'the market proxy and unscored symbols are not counted',
      m: move('SPY', T + 5 * MIN),
      false: false,
    },
    { name: 'alerts after the span are not counted', m: move('MSFT', T + 61 * MIN), false: false },
  ]
  for (const c of cases)
    it(c.name, () => {
      const s = scoreDetection(input({ shocks: [own, macro], moves: [c.m] }))
      expect(s.falseMoves.length).toBe(c.false ? 1 : 0)
      if (c.false) expect(s.falseMoves[0]!.duringMacro).toBe(c.duringMacro)
      // 2 symbols × 1 hour: one false alert is 10 per 20 symbol-hours.
      expect(s.symbolHours).toBe(2)
      expect(s.falseMovesPer20SymbolHours).toBe(c.false ? 10 : 0)
    })
})

describe('scoreDetection: false signals on null headlines and during macro moves', () => {
  const macro = shock(null, T + 30 * MIN, { from: T + 29 * MIN, end: T + 32 * MIN })
  const nullEarly = article('n1', 'null', 'AAPL', T + 5 * MIN)
  const nullDuring = article('n2', 'null', 'MSFT', T + 27 * MIN)
  const otherDuring = article('o1', 'other', 'AAPL', T + 31 * MIN)
  const otherAfter = article('o2', 'other', 'AAPL', T + 40 * MIN)
  const undecided = article('n3', 'null', 'MSFT', T + 50 * MIN)
  const s = scoreDetection(
    input({
      shocks: [macro],
      articles: [
        nullEarly,
        nullDuring,
        otherDuring,
        otherAfter,
        undecided,
        article('m1', 'macro', null, macro.start),
      ],
      impacts: [
        record('n1', 'AAPL', nullEarly.published, { signal: 'none' }),
        record('n2', 'MSFT', nullDuring.published, { signal: 'up', z5: 3.5 }),
        record('o1', 'AAPL', otherDuring.published, { signal: 'none' }),
        record('o2', 'AAPL', otherAfter.published, { signal: 'down' }),
        record('n3', 'MSFT', undecided.published),
      ],
    }),
  )
  it('a null headline with up/down is false; undecided ones are counted apart', () => {
    expect(s.nullHeadlines.map((h) => [h.articleId, h.falseSignal, h.decided])).toEqual([
      ['n1', false, true],
      ['n2', true, true],
      ['n3', false, false],
    ])
    expect(s.nullFalseRate).toEqual({ n: 2, hit: 1, rate: 0.5, undecided: 1 })
  })
  it('single-stock headlines whose 5 minutes overlap a macro move', () => {
    expect(s.macroHeadlines.map((h) => h.articleId)).toEqual(['n2', 'o1'])
    expect(s.macroFalseRate).toEqual({ n: 2, hit: 1, rate: 0.5, undecided: 0 })
  })
})

describe('helpers', () => {
  it('dist: nearest-rank percentiles, empty is NaN', () => {
    expect(dist([5, 1, 3, 2, 4])).toEqual({ n: 5, p50: 3, p90: 5, max: 5 })
    expect(dist([]).p50).toBeNaN()
  })
  it('hoursBySession: ET sessions on a minute grid', () => {
    // 09:00–10:00 ET: half pre-market, half regular.
    const h = hoursBySession(Date.UTC(2026, 10, 24, 14, 0), Date.UTC(2026, 10, 24, 15, 0))
    expect(h).toEqual({ pre: 0.5, regular: 0.5, post: 0, none: 0 })
  })
})

describe('scoreScreen: headlines on screen with numbers', () => {
  const at = T + 60 * MIN
  const received = new Map([
    ['a', { receivedAt: at - 5 * S, published: T, tickers: ['AAPL', 'MSFT'] }],
    ['b', { receivedAt: at - 5 * S, published: at - 30 * S, tickers: ['AAPL'] }],
  ])
  const cases: {
    name: string
    impacts: [string, ImpactRecordV2][]
    traded: boolean
    want: { n: number; withNumbers: number; excluded: number }
  }[] = [
    {
      name: 'a pair with ret1 has numbers; a record without it does not; a headline under a minute old is left out',
      impacts: [
        ['a|AAPL', record('a', 'AAPL', T, { ret1: 0.01 })],
        ['a|MSFT', record('a', 'MSFT', T)],
      ],
      traded: true,
      want: { n: 2, withNumbers: 1, excluded: 1 },
    },
    {
      name: 'no trades in the first minute: left out',
      impacts: [],
      traded: false,
      want: { n: 0, withNumbers: 0, excluded: 3 },
    },
  ]
  for (const c of cases)
    it(c.name, () => {
      const r = scoreScreen({ at, received, impacts: new Map(c.impacts), tradedIn: () => c.traded })
      expect({ n: r.n, withNumbers: r.withNumbers, excluded: r.excluded }).toEqual(c.want)
      expect(r.missing.length).toBe(r.n - r.withNumbers)
    })
})

describe('newestHeadlines: the first page of the timeline', () => {
  it.each([
    ['the newest n by publication', [['a', 1], ['b', 3], ['c', 2]], 2, ['b', 'c']],
    ['fewer than n: all, newest first', [['a', 1], ['b', 3]], 10, ['b', 'a']],
    ['ties by id', [['z', 5], ['y', 5], ['x', 1]], 2, ['y', 'z']],
  ] as const)('%s', (_name, list, n, want) => {
    const m = new Map(list.map(([id, published]) => [id, { published }]))
    expect([...newestHeadlines(m, n).keys()]).toEqual(want)
  })
})
