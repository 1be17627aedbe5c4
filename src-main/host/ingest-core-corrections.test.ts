// The user's tag corrections through the ingest core, end to end with fakes: the start config's deny phrases and
// kept corrections apply to articles as they are tagged, a `tag-correction` re-publishes the corrected article on
// news.articles under the same key, a later revision keeps the correction, and `tag-rules` replaces the rules.
import { describe, expect, it } from 'vitest'
import type { Article } from '../domain/news'
import { DEFAULT_IMPACT_SETTINGS } from '../domain/impact'
import { createIngestCore } from './ingest-core'
import type { NewsSourceOptions } from './ingest-ports'
import type { IngestConfig, WorkerCommand, WorkerEvent } from './protocol'
import { parseWorkerCommand } from './protocol-schema'

const watchlist = [
  { symbol: 'WMT', aliases: ['Walmart'] },
  { symbol: 'TGT', aliases: ['Target'] },
  { symbol: 'COST', aliases: ['Costco'] },
]
const config = (over: Partial<IngestConfig> = {}): IngestConfig => ({
  feed: { mode: 'custom', channels: ['T'] },
  news: { enabled: true, key: 'k', sections: [], tier: 'developer' },
  kafka: { enabled: true, brokers: ['127.0.0.1:9092'], topicPrefix: '', partitions: 1, spoolDir: '/tmp/x', spoolCapBytes: 1e6 },
  watchlist,
  thresholds: DEFAULT_IMPACT_SETTINGS,
  dataDir: '/tmp/x',
  historyDepth: 100,
  flushMs: 16,
  ...over,
})

const article = (id: string, title: string, updated = 1): Article => ({
  id, published: 1, updated, title, url: 'https://x', section: 'business', type: 'article', trailText: '', tickers: [], query: 'q', receivedAt: 2, stale: false,
})

function harness(cfg: IngestConfig) {
  const events: WorkerEvent[] = []
  const published: { topic: string; record: Article }[] = []
  const intervals: { fn: () => void; ms: number }[] = []
  let news: NewsSourceOptions | null = null
  const core = createIngestCore({
    emit: (ev) => void events.push(ev),
    now: () => 1_764_340_000_000,
    // Names found by plain substring: enough to see what the user's tagging does to the tagger's output.
    createTagger: (wl) => (a) => wl.filter((e) => e.aliases.some((n) => a.title.includes(n))).map((e) => e.symbol),
    createNews: (o) => {
      news = o
      return { start: () => undefined, pause: () => undefined, resume: () => undefined, setWatchlist: () => undefined, stop: async () => undefined, status: () => ({ state: 'live' }) as never }
    },
    createPublisher: () =>
      ({
        publish: (topic: string, record: unknown) => (published.push({ topic, record: record as Article }), true),
        publishUnknown: () => true,
        flush: async () => undefined,
        pause: async () => undefined,
        close: async () => undefined,
        status: () => ({ state: 'connected', message: '', spooledRecords: 0, spooledBytes: 0, droppedRecords: 0, recordsPerSec: 0, bytesPerSec: 0, lastError: null }),
      }) as never,
    setInterval: (fn, ms) => (intervals.push({ fn, ms }), intervals.length),
    clearInterval: () => undefined,
  })
  // Commands arrive through the same zod boundary as in the worker.
  const send = (raw: unknown): void => {
    const r = parseWorkerCommand(raw)
    if (!r.ok) throw new Error(r.error)
    core.handle(r.value)
  }
  send({ type: 'start', config: cfg })
  const arrive = (a: Article): void => {
    const tickers = news!.tag(a)
    news!.onArticle({ ...a, tickers })
  }
  const articlesOut = () => published.filter((p) => p.topic === 'news.articles').map((p) => p.record)
  const batchArticles = () => {
    intervals.filter((i) => i.ms === cfg.flushMs).forEach((i) => i.fn())
    return events.flatMap((e) => (e.type === 'batch' ? e.articles : []))
  }
  return { send, arrive, articlesOut, batchArticles }
}

const priceTarget = (id: string, updated = 1) => article(id, 'Barclays Lowers Price Target on Walmart', updated)
const deny = { symbol: 'TGT', kind: 'deny', phrase: 'Price Target' } as const

