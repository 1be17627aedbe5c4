// Coalescing of market updates for a consumer that is not keeping up: the latest bar per symbol and
// timeframe wins, and a skipped bar boundary is flagged `corrected` so the chart reloads that history.
import type { Bar } from '../domain/market'
import type { SymbolUpdate } from '../domain/market'

const MAX_CLOSED = 64

/** Merges a market batch into a pending one: latest bar per symbol and timeframe. */
export function mergeUpdates(pending: Map<string, SymbolUpdate>, updates: SymbolUpdate[]): void {
  for (const u of updates) {
    const prev = pending.get(u.symbol)
    if (!prev) {
      pending.set(u.symbol, { ...u, bars: { ...u.bars }, corrected: [...u.corrected], closed: { ...u.closed } })
      continue
    }
    const corrected = new Set([...prev.corrected, ...u.corrected])
    // Closed bars accumulate (they are final); past a bound the chart reloads history instead.
    const closed: NonNullable<SymbolUpdate['closed']> = { ...prev.closed }
    for (const [tf, list] of Object.entries(u.closed ?? {}) as [keyof SymbolUpdate['bars'], Bar[]][]) {
      const merged = [...(closed[tf] ?? []), ...list]
      if (merged.length > MAX_CLOSED) {
        corrected.add(tf)
        closed[tf] = merged.slice(-MAX_CLOSED)
      } else closed[tf] = merged
    }
    prev.closed = closed
    for (const [tf, bar] of Object.entries(u.bars) as [keyof SymbolUpdate['bars'], SymbolUpdate['bars']['1m']][]) {
      const old = prev.bars[tf]
      // A bar boundary crossed without the old bar's final state in `closed`: have the chart reload.
      if (old && bar && old.start !== bar.start && !(closed[tf] ?? []).some((c) => c.start === old.start)) corrected.add(tf)
      prev.bars[tf] = bar
    }
    prev.corrected = [...corrected]
    prev.summary = u.summary
  }
}

