// The naive reference on tiny inputs whose numbers are worked out by hand in the comments (docs/impact-v2.md).
// Day: Tuesday 2026-12-01 (EST, UTC−5); "previous session" bars are on Monday 2026-11-30.
import { describe, expect, it } from 'vitest'
import { DEFAULT_IMPACT_SETTINGS } from '../../src-main/domain/impact'
import {
  etWallToUtc,
  MIN,
  Reference,
  reference,
  sessionOf,
  updatesLast,
  updatesVolume,
  words,
  type GoldenArticle,
  type GoldenInput,
  type GoldenMinuteBar,
  type GoldenPrint,
  type GoldenSecondBar,
} from './reference'

const DAY = '2026-12-01'
const PREV = '2026-11-30'
const S = 'AAPL'
const M = 'SPY'

/** ET wall clock `HH:MM[:SS[.mmm]]` → epoch ms. */
function at(clock: string, date = DAY): number {
  const [h, m, rest] = clock.split(':')
  const secs = Number(rest ?? 0)
  return etWallToUtc(date, ((Number(h) * 60 + Number(m)) * 60 + secs) * 1000)
}

function input(over: Partial<GoldenInput>): GoldenInput {
  return {
    name: 'unit',
    description: '',
    asOf: at('19:59'),
    settings: { ...DEFAULT_IMPACT_SETTINGS },
    coverage: {},
    minuteBars: [],
    prints: [],
    secondBars: [],
    articles: [],
    ...over,
  }
}

let seqCounter = 1000
function print(ts: number, price: number, extra: Partial<GoldenPrint> = {}): GoldenPrint {
  return { symbol: S, ts, price, size: 100, conditions: [], seq: (seqCounter += 7), source: 'live', ...extra }
}

/** Bars one minute apart from `start` whose closes have exactly these log returns (first close 100). */
function barsWithReturns(symbol: string, start: number, returns: number[], volume = 100): GoldenMinuteBar[] {
  const bars: GoldenMinuteBar[] = [{ symbol, start, close: 100, volume }]
  returns.forEach((r, i) => bars.push({ symbol, start: start + (i + 1) * MIN, close: (bars[i]?.close ?? 0) * Math.exp(r), volume }))
  return bars
}

// Previous session returns whose floor is worked out by hand:
// |r| sorted = 1,1,1,1,2,2,2,2,3,3 (e-3) → median 2e-3 → 1.4826 × 0.002 = 0.0029652;
// mean 0, Σr² = 38e-6, stdev = √(38e-6/9) = 0.0020548 → half 0.0010274. Floor = 0.0029652.
const FLOOR_RETURNS = [0.001, -0.002, 0.003, -0.001, 0.002, -0.003, 0.001, -0.001, 0.002, -0.002]
const FLOOR = 1.4826 * 0.002
const floorBars = (): GoldenMinuteBar[] => barsWithReturns(S, at('10:00', PREV), FLOOR_RETURNS)

describe('Eastern time and sessions (Intl)', () => {
  it.each([
    ['10:00 EST', etWallToUtc('2026-12-01', 10 * 3_600_000), Date.UTC(2026, 11, 1, 15)],
    ['10:00 EDT', etWallToUtc('2026-07-01', 10 * 3_600_000), Date.UTC(2026, 6, 1, 14)],
    ['04:00 on the day summer time ends', etWallToUtc('2026-11-01', 4 * 3_600_000), Date.UTC(2026, 10, 1, 9)],
  ])('%s', (_, actual, expected) => {
    expect(actual).toBe(expected)
  })

  it.each([
    ['03:59:59.999', null],
    ['04:00', 'pre'],
    ['09:29:59.999', 'pre'],
    ['09:30', 'regular'],
    ['15:59:59.999', 'regular'],
    ['16:00', 'post'],
    ['19:59:59.999', 'post'],
    ['20:00', null],
  ])('%s ET is %s', (clock, session) => {
    expect(sessionOf(at(clock))).toBe(session)
  })
})

