// The publisher against the real broker of the global setup: every topic of the table in docs/architecture.md, with its
// key and `schema` header, read back with Kafka's own Java consumer.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { Bar, Quote, Trade } from '../../src-main/domain/market'
import type { Article, ImpactRecord } from '../../src-main/domain/news'
import { createPublisher } from '../../src-main/kafka/publisher'
import { consumeTopic, testBrokers, uniquePrefix } from './kafka-helpers'
import { blankImpactRecord, DEFAULT_IMPACT_SETTINGS, moveId, type MoveAlert } from '../../src-main/domain/impact'

/** v2 fields a test does not care about (every number null), for its literal to override. */
const BLANK_IMPACT = blankImpactRecord({ articleId: 'x', symbol: 'AAPL', published: 1_764_000_000_000, receivedAt: 1_764_000_000_000, asOf: 1_764_000_000_000, settings: DEFAULT_IMPACT_SETTINGS, origin: 'app' })

const T0 = Date.UTC(2026, 10, 27, 15, 30)
const trade: Trade = {
  symbol: 'AAPL',
  price: 231.5,
  size: 100,
  ts: T0,
  exchange: 4,
  conditions: [12],
  seq: 7,
  id: 'x1',
  tape: 3,
}
const bar1s: Bar = {
  symbol: 'AAPL',
  start: T0,
  end: T0 + 1000,
  open: 1,
  high: 2,
  low: 1,
  close: 2,
  volume: 300,
  vwap: 1.5,
  trades: 2,
  source: 'trades',
}
const bar1m: Bar = { ...bar1s, end: T0 + 60_000, source: 'AM' }
const quote: Quote = { symbol: 'MSFT', bid: 400, bidSize: 200, ask: 400.02, askSize: 100, ts: T0 }
const article: Article = {
  id: 'business/2026/nov/27/apple-results',
  published: T0,
  updated: T0,
  title: 'Apple beats “expectations”',
  url: 'https://www.theguardian.com/business/2026/nov/27/apple-results',
  section: 'business',
  type: 'article',
  trailText: 'Shares jump',
  tickers: ['AAPL'],
  query: 'Apple',
  receivedAt: T0 + 900,
  stale: false,
}
const revision: Article = {
  ...article,
  updated: T0 + 60_000,
  title: 'Apple beats expectations (updated)',
  receivedAt: T0 + 61_000,
}
const impact: ImpactRecord = { ...BLANK_IMPACT,
  articleId: article.id,
  symbol: 'AAPL',
  published: T0,
  p0: 231.5,
  ret1: 0.004,
  ret5: null,
  ret15: null,
  sigma: 0.001,
  z1: 4,
  z5: null,
  z15: null,
  rvol5: null,
  signal: null,
  latencyMs: 900,
  stale: false,
  origin: 'app',
  final: false,
}

const move: MoveAlert = {
  id: moveId('AAPL', T0 + 40_000),
  symbol: 'AAPL',
  windowStart: T0,
  detectedAt: T0 + 40_000,
  direction: 'up',
  size: 0.012,
  z: 6.1,
  sigma: 0.0019,
  beta: 1.1,
  adjusted: true,
  price: 234.3,
  headlines: [article.id],
  settings: { proxy: 'SPY', zMove: 4 },
  origin: 'app',
}

let dir: string
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kafka-pub-'))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('publisher → real broker', () => {
  it('publishes every topic with its key, schema header and contract value; revisions keep the article key', async () => {
    const prefix = uniquePrefix('topics')
    const pub = createPublisher({
      enabled: true,
      brokers: [testBrokers()],
      topicPrefix: prefix,
      partitions: 2,
      spoolDir: join(dir, 'spool'),
      spoolCapBytes: 64 * 1024 * 1024,
    })
    expect(pub.publish('market.trades', trade)).toBe(true)
    expect(pub.publish('market.bars.1s', bar1s)).toBe(true)
    expect(pub.publish('market.bars.1m', bar1m)).toBe(true)
    expect(pub.publish('market.quotes', quote)).toBe(true)
    expect(pub.publish('news.articles', article)).toBe(true)
    expect(pub.publish('news.articles', revision)).toBe(true)
    expect(pub.publish('signals.news-impact', impact)).toBe(true)
    expect(pub.publish('signals.moves', move)).toBe(true)
    await pub.flush()
    // flush() means acknowledged or safely spooled; a transient first-send error (broker busy right after
    // topic creation) legitimately spools, and the replay then delivers in order. Wait for that.
    await vi.waitFor(() => expect(pub.status()).toMatchObject({ state: 'connected', spooledRecords: 0 }), {
      timeout: 60_000,
      interval: 100,
    })
    await pub.close()

    const expectOne = async (
      topic: string,
      key: string,
      schema: string,
      values: unknown[],
    ): Promise<void> => {
      const got = await consumeTopic(testBrokers(), `${prefix}${topic}`)
      expect(got.map((r) => r.key)).toEqual(values.map(() => key))
      expect(got.map((r) => r.headers)).toEqual(values.map(() => ['schema', schema]))
      expect(got.map((r) => JSON.parse(r.payload ?? 'null') as unknown)).toEqual(values)
    }
    await expectOne('market.trades', 'AAPL', 'trade/v2', [trade])
    await expectOne('market.bars.1s', 'AAPL', 'bar/v1', [bar1s])
    await expectOne('market.bars.1m', 'AAPL', 'bar/v1', [bar1m])
    await expectOne('market.quotes', 'MSFT', 'quote/v1', [quote])
    await expectOne('news.articles', article.id, 'article/v1', [article, revision])
    await expectOne('signals.news-impact', `${article.id}|AAPL`, 'news-impact/v2', [impact])
    await expectOne('signals.moves', move.id, 'move/v1', [move])
  }, 150_000) // seven reads with a separate JVM each, on a shared machine
})
