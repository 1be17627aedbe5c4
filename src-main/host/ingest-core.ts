// The ingest pipeline that runs inside the worker: Polygon feed → market engine → coalesced updates;
// Guardian poller → tagger → impact engine (news impact v2 + move alerts, docs/impact-v2.md) → signals;
// REST history for the engine (impact-history-loader.ts); everything published to Kafka when enabled.
// Thread-agnostic: the worker entry (ingest-worker.ts) and tests drive it through `handle` and `emit`.
// The logic lives in named modules: flow control (batcher.ts), start-up history (history-loader.ts), the
// status line (status-aggregator.ts), when bars are complete for Kafka (market/bar-completion.ts) and the user's
// tag corrections (user-tagging.ts).
import type { Bar, Quote, Trade } from '../domain/market'
import { impactKey, type Article, type ImpactRecord } from '../domain/news'
import { disabledKafkaStatus, type FeedStatus, type HistoryStatus, type NewsStatus } from '../domain/status'
import { createPolygonFeed, type PolygonFeed } from '../feeds/polygon-feed'
import { maxWindowFor } from '../feeds/history-plan'
import { PolygonRest } from '../feeds/polygon-rest'
import type { Publisher } from '../kafka/publisher'
import { createBarCompletion, type CompletedBar } from '../market/bar-completion'
import { createMarketEngine, type BackfillGap, type BackfillResult, type MarketEngine } from '../market/engine'
import { createImpactEngine } from '../signals/v2/engine'
import type { EngineOutput, ImpactEngine } from '../signals/v2/types'
import { createBatcher } from './batcher'
import { createHistoryLoader, type HistoryLoader } from './history-loader'
import { createImpactHistoryLoader } from './impact-history-loader'
import { awaitsHistory } from './impact-hold'
import { systemTimers } from '../feeds/runtime'
import type { IngestConfig } from './protocol'
import { createStatusAggregator, IDLE_FEED } from './status-aggregator'
import { createUserTagging } from './user-tagging'
import { disabledNews, type IngestCore, type IngestDeps, type NewsSource } from './ingest-ports'

export { START_HISTORY_MS, type HistorySource } from './history-loader'
export type { IngestCore, IngestDeps, NewsSource, NewsSourceOptions, Tagger } from './ingest-ports'

