/** Statuses the user sees (status bar, tray tooltip). Every fatal state carries a human-readable message. */

export type FeedState =
  | 'idle'
  | 'connecting'
  | 'authenticating'
  | 'live'
  | 'reconnecting'
  | 'paused'
  /** Fatal, no retry: key rejected or plan lacks socket access. */
  | 'auth_failed'
  /** Fatal, no retry: another connection uses this key. */
  | 'max_connections'
  | 'error'

export interface FeedStatus {
  state: FeedState
  message: string
  /** When state is `reconnecting`: epoch ms of the next attempt. */
  retryAt: number | null
  attempt: number
  /** Frames/elements the parser rejected since start. */
  malformed: number
  /** Messages (events) per second, recent average. */
  msgsPerSec: number
  /** Last backfill: minutes recovered from REST after a reconnect. */
  backfilledBars: number
}

export type NewsState = 'idle' | 'polling' | 'waiting' | 'backoff' | 'paused' | 'outside_hours' | 'auth_failed' | 'error'

export interface NewsStatus {
  state: NewsState
  message: string
  /** Calls spent today (key's day, UTC) and the daily budget. */
  callsToday: number
  dailyBudget: number
  nextPollAt: number | null
  lastPollAt: number | null
  lastError: string | null
  /** A problem with the poller's state file found at start (moved aside, with its path), in words. */
  notice?: string | null
}

export type KafkaState = 'disabled' | 'connecting' | 'connected' | 'retrying' | 'spooling' | 'spool_full' | 'error'

export interface KafkaStatus {
  state: KafkaState
  message: string
  spooledRecords: number
  spooledBytes: number
  /** Records not kept because the spool cap was reached. */
  droppedRecords: number
  /** Malformed records the publisher refused (never sent). Optional: added by the Kafka publisher. */
  rejectedRecords?: number
  /** Records lost to damage found in the disk spool (torn or corrupt bytes), since start. */
  damagedRecords?: number
  /** What spool recovery found, in words ("spool: 1 record damaged, 265 recovered; damaged bytes kept in …"). */
  spoolNotice?: string | null
  recordsPerSec: number
  bytesPerSec: number
  lastError: string | null
  /**
   * The step the last connection attempt failed at (`dns`, `tcp`, `tls`, `protocol`, `sasl`, `authorization`,
   * `config`, `broker`), null once connected. The message says why in words.
   */
  failedStep?: string | null
  /** TLS with server verification off ("insecure (testing only)"): the status bar shows it in red. */
  insecureTls?: boolean
}

/**
 * Something the user must read at start-up, in words, with the paths involved: an unreadable settings or key
 * file moved aside, settings opened read-only, stored keys that cannot be decrypted. Shown until resolved.
 */
export interface AppNotice {
  /** Stable per cause, e.g. `settings-file`, `secrets-unreadable`. */
  id: string
  level: 'warn' | 'error'
  text: string
}

/** Kafka status while publishing is off (also the status before the ingest worker reports one). */
export const disabledKafkaStatus = (): KafkaStatus => ({
  state: 'disabled',
  message: 'Kafka publishing is off',
  spooledRecords: 0,
  spooledBytes: 0,
  droppedRecords: 0,
  recordsPerSec: 0,
  bytesPerSec: 0,
  lastError: null,
})

/** REST history for news impact (docs/impact-v2.md, "History first"): fetched per headline window, queued at the plan's rate. */
export interface HistoryStatus {
  /** idle: nothing queued; loading: a request in flight; waiting: paced or rate limited (429) until `retryAt`; error: the last request failed (retried later). */
  state: 'idle' | 'loading' | 'waiting' | 'error'
  message: string
  /** Requests still queued (including the one in flight). */
  pending: number
  /** Requests completed since start. */
  done: number
  /** Requests that failed for good (plan refused, bad key). */
  failed: number
  /** What the plan gives: tick trades or 1-second bars; null until known. */
  source: 'trades' | 'seconds' | null
  retryAt: number | null
}

export const idleHistoryStatus = (): HistoryStatus => ({
  state: 'idle',
  message: 'no history requested',
  pending: 0,
  done: 0,
  failed: 0,
  source: null,
  retryAt: null,
})

export interface StatusSnapshot {
  paused: boolean
  feed: FeedStatus
  news: NewsStatus
  kafka: KafkaStatus
  /** REST history for news impact; absent from older hosts. */
  history?: HistoryStatus
  /**
   * The host's clock minus the wall clock, ms: the demo simulator's time at night (simulator/demo-clock.ts). Times in
   * records and statuses are on the host's clock; the window adds this to its own clock when comparing. Absent: 0.
   */
  clockOffsetMs?: number
  /** Start-up notices from main (files moved aside, read-only settings, undecryptable keys). */
  notices?: AppNotice[]
}
