// Start-up history: the previous session's 1-minute bars from REST for each symbol when it is first
// subscribed (the socket has no replay), one symbol at a time (REST budgets are per minute on small plans).
// Only closed minutes: REST outranks trades for its windows, so a partial bar for the open minute would freeze
// that minute (and the last price) until it closes. The open minute is built from live trades; when it closes
// its AM bar replaces it exactly, or, without the AM channel, one REST call for that minute does (`settle`).
import type { Bar } from '../domain/market'
import type { MarketEngine } from '../market/engine'

/** REST history for a symbol's chart when it is first subscribed. */
export interface HistorySource {
  minuteBars(symbol: string, fromMs: number, toMs: number): Promise<Bar[]>
}

/** How far back a newly subscribed symbol's 1-minute history reaches: one regular session. */
export const START_HISTORY_MS = 390 * 60_000
/** A minute is settled from REST this long after its start (a couple of seconds after its close). */
export const SETTLE_AFTER_MS = 62_000

export interface HistoryLoaderDeps {
  source: HistorySource
  engine: () => Pick<MarketEngine, 'ingestBackfill'>
  now: () => number
  /** Whether the AM channel is subscribed (then the open minute needs no REST settling). */
  hasMinuteAggregates: () => boolean
  /** Whether a symbol is still on the watchlist (a removed one is not settled). */
  watched: (symbol: string) => boolean
  stopped: () => boolean
  log: (level: 'debug' | 'warn', message: string) => void
}

export interface HistoryLoader {
  /** Queues history for symbols not loaded yet (a failed load is retried at the next call). */
  load(symbols: readonly string[]): void
  /** Queues REST settling of minutes that were open at load and have closed since. */
  settle(): void
  /** Resolves when everything queued so far is done (tests, shutdown). */
  idle(): Promise<void>
}

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e))

export function createHistoryLoader(d: HistoryLoaderDeps): HistoryLoader {
  const loaded = new Set<string>()
  /** Symbol → start of the minute that was open when its history loaded. */
  const toSettle = new Map<string, number>()
  let chain: Promise<void> = Promise.resolve()
  const queue = (job: () => Promise<void>): void => {
    chain = chain.then(job)
  }
  return {
    load(symbols) {
      for (const symbol of symbols) {
        if (loaded.has(symbol)) continue
        loaded.add(symbol)
        queue(async () => {
          if (d.stopped()) return
          const to = d.now()
          const openMinute = to - (to % 60_000)
          try {
            const bars = (await d.source.minuteBars(symbol, to - START_HISTORY_MS, to)).filter((b) => b.start < openMinute)
            // No gap: REST only fills minutes the socket has no bar for; the chart reloads (corrected).
            const r = d.engine().ingestBackfill(symbol, bars)
            if (!d.hasMinuteAggregates()) toSettle.set(symbol, openMinute)
            d.log('debug', `history ${symbol}: ${r.added} minutes added`)
          } catch (e) {
            loaded.delete(symbol)
            d.log('warn', `history for ${symbol} failed: ${message(e)}`)
          }
        })
      }
    },
    settle() {
      const t = d.now()
      for (const [symbol, minute] of toSettle) {
        if (t < minute + SETTLE_AFTER_MS) continue
        toSettle.delete(symbol)
        queue(async () => {
          if (d.stopped() || !d.watched(symbol)) return
          try {
            const bars = await d.source.minuteBars(symbol, minute, minute + 59_999)
            d.engine().ingestBackfill(symbol, bars, { from: minute, to: minute })
          } catch (e) {
            d.log('warn', `history for ${symbol} (minute ${new Date(minute).toISOString()}) failed: ${message(e)}`)
          }
        })
      }
    },
    idle: () => chain,
  }
}
