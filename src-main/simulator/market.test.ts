import { describe, expect, it } from 'vitest'
import { aggregateTrades, BarAccumulator } from './bars'
import { updatesLast, updatesVolume } from './conditions'
import { easternDayStart, easternOffset } from '../domain/eastern-time'
import { intradayFactor, OFF_SESSION_FACTOR } from './intraday'
import { SymbolMarket } from './market'
import { hashSeed, Rng } from './prng'
import { DEFAULT_UNIVERSE, symbolProfile } from './symbols'
import { ConditionSets } from './tape'

const OPEN = Date.UTC(2026, 10, 18, 14, 30) // 09:30 ET
const MIDDAY = Date.UTC(2026, 10, 18, 17, 30) // 12:30 ET

function market(symbol: string, seed = 1, origin = OPEN, intensity = 1): SymbolMarket {
  return new SymbolMarket(symbolProfile(seed, symbol), { seed, origin, intensity, quoteRatio: 1, conds: new ConditionSets() })
}

function tapeOf(m: SymbolMarket): number[][] {
  const t = m.trades
  const rows: number[][] = []
  for (let i = 0; i < t.length; i++) {
    const x = t.trade(i)
    rows.push([x.ts, x.price, x.size, x.exchange, x.seq, Number(x.id), ...x.conditions])
  }
  return rows
}

