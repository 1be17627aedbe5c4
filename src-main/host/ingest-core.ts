// The ingest pipeline that runs inside the worker: Polygon feed → market engine → coalesced updates;
// Guardian poller → tagger → impact tracker → signals; everything published to Kafka when enabled.
// Thread-agnostic: the worker entry (ingest-worker.ts) and tests drive it through `handle` and `emit`.
import type { Bar, Quote, Trade } from '../domain/market'
import type { Article, ImpactRecord } from '../domain/news'
import { impactKey } from '../domain/news'
import { disabledKafkaStatus, type FeedStatus, type NewsStatus } from '../domain/status'
import { createPolygonFeed, type PolygonFeed, type PolygonFeedOptions } from '../feeds/polygon-feed'
import { PolygonRest } from '../feeds/polygon-rest'
import { createMarketEngine, type MarketEngine } from '../market/index'
import { createImpactTracker, type ImpactTracker } from '../signals/tracker'
import type { Publisher } from '../kafka/publisher'
import { mergeUpdates } from './coalesce'
import type { IngestConfig, StatusSnapshot, SymbolUpdate, WatchlistEntry, WorkerCommand, WorkerEvent } from './protocol'

/** What the pipeline needs from a news poller (src-main/news). */
export interface NewsSource {
  start(): Promise<void> | void
  pause(): void
  resume(): void
  setWatchlist(watchlist: WatchlistEntry[]): void
  stop(): Promise<void>
  status(): NewsStatus
}

export interface NewsSourceOptions {
  config: IngestConfig['news']
  watchlist: WatchlistEntry[]
  stateFile: string
  tag: (article: Article) => string[]
  onArticle: (article: Article) => void
  onStatus: (s: NewsStatus) => void
  /** Demo mode: the simulator publishes around the clock, so poll around the clock too. */
  demo: boolean
  log: (level: 'debug' | 'info' | 'warn' | 'error', message: string) => void
}

export type Tagger = (watchlist: WatchlistEntry[]) => (article: Article) => string[]

/** REST history for a symbol's chart when it is first subscribed (the socket has no replay). */
export interface HistorySource {
  minuteBars(symbol: string, fromMs: number, toMs: number): Promise<Bar[]>
}

/** How far back a newly subscribed symbol's 1-minute history reaches: one regular session. */
export const START_HISTORY_MS = 390 * 60_000

export interface IngestDeps {
  emit(ev: WorkerEvent): void
  createHistory?: (restBase: string, key: string) => HistorySource
  now?: () => number
  createFeed?: (o: PolygonFeedOptions) => PolygonFeed
  createPublisher?: (config: IngestConfig['kafka'], log: NewsSourceOptions['log']) => Publisher
  createNews?: (o: NewsSourceOptions) => NewsSource
  createTagger?: Tagger
  /** Signals the Flink job computed (topic signals.news-impact), merged with the app's own by key. */
  createSignalsConsumer?: (
    config: IngestConfig['kafka'],
    groupId: string,
    onRecords: (records: ImpactRecord[]) => void,
    log: NewsSourceOptions['log'],
  ) => { start(): Promise<void>; stop(): Promise<void> }
  setInterval?: (fn: () => void, ms: number) => unknown
  clearInterval?: (h: unknown) => void
  /** Status snapshots at most this often, ms. */
  statusEveryMs?: number
}

export interface IngestCore {
  handle(cmd: WorkerCommand): void
  /** Counters for tests and the status line. */
  counters(): { trades: number; quotes: number; aggregates: number; articles: number; impacts: number; batches: number }
  engine(): MarketEngine
}

const disabledNews = (message: string): NewsStatus => ({
  state: 'idle',
  message,
  callsToday: 0,
  dailyBudget: 0,
  nextPollAt: null,
  lastPollAt: null,
  lastError: null,
})

