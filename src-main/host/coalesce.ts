// Coalescing of market updates for a consumer that is not keeping up: the latest bar per symbol and
// timeframe wins, and a skipped bar boundary is flagged `corrected` so the chart reloads that history.
import type { SymbolUpdate } from './protocol'

/** Merges a market batch into a pending one: latest bar per symbol and timeframe. */
export function mergeUpdates(pending: Map<string, SymbolUpdate>, updates: SymbolUpdate[]): void {
  for (const u of updates) {
    const prev = pending.get(u.symbol)
    if (!prev) {
      pending.set(u.symbol, { ...u, bars: { ...u.bars }, corrected: [...u.corrected] })
      continue
    }
    const corrected = new Set([...prev.corrected, ...u.corrected])
    for (const [tf, bar] of Object.entries(u.bars) as [keyof SymbolUpdate['bars'], SymbolUpdate['bars']['1m']][]) {
      const old = prev.bars[tf]
      // A skipped bar boundary means the chart missed a bar's final state: have it reload history.
      if (old && bar && old.start !== bar.start) corrected.add(tf)
      prev.bars[tf] = bar
    }
    prev.corrected = [...corrected]
    prev.summary = u.summary
  }
}

