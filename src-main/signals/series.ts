// Bounded, exact per-symbol trade history for the online tracker: one entry per distinct trade timestamp (ms),
// holding the tie-winning last-updating price at that ms and the cumulative volume through it. Exact for any
// query time at or after `evictedBefore` (per-second buckets would not be: t0 has millisecond resolution).
import type { PriceVolumeSource } from './impact'
import { lowerBound, upperBound } from './impact'

export class SymbolSeries implements PriceVolumeSource {
  private ts: number[] = []
  /** NaN when no last-updating trade at this ms. */
  private px: number[] = []
  private pxSeq: number[] = []
  /** Cumulative volume through this entry (relative to an arbitrary origin; only differences are used). */
  private cum: number[] = []
  private head = 0
  private base: number | null = null
  private baseTs = -Infinity
  private baseSeq = -Infinity
  private cumBase = 0
  /** Entries with ts below this have been folded into `base`. */
  evictedBefore = -Infinity

  get size(): number {
    return this.ts.length - this.head
  }

  add(ts: number, price: number, size: number, seq: number, updatesLast: boolean, updatesVolume: boolean): void {
    if (!updatesLast && !updatesVolume) return
    const vol = updatesVolume ? size : 0
    if (ts < this.evictedBefore) {
      // Too old to keep: it can still be the latest price before the window.
      if (updatesLast && (ts > this.baseTs || (ts === this.baseTs && seq >= this.baseSeq))) {
        this.base = price
        this.baseTs = ts
        this.baseSeq = seq
      }
      return
    }
    const n = this.ts.length
    if (n === this.head || ts > this.ts[n - 1]!) {
      this.ts.push(ts)
      this.px.push(updatesLast ? price : NaN)
      this.pxSeq.push(updatesLast ? seq : -Infinity)
      this.cum.push((n > this.head ? this.cum[n - 1]! : this.cumBase) + vol)
      return
    }
    const pos = lowerBound(this.ts, ts, this.head, n)
    if (this.ts[pos] === ts) {
      if (updatesLast && (Number.isNaN(this.px[pos]!) || seq >= this.pxSeq[pos]!)) {
        this.px[pos] = price
        this.pxSeq[pos] = seq
      }
    } else {
      // Out-of-order trade (rare, usually a few entries from the end).
      const before = pos > this.head ? this.cum[pos - 1]! : this.cumBase
      this.ts.splice(pos, 0, ts)
      this.px.splice(pos, 0, updatesLast ? price : NaN)
      this.pxSeq.splice(pos, 0, updatesLast ? seq : -Infinity)
      this.cum.splice(pos, 0, before)
    }
    if (vol !== 0) for (let i = pos; i < this.ts.length; i++) this.cum[i]! += vol
  }

  priceAt(t: number): number | null {
    let j = upperBound(this.ts, t, this.head, this.ts.length) - 1
    while (j >= this.head && Number.isNaN(this.px[j]!)) j--
    return j >= this.head ? this.px[j]! : this.base
  }

  volume(a: number, b: number): number {
    if (b <= a) return 0
    return this.cumBefore(b) - this.cumBefore(a)
  }

  private cumBefore(x: number): number {
    const i = lowerBound(this.ts, x, this.head, this.ts.length)
    return i > this.head ? this.cum[i - 1]! : this.cumBase
  }

  /** Fold every entry with ts < `before` into the carried-in base price. */
  evict(before: number): void {
    if (before <= this.evictedBefore) return
    this.evictedBefore = before
    const n = this.ts.length
    let h = this.head
    while (h < n && this.ts[h]! < before) {
      if (!Number.isNaN(this.px[h]!)) {
        this.base = this.px[h]!
        this.baseTs = this.ts[h]!
        this.baseSeq = this.pxSeq[h]!
      }
      this.cumBase = this.cum[h]!
      h++
    }
    this.head = h
    if (h > 1024 && h * 2 > n) {
      this.ts.splice(0, h)
      this.px.splice(0, h)
      this.pxSeq.splice(0, h)
      this.cum.splice(0, h)
      this.head = 0
    }
  }
}