export function createIngestCore(deps: IngestDeps): IngestCore {
  const now = deps.now ?? Date.now
  const setIntervalFn = deps.setInterval ?? ((fn: () => void, ms: number) => setInterval(fn, ms))
  const clearIntervalFn = deps.clearInterval ?? ((h: unknown) => clearInterval(h as NodeJS.Timeout))
  const log = (level: 'debug' | 'info' | 'warn' | 'error', message: string): void => deps.emit({ type: 'log', level, message })

  let config: IngestConfig | null = null
  let engine: MarketEngine = createMarketEngine({ historyDepth: 2_000 })
  let feed: PolygonFeed | null = null
  let publisher: Publisher | null = null
  let news: NewsSource | null = null
  let tracker: ImpactTracker | null = null
  let signalsIn: { start(): Promise<void>; stop(): Promise<void> } | null = null
  let tag: (a: Article) => string[] = () => []
  let paused = false
  let stopped = false
  const timers: unknown[] = []

  // Flow control: one batch in flight; until it is acknowledged everything coalesces here (bounded by the
  // number of symbols, articles and impact keys, never by the tick rate).
  let inFlight: number | null = null
  let seq = 0
  const pendingUpdates = new Map<string, SymbolUpdate>()
  const pendingArticles = new Map<string, Article>()
  const pendingImpacts = new Map<string, ImpactRecord>()

  let feedStatus: FeedStatus | null = null
  let newsStatus: NewsStatus = disabledNews('News polling is off')
  let lastStatusJson = ''
  const c = { trades: 0, quotes: 0, aggregates: 0, articles: 0, impacts: 0, batches: 0 }

  /** Newest trade time seen (market-data time), for closing bars nobody trades into any more. */
  let newestTs = 0

  const pushImpacts = (records: ImpactRecord[]): void => {
    for (const r of records) {
      pendingImpacts.set(impactKey(r), r)
      c.impacts++
      publisher?.publish('signals.news-impact', r)
    }
  }

  const onTrade = (t: Trade): void => {
    c.trades++
    if (!engine.ingestTrade(t)) return
    if (t.ts > newestTs) newestTs = t.ts
    publisher?.publish('market.trades', t)
    if (tracker) {
      const out = tracker.onTrade(t)
      if (out.length > 0) pushImpacts(out)
    }
  }
  const onQuote = (q: Quote): void => {
    c.quotes++
    publisher?.publish('market.quotes', q)
  }
  const onAggregate = (b: Bar): void => {
    c.aggregates++
    engine.ingestAggregate(b)
  }

  const onArticle = (raw: Article): void => {
    const article: Article = { ...raw, tickers: raw.tickers.length > 0 ? raw.tickers : tag(raw) }
    c.articles++
    if (tracker) {
      const records = tracker.onArticle(article)
      // The tracker decides staleness against earlier headlines of the same symbol.
      if (records.some((r) => r.stale)) article.stale = true
      pendingArticles.set(article.id, article)
      publisher?.publish('news.articles', article)
      pushImpacts(records)
    } else {
      pendingArticles.set(article.id, article)
      publisher?.publish('news.articles', article)
    }
  }

  // Start-up history, one symbol at a time (REST budgets are per minute on small plans). Only closed
  // minutes: REST outranks trades for its windows, so a partial bar for the open minute would freeze that
  // minute (and the last price) until it closes. The open minute is built from live trades; when it closes
  // its AM bar replaces it exactly, or, without the AM channel, one REST call for that minute does.
  let history: HistorySource | null = null
  const historyLoaded = new Set<string>()
  let historyChain: Promise<void> = Promise.resolve()
  /** Symbol → start of the minute that was open when its history loaded, settled from REST once closed. */
  const toSettle = new Map<string, number>()
  const loadHistory = (symbols: string[]): void => {
    if (!history) return
    const src = history
    for (const symbol of symbols) {
      if (historyLoaded.has(symbol)) continue
      historyLoaded.add(symbol)
      historyChain = historyChain.then(async () => {
        if (stopped) return
        const to = now()
        const openMinute = to - (to % 60_000)
        try {
          const bars = (await src.minuteBars(symbol, to - START_HISTORY_MS, to)).filter((b) => b.start < openMinute)
          // No gap: REST only fills minutes the socket has no bar for; the chart reloads (corrected).
          const r = engine.ingestBackfill(symbol, bars)
          if (config && !config.feed.channels.includes('AM')) toSettle.set(symbol, openMinute)
          log('debug', `history ${symbol}: ${r.added} minutes added`)
        } catch (e) {
          historyLoaded.delete(symbol)
          log('warn', `history for ${symbol} failed: ${e instanceof Error ? e.message : String(e)}`)
        }
      })
    }
  }
  /** Fetches minutes that were open at history load once they are closed (REST is then complete for them). */
  const settleHistory = (): void => {
    if (!history || toSettle.size === 0) return
    const src = history
    const t = now()
    for (const [symbol, minute] of toSettle) {
      // A couple of seconds after the close, so late prints are in the aggregate.
      if (t < minute + 62_000) continue
      toSettle.delete(symbol)
      historyChain = historyChain.then(async () => {
        if (stopped || !config?.watchlist.some((w) => w.symbol === symbol)) return
        try {
          const bars = await src.minuteBars(symbol, minute, minute + 59_999)
          engine.ingestBackfill(symbol, bars, { from: minute, to: minute })
        } catch (e) {
          log('warn', `history for ${symbol} (minute ${new Date(minute).toISOString()}) failed: ${e instanceof Error ? e.message : String(e)}`)
        }
      })
    }
  }

  const subscribe = (): void => {
    if (!feed || !config) return
    loadHistory(config.watchlist.map((w) => w.symbol))
    feed.setSubscriptions(
      config.watchlist.map((w) => w.symbol),
      config.feed.channels,
    )
  }

  // Kafka gets each 1 s and 1 m bar once it is complete: when a newer bar of the same symbol appears, or
  // when market data has moved 2 s past the bar's end. A late trade re-opens it and it is sent again
  // (same key; the newer value wins downstream).
  const openBars = new Map<string, Bar>()
  const BAR_TOPICS = { '1s': 'market.bars.1s', '1m': 'market.bars.1m' } as const
  const trackBar = (tf: '1s' | '1m', bar: Bar): void => {
    const key = `${tf}|${bar.symbol}`
    const prev = openBars.get(key)
    if (prev && bar.start > prev.start) publisher?.publish(BAR_TOPICS[tf], prev)
    if (!prev || bar.start >= prev.start) openBars.set(key, bar)
  }
  const closeStaleBars = (): void => {
    for (const [key, bar] of openBars) {
      if (bar.end + 2_000 <= newestTs) {
        publisher?.publish(BAR_TOPICS[key.startsWith('1s|') ? '1s' : '1m'], bar)
        openBars.delete(key)
      }
    }
  }

  const flush = (): void => {
    const updates = engine.drainUpdates()
    if (publisher) {
      for (const u of updates) {
        for (const tf of ['1s', '1m'] as const) {
          for (const b of u.closed[tf] ?? []) trackBar(tf, b)
          const b = u.bars[tf]
          if (b) trackBar(tf, b)
        }
      }
      closeStaleBars()
    }
    if (updates.length > 0) {
      mergeUpdates(
        pendingUpdates,
        updates.map((u) => ({ symbol: u.symbol, bars: u.bars, corrected: u.corrected, summary: u.summary, closed: u.closed })),
      )
    }
    if (inFlight !== null) return
    if (pendingUpdates.size === 0 && pendingArticles.size === 0 && pendingImpacts.size === 0) return
    seq++
    inFlight = seq
    c.batches++
    deps.emit({
      type: 'batch',
      seq,
      at: now(),
      updates: [...pendingUpdates.values()],
      articles: [...pendingArticles.values()],
      impacts: [...pendingImpacts.values()],
    })
    pendingUpdates.clear()
    pendingArticles.clear()
    pendingImpacts.clear()
  }

  let lastTrades = 0
  let lastRateAt = now()
  let rate = 0
  const snapshot = (): StatusSnapshot => {
    const t = now()
    if (t - lastRateAt >= 1_000) {
      rate = ((c.trades + c.quotes + c.aggregates - lastTrades) * 1000) / (t - lastRateAt)
      lastTrades = c.trades + c.quotes + c.aggregates
      lastRateAt = t
    }
    const fs: FeedStatus = feed?.status() ??
      feedStatus ?? { state: 'idle', message: '', retryAt: null, attempt: 0, malformed: 0, msgsPerSec: 0, backfilledBars: 0 }
    return {
      paused,
      feed: { ...fs, msgsPerSec: paused ? 0 : rate },
      news: news?.status() ?? newsStatus,
      kafka: publisher?.status() ?? disabledKafkaStatus(),
    }
  }
  const sendStatus = (force = false): void => {
    const s = snapshot()
    const json = JSON.stringify(s)
    if (!force && json === lastStatusJson) return
    lastStatusJson = json
    deps.emit({ type: 'status', status: s })
  }

  const start = (cfg: IngestConfig): void => {
    if (config) return log('warn', 'start ignored: already started')
    config = cfg
    engine = createMarketEngine({ historyDepth: cfg.historyDepth })
    // Market-data time: a delayed plan's trades arrive 15 minutes late, so horizons must pass on its clock.
    const delayMs = cfg.feed.mode === 'delayed' ? 15 * 60_000 : 0
    tracker = createImpactTracker({ thresholds: cfg.thresholds, clock: { now: () => now() - delayMs } })
    tag = deps.createTagger ? deps.createTagger(cfg.watchlist) : () => []
    if (cfg.kafka.enabled && deps.createPublisher) {
      try {
        publisher = deps.createPublisher(cfg.kafka, log)
      } catch (e) {
        log('error', `Kafka publisher failed to start: ${e instanceof Error ? e.message : String(e)}`)
      }
    }
    if (cfg.kafka.enabled && deps.createSignalsConsumer) {
      // One consumer group per data folder (installation): every app instance sees every signal.
      let h = 0
      for (const ch of cfg.dataDir) h = (h * 31 + ch.charCodeAt(0)) >>> 0
      signalsIn = deps.createSignalsConsumer(cfg.kafka, `newstape-app-${h.toString(36)}`, (records) => {
        // Not re-published: these came from Kafka. The UI keeps the most complete record per key.
        for (const r of records) pendingImpacts.set(impactKey(r), r)
      }, log)
      signalsIn.start().catch((e: unknown) => log('warn', `signals consumer: ${e instanceof Error ? e.message : String(e)}`))
    }
    if (!cfg.feed.key || !cfg.feed.url || !cfg.feed.restBase) {
      feedStatus = {
        state: 'auth_failed',
        message: 'No Polygon key is set: add one in Settings, or switch the feed to demo.',
        retryAt: null,
        attempt: 0,
        malformed: 0,
        msgsPerSec: 0,
        backfilledBars: 0,
      }
    } else {
      const createHistory =
        deps.createHistory ?? ((base: string, key: string) => new PolygonRest({ base, key, fetch: (u, i) => fetch(u, i) }))
      history = createHistory(cfg.feed.restBase, cfg.feed.key)
      const create = deps.createFeed ?? createPolygonFeed
      feed = create({
        url: cfg.feed.url,
        restBase: cfg.feed.restBase,
        key: cfg.feed.key,
        onTrade,
        onQuote,
        onAggregate,
        onBackfill: (symbol, bars, range) => {
          // Both sides name the gap by inclusive minute starts (feeds/gap.ts).
          engine.ingestBackfill(symbol, bars, range)
        },
        onStatus: () => sendStatus(),
        onLog: log,
      })
      feed.start()
      subscribe()
    }
    if (cfg.news.enabled && deps.createNews) {
      if (!cfg.news.key) {
        newsStatus = { ...disabledNews('No Guardian key is set: add one in Settings.'), state: 'auth_failed' }
      } else {
        news = deps.createNews({
          config: cfg.news,
          watchlist: cfg.watchlist,
          stateFile: `${cfg.dataDir}/news-state.json`,
          tag: (a) => tag(a),
          onArticle,
          onStatus: () => sendStatus(),
          demo: cfg.feed.mode === 'demo',
          log,
        })
        Promise.resolve(news.start()).catch((e: unknown) => log('error', `news poller: ${String(e)}`))
      }
    }
    timers.push(setIntervalFn(flush, cfg.flushMs))
    timers.push(
      setIntervalFn(() => {
        // Only a live feed lets the clock close horizons: while reconnecting (or paused) trades are missing,
        // and a horizon closed then would read the gap as "no move".
        if (tracker && (!feed || feed.status().state === 'live')) {
          const out = tracker.advance()
          if (out.length > 0) pushImpacts(out)
        }
      }, 1_000),
    )
    timers.push(setIntervalFn(() => (sendStatus(), settleHistory()), deps.statusEveryMs ?? 500))
    deps.emit({ type: 'ready' })
    sendStatus(true)
  }

  const stop = async (): Promise<void> => {
    if (stopped) return
    stopped = true
    for (const t of timers) clearIntervalFn(t)
    feed?.stop()
    await news?.stop().catch((e: unknown) => log('warn', `news stop: ${String(e)}`))
    await signalsIn?.stop().catch((e: unknown) => log('warn', `signals consumer stop: ${String(e)}`))
    // Publish what is left, then flush or spool: quitting never drops records.
    inFlight = null
    flush()
    if (publisher) await publisher.close().catch((e: unknown) => log('error', `Kafka close: ${String(e)}`))
    deps.emit({ type: 'stopped' })
  }

  return {
    counters: () => ({ ...c }),
    engine: () => engine,
    handle(cmd) {
      switch (cmd.type) {
        case 'start':
          return start(cmd.config)
        case 'ack':
          if (inFlight === cmd.seq) inFlight = null
          return
        case 'watchlist':
          if (!config) return
          config = { ...config, watchlist: cmd.watchlist }
          tag = deps.createTagger ? deps.createTagger(cmd.watchlist) : tag
          if (!paused) subscribe()
          news?.setWatchlist(cmd.watchlist)
          return
        case 'thresholds':
          if (config) config = { ...config, thresholds: cmd.thresholds }
          if (tracker) pushImpacts(tracker.setThresholds(cmd.thresholds))
          return
        case 'pause':
          if (paused) return
          paused = true
          feed?.pause()
          news?.pause()
          // Pausing flushes what is queued for Kafka.
          publisher?.pause().catch((e: unknown) => log('warn', `Kafka flush on pause: ${String(e)}`))
          sendStatus(true)
          return
        case 'resume':
          if (!paused) return
          paused = false
          feed?.resume()
          news?.resume()
          sendStatus(true)
          return
        case 'history':
          deps.emit({ type: 'history', requestId: cmd.requestId, bars: engine.history(cmd.symbol, cmd.timeframe, cmd.limit) })
          return
        case 'stop':
          void stop()
          return
      }
    },
  }
}
