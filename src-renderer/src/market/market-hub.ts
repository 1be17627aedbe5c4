// The tick stream lives here, NOT in zustand: `market:batch` payloads are queued per symbol and handed to
// per-symbol subscribers (chart feeders, watchlist rows) in arrival order.
// - Charts take data as soon as the message task ends (a microtask), not in a requestAnimationFrame
//   callback: lightweight-charts paints in its own frame callback, and one requested from inside a frame
//   callback would only run a frame later. It coalesces its paints, so a chart still repaints at most once
//   per frame.
// - Pacing (frame-budget.ts): when frames run late, the charts take data every `stride` frames instead of
//   every frame, all in the same frame (a frame's fixed cost is then paid once for all of them); meanwhile
//   they keep their queue (nothing is dropped). A frame loop runs while data flows, to read the frame
//   interval and to hand over what pacing held back.
// - Watchlist rows (text) are notified at most every SUMMARY_EVERY_MS: nobody reads a price changing 60
//   times a second, and each change costs a style and layout pass.
import type { SymbolSummary } from '@domain/market'
import type { SymbolUpdate } from '@domain/market'
import { INITIAL_PACING, nextPacing, type Pacing } from './frame-budget'

/** Watchlist text refresh period, ms. */
export const SUMMARY_EVERY_MS = 200

/** What a chart receives: the updates in order, or `resync` when its queue overflowed. */
export type HubDelivery = { kind: 'updates'; updates: SymbolUpdate[] } | { kind: 'resync' }

/** Runs `cb` at the next frame, with the frame's timestamp when it has one (requestAnimationFrame does). */
export type FrameScheduler = (cb: (frameTime?: number) => void) => void

export interface MarketHubOptions {
  /** Clock for frames scheduled without a timestamp (tests), ms. */
  now?: () => number
  summaryEveryMs?: number
  /** Runs `cb` after the current task (default queueMicrotask). */
  post?: (cb: () => void) => void
}

export class MarketHub {
  private queue = new Map<string, SymbolUpdate[] | 'resync'>()
  private frameRequested = false
  private posted = false
  private active = false
  private summaries = new Map<string, SymbolSummary>()
  private summaryDirty = new Set<string>()
  private lastSummaryAt = -Infinity
  private updateListeners = new Map<string, Set<(d: HubDelivery) => void>>()
  private summaryListeners = new Map<string, Set<() => void>>()
  private pacing: Pacing = INITIAL_PACING
  /** Frames flushed so far; with pacing, charts take data from a frame with `frame % stride === 0` until the next one. */
  private frame = 0
  private lastFrameAt = -1
  /** The frame coming was asked for by the one before (the loop ran on): only then is the interval a frame time. */
  private chained = false
  private readonly now: () => number
  private readonly summaryEveryMs: number
  private readonly post: (cb: () => void) => void

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
    this.post = options.post ?? ((cb) => queueMicrotask(cb))
  }

  /** Each chart takes data at most every `stride` frames (for diagnostics and tests). */
  get stride(): number {
    return this.pacing.stride
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
    this.active = true
    if (this.queue.size > 0 && !this.posted) {
      this.posted = true
      this.post(() => {
        this.posted = false
        this.deliver()
      })
    }
    this.requestFrame()
  }

  /** The frame: reads the frame interval, hands over what the budget held back, refreshes watchlist rows. Exposed for tests. */
  flush(frameTime: number = this.now()): void {
    this.frameRequested = false
    // After the loop stopped (no data for a frame), the gap to this frame is the stream's pause, not a slow frame.
    if (this.chained && this.lastFrameAt >= 0) this.pacing = nextPacing(this.pacing, frameTime - this.lastFrameAt)
    this.lastFrameAt = frameTime
    this.frame++
    this.deliver()
    if (this.summaryDirty.size > 0 && frameTime - this.lastSummaryAt >= this.summaryEveryMs) {
      this.lastSummaryAt = frameTime
      const dirty = this.summaryDirty
      this.summaryDirty = new Set()
      for (const symbol of dirty) for (const l of [...(this.summaryListeners.get(symbol) ?? [])]) l()
    }
    // Keep pacing while data flows (one more frame after the last push), then stop: no idle loop.
    const again = this.active || this.queue.size > 0 || this.summaryDirty.size > 0
    this.active = false
    this.chained = again
    if (again) this.requestFrame()
  }

  /** Hands queued updates to the charts, in arrival order per chart, when this frame is due. */
  private deliver(): void {
    if (this.frame % this.pacing.stride !== 0) return
    for (const [symbol, q] of this.queue) {
      this.queue.delete(symbol)
      const listeners = this.updateListeners.get(symbol)
      if (!listeners) continue
      const delivery: HubDelivery = q === 'resync' ? { kind: 'resync' } : { kind: 'updates', updates: q }
      for (const l of [...listeners]) l(delivery)
    }
  }

  private requestFrame(): void {
    if (this.frameRequested) return
    this.frameRequested = true
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
