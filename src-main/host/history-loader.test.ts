import { describe, expect, it } from 'vitest'
import type { Bar } from '../domain/market'
import { createHistoryLoader, SETTLE_AFTER_MS, START_HISTORY_MS, type HistorySource } from './history-loader'

const T0 = Date.UTC(2026, 10, 24, 15, 30, 20) // 20 s into a minute
const OPEN = T0 - 20_000
const minute = (symbol: string, start: number): Bar => ({
  symbol, start, end: start + 60_000, open: 1, high: 1, low: 1, close: 1, volume: 1, vwap: 1, trades: 1, source: 'rest',
})

function harness(opts: { am?: boolean; failFirst?: boolean; watched?: boolean } = {}) {
  let t = T0
  const calls: string[] = []
  const backfills: string[] = []
  let fail = opts.failFirst ?? false
  const source: HistorySource = {
    minuteBars(symbol, from, to) {
      calls.push(`${symbol} ${(to - from) / 60_000 >= 100 ? 'session' : 'minute'} ${new Date(from).toISOString().slice(11, 16)}`)
      if (fail) {
        fail = false
        return Promise.reject(new Error('429'))
      }
      // The open minute comes back too: the loader must drop it.
      return Promise.resolve([minute(symbol, OPEN - 120_000), minute(symbol, OPEN - 60_000), minute(symbol, OPEN)].filter((b) => b.start >= from && b.start <= to))
    },
  }
  const logs: string[] = []
  const loader = createHistoryLoader({
    source,
    engine: () => ({
      ingestBackfill: (symbol, bars, gap) => {
        backfills.push(`${symbol} [${bars.map((b) => (b.start - OPEN) / 60_000).join(',')}]${gap ? ` gap ${(gap.from - OPEN) / 60_000}` : ''}`)
        return { replaced: 0, added: bars.length, ignored: 0 } as never
      },
    }),
    now: () => t,
    hasMinuteAggregates: () => opts.am ?? true,
    watched: () => opts.watched ?? true,
    stopped: () => false,
    log: (l, m) => logs.push(`${l} ${m}`),
  })
  return { loader, calls, backfills, logs, advance: (ms: number) => (t += ms) }
}

describe('history loader', () => {
  it('loads one session of closed minutes per new symbol, once, one symbol at a time in order', async () => {
    const h = harness()
    h.loader.load(['AAPL', 'MSFT'])
    h.loader.load(['AAPL'])
    await h.loader.idle()
    expect(h.calls).toEqual([
      `AAPL session ${new Date(T0 - START_HISTORY_MS).toISOString().slice(11, 16)}`,
      `MSFT session ${new Date(T0 - START_HISTORY_MS).toISOString().slice(11, 16)}`,
    ])
    expect(h.backfills).toEqual(['AAPL [-2,-1]', 'MSFT [-2,-1]'])
  })

  it('a failed load is logged and retried at the next call', async () => {
    const h = harness({ failFirst: true })
    h.loader.load(['AAPL'])
    await h.loader.idle()
    expect(h.logs).toEqual(['warn history for AAPL failed: 429'])
    h.loader.load(['AAPL'])
    await h.loader.idle()
    expect(h.backfills).toEqual(['AAPL [-2,-1]'])
  })

  const settleCases: [string, { am: boolean; watched: boolean }, number, string[]][] = [
    ['with AM the open minute needs no REST', { am: true, watched: true }, 10 * 60_000, []],
    ['without AM: not before the minute closed and settled', { am: false, watched: true }, SETTLE_AFTER_MS - 20_001, []],
    ['without AM: once closed, one REST call for that minute', { am: false, watched: true }, SETTLE_AFTER_MS - 20_000, ['AAPL [0] gap 0']],
    ['a symbol removed from the watchlist meanwhile is not settled', { am: false, watched: false }, 5 * 60_000, []],
  ]
  it.each(settleCases)('%s', async (_name, opts, after, expected) => {
    const h = harness(opts)
    h.loader.load(['AAPL'])
    await h.loader.idle()
    h.advance(after)
    h.loader.settle()
    h.loader.settle()
    await h.loader.idle()
    expect(h.backfills.slice(1)).toEqual(expected)
  })
})
