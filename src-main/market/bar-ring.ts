// A bounded, time-ordered ring of mutable bar slots. All numbers of a slot sit together in one Float64Array
// (stride F): updating a bar touches two cache lines and allocates nothing, and a full ring overwrites its
// oldest slot (memory stays flat all day). Capacity grows by doubling up to `depth`, so a symbol that
// barely trades costs little. Slots are ordered by window start ascending in logical order (0 = oldest);
// late windows are inserted in place.

export const SRC_TRADES = 0
export const SRC_A = 1
export const SRC_AM = 2
export const SRC_REST = 3

// Field offsets inside a slot.
export const START = 0
export const OPEN = 1
export const HIGH = 2
export const LOW = 3
export const CLOSE = 4
export const VOLUME = 5
/** Sum of price × size, for VWAP. */
export const PV = 6
export const TRADES = 7
/** (ts, seq) of the trade that set open / close, so late trades order correctly inside a bar. */
export const OPEN_TS = 8
export const OPEN_SEQ = 9
export const CLOSE_TS = 10
export const CLOSE_SEQ = 11
export const SOURCE = 12
/** Stride: numbers per slot. A window is a bar (visible) iff OPEN > 0: prices are positive, and OPEN is set
 *  by the first trade that updates last (or by an aggregate) — no separate flag, a slot is 13 numbers. */
export const F = 13

/** Whether slot offset b of d holds a bar (a trade that updates last, or an aggregate, landed in it). */
export const isVisible = (d: Float64Array, b: number): boolean => (d[b + OPEN] as number) > 0

const MIN_CAP = 16

export class BarRing {
  readonly depth: number
  cap = 0
  /** Slot index of logical slot 0 (oldest). */
  head = 0
  len = 0
  /** Slot index of the newest slot (valid when len > 0). */
  last = -1
  /** Windows before this start may have been evicted (−Infinity until the ring first overwrites). */
  floor = -Infinity
  /** [curStart, curEnd) of the newest slot: lets the hot path find it without a modulo. */
  curStart = Infinity
  curEnd = -Infinity
  /** Slot p occupies d[p * F … p * F + F). */
  d = new Float64Array(0)

  constructor(
    depth: number,
    /** Window length, ms. */
    readonly ms: number,
  ) {
    if (!Number.isInteger(depth) || depth < 1)
      throw new Error(`BarRing depth must be a positive integer, got ${depth}`)
    this.depth = depth
  }

  /** Slot index of logical index i (0 ≤ i < len). */
  phys(i: number): number {
    const p = this.head + i
    return p >= this.cap ? p - this.cap : p
  }

  /** Window start of slot p. */
  startOf(p: number): number {
    return this.d[p * F] as number
  }

  /** Logical index of the first slot with start ≥ s (len if none). */
  lowerBound(s: number): number {
    let lo = 0
    let hi = this.len
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if ((this.d[this.phys(mid) * F] as number) < s) lo = mid + 1
      else hi = mid
    }
    return lo
  }

  /** Slot index for window start s, or -1 if absent. */
  find(s: number): number {
    if (this.len === 0) return -1
    if (this.d[this.last * F] === s) return this.last
    const i = this.lowerBound(s)
    if (i < this.len) {
      const p = this.phys(i)
      if (this.d[p * F] === s) return p
    }
    return -1
  }

  /**
   * Slot index for window start s, created empty if missing; -1 when s is older than everything a full
   * ring keeps (the window was evicted or would be evicted at once).
   */
  slot(s: number): number {
    const len = this.len
    if (len === 0) return this.append(s)
    const lastStart = this.d[this.last * F] as number
    if (lastStart === s) return this.last
    if (s > lastStart) return this.append(s)
    // Late window: existing slot or an insertion in the middle (rare).
    const i = this.lowerBound(s)
    if (i < len) {
      const p = this.phys(i)
      if (this.d[p * F] === s) return p
    }
    if (s < this.floor) return -1
    return this.insertAt(i, s)
  }

  private append(s: number): number {
    let p: number
    if (this.len < this.cap) {
      p = this.phys(this.len)
      this.len++
    } else if (this.cap < this.depth) {
      this.grow()
      p = this.len
      this.len++
    } else {
      // Full: the oldest slot becomes the newest.
      p = this.head
      this.floor = (this.d[p * F] as number) + 1
      this.head = this.head + 1 === this.cap ? 0 : this.head + 1
    }
    this.last = p
    this.curStart = s
    this.curEnd = s + this.ms
    this.reset(p, s)
    return p
  }

  private insertAt(i: number, s: number): number {
    if (this.len === this.cap && this.cap === this.depth) {
      if (i === 0) return -1
      // Drop the oldest, shift [1, i) down by one, insert at i-1.
      this.floor = (this.d[this.head * F] as number) + 1
      for (let k = 1; k < i; k++) this.move(this.phys(k), this.phys(k - 1))
      const p = this.phys(i - 1)
      this.reset(p, s)
      return p
    }
    if (this.len === this.cap) this.grow()
    for (let k = this.len; k > i; k--) this.move(this.phys(k - 1), this.phys(k))
    this.len++
    this.last = this.phys(this.len - 1)
    const p = this.phys(i)
    this.reset(p, s)
    return p
  }

  /** Empty slot for window s (not a bar until a last-updating trade or an aggregate fills it). */
  reset(p: number, s: number): void {
    const d = this.d
    const b = p * F
    d[b + START] = s
    d[b + OPEN] = 0
    d[b + HIGH] = -Infinity
    d[b + LOW] = Infinity
    d[b + CLOSE] = 0
    d[b + VOLUME] = 0
    d[b + PV] = 0
    d[b + TRADES] = 0
    d[b + OPEN_TS] = Infinity
    d[b + OPEN_SEQ] = 0
    d[b + CLOSE_TS] = -Infinity
    d[b + CLOSE_SEQ] = 0
    d[b + SOURCE] = SRC_TRADES
  }

  private move(from: number, to: number): void {
    this.d.copyWithin(to * F, from * F, from * F + F)
  }

  private grow(): void {
    const cap = Math.min(this.depth, Math.max(MIN_CAP, this.cap * 2))
    const next = new Float64Array(cap * F)
    for (let i = 0; i < this.len; i++) {
      const p = this.phys(i)
      next.set(this.d.subarray(p * F, p * F + F), i * F)
    }
    this.d = next
    this.cap = cap
    this.head = 0
    this.last = this.len > 0 ? this.len - 1 : -1
  }
}
