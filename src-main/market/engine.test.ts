import { describe, expect, it } from 'vitest'
import type { Bar, Timeframe, Trade } from '../domain/market'
import { TIMEFRAMES, TIMEFRAME_MS } from '../domain/market'
import { createMarketEngine } from './index'
import type { MarketEngine, MarketUpdate } from './index'
import { aggregate, MIN, ohlcv, SEC, T, trade } from './test-helpers'

function engine(depth = 100): MarketEngine {
  return createMarketEngine({ historyDepth: depth })
}

function feed(e: MarketEngine, trades: Trade[]): void {
  for (const t of trades) e.ingestTrade(t)
}

function only(updates: MarketUpdate[], symbol: string): MarketUpdate {
  const u = updates.filter((x) => x.symbol === symbol)
  expect(u).toHaveLength(1)
  return u[0] as MarketUpdate
}

describe('bars per timeframe (OHLCV + VWAP)', () => {
  const trades = [
    trade('AAPL', 10, 100, T + 100),
    trade('AAPL', 12, 200, T + 900),
    trade('AAPL', 11, 100, T + 1_500),
    trade('AAPL', 9, 300, T + 61_000),
    trade('AAPL', 13, 100, T + 301_000),
  ]
  // [start, open, high, low, close, volume, vwap]
  const cases: {
    tf: Timeframe
    bars: [number, number, number, number, number, number, number][]
    trades: number[]
  }[] = [
    {
      tf: '1s',
      bars: [
        [T, 10, 12, 10, 12, 300, 11.333333],
        [T + 1_000, 11, 11, 11, 11, 100, 11],
        [T + 61_000, 9, 9, 9, 9, 300, 9],
        [T + 301_000, 13, 13, 13, 13, 100, 13],
      ],
      trades: [2, 1, 1, 1],
    },
    {
      tf: '1m',
      bars: [
        [T, 10, 12, 10, 11, 400, 11.25],
        [T + 60_000, 9, 9, 9, 9, 300, 9],
        [T + 300_000, 13, 13, 13, 13, 100, 13],
      ],
      trades: [3, 1, 1],
    },
    {
      tf: '5m',
      bars: [
        [T, 10, 12, 9, 9, 700, 10.285714],
        [T + 300_000, 13, 13, 13, 13, 100, 13],
      ],
      trades: [4, 1],
    },
    { tf: '15m', bars: [[T, 10, 13, 9, 13, 800, 10.625]], trades: [5] },
  ]
  it.each(cases)('$tf', ({ tf, bars, trades: counts }) => {
    const e = engine()
    feed(e, trades)
    const h = e.history('AAPL', tf, 100)
    expect(h.map(ohlcv)).toEqual(bars)
    expect(h.map((b) => b.trades)).toEqual(counts)
    for (const b of h) {
      expect(b.end - b.start).toBe(TIMEFRAME_MS[tf])
      expect(b.source).toBe('trades')
      expect(b.symbol).toBe('AAPL')
    }
  })

  it('history(limit) returns the newest bars, oldest first', () => {
    const e = engine()
    feed(e, trades)
    expect(e.history('AAPL', '1s', 2).map((b) => b.start)).toEqual([T + 61_000, T + 301_000])
    expect(e.history('AAPL', '1s', 0)).toEqual([])
    expect(e.history('MSFT', '1s', 10)).toEqual([])
  })

  it('reports only the timeframes asked for (5m still composes through 1m)', () => {
    const e = createMarketEngine({ historyDepth: 10, timeframes: ['5m'] })
    feed(e, trades)
    expect(e.history('AAPL', '1m', 10)).toEqual([])
    expect(e.history('AAPL', '5m', 10).map(ohlcv)).toEqual([
      [T, 10, 12, 9, 9, 700, 10.285714],
      [T + 300_000, 13, 13, 13, 13, 100, 13],
    ])
    const u = only(e.drainUpdates(), 'AAPL')
    expect(Object.keys(u.bars)).toEqual(['5m'])
  })
})

