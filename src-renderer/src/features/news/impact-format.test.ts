import { describe, expect, it } from 'vitest'
import { impact, move } from '../../test/fixtures'
import { fmtLogPct, fmtSigma, horizonCell, moveLink, moveTitle, noPriceText, rvolCell, signalLine, type Horizon } from './impact-format'

const MIN = 60_000

describe('fmtLogPct / fmtSigma', () => {
  it.each([
    [Math.log(1 - 0.057), '−5.7 %'],
    [Math.log(1.021), '+2.1 %'],
    [0, '+0.0 %'],
    [Math.log(0.5), '−50.0 %'],
  ])('log move %f reads %s', (x, want) => expect(fmtLogPct(x)).toBe(want))

  it.each([
    [8.04, '8.0σ'],
    [-8.04, '8.0σ'],
    [12.6, '13σ'],
    [4, '4.0σ'],
  ])('z %f reads %s', (z, want) => expect(fmtSigma(z)).toBe(want))
})

describe('moveTitle', () => {
  it.each([
    ['beyond the market when adjusted', move('TSLA', 1_000_000), 'TSLA −5.7 % in 40 s, 8.0σ beyond the market'],
    ['raw when the proxy had no price', move('TSLA', 1_000_000, { adjusted: false }), 'TSLA −5.7 % in 40 s, 8.0σ'],
    [
      'seconds are detectedAt − windowStart',
      move('AAPL', 200_000, { windowStart: 140_000, size: Math.log(1.031), z: 11.2, direction: 'up' }),
      'AAPL +3.1 % in 60 s, 11σ beyond the market',
    ],
  ])('%s', (_, m, want) => expect(moveTitle(m)).toBe(want))
})

describe('horizonCell', () => {
  const t0 = 1_000_000
  const base = { published: t0, beta: 1.25, adjusted: true }
  it.each<[string, Partial<Parameters<typeof impact>[2]>, Horizon, { text: string; state: string; title?: RegExp }]>([
    ['pending before the horizon', { asOf: t0 + 4 * MIN }, 5, { text: '+5m …', state: 'pending' }],
    [
      'abnormal move with z, raw return and beta on hover',
      { asOf: t0 + 5 * MIN, ar5: 0.0123, ret5: 0.0150, z5: 3.21 },
      5,
      { text: '+5m +1.23% z +3.2', state: 'value', title: /raw \+1\.50% · β 1\.25 vs SPY/ },
    ],
    [
      'raw when not adjusted',
      { asOf: t0 + MIN, ar1: -0.004, ret1: -0.004, z1: null, adjusted: false },
      1,
      { text: '+1m −0.40%', state: 'value', title: /not market-adjusted \(no SPY price\)/ },
    ],
    ['passed without trades: never 0 %', { asOf: t0 + MIN, ar1: null, quiet1: false }, 1, { text: '+1m no trades since the headline', state: 'none' }],
    ['quiet: halted?', { asOf: t0 + 15 * MIN, ar15: null, quiet15: true }, 15, { text: '+15m halted? no trades since the headline', state: 'none' }],
  ])('%s', (_, extra, k, want) => {
    const c = horizonCell(impact('a', 'AAPL', { ...base, ...extra }), k)
    expect(c.text).toBe(want.text)
    expect(c.state).toBe(want.state)
    if (want.title) expect(c.title).toMatch(want.title)
  })
})

describe('rvolCell', () => {
  const t0 = 1_000_000
  it.each([
    ['pending before +5 m', { asOf: t0 + MIN }, 'rvol …', /known at \+5 m/],
    ['slot basis', { asOf: t0 + 5 * MIN, rvol5: 3.456, rvolBasis: 'slot' as const }, 'rvol 3.5×', /same 5 minutes on recent days/],
    ['hour basis', { asOf: t0 + 5 * MIN, rvol5: 0.8, rvolBasis: 'hour' as const }, 'rvol 0.8×', /hour before/],
    ['no basis', { asOf: t0 + 5 * MIN, rvol5: null }, 'rvol —', /No volume basis/],
  ])('%s', (_, extra, text, title) => {
    const c = rvolCell(impact('a', 'AAPL', { published: t0, ...extra }))
    expect(c.text).toBe(text)
    expect(c.title).toMatch(title)
  })
})

describe('signalLine', () => {
  const t0 = 1_000_000
  it.each([
    ['no signal yet', {}, null],
    ['none', { signal: 'none' as const }, null],
    ['early, not yet judged', { signal: 'up' as const, detectedAt: t0 + 38_400 }, '▲ up 38 s after the headline'],
    ['confirmed at +5 m', { signal: 'down' as const, detectedAt: t0 + 300_000, confirmed: true }, '▼ down 300 s after the headline · confirmed at +5 m'],
    ['not confirmed', { signal: 'up' as const, detectedAt: t0 + 12_000, confirmed: false }, '▲ up 12 s after the headline · not confirmed'],
  ])('%s', (_, extra, want) => expect(signalLine(impact('a', 'AAPL', { published: t0, ...extra }))).toBe(want))
})

describe('moveLink', () => {
  it('says whether the move alert came before or after the headline', () => {
    const m = move('TSLA', 1_000_000)
    expect(moveLink(1_035_000, m)).toBe('preceded by a move alert 35 s before: −5.7 %')
    expect(moveLink(988_000, m)).toBe('move alert 12 s after: −5.7 %')
  })
})

describe('noPriceText', () => {
  it.each([
    ['in the regular session (10:00 ET)', Date.UTC(2026, 0, 5, 15, 0), /no trades before it this session/],
    ['pre-market (04:00 ET)', Date.UTC(2026, 0, 5, 9, 0), /no trades before it this session/],
    ['overnight (01:40 ET)', Date.UTC(2026, 0, 5, 6, 40), /outside market hours/],
    ['after 20:00 ET', Date.UTC(2026, 0, 6, 1, 0), /outside market hours/],
  ])('%s', (_, ts, want) => expect(noPriceText(ts).text).toMatch(want))
})
