// The headless pipeline end to end: real ingest worker thread, real simulator (Polygon + Guardian), real
// Kafka broker. Every stream the app publishes arrives with its key and `schema` header, and a tag correction
// sent to the worker (`tag-correction`) lands on news.articles as the latest record for that article's key.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createSimulator, type Simulator } from '../../src-main/simulator/index'
import { mountGuardian, type GuardianSim } from '../../src-main/simulator/guardian/index'
import { startIngestWorker, type IngestHost } from '../../src-main/host/worker-host'
import type { IngestConfig } from '../../src-main/host/protocol'
import type { StatusSnapshot } from '../../src-main/domain/status'
import { DEFAULT_IMPACT_SETTINGS } from '../../src-main/domain/impact'
import { demoClock } from '../../src-main/simulator/demo-clock'
import type { Article } from '../../src-main/domain/news'
import { applyCorrection } from '../../src-main/news/tagging/corrections'
import { consumeTopic, testBrokers } from './kafka-helpers'

let sim: Simulator
let guardian: GuardianSim
let host: IngestHost
let dir: string | undefined
let last: StatusSnapshot | null = null
const arrived: Article[] = []
let corrected: Article | null = null
const prefix = `it${Date.now().toString(36)}.`

beforeAll(async () => {
  // The demo's clock: a regular session whatever the hour (outside it only thin Form T prints trade, no bars).
  const { clock, clockOffsetMs } = demoClock(Date.now())
  sim = await createSimulator({ port: 0, seed: 21, key: 'demo', clock, intensity: 4 })
  guardian = mountGuardian(sim, {
    key: 'demo',
    seed: 21,
    quota: null,
    articlesPerHour: 120,
    watchlist: [
      { symbol: 'AAPL', aliases: ['Apple'] },
      { symbol: 'MSFT', aliases: ['Microsoft'] },
    ],
  })
  dir = mkdtempSync(join(tmpdir(), 'ingest-kafka-'))
  const config: IngestConfig = {
    feed: {
      mode: 'demo',
      url: `${sim.wsBase}/stocks`,
      restBase: sim.httpBase,
      key: 'demo',
      channels: ['T', 'Q'],
    },
    news: {
      enabled: true,
      key: 'demo',
      base: `${sim.httpBase}/guardian`,
      sections: [],
      tier: 'commercial',
      perSecond: 5,
      perDay: 100_000,
    },
    kafka: {
      enabled: true,
      brokers: [testBrokers()],
      topicPrefix: prefix,
      partitions: 2,
      spoolDir: join(dir, 'spool'),
      spoolCapBytes: 64 * 1024 * 1024,
    },
    watchlist: [
      { symbol: 'AAPL', aliases: ['Apple'] },
      { symbol: 'MSFT', aliases: ['Microsoft'] },
    ],
    thresholds: DEFAULT_IMPACT_SETTINGS,
    dataDir: dir,
    historyDepth: 500,
    flushMs: 16,
    clockOffsetMs,
  }
  host = startIngestWorker(config)
  host.on((ev) => {
    if (ev.type === 'status') last = ev.status
    if (ev.type === 'batch') arrived.push(...ev.articles)
  })
  const until = Date.now() + 90_000
  while (!(last && last.kafka.state === 'connected' && last.kafka.recordsPerSec > 0)) {
    if (Date.now() > until) throw new Error(`pipeline never published: ${JSON.stringify(last?.kafka)}`)
    await new Promise((r) => setTimeout(r, 200))
  }
  // Let seconds close (1 s bars) and news arrive, then stop: stop flushes everything to the broker.
  await new Promise((r) => setTimeout(r, 8_000))
  while (arrived.length === 0) {
    if (Date.now() > until) throw new Error('no article arrived from the simulated Guardian')
    await new Promise((r) => setTimeout(r, 200))
  }
  // The user corrects the first article in the timeline: the app hands the corrected article to the worker.
  const first = arrived[0]!
  const missing = ['AAPL', 'MSFT'].filter((s) => !first.tickers.includes(s))
  corrected = missing.length > 0 ? applyCorrection(first, [missing[0]!], []) : applyCorrection(first, [], ['AAPL'])
  host.send({ type: 'tag-correction', articles: [corrected] })
  await host.stop()
}, 180_000)

afterAll(async () => {
  guardian?.close()
  await sim?.close()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

const header = (h: string[] | null, name: string): string | undefined => {
  if (!h) return undefined
  for (let i = 0; i + 1 < h.length; i += 2) if (h[i] === name) return h[i + 1]
  return undefined
}

describe('ingest worker → Kafka', () => {
  it.each([
    ['market.trades', 'trade/v2'],
    ['market.quotes', 'quote/v1'],
    ['market.bars.1s', 'bar/v1'],
    ['news.articles', 'article/v1'],
  ])('%s carries keyed records with schema %s', async (topic, schema) => {
    const records = await consumeTopic(testBrokers(), `${prefix}${topic}`)
    expect(records.length).toBeGreaterThan(0)
    for (const r of records.slice(0, 200)) {
      expect(header(r.headers, 'schema')).toBe(schema)
      const v = JSON.parse(r.payload!) as Record<string, unknown>
      if (topic === 'news.articles') expect(r.key).toBe(v.id)
      else expect(r.key).toBe(v.symbol)
    }
  })

  it('every trade the worker accepted for the watchlist is on market.trades exactly as the simulator sent it', async () => {
    const records = await consumeTopic(testBrokers(), `${prefix}market.trades`)
    const byId = new Map(
      records.map((r) => [
        `${r.key}|${(JSON.parse(r.payload!) as { seq: number }).seq}`,
        JSON.parse(r.payload!) as { price: number; size: number },
      ]),
    )
    const truth = sim.groundTruthTrades('AAPL')
    const seen = truth.filter((t) => byId.has(`AAPL|${t.seq}`))
    expect(seen.length).toBeGreaterThan(10)
    for (const t of seen) expect(byId.get(`AAPL|${t.seq}`)).toMatchObject({ price: t.price, size: t.size })
  })

  it('a corrected article is re-published on news.articles: the latest record for its key carries the correction', async () => {
    const records = await consumeTopic(testBrokers(), `${prefix}news.articles`)
    const forKey = records.filter((r) => r.key === corrected!.id)
    expect(forKey.length).toBeGreaterThanOrEqual(2)
    const latest = JSON.parse(forKey.at(-1)!.payload!) as Article
    expect(header(forKey.at(-1)!.headers, 'schema')).toBe('article/v1')
    expect(corrected!.tagEdit).toBeDefined()
    expect(latest.tagEdit).toEqual(corrected!.tagEdit)
    expect(latest.tickers).toEqual(corrected!.tickers)
  })
})