describe('trade conditions', () => {
  // A base trade (10 × 100) then a test trade (20 × 50) with the conditions below.
  const cases: { name: string; conditions: number[]; last: boolean; volume: boolean }[] = [
    { name: 'no conditions', conditions: [], last: true, volume: true },
    { name: 'odd lot (37): volume only', conditions: [37], last: false, volume: true },
    { name: 'official close (15): nothing', conditions: [15], last: false, volume: false },
    { name: 'official open (16): nothing', conditions: [16], last: false, volume: false },
    { name: 'corrected close (38): nothing', conditions: [38], last: false, volume: false },
    { name: 'average price (2): volume only', conditions: [2], last: false, volume: true },
    { name: 'unknown code 99 counts', conditions: [99], last: true, volume: true },
    { name: 'codes not in table (14, 41) count', conditions: [14, 41], last: true, volume: true },
    { name: 'form T + odd lot: volume only', conditions: [12, 37], last: false, volume: true },
    { name: 'odd lot + official close: nothing', conditions: [37, 15], last: false, volume: false },
    {
      name: 'out-of-range / non-integer codes are unknown',
      conditions: [-1, 1.5, 100_000],
      last: true,
      volume: true,
    },
  ]
  it.each(cases)('$name', ({ conditions, last, volume }) => {
    const e = engine()
    e.ingestTrade(trade('X', 10, 100, T + 10))
    e.ingestTrade(trade('X', 20, 50, T + 20, { conditions }))
    for (const tf of TIMEFRAMES) {
      const [b] = e.history('X', tf, 10)
      expect(b?.high, tf).toBe(last ? 20 : 10)
      expect(b?.close, tf).toBe(last ? 20 : 10)
      expect(b?.low, tf).toBe(10)
      expect(b?.volume, tf).toBe(volume ? 150 : 100)
      expect(b?.vwap, tf).toBeCloseTo(volume ? 2000 / 150 : 10, 9)
      expect(b?.trades, tf).toBe(volume ? 2 : 1)
    }
    const s = e.summary('X')
    expect(s?.last).toBe(last ? 20 : 10)
    expect(s?.dayVolume).toBe(volume ? 150 : 100)
  })

  it('a window with only odd lots has no bar, but its volume is there once a round lot arrives', () => {
    const e = engine()
    e.ingestTrade(trade('X', 50, 10, T + 1, { conditions: [37] }))
    expect(e.history('X', '1m', 10)).toEqual([])
    expect(only(e.drainUpdates(), 'X').bars).toEqual({})
    expect(e.summary('X')?.last).toBeNull()
    expect(e.summary('X')?.dayVolume).toBe(10)
    e.ingestTrade(trade('X', 10, 100, T + 2))
    expect(e.history('X', '1m', 10).map(ohlcv)).toEqual([
      [T, 10, 10, 10, 10, 110, Math.round((1500 / 110) * 1e6) / 1e6],
    ])
  })
})

describe('windows', () => {
  it('empty windows get no bar', () => {
    const e = engine()
    feed(e, [trade('X', 1, 1, T + 5), trade('X', 2, 1, T + 3 * MIN + 5)])
    expect(e.history('X', '1m', 10).map((b) => b.start)).toEqual([T, T + 3 * MIN])
    expect(e.history('X', '1s', 10).map((b) => b.start)).toEqual([T, T + 3 * MIN])
  })

  const alignment: { ts: number; tf: Timeframe; start: number }[] = [
    { ts: T + 59_999, tf: '1m', start: T },
    { ts: T + 60_000, tf: '1m', start: T + MIN },
    { ts: T + 999, tf: '1s', start: T },
    { ts: T + 1_000, tf: '1s', start: T + SEC },
    { ts: T + 7 * MIN + 123, tf: '5m', start: T + 5 * MIN },
    { ts: T + 14 * MIN + 59_999, tf: '15m', start: T },
    { ts: T + 15 * MIN, tf: '15m', start: T + 15 * MIN },
  ]
  it.each(alignment)('$tf bar of a trade at T+$ts starts at an epoch multiple', ({ ts, tf, start }) => {
    const e = engine()
    e.ingestTrade(trade('X', 5, 1, ts))
    const [b] = e.history('X', tf, 1)
    expect(b?.start).toBe(start)
    expect(b?.end).toBe(start + TIMEFRAME_MS[tf])
    expect((b?.start ?? 1) % TIMEFRAME_MS[tf]).toBe(0)
  })
})

