import { describe, expect, it } from 'vitest'
import { DEFAULT_THRESHOLDS } from '../domain/news'
import type { ImpactTrade } from './impact'
import { computeImpact, decideSignal, sigmaAt, sourceFromTrades } from './impact'

const M = 60_000
const T0 = Date.UTC(2026, 10, 24, 16, 0, 0, 250)
const art = { id: 'a/1', published: T0, receivedAt: T0 + 1500, title: 'Apple unveils thing' }
let seq = 0
const tr = (ts: number, price: number, size = 100, conditions: number[] = [], symbol = 'AAPL'): ImpactTrade => ({
  symbol,
  ts,
  price,
  size,
  conditions,
  seq: ++seq,
})

describe('decideSignal', () => {
  it.each([
    [null, 10, 'none'],
    [3, null, 'up'],
    [-3, null, 'down'],
    [2.999, null, 'none'],
    [2.5, 3, 'up'],
    [-2, 3, 'down'],
    [-1.999, 3, 'none'],
    [2.5, 2.999, 'none'],
    [0, 10, 'none'],
  ] as const)('z5=%s rvol5=%s → %s', (z5, rvol5, signal) => {
    expect(decideSignal(z5, rvol5, DEFAULT_THRESHOLDS)).toBe(signal)
  })
})

describe('sigmaAt', () => {
  it('is the sample standard deviation of the 1-minute log returns (divisor n − 1)', () => {
    // Prices alternate 100, 101: returns ±ln(1.01), 30 of them, mean ≈ 0.
    const price = (t: number): number => (Math.round((T0 - t) / M) % 2 === 0 ? 100 : 101)
    const r = Math.log(1.01)
    const rets = Array.from({ length: 30 }, (_, i) => (i % 2 === 0 ? r : -r))
    const mean = rets.reduce((s, x) => s + x, 0) / 30
    const expected = Math.sqrt(rets.reduce((s, x) => s + (x - mean) ** 2, 0) / 29)
    expect(sigmaAt(price, T0)).toBeCloseTo(expected, 15)
  })
  it('skips missing points and is null under two returns', () => {
    expect(sigmaAt(() => null, T0)).toBeNull()
    expect(sigmaAt((t) => (t >= T0 - M ? 100 : null), T0)).toBeNull() // one return
    expect(sigmaAt((t) => (t >= T0 - 2 * M ? 100 : null), T0)).toBe(0) // two zero returns
  })
})

describe('computeImpact edge cases', () => {
  it('ignores other symbols, invalid trades and trades after asOf', () => {
    const trades = [
      tr(T0 - 10 * M, 100),
      tr(T0 - 1000, 101),
      tr(T0 - 500, 0), // invalid price
      tr(T0 - 400, Number.NaN),
      tr(T0 - 300, 500, 100, [], 'MSFT'),
      tr(T0 + 30_000, 110),
    ]
    const early = computeImpact({ article: art, symbol: 'AAPL', trades, asOf: T0 + 10_000 })
    expect(early.p0).toBe(101)
    expect(early.ret1).toBeNull()
    expect(early.signal).toBeNull()
    expect(early.final).toBe(false)
    expect(early.latencyMs).toBe(1500)
    // Known at asOf only: published after asOf reads the last price at asOf.
    const before = computeImpact({ article: art, symbol: 'AAPL', trades, asOf: T0 - 5 * M })
    expect(before.p0).toBe(100)
    const late = computeImpact({ article: art, symbol: 'AAPL', trades, asOf: T0 + 15 * M })
    expect(late.ret1).toBeCloseTo(110 / 101 - 1, 15)
    expect(late.ret15).toBeCloseTo(110 / 101 - 1, 15)
    expect(late.final).toBe(true)
  })

  it('rvol5 is null with no baseline volume and 0 with no volume after t0', () => {
    const onlyBefore = [tr(T0 - 50 * M, 10, 600), tr(T0 - 1, 10, 600)]
    expect(computeImpact({ article: art, symbol: 'AAPL', trades: onlyBefore, asOf: T0 + 5 * M }).rvol5).toBe(0)
    const onlyAfter = [tr(T0 - 61 * M, 10, 600), tr(T0 + 1, 10, 600)]
    expect(computeImpact({ article: art, symbol: 'AAPL', trades: onlyAfter, asOf: T0 + 5 * M }).rvol5).toBeNull()
  })

  it('a symbol with no trades at all gives nulls and signal none once t0 + 5 m passed', () => {
    const r = computeImpact({ article: art, symbol: 'ZZZ', trades: [tr(T0, 1)], asOf: T0 + 6 * M })
    expect([r.p0, r.ret1, r.ret5, r.sigma, r.z5, r.rvol5]).toEqual([null, null, null, null, null, null])
    expect(r.signal).toBe('none')
  })

  it('sorting: unsorted input gives the same record as sorted input', () => {
    const trades = Array.from({ length: 400 }, (_, i) => tr(T0 - 62 * M + i * 20_000, 100 + Math.sin(i) * 2, 100 + (i % 7) * 100))
    const shuffled = [...trades].reverse()
    const a = computeImpact({ article: art, symbol: 'AAPL', trades, asOf: T0 + 16 * M })
    const b = computeImpact({ article: art, symbol: 'AAPL', trades: shuffled, asOf: T0 + 16 * M })
    expect(b).toEqual(a)
  })

  it('ties on ts: highest seq wins whatever the listing order; equal seq → listed last', () => {
    const a = { symbol: 'AAPL', ts: T0, price: 10, size: 1, seq: 7 }
    const b = { symbol: 'AAPL', ts: T0, price: 20, size: 1, seq: 5 }
    expect(sourceFromTrades([a, b], 'AAPL').priceAt(T0)).toBe(10)
    expect(sourceFromTrades([b, a], 'AAPL').priceAt(T0)).toBe(10)
    const c = { ...a, price: 30 }
    expect(sourceFromTrades([a, c], 'AAPL').priceAt(T0)).toBe(30)
    expect(sourceFromTrades([c, a], 'AAPL').priceAt(T0)).toBe(10)
  })

  it('volume intervals are half-open [a, b)', () => {
    const s = sourceFromTrades([tr(1000, 1, 5), tr(2000, 1, 7), tr(3000, 1, 11, [15])], 'AAPL')
    expect(s.volume(1000, 2000)).toBe(5)
    expect(s.volume(1000, 2001)).toBe(12)
    expect(s.volume(1001, 4000)).toBe(7) // condition 15 counts for neither price nor volume
    expect(s.volume(2000, 1000)).toBe(0)
  })
})