describe('eligibility and volume by conditions (Form T taken out)', () => {
  it.each([
    [[], true, true],
    [[12], true, true],
    [[12, 37], false, true],
    [[37], false, true],
    [[13], false, true],
    [[32], false, true],
    [[12, 2], false, true],
    [[15], false, false],
    [[14], true, true], // not in the table: updates both
  ])('%j: updates last %s, volume %s', (conditions, last, volume) => {
    expect(updatesLast(conditions)).toBe(last)
    expect(updatesVolume(conditions)).toBe(volume)
  })

  it('a Form T print outside every session is no price but counts in volume', () => {
    const r = new Reference(
      input({ prints: [print(at('03:59:59.999'), 50, { conditions: [12], size: 400 }), print(at('04:00'), 51, { conditions: [12] })] }),
    )
    expect(r.prints.map((p) => [p.price, p.eligible, p.countsVolume])).toEqual([
      [50, false, true],
      [51, true, true],
    ])
    expect(r.price(S, at('04:30'))).toBe(51)
  })
})

describe('price: median over (t − 2 s, t] with ≥ 3 prints, else the last', () => {
  const T = at('10:00')
  const prints = [
    print(T - 3000, 10),
    print(T - 1500, 11),
    print(T - 1000, 13),
    print(T, 12),
    // Even count: 20, 21, 23, 30 in (T+4.5 s, T+6.5 s] → (21 + 23) / 2 = 22.
    print(T + 5000, 20),
    print(T + 5500, 21),
    print(T + 6000, 23),
    print(T + 6500, 30),
  ]
  it.each([
    ['3 in the window: median of 11, 13, 12', T, 12],
    ['T − 3000 is outside (T − 3000, T − 1000]: last of 2', T - 1000, 13],
    ['no print yet', T - 3001, null],
    ['empty window: the last print', T + 2000, 12],
    ['even count: mean of the middle two', T + 6500, 22],
  ])('%s', (_, t, expected) => {
    expect(new Reference(input({ prints })).price(S, t)).toBe(expected)
  })

  it('prints after asOf do not exist', () => {
    // Known at T − 1000: the window (T − 2000, T] holds T − 1500 and T − 1000 only → last = 13.
    expect(new Reference(input({ prints, asOf: T - 1000 })).price(S, T)).toBe(13)
  })

  it('equal timestamps order by seq (not by listing); a second bar sorts after real prints of its ms', () => {
    const first = print(T, 10, { seq: 5 })
    const second = print(T, 11, { seq: 9 })
    expect(new Reference(input({ prints: [second, first] })).price(S, T)).toBe(11)
    const bar: GoldenSecondBar = { symbol: S, start: T - 999, close: 14, volume: 300, trades: 4 }
    const real = print(T, 13, { source: 'trades' })
    expect(new Reference(input({ prints: [real], secondBars: [bar] })).price(S, T)).toBe(14)
  })

  it('a second bar counts once in the median', () => {
    // Window (T − 2000, T]: 40, 41 and the bar's 50 (its 10 trades weigh only in print counts) → median 41.
    const bar: GoldenSecondBar = { symbol: S, start: T - 999, close: 50, volume: 1000, trades: 10 }
    const prints2 = [print(T - 1500, 40, { source: 'trades' }), print(T - 1200, 41, { source: 'trades' })]
    expect(new Reference(input({ prints: prints2, secondBars: [bar] })).price(S, T)).toBe(41)
  })
})

describe('validity, de-duplication by (symbol, seq, ET day), live wins', () => {
  const T = at('10:00')
  it.each([
    ['same symbol, seq and ET day: the later copy is dropped', [print(T, 10, { seq: 5 }), print(T + 1000, 99, { seq: 5 })], [10]],
    ['same seq, other symbol: both kept', [print(T, 10, { seq: 5 }), print(T + 1000, 99, { seq: 5, symbol: 'MSFT' })], [10, 99]],
    [
      // 19:30 ET Dec 1 and 10:00 ET Dec 2 are the same UTC day (Dec 2) but two ET trading days.
      'same seq on two ET days within one UTC day: both kept',
      [print(at('19:30'), 10, { seq: 5 }), print(at('10:00', '2026-12-02'), 99, { seq: 5 })],
      [10, 99],
    ],
    ['an invalid print does not claim its seq', [print(T, 0, { seq: 5 }), print(T + 1000, 10, { seq: 5 })], [10]],
    [
      'zero and negative prices and sizes are nothing',
      [print(T, 0), print(T, -5), print(T, 10, { size: 0 }), print(T, 10, { size: -100 }), print(T, 11)],
      [11],
    ],
    [
      'history at or after the first live print is dropped, before it kept',
      [print(T + 5000, 12), print(T, 10, { source: 'trades' }), print(T + 5000, 11, { source: 'trades' }), print(T + 6000, 13, { source: 'trades' })],
      [10, 12],
    ],
  ])('%s', (_, prints, prices) => {
    const asOf = at('12:00', '2026-12-02')
    expect(new Reference(input({ prints, asOf })).prints.map((p) => p.price)).toEqual(prices)
  })
})

