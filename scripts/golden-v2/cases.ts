// The golden inputs of news impact v2 and move alerts (fixtures/news-impact/v2/, docs/impact-v2.md): one builder
// per case, deterministic (a generator seeded from the case name). scripts/golden-v2/gen.ts runs the reference
// on them; gen.test.ts checks that each case exercises what its description says.
import { CaseBuilder, cents, scale, step, sum, tradingDaysBefore, walk, zero, type Gap, type Path } from './builder'
import { MIN, type GoldenInput } from './reference'

const S = 'AAPL'
const M = 'SPY'

interface DaySpec {
  from: number
  to: number
  stock?: string
  base?: number
  /** True beta of the generated stock against the proxy (today and on the previous days). */
  beta?: number
  sdM?: number
  sdS?: number
  /** Extra log moves of the stock's own (idiosyncratic) and of the proxy (the stock follows with beta). */
  s?: Path
  m?: Path
  gapS?: Gap
  gapM?: Gap
  conditions?: (t: number) => number[]
  /** Previous days' minute-bar ranges (ET wall clock); default 10:00–10:45 plus the case's own. */
  ranges?: [string, string][]
  prevSdS?: number
  noProxy?: boolean
  noPrevious?: boolean
  volumePerMin?: number
  /** Size multiplier of the stock's prints at t. */
  volume?: (t: number) => number
}

/** A stock and the proxy printing over [from, to] with live coverage, and 5 previous sessions of minute bars. */
function day(b: CaseBuilder, o: DaySpec): { priceS: (t: number) => number; priceM: (t: number) => number } {
  const stock = o.stock ?? S
  const beta = o.beta ?? 1.2
  const baseS = o.base ?? 231.4
  const mPath = sum(walk(b.rng, o.from, o.to, o.sdM ?? 0.0005), o.m ?? zero)
  const sPath = sum(scale(beta, mPath), walk(b.rng, o.from, o.to, o.sdS ?? 0.0007), o.s ?? zero)
  const priceM = (t: number): number => 602.15 * Math.exp(mPath(t))
  const priceS = (t: number): number => baseS * Math.exp(sPath(t))
  if (!o.noPrevious) {
    b.previousDays({
      days: tradingDaysBefore(b.date, 5),
      ranges: o.ranges ?? [['10:00', '10:45']],
      stocks: [{ symbol: stock, base: baseS, beta, sdPerMin: o.prevSdS ?? 0.0007, volumePerMin: o.volumePerMin ?? 5000 }],
    })
  }
  b.tape({ symbol: stock, from: o.from, to: o.to, gap: o.gapS ?? [1000, 5000], price: priceS, conditions: o.conditions, volume: o.volume })
  b.cover(stock, o.from, o.to)
  if (!o.noProxy) {
    b.tape({ symbol: M, from: o.from, to: o.to, gap: o.gapM ?? [2000, 6000], price: priceM, conditions: o.conditions })
    b.cover(M, o.from, o.to)
  }
  return { priceS, priceM }
}

/** Dense prints (gaps of 300–1500 ms) in [from, to], the usual 1–5 s elsewhere. */
const denseIn =
  (from: number, to: number): Gap =>
  (t) =>
    t >= from && t <= to ? [300, 1500] : [1000, 5000]

const formT = (b: CaseBuilder): ((t: number) => number[]) => {
  const open = b.et('09:30')
  return (t) => (t < open ? [12] : [])
}

export interface CaseDef {
  name: string
  build: () => GoldenInput
}

