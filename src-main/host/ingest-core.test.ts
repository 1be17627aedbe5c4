import { describe, expect, it } from 'vitest'
import { createIngestCore } from './ingest-core'
import type { IngestConfig, WorkerEvent } from './protocol'
import type { PolygonFeed, PolygonFeedOptions } from '../feeds/polygon-feed'
import type { Trade } from '../domain/market'
import { DEFAULT_IMPACT_SETTINGS } from '../domain/impact'

const config = (over: Partial<IngestConfig> = {}): IngestConfig => ({
  feed: { mode: 'custom', url: 'ws://127.0.0.1:1/stocks', restBase: 'http://127.0.0.1:1', key: 'k', channels: ['T'] },
  news: { enabled: false, sections: [], tier: 'developer' },
  kafka: { enabled: false, brokers: ['127.0.0.1:9092'], topicPrefix: '', partitions: 1, spoolDir: '/tmp/x', spoolCapBytes: 1e6 },
  watchlist: [{ symbol: 'AAPL', aliases: [] }, { symbol: 'MSFT', aliases: [] }],
  thresholds: DEFAULT_IMPACT_SETTINGS,
  dataDir: '/tmp/x',
  historyDepth: 100,
  flushMs: 16,
  ...over,
})

/** Drives the core with manual timers and a scripted feed (a unit test of coalescing and flow control). */
function harness(cfg = config(), published: { topic: string; record: unknown }[] = []) {
  const events: WorkerEvent[] = []
  const intervals: { fn: () => void; ms: number }[] = []
  let opts: PolygonFeedOptions | null = null
  const calls: string[] = []
  const restCalls: { symbol: string; from: number; to: number }[] = []
  let t = 1_764_340_000_000 + 30_000 // mid-minute
  const feed: PolygonFeed = {
    start: () => void calls.push('start'),
    stop: () => void calls.push('stop'),
    setSubscriptions: (s, ch) => void calls.push(`subs ${ch.join()}:${s.join()}`),
    pause: () => void calls.push('pause'),
    resume: () => void calls.push('resume'),
    status: () => ({ state: 'live', message: '', retryAt: null, attempt: 1, malformed: 0, msgsPerSec: 0, backfilledBars: 0 }),
    backfillIdle: async () => undefined,
    attempts: () => 1,
    pendingGap: () => null,
    lastDataTs: () => null,
  }
  const core = createIngestCore({
    emit: (ev) => void events.push(ev),
    now: () => t,
    createFeed: (o) => {
      opts = o
      return feed
    },
    // REST history as the service answers: every minute with trades up to `to`, the open one included
    // (partial). Here: two closed minutes and the open one.
    createHistory: () => ({
      minuteBars: async (symbol, from, to) => {
        restCalls.push({ symbol, from, to })
        const m = Math.floor(to / 60_000) * 60_000
        return [m - 180_000, m - 120_000, m]
          .filter((start) => start >= from - (from % 60_000))
          .map((start) => ({
            symbol, start, end: start + 60_000, open: 90, high: 91, low: 89, close: 90.5, volume: 1000, vwap: 90.2, trades: 10, source: 'rest' as const,
          }))
      },
    }),
    createPublisher: () =>
      ({
        publish: (topic: string, record: unknown) => (published.push({ topic, record }), true),
        publishUnknown: () => true,
        flush: async () => undefined,
        pause: async () => undefined,
        close: async () => undefined,
        status: () => ({ state: 'connected', message: '', spooledRecords: 0, spooledBytes: 0, droppedRecords: 0, recordsPerSec: 0, bytesPerSec: 0, lastError: null }),
        metrics: () => ({ acked: 0, ackedBytes: 0, rejected: 0, dropped: 0, spooled: 0, replayed: 0, queued: 0, mode: 'live' }),
      }) as never,
    setInterval: (fn, ms) => {
      intervals.push({ fn, ms })
      return intervals.length
    },
    clearInterval: () => undefined,
  })
  core.handle({ type: 'start', config: cfg })
  let seq = 0
  const trade = (symbol: string, price: number, dt = 100): void => {
    t += dt
    opts!.onTrade!({ symbol, price, size: 100, ts: t, exchange: 4, conditions: [], seq: ++seq, id: String(seq), tape: 3 } satisfies Trade)
  }
  const tick = (): void => intervals.filter((i) => i.ms === cfg.flushMs).forEach((i) => i.fn())
  const statusTick = (): void => intervals.filter((i) => i.ms === 500).forEach((i) => i.fn())
  const batches = () => events.filter((e): e is Extract<WorkerEvent, { type: 'batch' }> => e.type === 'batch')
  const advance = (ms: number): void => void (t += ms)
  return { core, events, calls, restCalls, trade, tick, statusTick, batches, advance, now: () => t }
}