describe('beta: OLS with intercept, shrunk towards 1 with w = 0.25 / se², clamped to [0, 3]', () => {
  // x (SPY) = 1, −1, 2, 0, −2 (e-3); y (AAPL) = 2, −1, 3, 1, −3 (e-3).
  // x̄ = 0, ȳ = 0.0004, Sxx = 1e-5, Sxy = Σxy = 1.5e-5 → β̂ = 1.5, α = 0.0004.
  // Residuals 1, 1, −4, 6, −4 (e-4) → SSR = 7e-7, s² = 7e-7 / 3, se² = s² / Sxx = 7/300.
  // w = 0.25 / se² = 75/7 → β = (75/7 · 1.5 + 1) / (75/7 + 1) = 119.5 / 82.
  const x = [0.001, -0.001, 0.002, 0, -0.002]
  const y = [0.002, -0.001, 0.003, 0.001, -0.003]
  const start = at('10:00', PREV)
  it.each([
    ['shrunk', barsWithReturns(M, start, x), barsWithReturns(S, start, y), 119.5 / 82, 1.5],
    ['fewer than 3 pairs: 1', barsWithReturns(M, start, x.slice(0, 2)), barsWithReturns(S, start, y.slice(0, 2)), 1, null],
    ['flat proxy (Sxx = 0): 1', barsWithReturns(M, start, [0, 0, 0, 0, 0]), barsWithReturns(S, start, y), 1, null],
    [
      // y = 5x + (1, −1, 0, 1, −1)e-4 → β̂ = 5 + Σx·r / Sxx = 5 + 4e-7 / 1e-5 = 5.04; se tiny → β ≈ 5.04 → clamped.
      'clamped to 3',
      barsWithReturns(M, start, x),
      barsWithReturns(S, start, x.map((v, i) => 5 * v + ([1e-4, -1e-4, 0, 1e-4, -1e-4][i] ?? 0))),
      3,
      5.04,
    ],
    [
      // 10:07 follows no 10:06 bar: no return; 09:25–09:28 are pre-market.
      'a bar after a missing minute is no return; pre-market bars are not used',
      [...barsWithReturns(M, start, x), { symbol: M, start: at('10:07', PREV), close: 150, volume: 1 }, ...barsWithReturns(M, at('09:25', PREV), [0.5, 0.5, 0.5])],
      [...barsWithReturns(S, start, y), { symbol: S, start: at('10:07', PREV), close: 20, volume: 1 }, ...barsWithReturns(S, at('09:25', PREV), [0.1, -0.5, 0.7])],
      119.5 / 82,
      1.5,
    ],
  ])('%s', (_, mBars, sBars, beta, betaHat) => {
    const parts = new Reference(input({ minuteBars: [...mBars, ...sBars] })).betaParts(S, DAY)
    expect(parts.beta).toBeCloseTo(beta, 9)
    if (betaHat === null) expect(parts.betaHat).toBeNull()
    else expect(parts.betaHat).toBeCloseTo(betaHat, 9)
  })

  it('only the 5 most recent sessions before the day count, and the proxy against itself is 1', () => {
    const days = ['2026-11-30', '2026-11-27', '2026-11-25', '2026-11-24', '2026-11-23']
    const bars = days.flatMap((d) => [...barsWithReturns(M, at('10:00', d), x), ...barsWithReturns(S, at('10:00', d), y)])
    // A sixth, older session with the opposite relation would pull β̂ down if it were used.
    const old = [...barsWithReturns(M, at('10:00', '2026-11-20'), x), ...barsWithReturns(S, at('10:00', '2026-11-20'), y.map((v) => -3 * v))]
    // Same bars on the day itself are not "before" it.
    const today = [...barsWithReturns(M, at('10:00'), x), ...barsWithReturns(S, at('10:00'), y.map((v) => -3 * v))]
    const r = new Reference(input({ minuteBars: [...bars, ...old, ...today] }))
    expect(r.betaParts(S, DAY).betaHat).toBeCloseTo(1.5, 9)
    expect(r.betaParts(S, DAY).n).toBe(25)
    expect(r.beta(M, DAY)).toBe(1)
  })
})

