// The ingest pipeline's ports: what it needs from the news poller, the tagger, Kafka and the clock, passed in
// by the worker entry (ingest-deps.ts) or by tests, and what it offers back.
import type { ImpactSettings, MoveAlert } from '../domain/impact'
import type { ImpactEngine } from '../signals/v2/types'
import type { Timers } from '../feeds/runtime'
import type { ImpactHistoryRest } from './impact-history-loader'
import type { Article, ImpactRecord } from '../domain/news'
import type { NewsStatus } from '../domain/status'
import type { WatchlistEntry } from '../domain/watchlist'
import type { PolygonFeed, PolygonFeedOptions } from '../feeds/polygon-feed'
import type { Publisher } from '../kafka/publisher'
import type { MarketEngine } from '../market/engine'
import type { HistorySource } from './history-loader'
import type { IngestConfig, WorkerCommand, WorkerEvent } from './protocol'

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
  /** The feed's clock (the demo simulator's in demo mode); default the wall clock. */
  now?: () => number
  log: (level: 'debug' | 'info' | 'warn' | 'error', message: string) => void
}

export type Tagger = (watchlist: WatchlistEntry[]) => (article: Article) => string[]

export interface IngestDeps {
  emit(ev: WorkerEvent): void
  createHistory?: (restBase: string, key: string) => HistorySource
  /** REST for news-impact history (tests pass a fake); default PolygonRest on the feed's REST base. */
  createImpactRest?: (restBase: string, key: string) => ImpactHistoryRest
  /** Timers for the history queue's pacing; default the system's. */
  timers?: Timers
  /** The news-impact engine (tests pass a recording one); default signals/v2. */
  createImpactEngine?: (options: { settings: ImpactSettings }) => ImpactEngine
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
    onMoves?: (moves: MoveAlert[]) => void,
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

export const disabledNews = (message: string): NewsStatus => ({
  state: 'idle',
  message,
  callsToday: 0,
  dailyBudget: 0,
  nextPollAt: null,
  lastPollAt: null,
  lastError: null,
})