export const CASES: CaseDef[] = [
  {
    name: 'premarket-form-t',
    build: () => {
      const b = new CaseBuilder(
        'premarket-form-t',
        'Pre-market headline at 07:15 ET: every print is Form T ([12], eligible); odd-lot Form T prints ([12, 37]) at stray prices are not. A +1.2% jump 15 s after the headline fires the early signal on Form T prints.',
        '2026-12-01',
      )
      const t0 = b.et('07:15')
      const from = t0 - 32 * MIN
      const to = t0 + 16 * MIN
      const { priceS } = day(b, {
        from,
        to,
        s: step(t0 + 15_000, 0.012),
        gapS: [2000, 6000],
        conditions: () => [12],
        ranges: [['07:10', '07:25'], ['10:00', '10:45']],
        volumePerMin: 800,
      })
      // Odd lots at prices far off the tape: never a price, always volume.
      for (let t = from + 7_321; t < to; t += 97_000) {
        b.print({ symbol: S, ts: t, price: cents(priceS(t) * 1.03), size: 7, conditions: [12, 37] })
      }
      b.article('technology/2026/dec/01/apple-supplier-deal-early-trading', t0, 'Apple seals chip supply deal ahead of the open', [S])
      return b.build(to)
    },
  },
  {
    name: 'pre-open-window',
    build: () => {
      const b = new CaseBuilder(
        'pre-open-window',
        'Headline at 09:25 ET: its 5-minute window ends exactly at the 09:30 open (a print at 09:30:00.000 is in it); Form T prints before the open, regular after. The opening jump at 09:30:02 moves ret15 but is no move alert (u before the session start, then a quiet window).',
        '2026-12-02',
      )
      const t0 = b.et('09:25')
      const from = t0 - 32 * MIN
      const to = t0 + 16 * MIN
      const { priceS } = day(b, {
        from,
        to,
        s: step(b.et('09:30:02'), 0.015),
        gapS: [1500, 5000],
        conditions: formT(b),
        ranges: [['09:20', '09:35'], ['10:00', '10:45']],
        volumePerMin: 2000,
      })
      const open = b.et('09:30')
      b.print({ symbol: S, ts: open, price: cents(priceS(open)), size: 400 })
      b.article('business/2026/dec/02/apple-opening-bell-preview', t0, 'Apple in focus before the opening bell', [S])
      return b.build(to)
    },
  },
  {
    name: 'sigma-floor',
    build: () => {
      const b = new CaseBuilder(
        'sigma-floor',
        'A calm morning after a volatile session: the realised sigma (30 min of small moves) is far below the previous regular session floor, so sigma = sigmaFloor.',
        '2026-12-03',
      )
      const t0 = b.et('11:05')
      const from = t0 - 32 * MIN
      const to = t0 + 16 * MIN
      day(b, {
        from,
        to,
        sdM: 0.0001,
        sdS: 0.00012,
        prevSdS: 0.002,
        s: step(t0 + 40_000, 0.004),
        ranges: [['10:00', '10:45'], ['11:00', '11:15']],
      })
      b.article('business/2026/dec/03/apple-analyst-note', t0, 'Analyst trims Apple price target', [S])
      return b.build(to)
    },
  },
  {
    name: 'market-wide-move',
    build: () => {
      const b = new CaseBuilder(
        'market-wide-move',
        'The market falls 1% over 90 s after the headline and the stock (beta about 1.1) falls with it: ret5 is large, the abnormal move small, no signal and no move alert.',
        '2026-12-04',
      )
      const t0 = b.et('14:30')
      const from = t0 - 32 * MIN
      const to = t0 + 16 * MIN
      day(b, {
        from,
        to,
        beta: 1.1,
        m: step(t0 + 30_000, -0.01, 90_000),
        ranges: [['10:00', '11:00'], ['14:20', '14:50']],
      })
      b.article('business/2026/dec/04/fed-minutes-stocks-slide', t0, 'Stocks slide as Fed minutes point to higher rates for longer', [S])
      return b.build(to)
    },
  },
  {
    name: 'early-jump',
    build: () => {
      const b = new CaseBuilder(
        'early-jump',
        'A +1.5% jump 2.5 s after the headline with dense prints: the early signal fires within 10 s (confirmed at +5 m), and a move alert fires and links the headline.',
        '2026-11-30',
      )
      const t0 = b.et('10:42:13')
      const from = t0 - 32 * MIN
      const to = t0 + 16 * MIN
      day(b, {
        from,
        to,
        s: step(t0 + 2_500, 0.015),
        gapS: denseIn(t0 - 5_000, t0 + 40_000),
        ranges: [['10:00', '10:50']],
      })
      b.article('technology/2026/nov/30/apple-wins-patent-case', t0, 'Apple wins appeal in patent case against rival', [S])
      return b.build(to)
    },
  },
  {
    name: 'early-reversal',
    build: () => {
      const b = new CaseBuilder(
        'early-reversal',
        'A -1.5% drop 5 s after the headline fires the early signal down; the price recovers fully 100 s later, so at +5 m the rule no longer holds: confirmed false. Move alerts: down, then up within the silence (direction flip).',
        '2026-11-24',
      )
      const t0 = b.et('15:10')
      const from = t0 - 32 * MIN
      const to = t0 + 16 * MIN
      day(b, {
        from,
        to,
        s: sum(step(t0 + 5_000, -0.015), step(t0 + 100_000, 0.015)),
        gapS: (t) => (t >= t0 && t <= t0 + 130_000 ? [400, 2000] : [1000, 5000]),
        ranges: [['10:00', '10:45'], ['15:00', '15:20']],
      })
      b.article('business/2026/nov/24/apple-recall-report-denied', t0, 'Report of Apple recall; company denies it', [S])
      return b.build(to)
    },
  },
]
