// Pure chart feeding: history via setData, then live bars via update(); a `corrected` timeframe, an
// out-of-order bar or a hub resync reloads history (setData), because update() cannot rewrite the past.
import type { Bar, Timeframe } from '@domain/market'
import type { HubDelivery } from '../../market/market-hub'
import { barToPoint, type CandlePoint, type ChartAdapter } from './chart-adapter'

export type LoadHistory = (symbol: string, timeframe: Timeframe) => Promise<{ ok: true; bars: Bar[] } | { ok: false; message: string }>

export type FeederState = 'loading' | 'ready' | 'error'

export class ChartFeeder {
  private gen = 0
  private lastTime = -Infinity
  private buffer: CandlePoint[] = []
  private _state: FeederState = 'loading'
  private _error: string | null = null
  private disposed = false
  private inFlight = false
  private reloadPending = false

  constructor(
    private readonly adapter: ChartAdapter,
    readonly symbol: string,
    readonly timeframe: Timeframe,
    private readonly loadHistory: LoadHistory,
    private readonly onState: (state: FeederState, error: string | null) => void = () => {},
  ) {}

  get state(): FeederState {
    return this._state
  }
  get error(): string | null {
    return this._error
  }

  /** (Re)loads history. Live bars arriving meanwhile are buffered and replayed on top. */
  async load(): Promise<void> {
    // One request in flight at most; a reload asked meanwhile runs once after it (a backfill flags
    // `corrected` on many frames in a row — that must not become a request storm).
    if (this.inFlight) {
      this.reloadPending = true
      return
    }
    this.inFlight = true
    const gen = ++this.gen
    this.setState('loading', null)
    let r: Awaited<ReturnType<LoadHistory>>
    try {
      r = await this.loadHistory(this.symbol, this.timeframe)
    } catch (e) {
      r = { ok: false, message: e instanceof Error ? e.message : String(e) }
    }
    this.inFlight = false
    if (gen !== this.gen || this.disposed) return
    if (this.reloadPending) {
      this.reloadPending = false
      return this.load()
    }
    if (!r.ok) {
      // Keep what the chart shows; live bars still flow on top of it.
      this.replayBuffer()
      this.setState('error', `History for ${this.symbol} ${this.timeframe} failed: ${r.message}`)
      return
    }
    const points = normalise(r.bars.filter((b) => b.symbol === this.symbol).map(barToPoint))
    this.adapter.setData(points)
    this.lastTime = points.length > 0 ? points[points.length - 1]!.time : -Infinity
    this.replayBuffer()
    this.setState('ready', null)
  }

  apply(d: HubDelivery): void {
    if (this.disposed) return
    if (d.kind === 'resync') return void this.load()
    let reload = false
    for (const u of d.updates) {
      if (u.corrected.includes(this.timeframe)) reload = true
      // Bars that closed since the last update come first, so a bar's last trades are never skipped.
      const bars = [...(u.closed?.[this.timeframe] ?? []), ...(u.bars[this.timeframe] ? [u.bars[this.timeframe]!] : [])]
      for (const bar of bars) {
        const p = barToPoint(bar)
        if (this._state === 'loading' || reload) this.buffer.push(p)
        else if (p.time >= this.lastTime) {
          this.adapter.update(p)
          this.lastTime = p.time
        } else reload = true // An older bar changed without being flagged: only setData can show it.
      }
    }
    if (reload) void this.load()
  }

  dispose(): void {
    this.disposed = true
    this.gen++
  }

  private replayBuffer(): void {
    const buf = this.buffer
    this.buffer = []
    for (const p of buf) {
      if (p.time >= this.lastTime) {
        this.adapter.update(p)
        this.lastTime = p.time
      }
    }
  }

  private setState(s: FeederState, error: string | null): void {
    this._state = s
    this._error = error
    this.onState(s, error)
  }
}

/** Sorted by time, one point per time (the later wins): setData throws on anything else. */
export const normalise = (points: CandlePoint[]): CandlePoint[] => {
  const byTime = new Map<number, CandlePoint>()
  for (const p of points) byTime.set(p.time, p)
  return [...byTime.values()].sort((a, b) => a.time - b.time)
}