describe('late and out-of-order trades', () => {
  it('open/close follow trade time, not arrival order', () => {
    const e = engine()
    // Arrival order: the 12:00.300 trade, then .100, then .200 (same bar).
    feed(e, [
      trade('X', 3, 1, T + 300, { seq: 30 }),
      trade('X', 1, 1, T + 100, { seq: 10 }),
      trade('X', 2, 1, T + 200, { seq: 20 }),
    ])
    for (const tf of TIMEFRAMES) expect(ohlcv(e.history('X', tf, 1)[0]), tf).toEqual([T, 1, 3, 1, 3, 3, 2])
    expect(e.summary('X')?.last).toBe(3)
  })

  it('equal timestamps are ordered by sequence number', () => {
    const e = engine()
    feed(e, [
      trade('X', 5, 1, T + 100, { seq: 2 }),
      trade('X', 4, 1, T + 100, { seq: 1 }),
      trade('X', 6, 1, T + 100, { seq: 3 }),
    ])
    expect(ohlcv(e.history('X', '1m', 1)[0])).toEqual([T, 4, 6, 4, 6, 3, 5])
  })

  it('a late trade for an older bar lands in it and flags corrected', () => {
    const e = engine()
    e.ingestTrade(trade('X', 10, 100, T + 1_000))
    e.drainUpdates()
    e.ingestTrade(trade('X', 11, 100, T + 2 * MIN + 1_000))
    e.drainUpdates()
    e.ingestTrade(trade('X', 20, 100, T + 30_000))
    const u = only(e.drainUpdates(), 'X')
    expect([...u.corrected].sort()).toEqual(['1m', '1s'])
    // The newest bars are what the chart gets; nothing older than them.
    expect(u.bars['1m']?.start).toBe(T + 2 * MIN)
    expect(u.bars['1s']?.start).toBe(T + 2 * MIN + SEC)
    // Same 5m/15m bar as the newest: an in-place update, not a correction.
    expect(ohlcv(u.bars['5m'])).toEqual([T, 10, 20, 10, 11, 300, 13.666667])
    expect(ohlcv(e.history('X', '1m', 10)[0])).toEqual([T, 10, 20, 10, 20, 200, 15])
    expect(e.history('X', '1s', 10).map((b) => b.start)).toEqual([T + SEC, T + 30 * SEC, T + 2 * MIN + SEC])
    // Last price keeps the newest trade.
    expect(e.summary('X')?.last).toBe(11)
  })

  it('bars finalised between two drains come as `closed`, in order, before the newest', () => {
    const e = engine()
    e.ingestTrade(trade('X', 10, 1, T + 100))
    e.drainUpdates()
    feed(e, [
      trade('X', 12, 1, T + 59_000),
      trade('X', 13, 1, T + 61_000),
      trade('X', 14, 1, T + 2 * MIN + 1),
    ])
    const u = only(e.drainUpdates(), 'X')
    expect(u.corrected).not.toContain('1m')
    expect(u.closed['1m']?.map(ohlcv)).toEqual([
      [T, 10, 12, 10, 12, 2, 11],
      [T + MIN, 13, 13, 13, 13, 1, 13],
    ])
    expect(u.bars['1m']?.start).toBe(T + 2 * MIN)
    expect(u.closed['5m']).toBeUndefined()
  })

  it('a chart applying updates never goes back in time and ends equal to history', () => {
    // Deterministic pseudo-random stream with late trades, drained at random points.
    let x = 12345
    const rand = (): number => (x = (x * 1103515245 + 12345) % 2147483648) / 2147483648
    const e = engine(500)
    const chart = new Map<Timeframe, Bar[]>(TIMEFRAMES.map((tf) => [tf, []]))
    let seq = 0
    let now = T
    let reloads = 0
    const apply = (): void => {
      for (const u of e.drainUpdates()) {
        for (const tf of TIMEFRAMES) {
          const series = chart.get(tf) as Bar[]
          if (u.corrected.includes(tf)) {
            reloads++
            chart.set(tf, e.history('X', tf, 500))
            continue
          }
          for (const b of [...(u.closed[tf] ?? []), ...(u.bars[tf] ? [u.bars[tf]] : [])]) {
            const lastBar = series[series.length - 1]
            expect(b.start).toBeGreaterThanOrEqual(lastBar?.start ?? -Infinity)
            if (lastBar !== undefined && lastBar.start === b.start) series[series.length - 1] = b
            else series.push(b)
          }
        }
      }
    }
    for (let i = 0; i < 3_000; i++) {
      now += Math.floor(rand() * 700)
      const late = rand() < 0.05 ? Math.floor(rand() * 90_000) : 0
      const cond = rand() < 0.2 ? [37] : []
      e.ingestTrade(
        trade('X', 10 + Math.round(rand() * 100) / 10, 1 + Math.floor(rand() * 500), now - late, {
          seq: ++seq,
          conditions: cond,
        }),
      )
      if (rand() < 0.1) apply()
    }
    apply()
    expect(reloads).toBeGreaterThan(0)
    for (const tf of TIMEFRAMES) {
      // The engine keeps the newest 500; the chart may hold older ones it received before.
      const h = e.history('X', tf, 500)
      expect(h.length, tf).toBeGreaterThan(0)
      expect((chart.get(tf) as Bar[]).slice(-h.length), tf).toEqual(h)
    }
  })
})