describe('sigma: realised, floor, one cent', () => {
  const T = at('10:00')
  // Prints exactly on the minute marks T − 12 min … T alternating 100, 101, … (one print per 2 s window):
  // the 12 intervals [T − (i+1) min, T − i min], i = 0..11 each move ±ln(1.01) (raw: no SPY),
  // six up and six down → mean 0, sample sd = ln(1.01) · √(12/11). The 13th interval has no price at its start.
  const alternating = Array.from({ length: 13 }, (_, k) => print(T - (12 - k) * MIN, k % 2 === 0 ? 100 : 101))
  const L = Math.log(1.01)
  const realised = L * Math.sqrt(12 / 11)
  const live = (from: number, to: number) => ({ [S]: [{ from, to, source: 'live' as const }] })

  it.each([
    ['12 covered intervals', live(T - 13 * MIN, T), [], realised, null],
    ['only 9 covered: absent', live(T - 13 * MIN, T - 3 * MIN), [], null, null],
    // From T − 10 min: 10 intervals (five up, five down) → ln(1.01) · √(10/9).
    ['exactly 10 covered intervals', live(T - 10 * MIN, T), [], L * Math.sqrt(10 / 9), null],
    // Spans that touch or are 1 ms apart join: still 10 intervals.
    ['two spans 1 ms apart are one stretch', { [S]: [{ from: T - 10 * MIN, to: T - 4.5 * MIN, source: 'trades' as const }, { from: T - 4.5 * MIN + 1, to: T, source: 'live' as const }] }, [], L * Math.sqrt(10 / 9), null],
    ['overlapping spans are one stretch', { [S]: [{ from: T - 10 * MIN, to: T - 4 * MIN, source: 'trades' as const }, { from: T - 5 * MIN, to: T, source: 'live' as const }] }, [], L * Math.sqrt(10 / 9), null],
    // 2 ms apart: the ms between is not covered, so [T − 5 min, T − 4 min] is not: 9 left.
    ['two spans 2 ms apart: the interval across the hole does not count', { [S]: [{ from: T - 10 * MIN, to: T - 4.5 * MIN, source: 'live' as const }, { from: T - 4.5 * MIN + 2, to: T, source: 'live' as const }] }, [], null, null],
    ['floor from the previous session', {}, floorBars(), null, FLOOR],
  ])('%s', (_, coverage, minuteBars, expectedRealised, expectedFloor) => {
    const parts = new Reference(input({ prints: alternating, coverage, minuteBars })).sigmaParts(S, T)
    if (expectedRealised === null) expect(parts.realised).toBeNull()
    else expect(parts.realised).toBeCloseTo(expectedRealised, 12)
    if (expectedFloor === null) expect(parts.floor).toBeNull()
    else expect(parts.floor).toBeCloseTo(expectedFloor, 12)
  })

  it('never across the session start: 10 intervals after 09:30 count at 09:40, 9 at 09:39', () => {
    const mk = (T2: number): GoldenInput =>
      input({
        prints: Array.from({ length: 16 }, (_, k) => print(T2 - (15 - k) * MIN, k % 2 === 0 ? 100 : 101, { conditions: [12] })),
        coverage: live(T2 - 16 * MIN, T2),
      })
    expect(new Reference(mk(at('09:40'))).sigmaParts(S, at('09:40')).realised).toBeCloseTo(L * Math.sqrt(10 / 9), 12)
    expect(new Reference(mk(at('09:39'))).sigmaParts(S, at('09:39')).realised).toBeNull()
  })

  it.each([
    ['realised above the floor', live(T - 13 * MIN, T), 100, realised],
    ['floor without realised', {}, 100, FLOOR],
    // p = 1.00: one cent is 0.01 > floor 0.0029652.
    ['one cent above both', {}, 1, 0.01],
  ])('sigma = max: %s', (_, coverage, p, expected) => {
    const prints = alternating.map((q) => ({ ...q, price: q.price === 100 ? p : p === 1 ? 1.01 : 101 }))
    const parts = new Reference(input({ prints, coverage, minuteBars: floorBars() })).sigmaParts(S, T)
    expect(parts.sigma).toBeCloseTo(expected, 12)
  })

  it('null when neither realised nor floor exists, price or not', () => {
    expect(new Reference(input({ prints: alternating })).sigmaParts(S, T).sigma).toBeNull()
  })

  it('floor needs 10 returns', () => {
    const nine = barsWithReturns(S, at('10:00', PREV), FLOOR_RETURNS.slice(0, 9))
    expect(new Reference(input({ minuteBars: nine })).sigmaParts(S, T).floor).toBeNull()
  })
})

