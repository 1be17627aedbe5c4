// Typed message protocol between the Electron main process (or the browser-mode server) and the ingest
// worker. Both directions are plain structured-clone data. The worker parses commands with zod on arrival.
import type { Bar, SymbolSummary, Timeframe } from '../domain/market'
import type { Article, ImpactRecord, SignalThresholds } from '../domain/news'
import type { AppNotice, FeedStatus, KafkaStatus, NewsStatus } from '../domain/status'

export type FeedMode = 'demo' | 'delayed' | 'realtime' | 'custom'
export type Channel = 'T' | 'Q' | 'A' | 'AM'

export interface WatchlistEntry {
  symbol: string
  /** Extra names the tagger and the Guardian query use (e.g. "Apple", "iPhone maker"). */
  aliases: string[]
}

export interface FeedConfig {
  mode: FeedMode
  /** Socket URL for `custom` (e.g. ws://127.0.0.1:8080/stocks); ignored otherwise. */
  url?: string
  /** REST base for `custom`. */
  restBase?: string
  /** Polygon key; absent in demo mode (the simulator's key is used). Never logged. */
  key?: string
  channels: Channel[]
}

export interface NewsConfig {
  enabled: boolean
  /** Guardian key; absent in demo mode. Never logged. */
  key?: string
  /** Custom base URL (tests, demo). Default https://content.guardianapis.com */
  base?: string
  sections: string[]
  tier: 'developer' | 'commercial'
  /** Commercial tiers: calls per second and per day. */
  perSecond?: number
  perDay?: number
}

export interface KafkaConfig {
  enabled: boolean
  brokers: string[]
  topicPrefix: string
  partitions: number
  /** Spool folder and cap. */
  spoolDir: string
  spoolCapBytes: number
}

export interface IngestConfig {
  feed: FeedConfig
  news: NewsConfig
  kafka: KafkaConfig
  watchlist: WatchlistEntry[]
  thresholds: SignalThresholds
  /** Folder for persisted state (news watermark, seen ids, spool). */
  dataDir: string
  /** Bars kept per symbol and timeframe (ring buffer depth). */
  historyDepth: number
  /** Coalescing window for updates leaving the worker, ms (16 = one animation frame). */
  flushMs: number
}

export type WorkerCommand =
  | { type: 'start'; config: IngestConfig }
  | { type: 'watchlist'; watchlist: WatchlistEntry[] }
  | { type: 'thresholds'; thresholds: SignalThresholds }
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

/** At most one per symbol per flush: the latest bar of each timeframe that changed. */
export interface SymbolUpdate {
  symbol: string
  bars: Partial<Record<Timeframe, Bar>>
  /**
   * Bars older than the chart's newest one that changed (late trades, REST backfill): the chart must not
   * `update()` them in place, it reloads history for these timeframes.
   */
  corrected: Timeframe[]
  summary: SymbolSummary
  /**
   * Bars of each timeframe that closed since the previous update, oldest first, to apply before `bars`:
   * without them a bar's last trades are lost whenever the next bar opens within the same flush.
   */
  closed?: Partial<Record<Timeframe, Bar[]>>
}

export interface StatusSnapshot {
  paused: boolean
  feed: FeedStatus
  news: NewsStatus
  kafka: KafkaStatus
  /** Start-up notices from main (files moved aside, read-only settings, undecryptable keys). */
  notices?: AppNotice[]
}

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
    }
  | { type: 'status'; status: StatusSnapshot }
  | { type: 'history'; requestId: number; bars: Bar[] }
  | { type: 'log'; level: 'debug' | 'info' | 'warn' | 'error'; message: string }
  | { type: 'stopped' }