describe('tag corrections in the ingest core', () => {
  it('deny phrases from the start config apply to the first article; the record says what the user removed', () => {
    const h = harness(config({ userTagging: { deny: [deny], edits: {} } }))
    h.arrive(priceTarget('a1'))
    expect(h.articlesOut().map((a) => [a.id, a.tickers, a.tagEdit])).toEqual([['a1', ['WMT'], { added: [], removed: ['TGT'] }]])
    expect(h.batchArticles().map((a) => a.tickers)).toEqual([['WMT']])
  })

  it('a corrected article is re-published under the same key with its correction, and a later revision keeps it', () => {
    const h = harness(config())
    h.arrive(priceTarget('a1'))
    expect(h.articlesOut().at(-1)!.tickers).toEqual(['WMT', 'TGT'])
    const before = h.batchArticles().length

    // The app corrected it in the timeline (remove TGT, add COST) and hands the result to the worker.
    const corrected: Article = { ...h.articlesOut().at(-1)!, tickers: ['WMT', 'COST'], tagEdit: { added: ['COST'], removed: ['TGT'] } }
    h.send({ type: 'tag-correction', articles: [corrected] } satisfies WorkerCommand)
    const out = h.articlesOut()
    expect(out).toHaveLength(2)
    expect(out[1]).toEqual(corrected)
    expect(out.map((a) => a.id)).toEqual(['a1', 'a1'])
    // Not echoed back to the app, which made it.
    expect(h.batchArticles()).toHaveLength(before)

    // The poller sends a revision of the same article: tagged afresh, then corrected as the user said.
    h.arrive(priceTarget('a1', 2))
    expect(h.articlesOut().at(-1)).toMatchObject({ id: 'a1', updated: 2, tickers: ['WMT', 'COST'], tagEdit: { added: ['COST'], removed: ['TGT'] } })
    // Another article is not affected by that correction.
    h.arrive(priceTarget('a2'))
    expect(h.articlesOut().at(-1)).toMatchObject({ id: 'a2', tickers: ['WMT', 'TGT'] })
  })

  it('tag-rules replaces the rules for later articles', () => {
    const h = harness(config())
    h.send({ type: 'tag-rules', userTagging: { deny: [deny], edits: {} } } satisfies WorkerCommand)
    h.arrive(priceTarget('a1'))
    h.send({ type: 'tag-rules', userTagging: { deny: [], edits: {} } } satisfies WorkerCommand)
    h.arrive(priceTarget('a2'))
    expect(h.articlesOut().map((a) => [a.id, a.tickers])).toEqual([['a1', ['WMT']], ['a2', ['WMT', 'TGT']]])
  })
})

describe('tag correction commands at the worker boundary', () => {
  const ok = priceTarget('a1')
  it.each<[string, unknown, boolean]>([
    ['a corrected article', { type: 'tag-correction', articles: [{ ...ok, tickers: ['WMT'], tagEdit: { added: [], removed: ['TGT'] } }] }, true],
    ['no articles', { type: 'tag-correction', articles: [] }, false],
    ['an article without an id', { type: 'tag-correction', articles: [{ ...ok, id: '' }] }, false],
    ['a ticker that is not a symbol', { type: 'tag-correction', articles: [{ ...ok, tickers: ['not a symbol'] }] }, false],
    ['deny rules and kept corrections', { type: 'tag-rules', userTagging: { deny: [deny], edits: { a1: { added: ['COST'], removed: [] } } } }, true],
    ['an alias among the deny rules', { type: 'tag-rules', userTagging: { deny: [{ ...deny, kind: 'alias' }], edits: {} } }, false],
    ['a one-letter phrase', { type: 'tag-rules', userTagging: { deny: [{ ...deny, phrase: 'T' }], edits: {} } }, false],
    ['start config with the user tagging', { type: 'start', config: config({ userTagging: { deny: [deny], edits: {} } }) }, true],
  ])('%s: accepted %s', (_name, raw, accepted) => {
    expect(parseWorkerCommand(raw).ok).toBe(accepted)
  })
})