describe('ingest core', () => {
  it('subscribes the watchlist and the market proxy on start and sends subscription diffs on change', () => {
    const h = harness()
    expect(h.calls).toEqual(['start', 'subs T:AAPL,MSFT,SPY'])
    h.core.handle({ type: 'watchlist', watchlist: [{ symbol: 'NVDA', aliases: [] }] })
    expect(h.calls.at(-1)).toBe('subs T:NVDA,SPY')
    h.core.handle({ type: 'watchlist', watchlist: [{ symbol: 'SPY', aliases: [] }] })
    expect(h.calls.at(-1)).toBe('subs T:SPY')
  })

  it('sends at most one update per symbol per flush', () => {
    const h = harness()
    for (let i = 0; i < 50; i++) h.trade(i % 2 ? 'AAPL' : 'MSFT', 100 + i / 100, 1)
    h.tick()
    const [b] = h.batches()
    expect(b!.updates.map((u) => u.symbol).sort()).toEqual(['AAPL', 'MSFT'])
    expect(b!.updates.find((u) => u.symbol === 'AAPL')!.summary.last).toBe(100.49)
  })

  it('holds further batches until the previous one is acknowledged, coalescing meanwhile', () => {
    const h = harness()
    h.trade('AAPL', 100)
    h.tick()
    expect(h.batches()).toHaveLength(1)
    for (let i = 0; i < 1000; i++) {
      h.trade('AAPL', 100 + (i % 7) / 100, 5)
      if (i % 10 === 0) h.tick()
    }
    expect(h.batches()).toHaveLength(1)
    h.core.handle({ type: 'ack', seq: h.batches()[0]!.seq })
    h.tick()
    expect(h.batches()).toHaveLength(2)
    const second = h.batches()[1]!
    expect(second.updates).toHaveLength(1)
    // The coalesced update carries the latest state, not a backlog.
    expect(second.updates[0]!.summary.last).toBe(100 + (999 % 7) / 100)
  })

  it('pause and resume reach the feed; status says paused', () => {
    const h = harness()
    h.core.handle({ type: 'pause' })
    expect(h.calls).toContain('pause')
    const st = h.events.filter((e) => e.type === 'status').at(-1) as Extract<WorkerEvent, { type: 'status' }>
    expect(st.status.paused).toBe(true)
    h.core.handle({ type: 'resume' })
    expect(h.calls).toContain('resume')
  })

  it('answers history from the engine', () => {
    const h = harness()
    h.trade('AAPL', 100, 60_000)
    h.trade('AAPL', 101, 60_000)
    h.core.handle({ type: 'history', requestId: 7, symbol: 'AAPL', timeframe: '1m', limit: 10 })
    const ev = h.events.find((e) => e.type === 'history') as Extract<WorkerEvent, { type: 'history' }>
    expect(ev.requestId).toBe(7)
    expect(ev.bars.map((b) => b.close)).toEqual([100, 101])
  })

  it('without a Polygon key the feed shows a fatal status instead of connecting', () => {
    const cfg = config()
    delete cfg.feed.key
    const h = harness(cfg)
    expect(h.calls).toEqual([])
    const st = h.events.filter((e) => e.type === 'status').at(-1) as Extract<WorkerEvent, { type: 'status' }>
    expect(st.status.feed.state).toBe('auth_failed')
    expect(st.status.feed.message).toMatch(/No Polygon key/)
  })

  it('loads REST history for each symbol when it is first subscribed, and the chart is told to reload', async () => {
    const h = harness()
    await new Promise((r) => setTimeout(r, 10))
    expect(h.core.engine().history('AAPL', '1m', 10).map((b) => b.source)).toEqual(['rest', 'rest'])
    h.core.handle({ type: 'watchlist', watchlist: [{ symbol: 'NVDA', aliases: [] }] })
    await new Promise((r) => setTimeout(r, 10))
    expect(h.core.engine().history('NVDA', '1m', 10)).toHaveLength(2)
  })

  it('start-up history skips the open minute: live trades build it and move the last price at once', async () => {
    const h = harness(config({ feed: { ...config().feed, channels: ['T', 'AM'] } }))
    await new Promise((r) => setTimeout(r, 10))
    const open = h.now() - (h.now() % 60_000)
    // Only the two closed minutes came from REST.
    expect(h.core.engine().history('AAPL', '1m', 10).map((b) => b.start)).toEqual([open - 180_000, open - 120_000])
    h.trade('AAPL', 100)
    h.trade('AAPL', 101)
    const bars = h.core.engine().history('AAPL', '1m', 10)
    expect(bars.at(-1)).toMatchObject({ start: open, open: 100, close: 101, volume: 200, source: 'trades' })
    h.tick()
    expect(h.batches().at(-1)!.updates.find((u) => u.symbol === 'AAPL')!.summary.last).toBe(101)
    // With AM subscribed the AM bar settles the minute: no extra REST call.
    h.advance(120_000)
    h.statusTick()
    await new Promise((r) => setTimeout(r, 10))
    expect(h.restCalls.filter((c) => c.symbol === 'AAPL')).toHaveLength(1)
  })

  it('without AM, the minute open at start-up is settled from REST once it has closed', async () => {
    const h = harness()
    await new Promise((r) => setTimeout(r, 10))
    const open = h.now() - (h.now() % 60_000)
    h.trade('AAPL', 100)
    h.statusTick()
    await new Promise((r) => setTimeout(r, 10))
    expect(h.restCalls.filter((c) => c.symbol === 'AAPL')).toHaveLength(1) // not before it closed
    h.advance(open + 62_000 - h.now())
    h.statusTick()
    await new Promise((r) => setTimeout(r, 10))
    expect(h.restCalls.filter((c) => c.symbol === 'AAPL').at(-1)).toEqual({ symbol: 'AAPL', from: open, to: open + 59_999 })
    // REST (complete for a closed minute) replaces the partial bar the trades built.
    expect(h.core.engine().history('AAPL', '1m', 10).find((b) => b.start === open)).toMatchObject({ volume: 1000, close: 90.5, source: 'rest' })
  })

  it('publishes each 1 s bar to Kafka once it is complete, with its final numbers', () => {
    const published: { topic: string; record: unknown }[] = []
    const cfg = config({ kafka: { ...config().kafka, enabled: true } })
    const h = harness(cfg, published)
    h.trade('AAPL', 100, 1_000)
    h.tick()
    h.trade('AAPL', 101, 1) // same second: the open bar changes
    h.tick()
    const bars1s = () => published.filter((p) => p.topic === 'market.bars.1s').map((p) => p.record as { close: number; symbol: string })
    expect(bars1s()).toEqual([])
    h.trade('AAPL', 102, 1_000) // next second: the first bar is complete
    h.tick()
    expect(bars1s().map((b) => [b.symbol, b.close])).toEqual([['AAPL', 101]])
    // MSFT trades move market time 3 s on: AAPL's open bar is closed by time, not by a newer AAPL bar.
    h.trade('MSFT', 50, 3_000)
    h.tick()
    expect(bars1s().map((b) => [b.symbol, b.close])).toEqual([['AAPL', 101], ['AAPL', 102]])
    expect(published.filter((p) => p.topic === 'market.trades')).toHaveLength(4)
  })
})
