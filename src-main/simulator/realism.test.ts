import { describe, expect, it } from 'vitest'
import { MarketFactor } from './factor'
import { historyMinuteBars } from './history'
import { sessionOf } from './intraday'
import { SymbolMarket } from './market'
import { hashSeed, Rng } from './prng'
import { LIMIT_STATE_MS, linearShock, luldBand, newsShock, rampsLevel, type ShockShape } from './shocks'
import { symbolProfile } from './symbols'
import { ConditionSets } from './tape'

const ET = (h: number, m = 0): number => Date.UTC(2026, 10, 18, h + 5, m) // Wednesday 2026-11-18, EST
const OPEN = ET(9, 30)

function market(symbol: string, factor: MarketFactor, intensity = 0.5, seed = 3): SymbolMarket {
  return new SymbolMarket(symbolProfile(seed, symbol), { seed, origin: factor.origin, intensity, quoteRatio: 1, conds: new ConditionSets(), factor })
}

/** Close (last last-updating print) of every minute in [from, to), NaN where a minute has none. */
function minuteCloses(m: SymbolMarket, from: number, to: number): number[] {
  const out = new Array<number>(Math.round((to - from) / 60_000)).fill(NaN)
  for (let i = m.trades.lowerBound(from); i < m.trades.length && m.trades.ts(i) < to; i++) {
    if ((m.trades.flags(i) & 1) === 0) continue
    out[Math.floor((m.trades.ts(i) - from) / 60_000)] = m.trades.price(i)
  }
  return out
}

/** OLS slope of y on x (with intercept) over the pairs where both are finite. */
function slope(x: readonly number[], y: readonly number[]): number {
  const pairs = x.map((xi, i) => [xi, y[i] ?? NaN] as const).filter(([a, b]) => Number.isFinite(a) && Number.isFinite(b))
  const mx = pairs.reduce((s, [a]) => s + a, 0) / pairs.length
  const my = pairs.reduce((s, [, b]) => s + b, 0) / pairs.length
  let sxy = 0
  let sxx = 0
  for (const [a, b] of pairs) {
    sxy += (a - mx) * (b - my)
    sxx += (a - mx) ** 2
  }
  return sxy / sxx
}

const logReturns = (closes: readonly number[]): number[] => closes.slice(1).map((c, i) => Math.log(c / (closes[i] ?? NaN)))

/** Median price of the prints in [a, b). */
function medianPrice(m: SymbolMarket, a: number, b: number): number {
  const xs: number[] = []
  for (let i = m.trades.lowerBound(a); i < m.trades.length && m.trades.ts(i) < b; i++) xs.push(m.trades.price(i))
  xs.sort((p, q) => p - q)
  return xs[xs.length >> 1] ?? NaN
}

/** The first seed whose news shock has the wanted halt state (the draws are deterministic). */
function shockWith(halted: boolean, start: number, log: number, notBefore = start - 30 * 60_000): ShockShape {
  for (let s = 0; s < 5000; s++) {
    const shape = newsShock(new Rng(hashSeed(s, 'test')), { start, log, session: sessionOf(start), notBefore, volumeFactor: 4, mayHalt: true })
    if ((shape.halt !== null) === halted) return shape
  }
  throw new Error('no such shock')
}