describe('socket aggregates (A / AM) take precedence', () => {
  function withTrades(): MarketEngine {
    const e = engine()
    feed(e, [trade('X', 10, 100, T + 1_000), trade('X', 11, 100, T + 20_000)])
    return e
  }

  it('an AM bar replaces the minute built from trades, and 5m/15m are rebuilt from it', () => {
    const e = withTrades()
    expect(e.ingestAggregate(aggregate('X', 'AM', T, 10, 15, 9, 14, 1_000, 12))).toBe(true)
    for (const tf of ['1m', '5m', '15m'] as Timeframe[]) {
      const h = e.history('X', tf, 10)
      expect(h.map(ohlcv), tf).toEqual([[T, 10, 15, 9, 14, 1_000, 12]])
      expect(h[0]?.source, tf).toBe('AM')
    }
    // 1s bars stay built from trades.
    expect(e.history('X', '1s', 10).map((b) => b.source)).toEqual(['trades', 'trades'])
    expect(e.summary('X')?.dayVolume).toBe(1_000)
  })

  it('trades arriving for an AM minute change neither it nor 5m/15m (they are in the aggregate)', () => {
    const e = withTrades()
    e.ingestAggregate(aggregate('X', 'AM', T, 10, 15, 9, 14, 1_000, 12))
    e.ingestTrade(trade('X', 30, 500, T + 59_000))
    for (const tf of ['1m', '5m', '15m'] as Timeframe[])
      expect(ohlcv(e.history('X', tf, 1)[0]), tf).toEqual([T, 10, 15, 9, 14, 1_000, 12])
    expect(e.history('X', '1s', 10)).toHaveLength(3)
    expect(e.summary('X')?.dayVolume).toBe(1_000)
    // The next minute keeps aggregating from trades into the same 5m bar.
    e.ingestTrade(trade('X', 8, 200, T + MIN + 5))
    expect(ohlcv(e.history('X', '5m', 1)[0])).toEqual([T, 10, 15, 8, 8, 1_200, 11.333333])
    expect(e.summary('X')?.dayVolume).toBe(1_200)
  })

  it('an AM equal to our bar is no correction; a different one after the chart moved on is', () => {
    const e = withTrades()
    e.ingestTrade(trade('X', 12, 100, T + MIN + 1))
    e.drainUpdates()
    e.ingestAggregate(aggregate('X', 'AM', T, 10, 11, 10, 11, 200, 10.5))
    expect(e.drainUpdates()).toEqual([])
    e.ingestAggregate(aggregate('X', 'AM', T, 10, 11, 10, 11, 300, 10.6))
    const u = only(e.drainUpdates(), 'X')
    expect(u.corrected).toEqual(['1m'])
    expect(u.bars['1m']?.start).toBe(T + MIN)
    expect(ohlcv(u.bars['5m'])).toEqual([
      T,
      10,
      12,
      10,
      12,
      400,
      Math.round(((10.6 * 300 + 1200) / 400) * 1e6) / 1e6,
    ])
  })

  it('an A bar replaces its second only; later trades in that second do not change it', () => {
    const e = withTrades()
    e.ingestAggregate(aggregate('X', 'A', T + 1_000, 10, 10.5, 9.5, 10.2, 150, 10.1))
    e.ingestTrade(trade('X', 50, 1, T + 1_500))
    expect(ohlcv(e.history('X', '1s', 1)[0])).toEqual([T + 20_000, 11, 11, 11, 11, 100, 11])
    expect(ohlcv(e.history('X', '1s', 2)[0])).toEqual([T + 1_000, 10, 10.5, 9.5, 10.2, 150, 10.1])
    expect(e.history('X', '1s', 2)[0]?.source).toBe('A')
    // The minute is still built from trades (and took the 50).
    expect(ohlcv(e.history('X', '1m', 1)[0])?.slice(0, 6)).toEqual([T, 10, 50, 10, 11, 201])
  })

  it('an AM bar for a minute with no trades creates it; summaries follow when there are no trades', () => {
    const e = engine()
    e.ingestAggregate(aggregate('Y', 'AM', T + 2 * MIN, 5, 6, 4, 5.5, 700, 5.2))
    expect(e.history('Y', '1m', 5).map(ohlcv)).toEqual([[T + 2 * MIN, 5, 6, 4, 5.5, 700, 5.2]])
    expect(e.summary('Y')).toMatchObject({ last: 5.5, dayVolume: 700, ref: 5, lastTs: T + 3 * MIN - 1 })
  })

  const bad: { name: string; bar: Bar }[] = [
    { name: 'rest source', bar: aggregate('X', 'rest', T, 1, 1, 1, 1, 1, 1) },
    { name: 'NaN open', bar: aggregate('X', 'AM', T, NaN, 1, 1, 1, 1, 1) },
    { name: 'high below low', bar: aggregate('X', 'AM', T, 1, 1, 2, 1, 1, 1) },
    { name: 'negative volume', bar: aggregate('X', 'AM', T, 1, 1, 1, 1, -5, 1) },
    { name: 'empty symbol', bar: aggregate('', 'AM', T, 1, 1, 1, 1, 1, 1) },
    { name: 'start 0', bar: aggregate('X', 'AM', 0, 1, 1, 1, 1, 1, 1) },
  ]
  it.each(bad)('rejects a bad aggregate ($name) without throwing', ({ bar }) => {
    const e = engine()
    expect(e.ingestAggregate(bar)).toBe(false)
    expect(e.stats().aggregatesRejected).toBe(1)
    expect(e.history('X', '1m', 10)).toEqual([])
  })
})

