// Coverage of one symbol (docs/impact-v2.md "Coverage"): closed spans during which the engine was receiving the
// symbol's stream (live) or holds REST history. "[a, b] covered" means ONE span contains both ends; spans are
// not merged, so a window across the seam of two spans is not covered (the definition's reading).
import type { PrintSource } from '../../domain/impact'

export interface Span {
  from: number
  to: number
  source: PrintSource
}

export class Coverage {
  readonly spans: Span[] = []
  /** The live span still open (socket delivering): its end follows data time. */
  private open: Span | null = null

  liveStarted(at: number): void {
    if (this.open) return
    this.open = { from: at, to: at, source: 'live' }
    this.spans.push(this.open)
  }

  /** A live print at `ts`: extends the open live span (opening one at ts when the socket's start was not seen). */
  livePrint(ts: number): void {
    if (!this.open) this.liveStarted(ts)
    const o = this.open as Span
    if (ts > o.to) o.to = ts
    if (ts < o.from) o.from = ts
  }

  liveStopped(at: number): void {
    if (!this.open) return
    if (at > this.open.to) this.open.to = at
    this.open = null
  }

  addHistory(from: number, to: number, source: PrintSource): void {
    if (!(to >= from)) return
    this.spans.push({ from, to, source })
  }

  /** The open live span's end is data time `now` (the socket was delivering until now). */
  covered(a: number, b: number, now: number): boolean {
    const spans = this.spans
    for (let i = spans.length - 1; i >= 0; i--) {
      const s = spans[i] as Span
      const to = s === this.open ? Math.max(s.to, now) : s.to
      if (s.from <= a && b <= to) return true
    }
    return false
  }

  /** The parts of [from, to] no span covers, as closed windows (touching spans leave no gap). */
  gaps(from: number, to: number, now: number): Array<[number, number]> {
    const parts = this.spans
      .map((s) => [s.from, s === this.open ? Math.max(s.to, now) : s.to] as [number, number])
      .sort((x, y) => x[0] - y[0])
    const out: Array<[number, number]> = []
    let cursor = from
    for (const [a, b] of parts) {
      if (b < cursor) continue
      if (a > to) break
      if (a > cursor) out.push([cursor, a])
      cursor = Math.max(cursor, b)
      if (cursor >= to) return out
    }
    if (cursor < to) out.push([cursor, to])
    return out
  }

  /** Drops closed spans that ended before `before` (bounded memory over long runs). */
  evict(before: number): void {
    for (let i = this.spans.length - 1; i >= 0; i--) {
      const s = this.spans[i] as Span
      if (s !== this.open && s.to < before) this.spans.splice(i, 1)
    }
  }
}