// A headline at t0 = 10:02 with p0 = 100 and sigma = the floor 0.0029652 (no coverage, so no realised):
// early threshold 3 · σ · √5 = 0.019891; ln(1.03) = 0.02956 and ln(0.97) = −0.03046 pass it.
const T0 = at('10:02')
const article = (over: Partial<GoldenArticle> = {}): GoldenArticle => ({ id: 'a1', published: T0, receivedAt: T0 + 30_000, title: 'Apple news', tickers: [S], ...over })

describe('early signal with confirmation (prints 1 s apart, so each window holds 2 prints: price = last)', () => {
  const after = (steps: [number, number][]): GoldenPrint[] => [print(T0 - 10_000, 100), ...steps.map(([dt, p]) => print(T0 + dt, p))]
  it.each([
    ['a stray print never fires', [[1000, 103], [2000, 100], [3000, 100]], null],
    ['two prints 1 s apart fire at the second', [[1000, 103], [2000, 103]], T0 + 2000],
    ['999 ms is not enough; the next print fires', [[1000, 103], [1999, 103], [3000, 103]], T0 + 3000],
    ['the other sign ends the run and starts one', [[1000, 103], [2000, 97], [3000, 103], [4000, 103]], T0 + 4000],
    ['a failing print ends the run', [[1000, 103], [2000, 100], [3000, 103], [4000, 103]], T0 + 4000],
  ] as [string, [number, number][], number | null][])('%s', (_, steps, detectedAt) => {
    const [r] = reference(input({ prints: after(steps), minuteBars: floorBars(), articles: [article()], asOf: T0 + 4 * MIN })).impacts
    expect(r?.sigma).toBeCloseTo(FLOOR, 12)
    expect(r?.detectedAt ?? null).toBe(detectedAt)
    expect(r?.signal).toBe(detectedAt === null ? null : 'up')
    expect(r?.alertAt ?? null).toBe(detectedAt === null ? null : Math.max(detectedAt, T0 + 30_000))
  })

  it('the down direction', () => {
    const [r] = reference(input({ prints: after([[1000, 97], [2000, 97]]), minuteBars: floorBars(), articles: [article()], asOf: T0 + 4 * MIN })).impacts
    expect([r?.signal, r?.detectedAt]).toEqual(['down', T0 + 2000])
  })
})

describe('+5 min rule and its run', () => {
  // Slot basis: the floor's Nov 30 bars 10:02–10:06 have 100 each → mean 500 over the one day. V = sizes in [t0, t0 + 5 min).
  // ln(1.016) = 0.015873 → |z| = 0.015873 / (0.0029652 · √5) = 2.394: below 3, above 2. ln(0.984) → 2.43.
  const run = (steps: [number, number, number][]): GoldenPrint[] => [
    print(T0 - 10_000, 100),
    ...steps.map(([dt, p, size]) => print(T0 + dt, p, { size })),
  ]
  it.each([
    ['holds at L and since 1 s before with rvol 4: fires', [[60_000, 101.6, 1000], [120_000, 101.6, 1000], [299_000, 101.6, 0.5]], 'up', true],
    ['L alone holds: none', [[60_000, 100, 1000], [299_500, 101.6, 1000]], 'none', null],
    ['the run started exactly 1000 ms before L: fires', [[60_000, 100, 1000], [298_500, 101.6, 500], [299_500, 101.6, 500]], 'up', true],
    ['rvol 0.4: the z part alone is short of 3', [[60_000, 101.6, 100], [120_000, 101.6, 100]], 'none', null],
    ['the earlier prints hold with the other sign: the run is L alone', [[60_000, 98.4, 1000], [299_000, 101.6, 1000]], 'none', null],
  ] as [string, [number, number, number][], string, boolean | null][])('%s', (_, steps, signal, confirmed) => {
    const coverage = { [S]: [{ from: T0 - 10_000, to: T0 + 6 * MIN, source: 'live' as const }] } // rvol5's window seen
    const [r] = reference(input({ prints: run(steps), minuteBars: floorBars(), coverage, articles: [article()], asOf: T0 + 6 * MIN })).impacts
    expect(r?.signal).toBe(signal)
    expect(r?.confirmed).toBe(confirmed)
    expect(r?.detectedAt).toBe(signal === 'none' ? null : T0 + 5 * MIN)
  })
})

