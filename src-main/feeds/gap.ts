// Which minutes to re-fetch from REST after the stream was interrupted (disconnect or pause).
//
// Policy (all times are DATA times — the events' own `t`, never the wall clock — so it is right on the
// real-time feed, on the 15-minute-delayed feed and against an accelerated simulator alike):
//  1. `lastTs` is the largest event time seen so far (trades, quotes: `t`; aggregates: window start `s`).
//  2. On an interruption, the gap opens at `from` = start of the minute holding `lastTs`: that minute was
//     only partly observed. Interruptions before any data open nothing (there is no "before" to continue).
//     Further interruptions while a gap is still open keep the earlier `from` (the gaps merge).
//  3. After the stream is restored (re-authenticated and resubscribed, or resumed), the first event's minute
//     becomes `to`: it was only partly observed too.
//  4. The gap is reported once data time reaches `to + 60 s + settleMs`, i.e. once minute `to` is complete at
//     the source; fetching earlier would return a partial REST bar for it.
//  5. Every minute in [from, to] (inclusive) is then fetched from REST for every subscribed symbol and is
//     AUTHORITATIVE: the market engine replaces its own bars for those minutes with the REST bars, and a minute
//     in the range with no REST bar has no qualifying trades (drop any partial bar it had).
// Limitation: if no data ever arrives after the restore (market closed), the gap is never reported.

export const MINUTE_MS = 60_000

export interface Gap {
  /** Start of the first minute to re-fetch, epoch ms (inclusive). */
  from: number
  /** Start of the last minute to re-fetch, epoch ms (inclusive). */
  to: number
}

const NONE = 0
const INTERRUPTED = 1
const AWAITING = 2
const OPEN = 3

export class GapTracker {
  private lastTs = -1
  private state = NONE
  private from = 0
  private to = 0
  private fireAt = 0

  constructor(private readonly settleMs = 1_000) {}

  /** Largest data time seen, or null before any event. */
  get lastDataTs(): number | null {
    return this.lastTs < 0 ? null : this.lastTs
  }

  /** Connection lost or paused. */
  interrupt(): void {
    if (this.state === NONE) {
      if (this.lastTs < 0) return
      this.from = this.lastTs - (this.lastTs % MINUTE_MS)
    }
    this.state = INTERRUPTED
  }

  /** Subscriptions are active again; the next event marks the end of the gap. */
  restored(): void {
    if (this.state === INTERRUPTED) this.state = AWAITING
  }

  /** Hot path: call for every data event. Returns a gap when one becomes ready to fetch. */
  data(ts: number): Gap | null {
    if (ts > this.lastTs) this.lastTs = ts
    if (this.state === NONE || this.state === INTERRUPTED) return null
    if (this.state === AWAITING) {
      this.to = ts - (ts % MINUTE_MS)
      if (this.to < this.from) this.to = this.from
      this.fireAt = this.to + MINUTE_MS + this.settleMs
      this.state = OPEN
    }
    if (this.lastTs >= this.fireAt) {
      this.state = NONE
      return { from: this.from, to: this.to }
    }
    return null
  }

  /** The open gap (for status or shutdown), if any. */
  pending(): { from: number; to: number | null } | null {
    if (this.state === NONE) return null
    return { from: this.from, to: this.state === OPEN ? this.to : null }
  }
}