export function createIngestCore(deps: IngestDeps): IngestCore {
  const wallNow = deps.now ?? Date.now
  /** The feed's clock: the wall clock, or the demo simulator's (IngestConfig.clockOffsetMs). */
  let clockOffset = 0
  const now = (): number => wallNow() + clockOffset
  const setIntervalFn = deps.setInterval ?? ((fn: () => void, ms: number) => setInterval(fn, ms))
  const clearIntervalFn = deps.clearInterval ?? ((h: unknown) => clearInterval(h as NodeJS.Timeout))
  const log = (level: 'debug' | 'info' | 'warn' | 'error', message: string): void => deps.emit({ type: 'log', level, message })
  const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e))

  let config: IngestConfig | null = null
  let engine: MarketEngine = createMarketEngine({ historyDepth: 2_000 })
  let feed: PolygonFeed | null = null
  let publisher: Publisher | null = null
  let news: NewsSource | null = null
  let impact: ImpactEngine | null = null
  /** Symbols the engine is told the socket delivers (live coverage), and since when. */
  const liveSymbols = new Set<string>()
  let feedLive = false
  /** Market-data time: a delayed plan's trades arrive 15 minutes late, so horizons pass on its clock. */
  let delayMs = 0
  const dataNow = (): number => now() - delayMs
  let history: HistoryLoader | null = null
  let impactHistory: { sync(): void; stop(): void; status(): HistoryStatus } | null = null
  let signalsIn: { start(): Promise<void>; stop(): Promise<void> } | null = null
  let tag: (a: Article) => string[] = () => []
  let paused = false
  let stopped = false
  const timers: unknown[] = []
  const batcher = createBatcher()
  const bars = createBarCompletion()
  const status = createStatusAggregator(now)
  const userTagging = createUserTagging()
  let feedStatus: FeedStatus | null = null
  let newsStatus: NewsStatus = disabledNews('News polling is off')
  const c = { trades: 0, quotes: 0, aggregates: 0, articles: 0, impacts: 0, moves: 0, batches: 0 }
  /** Newest trade time seen (market-data time), for closing bars nobody trades into any more. */
  let newestTs = 0

  /**
   * REST bars for the charts (start-up history, a reconnect's gap). Paused means the charts hold still: bars that
   * land then (a fetch begun before the pause) wait for resume, in order.
   */
  const deferredBackfill: Array<() => void> = []
  const backfill = (symbol: string, bars: readonly Bar[], gap?: BackfillGap): BackfillResult => {
    if (!paused) return engine.ingestBackfill(symbol, bars, gap)
    deferredBackfill.push(() => void engine.ingestBackfill(symbol, bars, gap))
    return { replaced: 0, added: 0, skipped: 0, rejected: 0, dropped: 0 }
  }
  /** Records the timeline does not get yet: a passed horizon reads "no trades" only for lack of loading history. */
  const held = new Map<string, ImpactRecord>()
  const historyBusy = (): boolean => (impactHistory?.status().pending ?? 0) > 0
  const awaiting = (r: ImpactRecord): boolean =>
    impact !== null && historyBusy() && awaitsHistory(r, (from, to) => impact?.covered(r.symbol, from, to) ?? false)
  const toWindow = (r: ImpactRecord): void => {
    const key = impactKey(r)
    if (awaiting(r)) {
      held.set(key, r)
      return
    }
    held.delete(key)
    batcher.addImpact(r)
  }
  /** Held records whose history arrived (or whose loading ended: then the gap is real) go to the window. */
  const releaseHeld = (): void => {
    for (const r of [...held.values()]) toWindow(r)
  }
  const pushImpacts = (out: EngineOutput): void => {
    for (const r of out.impacts) {
      toWindow(r)
      c.impacts++
      publisher?.publish('signals.news-impact', r)
    }
    for (const m of out.moves) {
      batcher.addMove(m)
      c.moves++
      publisher?.publish('signals.moves', m)
    }
  }
  /** Watchlist symbols plus the market proxy, which is always subscribed (for its trades). */
  const subscribedSymbols = (): string[] => {
    if (!config) return []
    const list = config.watchlist.map((w) => w.symbol)
    const proxy = config.thresholds.proxy
    return list.includes(proxy) ? list : [...list, proxy]
  }
  /** Tell the engine which symbols the socket is delivering: live coverage starts and stops with the feed. */
  const syncLive = (): void => {
    if (!impact) return
    const live = !paused && feed?.status().state === 'live'
    const want = live ? new Set(subscribedSymbols()) : new Set<string>()
    const at = dataNow()
    for (const s of [...liveSymbols]) {
      if (want.has(s)) continue
      impact.liveStopped(s, at)
      liveSymbols.delete(s)
    }
    for (const s of want) {
      if (liveSymbols.has(s)) continue
      impact.liveStarted(s, at)
      liveSymbols.add(s)
    }
    feedLive = live
    // The engine's time is data time: it moves with a live feed (and caps what history headlines need).
    if (live) pushImpacts(impact.advance(at))
  }
  const onTrade = (t: Trade): void => {
    c.trades++
    if (!engine.ingestTrade(t)) return
    if (t.ts > newestTs) newestTs = t.ts
    publisher?.publish('market.trades', t)
    if (impact) pushImpacts(impact.onTrade(t))
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
    // The user's deny phrases and kept corrections apply before tracking: a denied ticker gets no signal.
    const article: Article = userTagging.apply({ ...raw, tickers: raw.tickers.length > 0 ? raw.tickers : tag(raw) })
    c.articles++
    if (impact && feedLive) pushImpacts(impact.advance(dataNow()))
    const out = impact ? impact.onArticle(article) : { impacts: [], moves: [] }
    // The engine decides staleness against earlier headlines of the same symbol.
    if (out.impacts.some((r) => r.stale)) article.stale = true
    batcher.addArticle(article)
    publisher?.publish('news.articles', article)
    pushImpacts(out)
    impactHistory?.sync()
  }

  const subscribe = (): void => {
    if (!feed || !config) return
    const symbols = subscribedSymbols()
    history?.load(config.watchlist.map((w) => w.symbol))
    feed.setSubscriptions(symbols, config.feed.channels)
    syncLive()
    impactHistory?.sync()
  }

  const publishBars = (done: CompletedBar[]): void => {
    for (const { tf, bar } of done) publisher?.publish(tf === '1s' ? 'market.bars.1s' : 'market.bars.1m', bar)
  }
  const flush = (): void => {
    const updates = engine.drainUpdates()
    if (publisher) {
      for (const u of updates) publishBars(bars.track(u))
      publishBars(bars.closeStale(newestTs))
    }
    // The market proxy is subscribed for the engine; its chart updates reach the window only when watched.
    const proxy = config?.thresholds.proxy
    const watched = proxy && !config?.watchlist.some((w) => w.symbol === proxy) ? updates.filter((u) => u.symbol !== proxy) : updates
    batcher.addUpdates(watched)
    const batch = batcher.take()
    if (!batch) return
    c.batches++
    deps.emit({ type: 'batch', at: now(), ...batch })
  }

  const sendStatus = (force = false): void => {
    const s = status.changed(
      {
        paused,
        feed: feed?.status() ?? feedStatus ?? IDLE_FEED,
        news: news?.status() ?? newsStatus,
        kafka: publisher?.status() ?? disabledKafkaStatus(),
        ...(impactHistory ? { history: impactHistory.status() } : {}),
        ...(clockOffset !== 0 ? { clockOffsetMs: clockOffset } : {}),
        messages: c.trades + c.quotes + c.aggregates,
      },
      force,
    )
    if (s) deps.emit({ type: 'status', status: s })
  }

  const startKafka = (cfg: IngestConfig): void => {
    if (!cfg.kafka.enabled) return
    if (deps.createPublisher) {
      try {
        publisher = deps.createPublisher(cfg.kafka, log)
      } catch (e) {
        log('error', `Kafka publisher failed to start: ${errorText(e)}`)
      }
    }
    if (!deps.createSignalsConsumer) return
    // One consumer group per data folder (installation): every app instance sees every signal.
    let h = 0
    for (const ch of cfg.dataDir) h = (h * 31 + ch.charCodeAt(0)) >>> 0
    // Not re-published: these came from Kafka. The UI keeps the most complete record per key.
    signalsIn = deps.createSignalsConsumer(
      cfg.kafka,
      `newstape-app-${h.toString(36)}`,
      (records) => records.forEach(batcher.addImpact),
      log,
      (moves) => moves.forEach(batcher.addMove),
    )
    signalsIn.start().catch((e: unknown) => log('warn', `signals consumer: ${errorText(e)}`))
  }

  /** REST history for the engine's headlines (docs/impact-v2.md "History first"), paced at the plan's rate. */
  const startImpactHistory = (cfg: IngestConfig): typeof impactHistory => {
    if (!impact || !cfg.feed.key || !cfg.feed.restBase) return null
    const base = cfg.feed.restBase
    const key = cfg.feed.key
    const rest = deps.createImpactRest?.(base, key) ?? new PolygonRest({ base, key, fetch: (u, i) => fetch(u, i) })
    return createImpactHistoryLoader({
      rest,
      engine: impact,
      // The feed's clock: "today" for minute bars is the market's day (the demo's at night), retryAt as the status shows it.
      clock: { now, ...(deps.timers ?? systemTimers) },
      plan: { callsPerMinute: cfg.restCallsPerMinute ?? 0, ticks: 'auto' },
      planOptions: { maxWindowMs: maxWindowFor(cfg.restCallsPerMinute ?? 0) },
      onOutput: (out) => {
        if (stopped) return
        pushImpacts(out)
        releaseHeld()
      },
      // Loading ended (or moved on): held records whose wait is over leave before the status says so.
      onStatus: () => {
        if (held.size > 0) releaseHeld()
        sendStatus()
      },
      log,
      watched: () => subscribedSymbols(),
    })
  }

  const startFeed = (cfg: IngestConfig): void => {
    if (!cfg.feed.key || !cfg.feed.url || !cfg.feed.restBase) {
      feedStatus = { ...IDLE_FEED, state: 'auth_failed', message: 'No Polygon key is set: add one in Settings, or switch the feed to demo.' }
      return
    }
    const createHistory =
      deps.createHistory ?? ((base: string, key: string) => new PolygonRest({ base, key, fetch: (u, i) => fetch(u, i) }))
    history = createHistoryLoader({
      source: createHistory(cfg.feed.restBase, cfg.feed.key),
      engine: () => ({ ingestBackfill: backfill }),
      now,
      hasMinuteAggregates: () => config?.feed.channels.includes('AM') ?? false,
      watched: (symbol) => config?.watchlist.some((w) => w.symbol === symbol) ?? false,
      stopped: () => stopped,
      log,
    })
    feed = (deps.createFeed ?? createPolygonFeed)({
      url: cfg.feed.url,
      restBase: cfg.feed.restBase,
      key: cfg.feed.key,
      onTrade,
      onQuote,
      onAggregate,
      // Both sides name the gap by inclusive minute starts (feeds/gap.ts).
      onBackfill: (symbol, list, range) => void backfill(symbol, list, range),
      onStatus: () => {
        if ((feed?.status().state === 'live') !== feedLive) syncLive()
        sendStatus()
      },
      onLog: log,
    })
    feed.start()
    subscribe()
  }

  const startNews = (cfg: IngestConfig): void => {
    if (!cfg.news.enabled || !deps.createNews) return
    if (!cfg.news.key) {
      newsStatus = { ...disabledNews('No Guardian key is set: add one in Settings.'), state: 'auth_failed' }
      return
    }
    news = deps.createNews({
      config: cfg.news,
      watchlist: cfg.watchlist,
      stateFile: `${cfg.dataDir}/news-state.json`,
      tag: (a) => tag(a),
      onArticle,
      onStatus: () => sendStatus(),
      demo: cfg.feed.mode === 'demo',
      now,
      log,
    })
    Promise.resolve(news.start()).catch((e: unknown) => log('error', `news poller: ${String(e)}`))
  }

  const start = (cfg: IngestConfig): void => {
    if (config) return log('warn', 'start ignored: already started')
    config = cfg
    clockOffset = cfg.clockOffsetMs ?? 0
    if (cfg.userTagging) userTagging.set(cfg.userTagging)
    engine = createMarketEngine({ historyDepth: cfg.historyDepth })
    delayMs = cfg.feed.mode === 'delayed' ? 15 * 60_000 : 0
    impact = (deps.createImpactEngine ?? createImpactEngine)({ settings: cfg.thresholds })
    // The engine's time starts at the feed's clock: a record is never "as of" no time at all.
    impact.advance(dataNow())
    impactHistory = startImpactHistory(cfg)
    tag = deps.createTagger ? deps.createTagger(cfg.watchlist) : () => []
    startKafka(cfg)
    startFeed(cfg)
    startNews(cfg)
    timers.push(setIntervalFn(flush, cfg.flushMs))
    timers.push(
      setIntervalFn(() => {
        // Only a live feed lets the clock close horizons: while reconnecting (or paused) trades are missing,
        // and a horizon closed then would read the gap as "no move".
        if (impact && (!feed || feed.status().state === 'live')) pushImpacts(impact.advance(dataNow()))
      }, 1_000),
    )
    // Settling is a REST call that rewrites a minute: paused means the chart holds still, so it waits for resume.
    timers.push(
      setIntervalFn(() => {
        if (held.size > 0) releaseHeld()
        sendStatus()
        if (!paused) history?.settle()
      }, deps.statusEveryMs ?? 500),
    )
    deps.emit({ type: 'ready' })
    sendStatus(true)
  }

  const stop = async (): Promise<void> => {
    if (stopped) return
    stopped = true
    for (const t of timers) clearIntervalFn(t)
    feed?.stop()
    impactHistory?.stop()
    await news?.stop().catch((e: unknown) => log('warn', `news stop: ${String(e)}`))
    await signalsIn?.stop().catch((e: unknown) => log('warn', `signals consumer stop: ${String(e)}`))
    // Publish what is left, then flush or spool: quitting never drops records.
    batcher.release()
    flush()
    if (publisher) await publisher.close().catch((e: unknown) => log('error', `Kafka close: ${String(e)}`))
    deps.emit({ type: 'stopped' })
  }

  const setPaused = (p: boolean): void => {
    if (paused === p) return
    paused = p
    syncLive()
    if (p) {
      feed?.pause()
      news?.pause()
      // Pausing flushes what is queued for Kafka.
      publisher?.pause().catch((e: unknown) => log('warn', `Kafka flush on pause: ${String(e)}`))
    } else {
      for (const apply of deferredBackfill.splice(0)) apply()
      feed?.resume()
      news?.resume()
    }
    sendStatus(true)
  }

  return {
    counters: () => ({ ...c }),
    engine: () => engine,
    handle(cmd) {
      switch (cmd.type) {
        case 'start':
          return start(cmd.config)
        case 'ack':
          return batcher.ack(cmd.seq)
        case 'watchlist':
          if (!config) return
          config = { ...config, watchlist: cmd.watchlist }
          tag = deps.createTagger ? deps.createTagger(cmd.watchlist) : tag
          if (!paused) subscribe()
          news?.setWatchlist(cmd.watchlist)
          return
        case 'thresholds':
          if (config) config = { ...config, thresholds: cmd.thresholds }
          if (impact) {
            const proxyChanged = impact.settings().proxy !== cmd.thresholds.proxy
            pushImpacts(impact.setSettings(cmd.thresholds))
            if (proxyChanged && !paused) subscribe()
          }
          return
        case 'pause':
          return setPaused(true)
        case 'resume':
          return setPaused(false)
        case 'history':
          deps.emit({ type: 'history', requestId: cmd.requestId, bars: engine.history(cmd.symbol, cmd.timeframe, cmd.limit) })
          return
        case 'tag-rules':
          return userTagging.set(cmd.userTagging)
        case 'tag-correction':
          if (stopped) return log('warn', 'tag correction after stop: not re-published')
          // Same key (the article id): the topic's latest record for it now carries the correction. Not sent back
          // to the app, which made it.
          for (const a of userTagging.corrected(cmd.articles)) publisher?.publish('news.articles', a)
          return
        case 'stop':
          void stop()
          return
      }
    },
  }
}