describe('REST backfill', () => {
  // Trades: minute 0 fully observed, minute 1 partly (socket dropped), minute 3 after the restore.
  function setup(): MarketEngine {
    const e = engine()
    feed(e, [
      trade('X', 10, 100, T + 5_000),
      trade('X', 10.5, 100, T + 50_000),
      trade('X', 11, 100, T + MIN + 1_000),
      trade('X', 13, 100, T + 3 * MIN + 2_000),
    ])
    e.drainUpdates()
    return e
  }
  const rest = [
    aggregate('X', 'rest', T, 9, 9, 9, 9, 999, 9),
    aggregate('X', 'rest', T + MIN, 11, 12, 10.8, 12, 600, 11.5),
    aggregate('X', 'rest', T + 2 * MIN, 12, 12.5, 11.9, 12.2, 400, 12.1),
    aggregate('X', 'rest', T + 2 * MIN, 12, 12.5, 11.9, 12.2, 400, 12.1),
    aggregate('X', 'rest', T + 3 * MIN, 1, 1, 1, 1, 1, 1),
  ]
  const gap = { from: T + MIN, to: T + 2 * MIN }

  it('replaces gap minutes, keeps fully observed ones, and never duplicates a minute', () => {
    const e = setup()
    const r = e.ingestBackfill('X', rest, gap)
    expect(r).toEqual({ replaced: 2, added: 1, skipped: 2, rejected: 0, dropped: 0 })
    expect(e.history('X', '1m', 10).map((b) => [...(ohlcv(b) ?? []), b.source])).toEqual([
      [T, 10, 10.5, 10, 10.5, 200, 10.25, 'trades'],
      [T + MIN, 11, 12, 10.8, 12, 600, 11.5, 'rest'],
      [T + 2 * MIN, 12, 12.5, 11.9, 12.2, 400, 12.1, 'rest'],
      [T + 3 * MIN, 13, 13, 13, 13, 100, 13, 'trades'],
    ])
    expect(ohlcv(e.history('X', '5m', 1)[0])).toEqual([
      T,
      10,
      13,
      10,
      13,
      1_300,
      Math.round((15_090 / 1_300) * 1e6) / 1e6,
    ])
    expect(e.summary('X')?.dayVolume).toBe(1_300)
    const u = only(e.drainUpdates(), 'X')
    expect(u.corrected).toEqual(['1m'])

    // Merging the same page again changes nothing.
    e.ingestBackfill('X', rest, gap)
    expect(e.history('X', '1m', 10)).toHaveLength(4)
    expect(e.summary('X')?.dayVolume).toBe(1_300)
    // Trades for a backfilled minute do not add to it.
    e.ingestTrade(trade('X', 50, 100, T + MIN + 30_000))
    expect(ohlcv(e.history('X', '1m', 3)[0])).toEqual([T + MIN, 11, 12, 10.8, 12, 600, 11.5])
    expect(e.summary('X')?.dayVolume).toBe(1_300)
  })

  it('a gap minute REST has no bar for had no qualifying trades: our partial bar is dropped', () => {
    const e = setup()
    const r = e.ingestBackfill('X', [rest[2] as Bar], gap)
    expect(r).toMatchObject({ added: 1, dropped: 1 })
    expect(e.history('X', '1m', 10).map((b) => b.start)).toEqual([T, T + 2 * MIN, T + 3 * MIN])
    expect(e.summary('X')?.dayVolume).toBe(200 + 400 + 100)
  })

  it('without a gap, REST only fills minutes that have no bar (history load)', () => {
    const e = setup()
    const r = e.ingestBackfill('X', rest)
    expect(r).toEqual({ replaced: 0, added: 1, skipped: 4, rejected: 0, dropped: 0 })
    expect(e.history('X', '1m', 10).map((b) => b.source)).toEqual(['trades', 'trades', 'rest', 'trades'])
  })

  it('AM bars keep precedence over REST inside a gap', () => {
    const e = setup()
    e.ingestAggregate(aggregate('X', 'AM', T + MIN, 11, 11.2, 10.9, 11.1, 350, 11.05))
    e.ingestBackfill('X', rest, gap)
    expect(e.history('X', '1m', 10)[1]?.source).toBe('AM')
  })

  it('rejects invalid REST bars one by one', () => {
    const e = setup()
    const r = e.ingestBackfill('X', [
      aggregate('X', 'rest', T + 4 * MIN, NaN, 1, 1, 1, 1, 1),
      aggregate('X', 'rest', T + 5 * MIN, 2, 2, 2, 2, 10, 2),
    ])
    expect(r).toEqual({ replaced: 0, added: 1, skipped: 0, rejected: 1, dropped: 0 })
  })
})

