// Domain types shared by the core, the worker protocol, Kafka records and the renderer.
// Pure TypeScript (no Node or DOM imports) so the renderer may import it too.
// Times are epoch milliseconds (UTC) everywhere unless a name says otherwise.

/** A normalised trade, the value of Kafka topic `market.trades`. */
export interface Trade {
  symbol: string
  price: number
  /** Shares; fractional-share trades carry their decimal size (Polygon `ds`, exact to millionths). */
  size: number
  /** SIP timestamp, epoch ms. */
  ts: number
  /** Exchange id (Polygon `x`), a number; vendor JS clients type it as string: normalise to number. */
  exchange: number
  /** Polygon condition codes; [] when absent. */
  conditions: number[]
  /** Polygon `q`: unique and increasing per ticker, not contiguous. */
  seq: number
  /** Polygon `i` trade id, normalised to string. */
  id: string
  /** 1 NYSE, 2 AMEX, 3 Nasdaq. */
  tape: number
  /** Polygon `pt`: participant (exchange) timestamp, epoch ms; absent on older frames. */
  pt?: number | undefined
  /** Polygon `trfi`: the Trade Reporting Facility of an off-exchange print. */
  trfi?: number | undefined
  /** Polygon `trft`: when the TRF received the report, epoch ms. */
  trft?: number | undefined
}

/** A normalised NBBO quote, the value of `market.quotes`. `bidSize`/`askSize` in shares (Polygon sends shares since 2025-11-03). */
export interface Quote {
  symbol: string
  bid: number
  bidSize: number
  ask: number
  askSize: number
  ts: number
}

export type Timeframe = '1s' | '1m' | '5m' | '15m'
export const TIMEFRAMES: readonly Timeframe[] = ['1s', '1m', '5m', '15m']
export const TIMEFRAME_MS: Record<Timeframe, number> = { '1s': 1_000, '1m': 60_000, '5m': 300_000, '15m': 900_000 }

/** Where a bar's numbers came from: our own aggregation of trades, a socket aggregate, or REST backfill. */
export type BarSource = 'trades' | 'A' | 'AM' | 'rest'

/** An OHLCV bar, the value of `market.bars.1s` / `market.bars.1m`. `start` inclusive, `end` exclusive. */
export interface Bar {
  symbol: string
  start: number
  end: number
  open: number
  high: number
  low: number
  close: number
  volume: number
  vwap: number
  trades: number
  source: BarSource
}

/** Watchlist row: last price, change against the previous close (or the day's first trade), day volume. */
export interface SymbolSummary {
  symbol: string
  last: number | null
  /** Reference price for change: previous close when known, else the first trade of the day. */
  ref: number | null
  change: number | null
  changePct: number | null
  dayVolume: number
  lastTs: number | null
}

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
