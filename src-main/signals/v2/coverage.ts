// Coverage of one symbol (docs/impact-v2.md "Coverage"): closed spans during which the engine was receiving the
// symbol's stream (live) or holds REST history. "[a, b] covered" means every millisecond of it lies in the union
// of the spans, where spans that overlap, touch or are 1 ms apart join (history up to the socket's start and
// then live is one stretch).
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
    this.joined = null
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
    this.joined = null
  }

  addHistory(from: number, to: number, source: PrintSource): void {
    if (!(to >= from)) return
    this.spans.push({ from, to, source })
    this.joined = null
  }

  /** Closed spans joined into stretches, sorted (rebuilt after a change). */
  private joined: Array<[number, number]> | null = null

  private closedStretches(): Array<[number, number]> {
    if (this.joined) return this.joined
    const sorted = this.spans.filter((s) => s !== this.open && s.from <= s.to).sort((x, y) => x.from - y.from)
    const out: Array<[number, number]> = []
    for (const s of sorted) {
      const last = out[out.length - 1]
      if (last && s.from <= last[1] + 1) last[1] = Math.max(last[1], s.to)
      else out.push([s.from, s.to])
    }
    this.joined = out
    return out
  }

  /** The open live span's end is data time `now` (the socket was delivering until now). */
  covered(a: number, b: number, now: number): boolean {
    const open = this.open
    const oFrom = open ? open.from : Infinity
    const oTo = open ? Math.max(open.to, now) : -Infinity
    // Most questions are about the live stretch alone.
    if (oFrom <= a && b <= oTo) return true
    const closed = this.closedStretches()
    // Walk the stretches in order with the open span merged in, joining what overlaps, touches or is 1 ms apart.
    let curFrom = NaN
    let curTo = -Infinity
    let i = 0
    let openUsed = open === null
    for (;;) {
      let from: number
      let to: number
      const c = closed[i]
      if (c && (openUsed || c[0] <= oFrom)) {
        from = c[0]
        to = c[1]
        i++
      } else if (!openUsed) {
        from = oFrom
        to = oTo
        openUsed = true
      } else break
      if (from <= curTo + 1) {
        if (to > curTo) curTo = to
      } else {
        if (curFrom <= a && b <= curTo) return true
        curFrom = from
        curTo = to
      }
    }
    return curFrom <= a && b <= curTo
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
      if (a > cursor + 1) out.push([cursor, a])
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
      if (s !== this.open && s.to < before) {
        this.spans.splice(i, 1)
        this.joined = null
      }
    }
  }
}