describe('move alerts: confirmation, silence, direction flip', () => {
  // Prints every second from 10:00:00 (P0) to +540 s at 100, then the price steps given (each holds until the
  // next). The day's first print is a quiet-spell end and coverage starts at P0, so the rule can be evaluated from
  // t = P0 + 120 s ([u − 60 s, t] covered). At most 8 covered minutes before any u: no realised sigma, sigma =
  // floor 0.0029652, 4σ = 0.011861. ln(1.02) = 0.0198, ln(104/102) = 0.0194, ln(101/104) = −0.0293,
  // ln(99/101) = −0.0200: each holds from its step for 60 s (then u passes the step), firing 1 s after it.
  const P0 = at('10:00')
  const tape = (steps: [number, number][]): GoldenPrint[] =>
    Array.from({ length: 541 }, (_, s) => print(P0 + s * 1000, [...steps].reverse().find(([from]) => s >= from)?.[1] ?? 100))
  const moves = (steps: [number, number][]): Reference =>
    new Reference(
      input({ prints: tape(steps), minuteBars: floorBars(), coverage: { [S]: [{ from: P0, to: P0 + 540_000, source: 'live' }] }, asOf: P0 + 540_000 }),
    )

  it('up (emitted), up 100 s later (swallowed), down (flip: emitted), down again (swallowed)', () => {
    const r = moves([[120, 102], [220, 104], [320, 101], [420, 99]])
    expect(r.moveFires(S).map((f) => [(f.ts - P0) / 1000, f.direction, f.emitted])).toEqual([
      [121, 'up', true],
      [221, 'up', false],
      [321, 'down', true],
      [421, 'down', false],
    ])
    const out = r.run().moves
    expect(out.map((m) => m.id)).toEqual([`${S}|${P0 + 121_000}`, `${S}|${P0 + 321_000}`])
    const [first] = out
    expect({ ...first, z: 0, sigma: 0 }).toEqual({
      id: `${S}|${P0 + 121_000}`,
      symbol: S,
      windowStart: P0 + 61_000,
      detectedAt: P0 + 121_000,
      direction: 'up',
      size: Math.log(1.02),
      z: 0,
      sigma: 0,
      beta: 1,
      adjusted: false,
      price: 102,
      headlines: [],
      settings: { proxy: 'SPY', zMove: 4 },
    })
    expect(first?.sigma).toBeCloseTo(FLOOR, 12)
    expect(first?.z).toBeCloseTo(Math.log(1.02) / FLOOR, 9)
  })

  it('the silence ends exactly 300 000 ms after detectedAt', () => {
    const r = moves([[120, 102], [420, 104]])
    expect(r.moveFires(S).map((f) => [(f.ts - P0) / 1000, f.emitted])).toEqual([
      [121, true],
      [421, true],
    ])
  })

  it('not before [u − 60 s, t] is covered: a step at +100 s fires at +121 s, not +101 s', () => {
    // From t = 120 s on, u = 60 s still reads 100 (the step is at 100 s), so the run starts at 120 s.
    const r = moves([[100, 102]])
    expect(r.moveFires(S).map((f) => (f.ts - P0) / 1000)).toEqual([121])
  })

  it('a headline within 3 min links; the nearest move is the record’s', () => {
    const base = moves([[120, 102], [320, 99]])
    // Moves at +121 s (up) and +321 s (down). x at +301 s: 180 s after the first (inclusive), 20 s before the
    // second: both list it, its move is the second. y at +100.001 s: 20.999 s before the first, 220.999 s
    // before the second: only the first.
    const articles = [article({ id: 'x', published: P0 + 301_000 }), article({ id: 'y', published: P0 + 100_001 })]
    const out = new Reference({ ...base.input, articles }).run()
    expect(out.moves.map((m) => m.headlines)).toEqual([['y', 'x'], ['x']])
    expect(out.impacts.map((i) => i.move)).toEqual([`${S}|${P0 + 321_000}`, `${S}|${P0 + 121_000}`])
  })
})