describe('duplicates', () => {
  const cases: { name: string; trades: Trade[]; volume: number; duplicates: number }[] = [
    {
      name: 'same seq twice',
      trades: [trade('X', 1, 100, T, { seq: 5 }), trade('X', 1, 100, T, { seq: 5 })],
      volume: 100,
      duplicates: 1,
    },
    {
      name: 'same id without seq',
      trades: [
        trade('X', 1, 100, T, { seq: 0, id: 'a' }),
        trade('X', 1, 100, T, { seq: 0, id: 'a' }),
        trade('X', 1, 100, T, { seq: 0, id: 'b' }),
      ],
      volume: 200,
      duplicates: 1,
    },
    {
      name: 'out-of-order new seq is not a duplicate',
      trades: [
        trade('X', 1, 100, T + 5, { seq: 10 }),
        trade('X', 1, 100, T + 1, { seq: 7 }),
        trade('X', 1, 100, T + 6, { seq: 7 }),
      ],
      volume: 200,
      duplicates: 1,
    },
    {
      name: 'same seq on another symbol counts',
      trades: [trade('X', 1, 100, T, { seq: 5 }), trade('Y', 1, 100, T, { seq: 5 })],
      volume: 100,
      duplicates: 0,
    },
  ]
  it.each(cases)('$name', ({ trades, volume, duplicates }) => {
    const e = engine()
    feed(e, trades)
    expect(e.summary('X')?.dayVolume).toBe(volume)
    expect(e.history('X', '1m', 1)[0]?.volume).toBe(volume)
    expect(e.stats().duplicates).toBe(duplicates)
  })

  it('a replay of a whole stream does not double count, even beyond the window', () => {
    const e = createMarketEngine({ historyDepth: 10, dedupWindow: 16 })
    const stream = Array.from({ length: 40 }, (_, i) => trade('X', 10, 10, T + i * 100, { seq: i + 1 }))
    feed(e, stream)
    feed(e, stream)
    expect(e.summary('X')?.dayVolume).toBe(400)
    expect(e.stats().duplicates).toBe(40)
  })

  it('a sequence restart (new session numbering, newer times) is accepted', () => {
    const e = createMarketEngine({ historyDepth: 10, dedupWindow: 4 })
    feed(
      e,
      Array.from({ length: 8 }, (_, i) => trade('X', 10, 1, T + i, { seq: 1000 + i })),
    )
    feed(e, [
      trade('X', 10, 1, T + MIN, { seq: 1 }),
      trade('X', 10, 1, T + MIN + 1, { seq: 2 }),
      trade('X', 10, 1, T + MIN + 2, { seq: 2 }),
    ])
    expect(e.summary('X')?.dayVolume).toBe(10)
  })
})