describe('market factor', () => {
  it('gives every symbol the beta it is configured with, measured on 1-minute returns of the tape', () => {
    const factor = new MarketFactor(7, OPEN)
    const spy = market('SPY', factor)
    spy.advance(ET(16))
    const x = logReturns(minuteCloses(spy, OPEN, ET(16)))
    const measured: Record<string, number> = {}
    for (const sym of ['KO', 'JPM', 'AMZN']) {
      const m = market(sym, factor)
      m.advance(ET(16))
      measured[sym] = slope(x, logReturns(minuteCloses(m, OPEN, ET(16))))
      // Standard errors here are 0.06–0.1 (390 minutes); 0.3 is three of them or more.
      expect(Math.abs(measured[sym]! - symbolProfile(3, sym).beta), sym).toBeLessThan(0.3)
    }
    expect(measured.KO!).toBeLessThan(measured.AMZN!)
  })

  it('gives the minute history before the tape the same betas (the detector measures beta there)', () => {
    const factor = new MarketFactor(7, OPEN)
    // Returns of consecutive minutes of a day only, as the detector takes them (no overnight gap).
    const returns = (sym: string): number[] => {
      const bars = historyMinuteBars(7, market(sym, factor))
      return bars.slice(1).map((b, i) => (b.t - bars[i]!.t === 60_000 ? Math.log(b.c / bars[i]!.c) : NaN))
    }
    const x = returns('SPY')
    for (const sym of ['KO', 'AMZN', 'NVDA']) {
      const beta = slope(x, returns(sym))
      expect(Math.abs(beta - symbolProfile(3, sym).beta), sym).toBeLessThan(0.25)
    }
  })

  it('spreads betas between 0.5 and 1.8, SPY at 1 with a realistic price and a low volatility', () => {
    const names = ['AAPL', 'NVDA', 'KO', 'JNJ', 'TSLA', 'ZZQX', 'ABCD', 'QWER', 'MNOP']
    for (const s of names) {
      const p = symbolProfile(1, s)
      expect(p.beta).toBeGreaterThanOrEqual(0.5)
      expect(p.beta).toBeLessThanOrEqual(1.8)
      expect(p.idioVol).toBeGreaterThan(0)
    }
    expect(new Set(names.map((s) => symbolProfile(1, s).beta)).size).toBeGreaterThan(5)
    const spy = symbolProfile(1, 'SPY')
    expect(spy.beta).toBe(1)
    expect(spy.idioVol).toBe(0)
    expect(Math.abs(spy.startPrice / 680 - 1)).toBeLessThan(0.03)
    expect(spy.vol).toBeLessThan(Math.min(...names.map((s) => symbolProfile(1, s).vol)))
  })

  it('is the same path whatever order it is read in, and a function of the seed', () => {
    const a = new MarketFactor(4, OPEN)
    const b = new MarketFactor(4, OPEN)
    const times = Array.from({ length: 50 }, (_, i) => OPEN + i * 397_123.5)
    const forward = times.map((t) => a.level(t))
    const backward = [...times].reverse().map((t) => b.level(t)).reverse()
    expect(backward).toEqual(forward)
    expect(new MarketFactor(5, OPEN).level(OPEN + 3_600_000)).not.toBe(forward[9])
  })

  it('moves SPY by a macro move and every other name by its beta times it', () => {
    const start = ET(11)
    const shape = newsShock(new Rng(1), { start, log: Math.log(0.98), session: 'regular', notBefore: OPEN, volumeFactor: 1, mayHalt: false })
    // Same draws with and without the move (no volume surge here): the tapes differ only by the move.
    const calm = new MarketFactor(9, OPEN)
    const moved = new MarketFactor(9, OPEN)
    moved.addMacro(shape.ramps)
    const after = shape.end + 60_000
    for (const sym of ['SPY', 'KO', 'NVDA']) {
      const a = market(sym, calm)
      const b = market(sym, moved)
      a.advance(after + 60_000)
      b.advance(after + 60_000)
      const moveOf = Math.log(medianPrice(b, after, after + 60_000) / medianPrice(a, after, after + 60_000))
      const want = symbolProfile(3, sym).beta * shape.size
      expect(Math.abs(moveOf - want), sym).toBeLessThan(0.0015)
      // Before anything of the move started, the two tapes are the same.
      const from = Math.min(...shape.ramps.map((r) => r.from))
      expect(medianPrice(b, from - 120_000, from)).toBe(medianPrice(a, from - 120_000, from))
    }
  })
})

