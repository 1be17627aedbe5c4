import { describe, expect, it } from 'vitest'
import type { Trade } from '../domain/market'
import { createMarketEngine, LATE_TRF_MS } from './engine'
import { MIN, SEC, T, trade } from './test-helpers'

function engine() {
  return createMarketEngine({ historyDepth: 100 })
}

describe('decimal volume: fractional-share trades count to the millionth, whole shares stay exact', () => {
  // [name, sizes, expected bar and day volume]
  const cases: Array<[string, number[], number]> = [
    ['whole shares', [100, 200, 300], 600],
    ['tenths that doubles cannot add exactly', [0.1, 0.2, 0.3], 0.6],
    ['a fractional trade beside whole ones', [100, 0.740474, 40], 140.740474],
    ['a thousand thousandths make one share', Array.from({ length: 1000 }, () => 0.001), 1],
    ['large whole volume stays whole', [999_999_999, 999_999_999, 2], 2_000_000_000],
  ]
  it.each(cases)('%s', (_name, sizes, volume) => {
    const e = engine()
    sizes.forEach((s, k) => e.ingestTrade(trade('AAPL', 10 + (k % 3), s, T + k)))
    const [bar] = e.history('AAPL', '1m', 1)
    expect(bar?.volume).toBe(volume)
    expect(e.summary('AAPL')?.dayVolume).toBe(volume)
    // VWAP weighs each print by its true size.
    const pv = sizes.reduce((a, s, k) => a + (10 + (k % 3)) * s, 0)
    expect(bar?.vwap).toBeCloseTo(pv / volume, 9)
  })

  it('an AM bar with decimal volume replaces ours, and the day volume moves by the exact difference', () => {
    const e = engine()
    e.ingestTrade(trade('AAPL', 10, 100.5, T + 1))
    e.ingestAggregate({
      symbol: 'AAPL',
      start: T,
      end: T + MIN,
      open: 10,
      high: 10,
      low: 10,
      close: 10,
      volume: 100.740474,
      vwap: 10,
      trades: 2,
      source: 'AM',
    })
    expect(e.history('AAPL', '1m', 1)[0]?.volume).toBe(100.740474)
    expect(e.summary('AAPL')?.dayVolume).toBe(100.740474)
  })
})

describe('late TRF prints land where Polygon’s aggregates put them: the window of their trft, up to 15 minutes late', () => {
  const trf = (price: number, size: number, t: number, trft: number, trfi: number | undefined): Trade => ({
    ...trade('AAPL', price, size, t),
    exchange: 4,
    trfi,
    trft,
    pt: trft,
  })
  // [name, SIP time, trft, trfi, 1m window it lands in (null: none), day volume]
  const cases: Array<[string, number, number, number | undefined, number | null]> = [
    ['on time (trft = t): its own minute', T + 5 * MIN + SEC, T + 5 * MIN + SEC, 202, T + 5 * MIN],
    ['3 minutes late: the minute it happened', T + 5 * MIN + SEC, T + 2 * MIN + 30 * SEC, 202, T + 2 * MIN],
    ['exactly 15 minutes late: still its minute', T + 20 * MIN, T + 5 * MIN, 202, T + 5 * MIN],
    ['20 minutes late: no intraday bar, day volume only', T + 25 * MIN, T + 5 * MIN, 202, null],
    ['trft after t (clock skew): SIP time', T + 5 * MIN, T + 6 * MIN, 202, T + 5 * MIN],
    ['trft without a TRF id: SIP time', T + 5 * MIN + SEC, T + 2 * MIN, undefined, T + 5 * MIN],
  ]
  it.each(cases)('%s', (_name, t, trft, trfi, window) => {
    const e = engine()
    e.ingestTrade(trf(50, 40, t, trft, trfi))
    const bars = e.history('AAPL', '1m', 100)
    if (window === null) {
      expect(bars).toEqual([])
      expect(e.stats().lateTrf).toBe(1)
    } else {
      expect(bars.map((b) => b.start)).toEqual([window])
      expect(bars[0]?.volume).toBe(40)
      // The 1 s bar follows the same time.
      const placed = trfi !== undefined && trft < t ? trft : t
      expect(e.history('AAPL', '1s', 100).map((b) => b.start)).toEqual([placed - (placed % SEC)])
    }
    expect(e.summary('AAPL')?.dayVolume).toBe(40)
  })

  it('a late print re-opens its past bar and does not become the last price', () => {
    const e = engine()
    e.ingestTrade(trade('AAPL', 100, 10, T + 2 * MIN + 10 * SEC))
    e.ingestTrade(trade('AAPL', 101, 10, T + 5 * MIN + SEC))
    e.drainUpdates()
    e.ingestTrade(trf(99, 500, T + 5 * MIN + 2 * SEC, T + 2 * MIN + 30 * SEC, 202))
    const [past, now] = e.history('AAPL', '1m', 2)
    expect(past).toMatchObject({ start: T + 2 * MIN, low: 99, close: 99, volume: 510 })
    expect(now).toMatchObject({ start: T + 5 * MIN, close: 101, volume: 10 })
    expect(e.summary('AAPL')?.last).toBe(101)
    // The chart is told the older bar changed.
    const [u] = e.drainUpdates()
    expect(u?.corrected).toContain('1m')
  })

  it('the limit is 15 minutes', () => {
    expect(LATE_TRF_MS).toBe(900_000)
  })
})