describe('bad trades never throw and are counted', () => {
  const bad: { name: string; t: Trade }[] = [
    { name: 'NaN price', t: trade('X', NaN, 1, T) },
    { name: 'zero price', t: trade('X', 0, 1, T) },
    { name: 'infinite price', t: trade('X', Infinity, 1, T) },
    { name: 'negative size', t: trade('X', 1, -1, T) },
    { name: 'ts 0', t: trade('X', 1, 1, 0) },
    { name: 'ts in ns', t: trade('X', 1, 1, T * 1e6) },
    { name: 'empty symbol', t: trade('', 1, 1, T) },
    { name: 'symbol not a string', t: { ...trade('X', 1, 1, T), symbol: 7 as unknown as string } },
  ]
  it.each(bad)('$name', ({ t }) => {
    const e = engine()
    expect(e.ingestTrade(t)).toBe(false)
    expect(e.stats().rejected).toBe(1)
    expect(e.history('X', '1m', 1)).toEqual([])
  })

  it('missing conditions are treated as none', () => {
    const e = engine()
    expect(e.ingestTrade({ ...trade('X', 1, 1, T), conditions: undefined as unknown as number[] })).toBe(true)
    expect(e.summary('X')?.last).toBe(1)
  })
})

describe('ring buffer bounds', () => {
  it('keeps the newest `historyDepth` bars per timeframe; older windows are dropped', () => {
    const e = engine(5)
    for (let m = 0; m < 20; m++) e.ingestTrade(trade('X', 100 + m, 1, T + m * MIN))
    expect(e.history('X', '1m', 100).map((b) => b.close)).toEqual([115, 116, 117, 118, 119])
    expect(e.history('X', '5m', 100)).toHaveLength(4)
    const s = e.sizes('X')
    for (const tf of TIMEFRAMES) {
      expect(s?.rings[tf]?.len, tf).toBeLessThanOrEqual(5)
      expect(s?.rings[tf]?.cap, tf).toBeLessThanOrEqual(5)
    }
    // A late trade older than what is kept cannot land anywhere: counted, not stored.
    const before = e.stats().tooOld
    e.ingestTrade(trade('X', 1, 1, T + 2 * MIN))
    expect(e.stats().tooOld).toBe(before + 2)
    expect(e.history('X', '1m', 100).map((b) => b.close)).toEqual([115, 116, 117, 118, 119])
  })
})

describe('summaries', () => {
  it('change against the first trade of the day when no previous close is known', () => {
    const e = engine()
    feed(e, [trade('X', 50, 100, T + 10), trade('X', 55, 100, T + 20)])
    expect(e.summary('X')).toEqual({
      symbol: 'X',
      last: 55,
      ref: 50,
      change: 5,
      changePct: 10,
      dayVolume: 200,
      lastTs: T + 20,
    })
  })

  it('change against the previous close once set, for that day only', () => {
    const e = engine()
    e.setReference('X', 40, T)
    feed(e, [trade('X', 50, 100, T + 10)])
    expect(e.summary('X')).toMatchObject({ last: 50, ref: 40, change: 10, changePct: 25 })
    // Next trading day: yesterday's reference no longer applies.
    e.ingestTrade(trade('X', 60, 1, T + 24 * 3_600_000))
    expect(e.summary('X')).toMatchObject({ last: 60, ref: 60, change: 0, dayVolume: 1 })
  })

  it('a reference set before the first trade of a new day applies to that day', () => {
    const e = engine()
    e.ingestTrade(trade('X', 10, 1, T))
    const nextMorning = T + 20 * 3_600_000
    e.setReference('X', 12, nextMorning)
    e.ingestTrade(trade('X', 15, 1, nextMorning + 1))
    expect(e.summary('X')).toMatchObject({ ref: 12, change: 3, dayVolume: 1 })
  })

  it('late trades: an earlier one becomes the first of the day, the last price stays the newest', () => {
    const e = engine()
    feed(e, [trade('X', 50, 1, T + 1_000), trade('X', 45, 1, T + 500)])
    expect(e.summary('X')).toMatchObject({ last: 50, ref: 45, lastTs: T + 1_000 })
  })

  it('drainUpdates: one entry per changed symbol, with its summary; nothing when idle', () => {
    const e = engine()
    feed(e, [trade('A', 1, 1, T), trade('B', 2, 1, T), trade('A', 3, 1, T + 1)])
    const u = e.drainUpdates()
    expect(u.map((x) => x.symbol).sort()).toEqual(['A', 'B'])
    expect(only(u, 'A').summary.last).toBe(3)
    expect(Object.keys(only(u, 'A').bars).sort()).toEqual(['15m', '1m', '1s', '5m'])
    expect(e.drainUpdates()).toEqual([])
  })
})

