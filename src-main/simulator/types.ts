// The simulator's public contract. Polygon parts live in src-main/simulator/*, The Guardian's in
// src-main/simulator/guardian/* and mount under the path prefix `/guardian` of the same server.
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Trade, Quote } from '../domain/market'

export type ClockMode =
  /** Wall-clock time (demo). */
  | { kind: 'realtime' }
  /** Simulated time runs `factor`× faster than wall-clock time, starting at `start` (epoch ms). */
  | { kind: 'accelerated'; factor: number; start?: number }
  /** As fast as possible: the market model generates events without waiting (benchmarks). */
  | { kind: 'fast'; start?: number }

export interface SimulatorOptions {
  /** 0 picks a free port. Bound to 127.0.0.1 only. */
  port?: number
  seed?: number
  /** The API key the simulator accepts (Polygon socket + REST, Guardian). Default `demo`. */
  key?: string
  clock?: ClockMode
  /** REST free tier: 429 after 5 requests a minute. */
  freeTier?: boolean
  /** Multiplier on every symbol's trade (and quote) arrival rate. Default 1 (~2–20 trades/s per name midday). */
  intensity?: number
  /** Quotes per trade (arrival-rate ratio). Default 1. */
  quoteRatio?: number
  /** A symbol's tape starts this long before the clock's start (REST history). Default 30 minutes. */
  historyMs?: number
  /** Ground-truth retention over all symbols; the oldest are dropped past it. Defaults 2,000,000 each. */
  maxTrades?: number
  maxQuotes?: number
  /** Wall-clock interval between socket flushes in realtime/accelerated mode. Default 15 ms. */
  tickMs?: number
  /** A socket that sends no auth request this long after connecting gets `auth_timeout` and is closed.
   * Default 10 s. */
  authTimeoutMs?: number
}

/** Counters for benchmarks and diagnostics. */
export interface SimulatorStats {
  tradesGenerated: number
  quotesGenerated: number
  eventsSent: number
  framesSent: number
  bytesSent: number
  activeSymbols: number
  connections: number
}

/**
 * One scheduled price shock of `symbol` starting at simulated time `at`. Shape `ramp` (default): it moves by
 * `jumpPct` (0.02 = +2 %) linearly over `overMs`, the trade rate × `volumeFactor` for `volumeMs`. Shape `news`: a
 * real-looking news shock of about `jumpPct` (shocks.ts: maybe some leakage before `at`, most of the move within
 * 5–60 s, then a continuation or partial reversal; sometimes a halt), drawn deterministically from (seed, symbol, at).
 */
export interface Shock {
  symbol: string
  at: number
  jumpPct: number
  overMs?: number
  /** Multiplies the trade arrival rate for `volumeMs` after the jump (news brings volume). */
  volumeFactor?: number
  volumeMs?: number
  shape?: 'ramp' | 'news'
  /** The article that caused it (ground truth). */
  articleId?: string
  /** A news shock's leakage starts no earlier than this (keeps an earlier null story's 5 minutes unmoved). */
  leakNotBefore?: number
}

/** A market-wide move (macro news): the market factor moves by about `jumpPct`, so SPY does and every name by its beta. */
export interface MacroMove {
  at: number
  jumpPct: number
  articleId?: string
}

/** Ground truth of one scheduled shock (symbol) or macro move (symbol null), for benchmarks. */
export interface ShockTruth {
  id: string
  /** null: a macro move (SPY moves by `size`, every other name by its beta × `size`). */
  symbol: string | null
  /** When the main move starts (a news shock's publication); leakage may come before it (`from`). */
  start: number
  /** When the last part of the move ends. */
  end: number
  /** When the first part (leakage) starts: `start` or earlier. */
  from: number
  /** When the main move is complete (the halt's end for a halted shock). */
  landed: number
  direction: 'up' | 'down'
  /** Net log move of the symbol's own price (of the market factor for a macro move) from `from` to `end`. */
  size: number
  halted: { from: number; to: number } | null
  /** Session of `start` (docs/impact-v2.md): pre, regular, post or none. */
  session: 'pre' | 'regular' | 'post' | 'none'
  articleId: string | null
}

export interface FaultPlan {
  /** Close every socket (1006-like abrupt close) after it has been sent N frames; once per trigger. */
  dropAfterFrames?: number
  /** Stop sending anything (no data, no pongs) for `ms`. */
  stallMs?: number
  /** Put one malformed element in every Nth frame. */
  malformedEvery?: number
  /** Simulate a slow consumer: server-side buffer limit in bytes; past it the server delays, then disconnects. */
  slowConsumerBufferBytes?: number
}

export type HttpHandler = (req: IncomingMessage, res: ServerResponse, url: URL) => void | Promise<void>

export interface Simulator {
  readonly port: number
  /** `ws://127.0.0.1:PORT` — socket at `${wsBase}/stocks`. */
  readonly wsBase: string
  /** `http://127.0.0.1:PORT` — Polygon REST at `${httpBase}/v2/...`, Guardian at `${httpBase}/guardian/...`. */
  readonly httpBase: string
  /** Simulated now, epoch ms. */
  now(): number
  scheduleShock(shock: Shock): void
  /** Schedules a market-wide move (macro news) shaped like a news shock, never halted. */
  scheduleMacro(move: MacroMove): void
  /** Every shock and macro move scheduled so far (including future ones), ordered by start. */
  groundTruthShocks(): ShockTruth[]
  /** The beta of a symbol to the market factor (SPY: 1), as the tape uses it. */
  betaOf(symbol: string): number
  injectFaults(plan: FaultPlan): void
  /** Make the next connection for `key` evict the older one (normal behaviour) — or force it now on the live one. */
  forceMaxConnections(): void
  /**
   * Ground truth: the market's full trade tape for `symbol` (or all active symbols) up to simulated now,
   * whether or not a socket was connected to receive it. REST aggregates and A/AM bars derive from this tape.
   */
  groundTruthTrades(symbol?: string): Trade[]
  groundTruthQuotes(symbol?: string): Quote[]
  /** Mount another protocol (The Guardian) under a path prefix of the same HTTP server. */
  mount(prefix: string, handler: HttpHandler): void
  /** Symbols whose tape is running (subscribed, queried, shocked, or the default universe after `*`). */
  activeSymbols(): string[]
  stats(): SimulatorStats
  close(): Promise<void>
}