describe('quiet: no print in (t0, t0 + k], covered, and (weighted) prints in [t0 − 30 min, t0) × k/30 ≥ 20', () => {
  const before = (n: number): GoldenPrint[] => Array.from({ length: n }, (_, j) => print(T0 - 30 * MIN + j * 15_000, 100))
  const covered = { [S]: [{ from: T0 - 30 * MIN, to: T0 + 5 * MIN, source: 'live' as const }] }
  it.each([
    // 120 prints: ×1/30 = 4 (quiet1 false), ×5/30 = 20 (quiet5 true).
    ['120 prints before', before(120), [], covered, T0 + 5 * MIN, [false, true]],
    ['119 prints: 19.83', before(119), [], covered, T0 + 5 * MIN, [false, false]],
    ['coverage from 1 ms later', before(120), [], { [S]: [{ from: T0 - 30 * MIN + 1, to: T0 + 5 * MIN, source: 'live' as const }] }, T0 + 5 * MIN, [false, false]],
    ['a print after t0', [...before(120), print(T0 + 4 * MIN, 100)], [], covered, T0 + 5 * MIN, [false, false]],
    ['before +5 min: null', before(120), [], covered, T0 + 5 * MIN - 1, [false, null]],
    [
      // 12 second bars weigh 10 trades each: 120.
      'second bars weigh their trades',
      [],
      Array.from({ length: 12 }, (_, j) => ({ symbol: S, start: T0 - 20 * MIN + j * 60_000, close: 100, volume: 500, trades: 10 })),
      { [S]: [{ from: T0 - 30 * MIN, to: T0 + 5 * MIN, source: 'seconds' as const }] },
      T0 + 5 * MIN,
      [false, true],
    ],
  ] as [string, GoldenPrint[], GoldenSecondBar[], GoldenInput['coverage'], number, (boolean | null)[]][])('%s', (_, prints, secondBars, coverage, asOf, expected) => {
    const [r] = reference(input({ prints, secondBars, coverage, articles: [article()], asOf })).impacts
    expect([r?.quiet1, r?.quiet5]).toEqual(expected)
  })
})

describe('rvol5: slot basis, else the covered hour, else null', () => {
  // V over [t0, t0 + 5 min): 300 at t0 + 500 at t0 + 299 999 = 800 (t0 + 5 min is out; condition 15 is no volume).
  const v = [
    print(T0, 100, { size: 300 }),
    print(T0 + 1000, 100, { size: 5000, conditions: [15] }),
    print(T0 + 299_999, 100, { size: 500 }),
    print(T0 + 300_000, 100, { size: 1000 }),
  ]
  // The hour before: 600 at t0 − 60 min (in) + 600 at t0 − 1 → 1200 / 12 = 100 per 5 min → rvol 8.
  const hour = [print(T0 - 60 * MIN, 100, { size: 600 }), print(T0 - 1, 100, { size: 600 })]
  const coveredHour = { [S]: [{ from: T0 - 60 * MIN, to: T0 + 6 * MIN, source: 'live' as const }] }
  // The numerator's window [t0, t0 + 5 min] is covered; the hour before is not.
  const window = { [S]: [{ from: T0, to: T0 + 6 * MIN, source: 'live' as const }] }
  const bar = (date: string, clock: string, volume: number): GoldenMinuteBar => ({ symbol: S, start: at(clock, date), close: 100, volume })
  it.each([
    // Nov 30: 5 bars of 100 in the slot (500); Nov 27: one bar of 300 → mean 400 → 800 / 400.
    ['slot over two days', [...barsWithReturns(S, at('10:02', PREV), [0, 0, 0, 0]), bar('2026-11-27', '10:02', 300)], window, 2, 'slot'],
    ['a day without bars in the slot counts 0', [...barsWithReturns(S, at('10:02', PREV), [0, 0, 0, 0]), bar('2026-11-27', '11:00', 300)], window, 3.2, 'slot'],
    ['slot history but the window itself not covered: null', [...barsWithReturns(S, at('10:02', PREV), [0, 0, 0, 0])], {}, null, null],
    ['the slot is [m, m + 5 min): 10:07 is out', [bar(PREV, '10:07', 300), bar(PREV, '10:01', 300)], coveredHour, 8, 'hour'],
    ['bars of the day itself are not history', [bar(DAY, '10:02', 300)], coveredHour, 8, 'hour'],
    ['no slot, hour not covered', [bar(PREV, '11:00', 300)], {}, null, null],
  ] as [string, GoldenMinuteBar[], GoldenInput['coverage'], number | null, string | null][])('%s', (_, minuteBars, coverage, rvol, basis) => {
    const [r] = reference(input({ prints: [...v, ...hour], minuteBars, coverage, articles: [article()], asOf: T0 + 6 * MIN })).impacts
    if (rvol === null) expect(r?.rvol5).toBeNull()
    else expect(r?.rvol5).toBeCloseTo(rvol, 12)
    expect(r?.rvolBasis).toBe(basis)
  })

  it('the hour basis needs volume in the hour', () => {
    const [r] = reference(input({ prints: v, coverage: coveredHour, articles: [article()], asOf: T0 + 6 * MIN })).impacts
    expect([r?.rvol5, r?.rvolBasis]).toEqual([null, null])
  })
})