describe('trading-day rollover (US Eastern, DST)', () => {
  const H = 3_600_000
  const cases: { name: string; t1: number; t2: number; reset: boolean }[] = [
    {
      name: 'winter: 23:30 EST → 23:59 EST same day',
      t1: Date.UTC(2024, 0, 10, 4, 30),
      t2: Date.UTC(2024, 0, 10, 4, 59),
      reset: false,
    },
    {
      name: 'winter: 23:59 EST → 00:00 EST next day',
      t1: Date.UTC(2024, 0, 10, 4, 59),
      t2: Date.UTC(2024, 0, 10, 5, 0),
      reset: true,
    },
    {
      name: 'summer: 23:59 EDT → 00:00 EDT',
      t1: Date.UTC(2024, 6, 1, 3, 59),
      t2: Date.UTC(2024, 6, 1, 4, 0),
      reset: true,
    },
    {
      name: 'summer: 04:30 UTC is still the same EDT day as 04:00 UTC',
      t1: Date.UTC(2024, 6, 1, 4, 0),
      t2: Date.UTC(2024, 6, 1, 4, 30),
      reset: false,
    },
    {
      name: 'DST start day (Mar 10 2024): 23:30 EST Mar 9 → 00:00 EST Mar 10',
      t1: Date.UTC(2024, 2, 10, 4, 30),
      t2: Date.UTC(2024, 2, 10, 5, 0),
      reset: true,
    },
    {
      name: 'DST start day: 00:00 EST → 23:59 EDT same day (23 h)',
      t1: Date.UTC(2024, 2, 10, 5, 0),
      t2: Date.UTC(2024, 2, 11, 3, 59),
      reset: false,
    },
    {
      name: 'day after DST start: 00:00 EDT',
      t1: Date.UTC(2024, 2, 11, 3, 59),
      t2: Date.UTC(2024, 2, 11, 4, 0),
      reset: true,
    },
    {
      name: 'DST end day (Nov 3 2024): 00:00 EDT starts it',
      t1: Date.UTC(2024, 10, 3, 3, 59),
      t2: Date.UTC(2024, 10, 3, 4, 0),
      reset: true,
    },
    {
      name: 'DST end day lasts 25 h: 23:59 EST same day',
      t1: Date.UTC(2024, 10, 3, 4, 0),
      t2: Date.UTC(2024, 10, 4, 4, 59),
      reset: false,
    },
    {
      name: 'after DST end: 00:00 EST Nov 4',
      t1: Date.UTC(2024, 10, 4, 4, 59),
      t2: Date.UTC(2024, 10, 4, 5, 0),
      reset: true,
    },
  ]
  it.each(cases)('$name', ({ t1, t2, reset }) => {
    const e = engine()
    e.ingestTrade(trade('X', 10, 100, t1))
    e.ingestTrade(trade('X', 11, 7, t2))
    expect(e.summary('X')?.dayVolume).toBe(reset ? 7 : 107)
    expect(e.summary('X')?.ref).toBe(reset ? 11 : 10)
    expect(t2 - t1).toBeLessThan(25 * H)
  })

  it('rollover(now) resets day volume of idle symbols and reports them', () => {
    const e = engine()
    e.ingestTrade(trade('X', 10, 100, T))
    e.drainUpdates()
    e.rollover(T + 3_600_000)
    expect(e.drainUpdates()).toEqual([])
    e.rollover(T + 14 * 3_600_000)
    const u = only(e.drainUpdates(), 'X')
    expect(u.summary).toMatchObject({ last: 10, ref: null, dayVolume: 0, change: null })
    expect(u.bars).toEqual({})
  })

  it('a late trade from the previous day adds to its bars but not to today', () => {
    const e = engine()
    e.ingestTrade(trade('X', 10, 100, T + 24 * 3_600_000))
    e.ingestTrade(trade('X', 9, 5, T))
    expect(e.summary('X')?.dayVolume).toBe(100)
    expect(e.history('X', '1m', 5).map((b) => b.start)).toEqual([T, T + 24 * 3_600_000])
  })
})
