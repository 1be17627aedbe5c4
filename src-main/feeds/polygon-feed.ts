// The one façade the ingest worker uses: socket client + REST backfill of the gaps it reports.
import type { Bar, Quote, Trade } from '../domain/market'
import type { FeedStatus } from '../domain/status'
import type { Channel } from '../domain/watchlist'
import type { Gap } from './gap'
import { PolygonRest, PolygonRestError, type FetchLike, type PolygonRestOptions } from './polygon-rest'
import { PolygonSocket, type PolygonSocketOptions } from './polygon-socket'
import {
  factoryFromConstructor,
  type Clock,
  type Defer,
  type LogFn,
  type SocketFactory,
  type Timers,
  type WebSocketConstructor,
} from './runtime'

export interface BackfillRange {
  /** First minute start re-fetched (inclusive). */
  from: number
  /** Last minute start re-fetched (inclusive). */
  to: number
}

export interface PolygonFeedOptions {
  url: string
  restBase: string
  key: string
  /** Defaults to the global fetch. */
  fetch?: FetchLike
  /** A `ws`-compatible constructor, or a factory; defaults to `ws`. */
  WebSocket?: WebSocketConstructor
  createSocket?: SocketFactory
  clock?: Clock
  timers?: Timers
  defer?: Defer
  random?: () => number
  onTrade?(t: Trade): void
  onQuote?(q: Quote): void
  onAggregate?(b: Bar): void
  /**
   * REST minute bars (source 'rest') for one symbol covering `range`. They are authoritative for every minute
   * in the range: replace the engine's bars for those minutes; a minute in range without a bar had no
   * qualifying trades. Called for every subscribed symbol, even with `bars` empty.
   */
  onBackfill?(symbol: string, bars: Bar[], range: BackfillRange): void
  onStatus?(s: FeedStatus): void
  onLog?: LogFn
  /** Socket tuning (ping/dead intervals, reconnect policy, drain batch). */
  socket?: Partial<Omit<PolygonSocketOptions, 'url' | 'key'>>
  /** REST tuning (retry policy, budget, sleep). */
  rest?: Partial<Omit<PolygonRestOptions, 'base' | 'key' | 'fetch'>>
}

export interface PolygonFeed {
  start(): void
  stop(): void
  setSubscriptions(symbols: readonly string[], channels: readonly Channel[]): void
  pause(): void
  resume(): void
  status(): FeedStatus
  /** Resolves once every reported gap has been fetched and delivered (or failed). */
  backfillIdle(): Promise<void>
  /** Connection attempts so far. */
  attempts(): number
  /** A gap not yet reported (waiting for data to resume or for its last minute to complete). */
  pendingGap(): { from: number; to: number | null } | null
  /** Largest data time received, or null. */
  lastDataTs(): number | null
}

export function createPolygonFeed(o: PolygonFeedOptions): PolygonFeed {
  const abort = new AbortController()
  const rest = new PolygonRest({
    ...o.rest,
    base: o.restBase,
    key: o.key,
    fetch: o.fetch ?? ((url, init) => fetch(url, init)),
    signal: abort.signal,
  })
  let chain: Promise<void> = Promise.resolve()
  let stopped = false
  const log: LogFn = (level, message) => o.onLog?.(level, message)

  async function backfill(gap: Gap, symbols: string[]): Promise<void> {
    let total = 0
    for (const symbol of symbols) {
      if (stopped) return
      try {
        const bars = await rest.minuteBars(symbol, gap.from, gap.to)
        if (stopped) return
        total += bars.length
        o.onBackfill?.(symbol, bars, { from: gap.from, to: gap.to })
      } catch (err) {
        if (stopped) return
        const msg =
          err instanceof PolygonRestError ? err.message : `backfill failed: ${(err as Error).message}`
        log(err instanceof PolygonRestError && err.fatal ? 'error' : 'warn', msg)
        socket.note({
          type: 'note',
          message: `${stateWord(socket.status.state)}; backfill of ${symbol} failed: ${msg}`,
        })
        // A rejected key or plan fails the same way for every symbol: stop this round.
        if (err instanceof PolygonRestError && err.fatal) return
      }
    }
    const minutes = Math.round((gap.to - gap.from) / 60_000) + 1
    socket.note({
      type: 'backfilled',
      bars: total,
      message: `${stateWord(socket.status.state)}; backfilled ${minutes} min for ${symbols.length} symbols from REST${rest.lastBodyStatus === 'DELAYED' ? ' (delayed data: the plan’s delay)' : ''}`,
    })
  }

  const socket = new PolygonSocket({
    ...o.socket,
    url: o.url,
    key: o.key,
    createSocket: o.createSocket ?? (o.WebSocket ? factoryFromConstructor(o.WebSocket) : undefined),
    clock: o.clock,
    timers: o.timers,
    defer: o.defer,
    random: o.random,
    onTrade: o.onTrade,
    onQuote: o.onQuote,
    onAggregate: o.onAggregate,
    onStatus: o.onStatus,
    onLog: o.onLog,
    onGap: (gap) => {
      // Symbols as subscribed when the gap closes; gaps are fetched one after another (REST rate limits).
      const symbols = socket.subscribedSymbols
      log(
        'info',
        `stream gap ${new Date(gap.from).toISOString()} … ${new Date(gap.to).toISOString()}: backfilling ${symbols.length} symbols`,
      )
      chain = chain.then(() => backfill(gap, symbols))
    },
  })

  return {
    start: () => socket.start(),
    stop: () => {
      stopped = true
      abort.abort()
      socket.stop()
    },
    setSubscriptions: (symbols, channels) => socket.setSubscriptions(symbols, channels),
    pause: () => socket.pause(),
    resume: () => socket.resume(),
    status: () => socket.status,
    backfillIdle: async () => {
      // Gaps may be queued while we wait: loop until the chain is stable.
      for (;;) {
        const c = chain
        await c
        if (c === chain) return
      }
    },
    attempts: () => socket.attempts,
    pendingGap: () => socket.pendingGap,
    lastDataTs: () => socket.lastDataTs,
  }
}

function stateWord(state: FeedStatus['state']): string {
  return state === 'live' ? 'Live' : state.charAt(0).toUpperCase() + state.slice(1).replace('_', ' ')
}