describe('stale: NFKC words, Jaccard ≥ 0.6 against the 10 latest earlier headlines within 24 h', () => {
  it.each([
    ['ligature ﬁ', 'Apple ﬁnes', 'apple fines', true],
    ['full-width letters', 'ＡＰＰＬＥ results', 'Apple results', true],
    ['full-width digits', '２０２６ outlook', '2026 outlook', true],
    ['combining accent composes', 'cafe\u0301 deal', 'café deal', true],
    ['dotted capital I lower-cases to i + U+0307 (a mark, so a word break)', 'İstanbul', 'i stanbul', true],
    ['exactly 6/10', 'a b c d e f g h', 'a b c d e f x y', true],
    ['5/9 is short', 'a b c d e f', 'a b c d e x y z', false],
    ['two empty word sets are not similar', '!!!', '???', false],
  ])('%s', (_, title, earlier, stale) => {
    const articles = [article({ id: 'old', published: T0 - 60 * MIN, title: earlier }), article({ id: 'new', title })]
    expect(reference(input({ articles })).impacts[1]?.stale).toBe(stale)
  })

  it('words are letter or digit runs after NFKC, lower-cased', () => {
    expect([...words("ＡＰＰＬＥ's ﬁnance: 株価、急落 ２０２６")]).toEqual(['apple', 's', 'finance', '株価', '急落', '2026'])
  })

  it.each([
    ['exactly 24 h before counts', T0 - 24 * 60 * MIN, [S], true],
    ['24 h + 1 ms before does not', T0 - 24 * 60 * MIN - 1, [S], false],
    ['published at t0 is not earlier', T0, [S], false],
    ['another symbol does not', T0 - MIN, ['MSFT'], false],
  ])('%s', (_, published, tickers, stale) => {
    const articles = [article({ id: 'old', published, tickers }), article({ id: 'new' })]
    expect(reference(input({ articles })).impacts.find((i) => i.articleId === 'new' && i.symbol === S)?.stale).toBe(stale)
  })

  it('only the 10 latest candidates; equal times put the later-listed first', () => {
    const others = Array.from({ length: 9 }, (_, i) => article({ id: `o${i}`, published: T0 - (i + 1) * MIN, title: `other ${i}` }))
    const tieSimilar = article({ id: 'similar', published: T0 - 10 * MIN })
    const tieOther = article({ id: 'o9', published: T0 - 10 * MIN, title: 'other 9' })
    const stale = (list: GoldenArticle[]): boolean | undefined =>
      reference(input({ articles: [...list, article({ id: 'new' })] })).impacts.at(-1)?.stale
    expect(stale([...others, tieSimilar, tieOther])).toBe(false) // similar is 11th
    expect(stale([...others, tieOther, tieSimilar])).toBe(true) // similar is 10th
  })
})
