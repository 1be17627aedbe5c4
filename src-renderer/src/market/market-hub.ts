// The tick stream lives here, NOT in zustand: `market:batch` payloads are queued and applied once per
// animation frame, in arrival order, to per-symbol subscribers (chart feeders, watchlist rows).
// Charts take data within a frame budget (frame-budget.ts): when frames run late, fewer charts update per
// frame, oldest-queued first, and the rest keep their queue for the next frame. Watchlist rows (text) are
// notified at most every SUMMARY_EVERY_MS: nobody reads a price changing 60 times a second, and each
// change costs a style and layout pass.
import type { SymbolSummary } from '../../../src-main/domain/market'
import type { SymbolUpdate } from '../../../src-main/host/protocol'
import { nextBudget } from './frame-budget'

/** Watchlist text refresh period, ms. */
export const SUMMARY_EVERY_MS = 200

/** What a chart receives per frame: the updates in order, or `resync` when the queue overflowed. */
export type HubDelivery = { kind: 'updates'; updates: SymbolUpdate[] } | { kind: 'resync' }

/** Runs `cb` at the next frame, with the frame's timestamp when it has one (requestAnimationFrame does). */
export type FrameScheduler = (cb: (frameTime?: number) => void) => void

export interface MarketHubOptions {
  /** Clock for frames scheduled without a timestamp (tests), ms. */
  now?: () => number
  summaryEveryMs?: number
}

export class MarketHub {
  private queue = new Map<string, SymbolUpdate[] | 'resync'>()
  private scheduled = false
  private summaries = new Map<string, SymbolSummary>()
  private summaryDirty = new Set<string>()
  private lastSummaryAt = -Infinity
  private updateListeners = new Map<string, Set<(d: HubDelivery) => void>>()
  private summaryListeners = new Map<string, Set<() => void>>()
  private budget = Infinity
  private lastFrameAt = -1
  private readonly now: () => number
  private readonly summaryEveryMs: number

  constructor(
    private readonly schedule: FrameScheduler = (cb) => {
      requestAnimationFrame(cb)
    },
    /** Per symbol; beyond it (hidden window, no frames) charts reload history instead of replaying. */
    private readonly maxQueue = 600,
    options: MarketHubOptions = {},
  ) {
    this.now = options.now ?? (() => performance.now())
    this.summaryEveryMs = options.summaryEveryMs ?? SUMMARY_EVERY_MS
  }

  /** Charts that may take data in the next frame (for diagnostics and tests). */
  get chartsPerFrame(): number {
    return this.budget
  }

  push(updates: readonly SymbolUpdate[]): void {
    for (const u of updates) {
      const q = this.queue.get(u.symbol)
      // Summaries are cheap and wanted even when nothing is rendering: keep the latest right away.
      this.summaries.set(u.symbol, u.summary)
      this.summaryDirty.add(u.symbol)
      if (q === 'resync') continue
      if (!this.updateListeners.has(u.symbol)) continue // no chart: nothing to replay later
      if (!q) this.queue.set(u.symbol, [u])
      else if (q.length >= this.maxQueue) this.queue.set(u.symbol, 'resync')
      else q.push(u)
    }
    this.request()
  }

  /** Applies what the frame budget allows. Called by the frame; exposed for tests. */
  flush(frameTime: number = this.now()): void {
    this.scheduled = false
    if (this.lastFrameAt >= 0) this.budget = nextBudget(this.budget, frameTime - this.lastFrameAt, this.queue.size)
    this.lastFrameAt = frameTime
    // Oldest queued first (Map order): a chart left out this frame is first in the next.
    let delivered = 0
    for (const [symbol, q] of this.queue) {
      if (delivered >= this.budget) break
      this.queue.delete(symbol)
      const listeners = this.updateListeners.get(symbol)
      if (!listeners) continue
      delivered++
      const delivery: HubDelivery = q === 'resync' ? { kind: 'resync' } : { kind: 'updates', updates: q }
      for (const l of [...listeners]) l(delivery)
    }
    if (this.summaryDirty.size > 0 && frameTime - this.lastSummaryAt >= this.summaryEveryMs) {
      this.lastSummaryAt = frameTime
      const dirty = this.summaryDirty
      this.summaryDirty = new Set()
      for (const symbol of dirty) for (const l of [...(this.summaryListeners.get(symbol) ?? [])]) l()
    }
    this.request()
  }

  private request(): void {
    if (this.scheduled || (this.queue.size === 0 && this.summaryDirty.size === 0)) return
    this.scheduled = true
    this.schedule((t) => this.flush(t ?? this.now()))
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