describe('news shocks', () => {
  it('land most of the move within 5–60 s of the start, leak at most 5 min before, settle within 20 min', () => {
    for (let s = 0; s < 300; s++) {
      const start = ET(11)
      const shape = newsShock(new Rng(hashSeed(s, 'shape')), { start, log: 0.03, session: 'regular', notBefore: OPEN, volumeFactor: 4, mayHalt: false })
      expect(shape.halt).toBeNull()
      expect(shape.landed - start).toBeGreaterThanOrEqual(5_000)
      expect(shape.landed - start).toBeLessThanOrEqual(60_000)
      const before = rampsLevel(shape.ramps, start)
      const landed = rampsLevel(shape.ramps, shape.landed) - before
      expect(landed / 0.03).toBeGreaterThan(0.7)
      expect(Math.min(...shape.ramps.map((r) => r.from))).toBeGreaterThanOrEqual(start - 5 * 60_000)
      expect(shape.end).toBeLessThanOrEqual(start + 20 * 60_000)
      expect(Math.sign(shape.size)).toBe(1)
    }
  })

  it('shows the move on the tape within 60 s of its start', () => {
    const factor = new MarketFactor(2, ET(10, 30))
    const shape = shockWith(false, ET(11), Math.log(1.06))
    const m = market('KO', factor, 1)
    m.addShape(shape)
    m.advance(shape.landed + 30_000)
    const before = medianPrice(m, shape.start - 10_000, shape.start)
    const landed = medianPrice(m, shape.landed, shape.landed + 10_000)
    const main = rampsLevel(shape.ramps, shape.landed) - rampsLevel(shape.ramps, shape.start)
    expect(Math.log(landed / before)).toBeGreaterThan(main * 0.8)
    expect(Math.log(landed / before)).toBeLessThan(main * 1.2)
    // Ten seconds before the start nothing of the main move shows.
    expect(Math.abs(Math.log(medianPrice(m, shape.start - 20_000, shape.start - 10_000) / before))).toBeLessThan(0.01)
  })

  it('halts some big shocks in the regular session: no prints or quotes in the halt, then trading at the new price', () => {
    const shape = shockWith(true, ET(13), Math.log(1.08))
    const halt = shape.halt!
    expect(halt.to - halt.from === 5 * 60_000 || halt.to - halt.from === 10 * 60_000).toBe(true)
    const m = market('JPM', new MarketFactor(2, ET(12)), 1)
    m.addShape(shape)
    m.advance(halt.to + 60_000)
    const inHalt = (ts: number): boolean => ts >= halt.from && ts < halt.to
    let prints = 0
    for (let i = 0; i < m.trades.length; i++) if (inHalt(m.trades.ts(i))) prints++
    let quotes = 0
    for (let i = 0; i < m.quotes.length; i++) if (inHalt(m.quotes.quote(i).ts)) quotes++
    expect([prints, quotes]).toEqual([0, 0])
    expect(m.trades.length - m.trades.lowerBound(halt.to)).toBeGreaterThan(10)
    const reopened = Math.log(medianPrice(m, halt.to, halt.to + 30_000) / medianPrice(m, shape.start - 30_000, shape.start))
    expect(reopened).toBeGreaterThan(Math.log(1.08) * 0.8)
    // Never outside the regular session, never for small moves.
    for (let s = 0; s < 300; s++) {
      const pre = newsShock(new Rng(s), { start: ET(8), log: 0.08, session: 'pre', notBefore: ET(7), volumeFactor: 4, mayHalt: true })
      const small = newsShock(new Rng(s), { start: ET(13), log: 0.02, session: 'regular', notBefore: ET(12), volumeFactor: 4, mayHalt: true })
      expect([pre.halt, small.halt]).toEqual([null, null])
    }
  })

  it('halts only after the price reached the LULD band and held there for the 15-second limit state', () => {
    const shape = shockWith(true, ET(13), Math.log(1.07))
    const halt = shape.halt!
    const m = market('JPM', new MarketFactor(2, ET(12)), 1)
    m.addShape(shape)
    m.advance(halt.to + 60_000)
    const before = medianPrice(m, shape.start - 30_000, shape.start)
    // The last 10 s before the pause trade at the band (5 % at 13:00 ET), bid/ask and the factor aside.
    const atBand = Math.log(medianPrice(m, halt.from - 10_000, halt.from) / before)
    expect(atBand).toBeGreaterThan(Math.log(1.05) - 0.006)
    expect(atBand).toBeLessThan(Math.log(1.05) + 0.006)
    expect(halt.from - shape.start).toBeGreaterThanOrEqual(LIMIT_STATE_MS)
    expect(halt.from - shape.start).toBeLessThanOrEqual(60_000 + LIMIT_STATE_MS)
    // The whole move is there at the reopening.
    const main = rampsLevel(shape.ramps, halt.to) - rampsLevel(shape.ramps, shape.start)
    expect(main).toBeCloseTo(Math.log(1.07) - rampsLevel(shape.ramps, shape.start), 9)
    // Below the band never halts: 4.5 % at 13:00, or 8 % in the doubled band of 09:30–09:45 and 15:35–16:00.
    for (let s = 0; s < 300; s++) {
      for (const [start, log] of [[ET(13), Math.log(1.045)], [ET(9, 36), Math.log(1.08)], [ET(15, 42), -Math.log(1.08)]] as const) {
        expect(newsShock(new Rng(s), { start, log, session: 'regular', notBefore: start - 3_600_000, volumeFactor: 4, mayHalt: true }).halt).toBeNull()
      }
    }
  })

  it('takes the LULD band of a Tier 1 stock from the time of day', () => {
    const cases: [number, number][] = [[ET(9, 30), 0.1], [ET(9, 44), 0.1], [ET(9, 45), 0.05], [ET(12), 0.05], [ET(15, 34), 0.05], [ET(15, 35), 0.1], [ET(15, 59), 0.1]]
    for (const [t, band] of cases) expect([t, luldBand(t)]).toEqual([t, band])
  })

  it('keeps the tape independent of chunking with shocks, halts and macro moves', () => {
    const build = (): SymbolMarket => {
      const f = new MarketFactor(6, OPEN)
      f.addMacro(newsShock(new Rng(3), { start: OPEN + 600_000, log: 0.01, session: 'regular', notBefore: OPEN, volumeFactor: 1, mayHalt: false }).ramps)
      const m = market('JPM', f, 1)
      m.addShape(shockWith(true, OPEN + 960_000, 0.06))
      m.addShape(linearShock(OPEN + 900_000, 1000, -0.02, 3, OPEN + 960_000))
      return m
    }
    const a = build()
    a.advance(OPEN + 1_800_000)
    const b = build()
    for (let t = OPEN; t < OPEN + 1_800_000; t += 4321.5) b.advance(t)
    b.advance(OPEN + 1_800_000)
    const rows = (m: SymbolMarket): string => JSON.stringify(Array.from({ length: m.trades.length }, (_, i) => m.trades.trade(i)))
    expect(rows(b)).toBe(rows(a))
  })
})

