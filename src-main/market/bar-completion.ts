// When a 1 s or 1 m bar is complete enough for Kafka: when a newer bar of the same symbol appears, or when
// market data has moved 2 s past the bar's end. A late trade re-opens it and it is sent again (same key;
// the newer value wins downstream). Pure bookkeeping: the caller publishes what `track`/`closeStale` return.
import type { Bar, SymbolUpdate } from '../domain/market'

export type KafkaBarTimeframe = '1s' | '1m'
export const KAFKA_BAR_TIMEFRAMES: readonly KafkaBarTimeframe[] = ['1s', '1m']
/** How far market time must pass a bar's end before it counts as complete without a newer bar. */
export const BAR_SETTLE_MS = 2_000

export interface CompletedBar {
  tf: KafkaBarTimeframe
  bar: Bar
}

export interface BarCompletion {
  /** Takes an engine update (closed bars first, then the current ones); returns the bars it completed. */
  track(update: Pick<SymbolUpdate, 'bars' | 'closed'>): CompletedBar[]
  /** Bars whose end is `BAR_SETTLE_MS` behind the newest market time: complete, and forgotten. */
  closeStale(newestTs: number): CompletedBar[]
}

export function createBarCompletion(): BarCompletion {
  const open = new Map<string, CompletedBar>()
  const trackOne = (tf: KafkaBarTimeframe, bar: Bar, out: CompletedBar[]): void => {
    const key = `${tf}|${bar.symbol}`
    const prev = open.get(key)
    if (prev && bar.start > prev.bar.start) out.push(prev)
    if (!prev || bar.start >= prev.bar.start) open.set(key, { tf, bar })
  }
  return {
    track(update) {
      const out: CompletedBar[] = []
      for (const tf of KAFKA_BAR_TIMEFRAMES) {
        for (const b of update.closed?.[tf] ?? []) trackOne(tf, b, out)
        const b = update.bars[tf]
        if (b) trackOne(tf, b, out)
      }
      return out
    },
    closeStale(newestTs) {
      const out: CompletedBar[] = []
      for (const [key, c] of open) {
        if (c.bar.end + BAR_SETTLE_MS <= newestTs) {
          out.push(c)
          open.delete(key)
        }
      }
      return out
    },
  }
}
