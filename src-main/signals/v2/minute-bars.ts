// Previous sessions' 1-minute bars of one symbol and what impact v2 reads from them (docs/impact-v2.md "Beta",
// "Sigma" floor, rvol5 slot basis). Pure apart from the bar map; results are cached per reference day by the
// engine.
import type { TradingDay } from './sessions'
import { tradingDay } from './sessions'

export interface MinuteBar {
  start: number
  close: number
  volume: number
}

/** Days kept per symbol: the 5 sessions the statistics use plus slack for holidays and late fetches. */
const MAX_DAYS = 12

export class MinuteBars {
  /** Bars by trading day (ET midnight), each by start. */
  readonly days = new Map<number, Map<number, MinuteBar>>()
  /** regularReturns by day, dropped when the day's bars change: the proxy's are read for every symbol's beta. */
  private returns = new Map<number, ReadonlyMap<number, number>>()

  add(bar: MinuteBar): void {
    // A bad bar is ignored (not zeroed): it would fake a return or an empty slot.
    if (!Number.isFinite(bar.start) || !Number.isFinite(bar.close) || !(bar.close > 0)) return
    if (!Number.isFinite(bar.volume) || bar.volume < 0) return
    const volume = bar.volume
    const day = tradingDay(bar.start).start
    let m = this.days.get(day)
    if (!m) {
      m = new Map()
      this.days.set(day, m)
    }
    m.set(bar.start, { start: bar.start, close: bar.close, volume })
    this.returns.delete(day)
  }

  /** Keeps the most recent MAX_DAYS days. */
  trim(): void {
    if (this.days.size <= MAX_DAYS) return
    const keys = [...this.days.keys()].sort((a, b) => a - b)
    for (const k of keys.slice(0, keys.length - MAX_DAYS)) {
      this.days.delete(k)
      this.returns.delete(k)
    }
  }

  /** Days before `dayStart` with at least one bar passing `keep`, most recent first, at most `max`. */
  daysBefore(dayStart: number, max: number, keep: (b: MinuteBar) => boolean): number[] {
    const out: number[] = []
    for (const [day, bars] of this.days) {
      if (day >= dayStart) continue
      for (const b of bars.values()) {
        if (keep(b)) {
          out.push(day)
          break
        }
      }
    }
    return out.sort((a, b) => b - a).slice(0, max)
  }

  /** Regular-session 1-minute log returns of `day`, keyed by the later bar's start (cached: do not modify). */
  regularReturns(day: number): ReadonlyMap<number, number> {
    const cached = this.returns.get(day)
    if (cached) return cached
    const out = new Map<number, number>()
    const bars = this.days.get(day)
    if (!bars) return out
    this.returns.set(day, out)
    const d = tradingDay(day)
    for (const b of bars.values()) {
      if (!isRegular(b.start, d)) continue
      const prev = bars.get(b.start - 60_000)
      if (prev && isRegular(prev.start, d)) out.set(b.start, Math.log(b.close / prev.close))
    }
    return out
  }
}

export function isRegular(ts: number, d: TradingDay = tradingDay(ts)): boolean {
  return ts >= d.regular && ts < d.post
}