describe('market model', () => {
  it('generates the same tape however generation is chunked', () => {
    const a = market('AAPL')
    a.advance(OPEN + 300_000)
    const b = market('AAPL')
    for (let t = OPEN; t <= OPEN + 300_000; t += 137.5) b.advance(t)
    b.advance(OPEN + 300_000)
    expect(JSON.stringify(tapeOf(b))).toBe(JSON.stringify(tapeOf(a)))
    expect(a.trades.length).toBeGreaterThan(1000)
  })

  it('is deterministic per (seed, symbol) and differs across seeds', () => {
    const a = market('MSFT', 5)
    const b = market('MSFT', 5)
    const c = market('MSFT', 6)
    for (const m of [a, b, c]) m.advance(OPEN + 60_000)
    expect(JSON.stringify(tapeOf(a))).toBe(JSON.stringify(tapeOf(b)))
    expect(JSON.stringify(tapeOf(c))).not.toBe(JSON.stringify(tapeOf(a)))
  })

  it('starts well-known names at realistic prices and seeds others from the name', () => {
    const want: Record<string, number> = { AAPL: 230, MSFT: 420, NVDA: 140, TSLA: 250, AMZN: 200, GOOGL: 170, META: 560 }
    for (const [sym, p] of Object.entries(want)) {
      const got = symbolProfile(9, sym).startPrice
      expect(Math.abs(got / p - 1)).toBeLessThan(0.03)
    }
    expect(symbolProfile(1, 'ZZZQ').startPrice).toBe(symbolProfile(1, 'ZZZQ').startPrice)
    expect(symbolProfile(1, 'ZZZQ').startPrice).toBeGreaterThan(1)
    expect(DEFAULT_UNIVERSE.length).toBeGreaterThanOrEqual(18)
  })

  it('prices trades on the cent grid, sizes are mostly round lots, odd lots carry 37, q strictly increases', () => {
    const m = market('NVDA')
    m.advance(OPEN + 120_000)
    const trades = Array.from({ length: m.trades.length }, (_, i) => m.trades.trade(i))
    let odd = 0
    let lastSeq = -1
    const exchanges = new Set<number>()
    const violations: string[] = []
    for (const t of trades) {
      if (Math.round(t.price * 100) / 100 !== t.price) violations.push(`off-grid ${t.price}`)
      if (t.size < 100) {
        odd++
        if (!t.conditions.includes(37)) violations.push(`odd lot without 37: ${t.seq}`)
      } else if (t.size % 100 !== 0) violations.push(`size ${t.size}`)
      if (t.seq <= lastSeq) violations.push(`seq ${t.seq} after ${lastSeq}`)
      lastSeq = t.seq
      exchanges.add(t.exchange)
      if (t.tape !== 3) violations.push(`tape ${t.tape}`)
    }
    expect(violations).toEqual([])
    expect(odd / trades.length).toBeGreaterThan(0.1)
    expect(odd / trades.length).toBeLessThan(0.4)
    expect(exchanges.size).toBeGreaterThan(5)
    // Sequence numbers are not contiguous.
    expect(trades.some((t, i) => i > 0 && t.seq - trades[i - 1]!.seq > 1)).toBe(true)
  })

  it('keeps every quote with ask above bid, trades inside or at the quote', () => {
    const m = market('AAPL')
    m.advance(OPEN + 60_000)
    const bad: number[] = []
    for (let i = 0; i < m.quotes.length; i++) {
      const q = m.quotes.quote(i)
      if (!(q.ask > q.bid) || q.bidSize % 100 !== 0 || q.bid <= 0) bad.push(i)
    }
    expect(m.quotes.length).toBeGreaterThan(100)
    expect(bad).toEqual([])
  })

  it('follows the intraday U-shape: busier at the open than at midday', () => {
    const open = market('AAPL', 2, OPEN)
    open.advance(OPEN + 300_000)
    const mid = market('AAPL', 2, MIDDAY)
    mid.advance(MIDDAY + 300_000)
    expect(open.trades.length).toBeGreaterThan(mid.trades.length * 2)
  })

  it('has a realistic volatility (annualised 10–100 %) measured on 1-minute returns', () => {
    const m = market('MSFT', 4, MIDDAY)
    m.advance(MIDDAY + 120 * 60_000)
    const bars = aggregateTrades(
      (function* () {
        for (let i = 0; i < m.trades.length; i++) {
          const f = m.trades.flags(i)
          yield { ts: m.trades.ts(i), price: m.trades.price(i), size: m.trades.size(i), last: (f & 1) !== 0, vol: (f & 2) !== 0 }
        }
      })(),
      (ts) => [ts - (ts % 60_000), ts - (ts % 60_000) + 60_000],
    )
    const rets = bars.slice(1).map((b, i) => Math.log(b.c / bars[i]!.c))
    const mean = rets.reduce((s, r) => s + r, 0) / rets.length
    const sd = Math.sqrt(rets.reduce((s, r) => s + (r - mean) ** 2, 0) / (rets.length - 1))
    const annual = sd * Math.sqrt(252 * 390)
    expect(annual).toBeGreaterThan(0.1)
    expect(annual).toBeLessThan(1)
  })

  it('applies a shock to the price and the trade rate', () => {
    const calm = market('KO', 8, MIDDAY)
    const shocked = market('KO', 8, MIDDAY)
    const at = MIDDAY + 60_000
    shocked.addShock({ at, overMs: 2000, logJump: Math.log(1.1), volumeFactor: 5, volumeUntil: at + 60_000 })
    calm.advance(at + 60_000)
    shocked.advance(at + 60_000)
    const avg = (m: SymbolMarket, a: number, b: number): number => {
      let s = 0
      let n = 0
      for (let i = 0; i < m.trades.length; i++) {
        const ts = m.trades.ts(i)
        if (ts >= a && ts < b) {
          s += m.trades.price(i)
          n++
        }
      }
      return s / n
    }
    const before = avg(shocked, at - 30_000, at)
    const after = avg(shocked, at + 5_000, at + 60_000)
    expect(after / before).toBeGreaterThan(1.07)
    expect(after / before).toBeLessThan(1.13)
    const count = (m: SymbolMarket): number => m.trades.length - m.trades.lowerBound(at)
    expect(count(shocked)).toBeGreaterThan(count(calm) * 3)
  })
})

