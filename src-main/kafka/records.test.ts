import { describe, expect, it } from 'vitest'
import type { Bar, Quote, Trade } from '../domain/market'
import type { Article, ImpactRecord } from '../domain/news'
import { encodeRecord, InvalidRecordError, SCHEMAS, validateRecord } from './records'
import { blankImpactRecord, DEFAULT_IMPACT_SETTINGS } from '../domain/impact'

/** v2 fields a test does not care about (every number null), for its literal to override. */
const BLANK_IMPACT = blankImpactRecord({ articleId: 'x', symbol: 'AAPL', published: 1_764_000_000_000, receivedAt: 1_764_000_000_000, asOf: 1_764_000_000_000, settings: DEFAULT_IMPACT_SETTINGS, origin: 'app' })

const T0 = Date.UTC(2026, 10, 27, 15, 30)
const trade = (over: Partial<Trade> = {}): Trade => ({
  symbol: 'AAPL',
  price: 231.5,
  size: 100,
  ts: T0,
  exchange: 4,
  conditions: [12, 37],
  seq: 1001,
  id: 't-1',
  tape: 3,
  ...over,
})
const bar: Bar = {
  symbol: 'MSFT',
  start: T0,
  end: T0 + 1000,
  open: 1,
  high: 2,
  low: 0.5,
  close: 1.5,
  volume: 300,
  vwap: 1.2,
  trades: 3,
  source: 'trades',
}
const quote: Quote = { symbol: 'BRK.B', bid: 10, bidSize: 200, ask: 10.01, askSize: 100, ts: T0 }
const article: Article = {
  id: 'business/2026/nov/27/apple-results',
  published: T0,
  updated: T0 + 5,
  title: 'Apple beats',
  url: 'https://example.test/a',
  section: 'business',
  type: 'article',
  trailText: '…',
  tickers: ['AAPL'],
  query: 'Apple',
  receivedAt: T0 + 2000,
  stale: false,
}
const impact: ImpactRecord = { ...BLANK_IMPACT,
  articleId: article.id,
  symbol: 'AAPL',
  published: T0,
  p0: 231.5,
  ret1: 0.01,
  ret5: null,
  ret15: null,
  sigma: 0.002,
  z1: 5,
  z5: null,
  z15: null,
  rvol5: null,
  signal: null,
  latencyMs: 2000,
  stale: false,
  origin: 'app',
  final: false,
}

describe('validateRecord', () => {
  it.each<[string, string, unknown, string | null]>([
    ['valid trade', 'market.trades', trade(), null],
    ['valid bar 1s', 'market.bars.1s', bar, null],
    ['valid bar 1m', 'market.bars.1m', bar, null],
    ['valid quote', 'market.quotes', quote, null],
    ['valid article', 'news.articles', article, null],
    ['valid impact', 'signals.news-impact', impact, null],
    ['unknown topic', 'market.nope', trade(), 'unknown topic "market.nope"'],
    ['null record', 'market.trades', null, 'not an object'],
    ['array record', 'market.trades', [trade()], 'not an object'],
    ['lower-case symbol', 'market.trades', trade({ symbol: 'aapl' }), "bad field 'symbol'"],
    ['NaN price', 'market.trades', trade({ price: NaN }), "bad field 'price'"],
    ['negative price', 'market.trades', trade({ price: -1 }), "bad field 'price'"],
    ['ts in seconds', 'market.trades', trade({ ts: Math.floor(T0 / 1000) }), "bad field 'ts'"],
    ['string exchange', 'market.trades', { ...trade(), exchange: '4' }, "bad field 'exchange'"],
    ['conditions not ints', 'market.trades', trade({ conditions: [1.5] }), "bad field 'conditions'"],
    ['empty id', 'market.trades', trade({ id: '' }), "bad field 'id'"],
    ['missing tape', 'market.trades', { ...trade(), tape: undefined }, "bad field 'tape'"],
    ['v2 fields valid', 'market.trades', trade({ pt: T0 - 5, trfi: 202, trft: T0 }), null],
    ['pt in seconds', 'market.trades', trade({ pt: Math.floor(T0 / 1000) }), "bad field 'pt'"],
    ['trfi not an integer', 'market.trades', trade({ trfi: 2.5 }), "bad field 'trfi'"],
    ['trft as text', 'market.trades', { ...trade(), trft: String(T0) }, "bad field 'trft'"],
    ['fractional size', 'market.trades', trade({ size: 0.740474 }), null],
    ['bar end before start', 'market.bars.1m', { ...bar, end: bar.start }, "bad field 'end'"],
    ['bar high < low', 'market.bars.1m', { ...bar, high: 0.1 }, "bad field 'high<low'"],
    ['bar bad source', 'market.bars.1s', { ...bar, source: 'x' }, "bad field 'source'"],
    ['quote Infinity bid', 'market.quotes', { ...quote, bid: Infinity }, "bad field 'bid'"],
    ['article tickers not strings', 'news.articles', { ...article, tickers: [1] }, "bad field 'tickers'"],
    ['article stale missing', 'news.articles', { ...article, stale: 'no' }, "bad field 'stale'"],
    ['impact bad signal', 'signals.news-impact', { ...impact, signal: 'sideways' }, "bad field 'signal'"],
    ['impact bad origin', 'signals.news-impact', { ...impact, origin: 'other' }, "bad field 'origin'"],
    ['impact string z5', 'signals.news-impact', { ...impact, z5: '1' }, "bad field 'z5'"],
  ])('%s', (_name, topic, record, expected) => {
    expect(validateRecord(topic, record)).toBe(expected)
  })
})

