// The v2 impact engine's interface (docs/impact-v2.md): one object per app, fed live trades, REST history and
// articles, emitting impact records and move alerts. The ingest worker owns one; the golden tests drive another.
import type { ImpactRecordV2, ImpactSettings, MoveAlert, PrintSource } from '../../domain/impact'

/** A print as the engine takes it. `seq` null only for prints synthesised from 1-second bars. */
export interface EnginePrint {
  symbol: string
  ts: number
  price: number
  size: number
  conditions?: readonly number[] | undefined
  seq: number | null
  source: PrintSource
}

/** A previous session's 1-minute bar (REST `range/1/minute`), for beta, the sigma floor and the rvol slot basis. */
export interface MinuteBarIn {
  symbol: string
  start: number
  close: number
  volume: number
}

/** A REST 1-second bar (`range/1/second`), history when the plan has no `/v3/trades`. */
export interface SecondBarIn {
  symbol: string
  start: number
  close: number
  volume: number
  trades: number
}

export interface EngineArticle {
  id: string
  published: number
  receivedAt: number
  title: string
  tickers: readonly string[]
}

export interface EngineOutput {
  /** New or changed impact records (same key `<articleId>|<symbol>` replaces). */
  impacts: ImpactRecordV2[]
  /** New move alerts, and earlier ones again when a headline linked to them (same id replaces). */
  moves: MoveAlert[]
}

/** A span of data time, [from, to] inclusive, for which history is wanted. */
export interface HistoryWindow {
  symbol: string
  from: number
  to: number
}

export interface ImpactEngine {
  /** A live print from the socket (source live). Extends live coverage of its symbol to its ts. */
  onTrade(trade: Omit<EnginePrint, 'source'>): EngineOutput
  /** The socket started (or resumed) delivering `symbol` at `at`: live coverage runs from here. */
  liveStarted(symbol: string, at: number): void
  /** The socket stopped delivering `symbol` at `at` (disconnect, unsubscribe, pause). */
  liveStopped(symbol: string, at: number): void
  /** REST history for [from, to]: prints (`trades`) or second bars (`seconds`). Prints at or after the first live print of the symbol are dropped. */
  addHistory(symbol: string, from: number, to: number, data: { prints: readonly EnginePrint[] } | { secondBars: readonly SecondBarIn[] }): EngineOutput
  /** Previous sessions' 1-minute bars (any order, duplicates by start replace). */
  addMinuteBars(symbol: string, bars: readonly MinuteBarIn[]): EngineOutput
  onArticle(article: EngineArticle): EngineOutput
  /** Data time moves to `now` (records whose horizons passed are emitted). */
  advance(now: number): EngineOutput
  setSettings(settings: ImpactSettings): EngineOutput
  settings(): ImpactSettings
  /** The engine's data time (the records' asOf). */
  now(): number
  /** Whether every millisecond of [from, to] of `symbol` is covered (live or history) as of now. */
  covered(symbol: string, from: number, to: number): boolean
  /** Windows that articles need and no coverage holds yet: [t0 − 30 min, min(t0 + 15 min, now)] minus covered spans. */
  historyNeeds(): HistoryWindow[]
  /** Latest record of every tracked (article, symbol), and every move alert of the current day. */
  snapshot(): { impacts: ImpactRecordV2[]; moves: MoveAlert[] }
  /** Counters; `entries` = prints held across all symbols now (bounded by retention). */
  stats(): { prints: number; duplicates: number; rejected: number; articles: number; moves: number; emitted: number; entries: number }
}