describe('bars and conditions', () => {
  it.each([
    [[], true, true],
    [[37], false, true],
    [[14], true, true],
    [[14, 37], false, true],
    [[15], false, false],
    [[2], false, true],
  ])('conditions %j update last=%s volume=%s', (conds, last, vol) => {
    expect(updatesLast(conds)).toBe(last)
    expect(updatesVolume(conds)).toBe(vol)
  })

  it('BarAccumulator: OHLC from last-updating trades, volume/vwap/count from volume-updating ones', () => {
    const b = new BarAccumulator()
    b.reset(0, 1000)
    b.add(10, 50, false, true) // odd lot: volume only
    expect(b.hasBar).toBe(false)
    b.add(10.5, 100, true, true)
    b.add(11, 100, true, true)
    b.add(9, 100, false, false) // official open print: neither
    b.add(10.2, 200, true, true)
    expect([b.open, b.high, b.low, b.close]).toEqual([10.5, 11, 10.2, 10.2])
    expect(b.volume).toBe(450)
    expect(b.trades).toBe(4)
    expect(b.vwap).toBe(Math.round(((10 * 50 + 10.5 * 100 + 11 * 100 + 10.2 * 200) / 450) * 10_000) / 10_000)
  })

  it('aggregateTrades emits no bar for a window without a last-updating trade', () => {
    const w = (ts: number): [number, number] => [ts - (ts % 1000), ts - (ts % 1000) + 1000]
    const bars = aggregateTrades(
      [
        { ts: 100, price: 1, size: 10, last: false, vol: true },
        { ts: 1100, price: 2, size: 100, last: true, vol: true },
        { ts: 3100, price: 3, size: 100, last: true, vol: true },
      ],
      w,
    )
    expect(bars.map((b) => b.t)).toEqual([1000, 3000])
  })
})

describe('eastern time', () => {
  it.each([
    [Date.UTC(2026, 0, 15, 12), -5],
    [Date.UTC(2026, 6, 15, 12), -4],
    [Date.UTC(2026, 2, 8, 6, 59), -5], // just before 2am EST on the 2nd Sunday of March
    [Date.UTC(2026, 2, 8, 7, 0), -4],
    [Date.UTC(2026, 10, 1, 5, 59), -4], // first Sunday of November
    [Date.UTC(2026, 10, 1, 6, 0), -5],
  ])('offset at %i is %i h', (t, h) => {
    expect(easternOffset(t)).toBe(h * 3_600_000)
  })

  it('finds Eastern midnight', () => {
    expect(easternDayStart(Date.UTC(2026, 10, 18, 15))).toBe(Date.UTC(2026, 10, 18, 5))
    expect(easternDayStart(Date.UTC(2026, 10, 18, 3))).toBe(Date.UTC(2026, 10, 17, 5))
    expect(easternDayStart(Date.UTC(2026, 6, 18, 15))).toBe(Date.UTC(2026, 6, 18, 4))
  })

  it('intraday factor is U-shaped in session with a floor outside', () => {
    const at = (h: number, m: number): number => intradayFactor(Date.UTC(2026, 10, 18, h + 5, m))
    expect(at(9, 30)).toBeGreaterThan(at(12, 30) * 2.5)
    expect(at(15, 55)).toBeGreaterThan(at(12, 30) * 1.8)
    expect(at(12, 30)).toBeCloseTo(1, 1)
    expect(at(3, 0)).toBe(OFF_SESSION_FACTOR)
  })
})

describe('prng', () => {
  it('is reproducible and roughly uniform', () => {
    const a = new Rng(hashSeed(1, 'AAPL'))
    const b = new Rng(hashSeed(1, 'AAPL'))
    const xs = Array.from({ length: 10_000 }, () => a.next())
    expect(Array.from({ length: 10_000 }, () => b.next())).toEqual(xs)
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length
    expect(mean).toBeGreaterThan(0.48)
    expect(mean).toBeLessThan(0.52)
    expect(hashSeed(1, 'AAPL')).not.toBe(hashSeed(2, 'AAPL'))
    expect(hashSeed(1, 'AAPL')).not.toBe(hashSeed(1, 'MSFT'))
  })
})
