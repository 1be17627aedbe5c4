// The tick stream lives here, NOT in zustand: `market:batch` payloads are queued and applied once per
// animation frame, in arrival order, to per-symbol subscribers (chart feeders, watchlist rows).
import type { SymbolSummary } from '../../../src-main/domain/market'
import type { SymbolUpdate } from '../../../src-main/host/protocol'

/** What a chart receives per frame: the updates in order, or `resync` when the queue overflowed. */
export type HubDelivery = { kind: 'updates'; updates: SymbolUpdate[] } | { kind: 'resync' }

export type FrameScheduler = (cb: () => void) => void

export class MarketHub {
  private queue = new Map<string, SymbolUpdate[] | 'resync'>()
  private scheduled = false
  private summaries = new Map<string, SymbolSummary>()
  private updateListeners = new Map<string, Set<(d: HubDelivery) => void>>()
  private summaryListeners = new Map<string, Set<() => void>>()

  constructor(
    private readonly schedule: FrameScheduler = (cb) => {
      requestAnimationFrame(cb)
    },
    /** Per symbol; beyond it (hidden window, no frames) charts reload history instead of replaying. */
    private readonly maxQueue = 600,
  ) {}

  push(updates: readonly SymbolUpdate[]): void {
    for (const u of updates) {
      const q = this.queue.get(u.symbol)
      // Summaries are cheap and wanted even when nothing is rendering: keep the latest right away.
      this.summaries.set(u.symbol, u.summary)
      if (q === 'resync') continue
      if (!q) this.queue.set(u.symbol, [u])
      else if (q.length >= this.maxQueue) this.queue.set(u.symbol, 'resync')
      else q.push(u)
    }
    if (!this.scheduled && this.queue.size > 0) {
      this.scheduled = true
      this.schedule(() => this.flush())
    }
  }

  /** Applies everything queued. Called by the frame; exposed for tests. */
  flush(): void {
    this.scheduled = false
    const queue = this.queue
    this.queue = new Map()
    for (const [symbol, q] of queue) {
      const delivery: HubDelivery = q === 'resync' ? { kind: 'resync' } : { kind: 'updates', updates: q }
      for (const l of [...(this.updateListeners.get(symbol) ?? [])]) l(delivery)
      for (const l of [...(this.summaryListeners.get(symbol) ?? [])]) l()
    }
  }

  subscribeUpdates(symbol: string, listener: (d: HubDelivery) => void): () => void {
    return add(this.updateListeners, symbol, listener)
  }

  subscribeSummary(symbol: string, listener: () => void): () => void {
    return add(this.summaryListeners, symbol, listener)
  }

  getSummary(symbol: string): SymbolSummary | undefined {
    return this.summaries.get(symbol)
  }
}

function add<T>(map: Map<string, Set<T>>, key: string, value: T): () => void {
  const set = map.get(key) ?? new Set<T>()
  set.add(value)
  map.set(key, set)
  return () => {
    set.delete(value)
    if (set.size === 0) map.delete(key)
  }
}

/** The app's single hub. */
export const marketHub = new MarketHub()