describe('encodeRecord', () => {
  it('keys, schema headers and prefix follow the topic table (docs/architecture.md)', () => {
    expect(encodeRecord('dev.', 'market.trades', trade())).toMatchObject({
      topic: 'dev.market.trades',
      key: 'AAPL',
      schema: 'trade/v2',
    })
    expect(encodeRecord('', 'market.bars.1m', bar)).toMatchObject({
      topic: 'market.bars.1m',
      key: 'MSFT',
      schema: 'bar/v1',
    })
    expect(encodeRecord('', 'market.quotes', quote)).toMatchObject({ key: 'BRK.B', schema: 'quote/v1' })
    expect(encodeRecord('', 'news.articles', article)).toMatchObject({
      key: article.id,
      schema: 'article/v1',
    })
    expect(encodeRecord('', 'signals.news-impact', impact)).toMatchObject({
      key: `${article.id}|AAPL`,
      schema: SCHEMAS['signals.news-impact'],
    })
  })

  it('writes contract fields in contract order and strips extras', () => {
    const withExtra = { ...trade(), secret: 'x', raw: { ev: 'T' } }
    const enc = encodeRecord('', 'market.trades', withExtra)
    expect(enc.value).toBe(
      '{"symbol":"AAPL","price":231.5,"size":100,"ts":' +
        T0 +
        ',"exchange":4,"conditions":[12,37],"seq":1001,"id":"t-1","tape":3}',
    )
    expect(JSON.parse(enc.value)).toEqual(trade())
  })

  // The value is written field by field; it must be byte-identical to JSON.stringify of the contract object.
  const ORDER: Record<string, string[]> = {
    'market.trades': ['symbol', 'price', 'size', 'ts', 'exchange', 'conditions', 'seq', 'id', 'tape', 'pt', 'trfi', 'trft'],
    'market.bars.1s': [
      'symbol',
      'start',
      'end',
      'open',
      'high',
      'low',
      'close',
      'volume',
      'vwap',
      'trades',
      'source',
    ],
    'market.quotes': ['symbol', 'bid', 'bidSize', 'ask', 'askSize', 'ts'],
    'news.articles': [
      'id',
      'published',
      'updated',
      'title',
      'url',
      'section',
      'type',
      'trailText',
      'tickers',
      'query',
      'receivedAt',
      'stale',
    ],
    // news-impact/v2: the field order of ImpactRecordV2 in src-main/domain/impact.ts.
    'signals.news-impact': ['articleId', 'symbol', 'published', 'receivedAt', 'asOf', 'source', 'p0', 'beta', 'adjusted', 'sigma', 'sigmaRealised', 'sigmaFloor', 'ret1', 'ret5', 'ret15', 'ar1', 'ar5', 'ar15', 'z1', 'z5', 'z15', 'quiet1', 'quiet5', 'quiet15', 'rvol5', 'rvolBasis', 'signal', 'detectedAt', 'confirmed', 'alertAt', 'move', 'latencyMs', 'stale', 'final', 'settings', 'origin'],
    'signals.moves': ['id', 'symbol', 'windowStart', 'detectedAt', 'direction', 'size', 'z', 'sigma', 'beta', 'adjusted', 'price', 'headlines', 'settings', 'origin'],
  }
  const contractJson = (topic: string, r: Record<string, unknown>): string =>
    JSON.stringify(Object.fromEntries((ORDER[topic] ?? []).map((f) => [f, r[f]])))
  it.each<[string, string, Record<string, unknown>]>([
    ['plain trade', 'market.trades', { ...trade() }],
    [
      '-0, 1e21, tiny and huge numbers',
      'market.trades',
      { ...trade({ size: -0, price: 1e21, seq: Number.MAX_SAFE_INTEGER, conditions: [] }) },
    ],
    ['fractions', 'market.trades', { ...trade({ price: 0.1 + 0.2, size: 1e-7 }) }],
    ['quotes and escapes in an id', 'market.trades', { ...trade({ id: 'a"b\\c\n\u0001\u2028😀' }) }],
    [
      'trade/v2: TRF print with participant time and a fractional size',
      'market.trades',
      { ...trade({ size: 0.740474, pt: T0 - 7, trfi: 202, trft: T0 }) },
    ],
    ['trade/v2: only pt', 'market.trades', { ...trade({ pt: T0 - 1 }) }],
    ['trade/v2: absent fields given as undefined', 'market.trades', { ...trade({ pt: undefined, trfi: undefined, trft: undefined }) }],
    ['bar', 'market.bars.1s', { ...bar }],
    ['quote', 'market.quotes', { ...quote }],
    [
      'article with unicode',
      'news.articles',
      { ...article, title: 'Apple “beats” — naïve ✓', tickers: ['AAPL', 'BRK.B'] },
    ],
    ['impact with nulls and booleans', 'signals.news-impact', { ...impact }],
    [
      'impact with numbers',
      'signals.news-impact',
      { ...impact, ret5: -0.0123, z5: 3.2, signal: 'up', final: true },
    ],
    [
      'impact v2 with an early signal, quiet flags and a linked move',
      'signals.news-impact',
      { ...impact, ar1: 0.0211, quiet1: false, quiet5: true, signal: 'down', detectedAt: T0 + 38_400, alertAt: T0 + 38_400, confirmed: false, move: `AAPL|${T0 + 30_000}`, source: 'seconds', rvolBasis: 'hour' },
    ],
    [
      'move alert with headlines',
      'signals.moves',
      { id: `AAPL|${T0}`, symbol: 'AAPL', windowStart: T0 - 60_000, detectedAt: T0, direction: 'down', size: -0.0587, z: -8.1, sigma: 0.0072, beta: 1.2, adjusted: true, price: 231.5, headlines: ['business/2026/nov/27/a', 'business/2026/nov/27/b'], settings: { proxy: 'SPY', zMove: 4 }, origin: 'app' },
    ],
  ])('%s: same bytes as JSON.stringify', (_name, topic, r) => {
    expect(encodeRecord('', topic, r).value).toBe(contractJson(topic, r))
  })

  it('trade/v2 with no 2026 fields is byte-identical to a v1 value (readers of both see the same)', () => {
    expect(encodeRecord('', 'market.trades', trade()).value).toBe(
      '{"symbol":"AAPL","price":231.5,"size":100,"ts":' +
        T0 +
        ',"exchange":4,"conditions":[12,37],"seq":1001,"id":"t-1","tape":3}',
    )
    expect(encodeRecord('', 'market.trades', trade({ size: 0.5, pt: T0 - 3, trfi: 201, trft: T0 - 1 })).value).toBe(
      '{"symbol":"AAPL","price":231.5,"size":0.5,"ts":' +
        T0 +
        ',"exchange":4,"conditions":[12,37],"seq":1001,"id":"t-1","tape":3,"pt":' +
        (T0 - 3) +
        ',"trfi":201,"trft":' +
        (T0 - 1) +
        '}',
    )
  })

  it('throws InvalidRecordError naming the field', () => {
    expect(() => encodeRecord('', 'market.trades', trade({ price: 0 }))).toThrow(InvalidRecordError)
    expect(() => encodeRecord('', 'market.trades', trade({ price: 0 }))).toThrow(/price/)
  })
})