describe('extended hours', () => {
  it('prints Form T (12, odd lots [12, 37]) exactly in the pre-market and after-hours, thinner and with wider spreads', () => {
    const factor = new MarketFactor(1, ET(9))
    const m = market('AAPL', factor, 1)
    m.advance(ET(10))
    const bad: string[] = []
    let pre = 0
    let oddPre = 0
    let regular = 0
    for (let i = 0; i < m.trades.length; i++) {
      const t = m.trades.trade(i)
      const extended = sessionOf(t.ts) === 'pre' || sessionOf(t.ts) === 'post'
      if (t.conditions.includes(12) !== extended) bad.push(`${t.ts} ${t.conditions.join(',')}`)
      if (extended) {
        pre++
        if (t.size < 100) {
          oddPre++
          if (!(t.conditions.includes(37) && t.conditions.includes(12))) bad.push(`odd ${t.conditions.join(',')}`)
        }
      } else regular++
    }
    expect(bad).toEqual([])
    expect(pre).toBeGreaterThan(50)
    // 30 minutes before the open against 30 minutes after it.
    expect(regular).toBeGreaterThan(pre * 5)
    expect(oddPre / pre).toBeGreaterThan(0.3)
    const spread = (a: number, b: number): number => {
      const xs: number[] = []
      for (let i = 0; i < m.quotes.length; i++) {
        const q = m.quotes.quote(i)
        if (q.ts >= a && q.ts < b) xs.push(q.ask - q.bid)
      }
      return xs.reduce((s, x) => s + x, 0) / xs.length
    }
    expect(spread(ET(9), OPEN)).toBeGreaterThan(spread(OPEN, ET(10)) * 2)
  })

  it('prints after the close as Form T and counts them in bars (Polygon aggregates cover the extended hours)', () => {
    const m = market('MSFT', new MarketFactor(1, ET(15, 50)), 1)
    m.advance(ET(16, 20))
    let post = 0
    for (let i = 0; i < m.trades.length; i++) {
      const t = m.trades.trade(i)
      expect(t.conditions.includes(12), String(t.ts)).toBe(t.ts >= ET(16))
      if (t.ts >= ET(16) && t.size >= 100 && t.conditions.length === 1) {
        post++
        expect(m.trades.flags(i) & 1).toBe(1)
      }
    }
    expect(post).toBeGreaterThan(10)
  })
})

describe('overnight', () => {
  it('keeps a thin floor of ordinary prints (no Form T) between 20:00 and 04:00 ET for the demo', () => {
    const m = market('AAPL', new MarketFactor(1, ET(19, 50)), 1)
    m.advance(ET(20, 10))
    let night = 0
    let post = 0
    for (let i = 0; i < m.trades.length; i++) {
      const t = m.trades.trade(i)
      expect(t.conditions.includes(12), String(t.ts)).toBe(t.ts < ET(20))
      if (t.ts >= ET(20)) night++
      else post++
    }
    expect(night).toBeGreaterThan(10)
    expect(post).toBeGreaterThan(night * 0.5)
  })
})

describe('bid-ask bounce', () => {
  it('prints bounce between bid and ask in a calm tape: many reversals, small in size', () => {
    const m = market('INTC', new MarketFactor(2, ET(12)), 1)
    m.advance(ET(12, 10))
    let reversals = 0
    let moves = 0
    let prevStep = 0
    let maxStep = 0
    for (let i = 1; i < m.trades.length; i++) {
      if ((m.trades.flags(i) & 1) === 0 || (m.trades.flags(i - 1) & 1) === 0) continue
      const step = Math.log(m.trades.price(i) / m.trades.price(i - 1))
      if (step === 0) continue
      moves++
      if (prevStep !== 0 && Math.sign(step) !== Math.sign(prevStep)) reversals++
      prevStep = step
      maxStep = Math.max(maxStep, Math.abs(step))
    }
    expect(moves).toBeGreaterThan(200)
    // A random walk reverses half the time; the bounce makes reversals the rule.
    expect(reversals / moves).toBeGreaterThan(0.6)
    // One bounce is a few bp (INTC at ~$22: a cent is 4.5 bp), never a move.
    expect(maxStep).toBeLessThan(0.002)
  })
})
