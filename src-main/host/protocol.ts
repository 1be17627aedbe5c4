// Typed message protocol between the Electron main process (or the browser-mode server) and the ingest
// worker. Both directions are plain structured-clone data. The worker parses commands with zod on arrival.
import type { Bar, SymbolUpdate, Timeframe } from '../domain/market'
import type { ImpactSettings, MoveAlert } from '../domain/impact'
import type { Article, ImpactRecord } from '../domain/news'
import type { StatusSnapshot } from '../domain/status'
import type { WatchlistEntry } from '../domain/watchlist'
import type { FeedConfig } from '../feeds/config'
import type { KafkaConfig } from '../kafka/config'
import type { NewsConfig } from '../news/config'
import type { UserTaggingState } from './user-tagging'

export interface IngestConfig {
  feed: FeedConfig
  news: NewsConfig
  kafka: KafkaConfig
  watchlist: WatchlistEntry[]
  /** Impact thresholds and the market proxy (docs/impact-v2.md). */
  thresholds: ImpactSettings
  /** Demo mode: the simulator's clock minus the wall clock (ms); the worker runs on the simulator's time. */
  clockOffsetMs?: number
  /** REST calls per minute the plan allows for impact history (5 on the free tier); absent: unlimited. */
  restCallsPerMinute?: number
  /** Folder for persisted state (news watermark, seen ids, spool). */
  dataDir: string
  /** Bars kept per symbol and timeframe (ring buffer depth). */
  historyDepth: number
  /** Coalescing window for updates leaving the worker, ms (16 = one animation frame). */
  flushMs: number
  /** The user's confirmed deny phrases and kept tag corrections, applied from the first article on. */
  userTagging?: UserTaggingState
}

export type WorkerCommand =
  | { type: 'start'; config: IngestConfig }
  | { type: 'watchlist'; watchlist: WatchlistEntry[] }
  | { type: 'thresholds'; thresholds: ImpactSettings }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'history'; requestId: number; symbol: string; timeframe: Timeframe; limit: number }
  /** Flush or spool everything, then answer `stopped`. */
  | { type: 'stop' }
  /**
   * Flow control: the worker keeps at most one batch in flight and coalesces until the host acknowledges
   * it, so a slow consumer makes it coalesce instead of queueing without bound.
   */
  | { type: 'ack'; seq: number }
  /** The user's deny phrases or kept corrections changed: later articles get these (replacing the old ones). */
  | { type: 'tag-rules'; userTagging: UserTaggingState }
  /**
   * The user corrected these articles' tags in the timeline: re-publish each on `news.articles` (same key, the
   * correction on the record) and keep its correction for later revisions.
   */
  | { type: 'tag-correction'; articles: Article[] }

export type WorkerEvent =
  | { type: 'ready' }
  | {
      type: 'batch'
      seq: number
      /** Worker clock at flush, epoch ms. */
      at: number
      updates: SymbolUpdate[]
      /** New articles and revisions of known ones (same id). */
      articles: Article[]
      /** New or updated impact records (same key = replacement). */
      impacts: ImpactRecord[]
      /** New move alerts and ones a headline has since linked to (same id = replacement). */
      moves: MoveAlert[]
    }
  | { type: 'status'; status: StatusSnapshot }
  | { type: 'history'; requestId: number; bars: Bar[] }
  | { type: 'log'; level: 'debug' | 'info' | 'warn' | 'error'; message: string }
  | { type: 'stopped' }
