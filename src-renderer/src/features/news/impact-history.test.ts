import { describe, expect, it } from 'vitest'
import type { ImpactHistory } from '@contract/contract'
import { article } from '../../test/fixtures'
import { fmtMove, fmtShare, historySymbol, impactHistoryDetail, impactHistoryLine, type HistorySymbolInput } from './impact-history'

const h = (over: Partial<ImpactHistory> = {}): ImpactHistory => ({
  symbol: 'AAPL',
  headlines: 42,
  ret1: { n: 42, q1: -0.001, median: 0.002, q3: 0.004 },
  ret5: { n: 40, q1: -0.002, median: 0.008, q3: 0.011 },
  ret15: { n: 0, q1: null, median: null, q3: null },
  signals: 13,
  signalShare: 13 / 42,
  firstPublished: Date.UTC(2026, 0, 5, 14, 30),
  lastPublished: Date.UTC(2026, 1, 2, 15, 0),
  computedAt: Date.UTC(2026, 1, 3, 6, 7, 30),
  ...over,
})

describe('fmtMove', () => {
  it.each([
    [0.008, '+0.8 %'],
    [-0.008, '−0.8 %'],
    [0.0123, '+1.2 %'],
    [0.1234, '+12 %'],
    [0.0996, '+10 %'],
    [-0.5, '−50 %'],
    [0.00095, '+0.1 %'],
    [0.0005, '+0.05 %'],
    [-0.00012, '−0.01 %'],
    [0.00004, '0.00 %'],
    [-0.00004, '0.00 %'],
    [0, '0.00 %'],
  ])('%s → %s', (r, expected) => {
    expect(fmtMove(r)).toBe(expected)
  })
})

describe('fmtShare', () => {
  it.each([
    [0, '0 %'],
    [0.31, '31 %'],
    [13 / 42, '31 %'],
    [0.004, '<1 %'],
    [0.005, '1 %'],
    [0.996, '>99 %'],
    [0.994, '99 %'],
    [1, '100 %'],
  ])('%s → %s', (s, expected) => {
    expect(fmtShare(s)).toBe(expected)
  })
})

describe('impactHistoryLine', () => {
  it.each([
    [h(), 'after 42 past headlines: median +5 m move +0.8 %, 31 % signalled'],
    [h({ headlines: 1, signals: 0, signalShare: 0, ret5: { n: 1, q1: -0.004, median: -0.004, q3: -0.004 } }), 'after 1 past headline: median +5 m move −0.4 %, 0 % signalled'],
    [h({ ret5: { n: 0, q1: null, median: null, q3: null } }), 'after 42 past headlines: +5 m move not measured yet, 31 % signalled'],
    [h({ headlines: 500, signals: 1, signalShare: 0.002 }), 'after 500 past headlines: median +5 m move +0.8 %, <1 % signalled'],
  ])('%#', (input, expected) => {
    expect(impactHistoryLine(input)).toBe(expected)
  })

  it('details every horizon, the counts, the period and when it was computed', () => {
    expect(impactHistoryDetail(h()).split('\n')).toEqual([
      '+1 m: median +0.2 %, middle half −0.1 % … +0.4 % (n 42)',
      '+5 m: median +0.8 %, middle half −0.2 % … +1.1 % (n 40)',
      '+15 m: not measured',
      '13 of 42 signalled',
      'headlines 2026-01-05 – 2026-02-02',
      'computed 2026-02-03 06:07 UTC',
    ])
  })
})

describe('historySymbol', () => {
  const base: HistorySymbolInput = { tickerFilter: null, selected: null, openCharts: [], watchlist: ['AAPL', 'MSFT', 'NVDA'] }
  it.each<[string, Partial<HistorySymbolInput>, string | null]>([
    ['nothing selected, no chart', {}, null],
    ['the first open chart', { openCharts: ['NVDA', 'AAPL'] }, 'NVDA'],
    ['the ticker filter wins', { tickerFilter: 'MSFT', openCharts: ['NVDA'], selected: article('a', 0, ['AAPL']) }, 'MSFT'],
    ['an invalid filter shows nothing', { tickerFilter: 'drop table', openCharts: ['NVDA'] }, null],
    ['selected article: the ticker whose chart is open', { selected: article('a', 0, ['AAPL', 'NVDA']), openCharts: ['NVDA'] }, 'NVDA'],
    ['selected article: else a watched ticker', { selected: article('a', 0, ['XYZ', 'MSFT']), openCharts: ['NVDA'] }, 'MSFT'],
    ['selected article: else its first ticker', { selected: article('a', 0, ['XYZ', 'QQQ']) }, 'XYZ'],
    ['selected article without valid tickers: the chart', { selected: article('a', 0, ['bad one']), openCharts: ['NVDA'] }, 'NVDA'],
  ])('%s', (_name, over, expected) => {
    expect(historySymbol({ ...base, ...over })).toBe(expected)
  })
})
