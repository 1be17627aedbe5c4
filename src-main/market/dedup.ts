// Bounded per-symbol memory of recent trade sequence numbers / ids, so a trade seen again (a replay, a
// reconnect overlap, an at-least-once redelivery) is not counted twice.
//
// Polygon's `q` is unique and increasing per ticker and assigned on receipt, so trades arrive almost always
// in `q` order: the common case is an append to a sorted circular buffer (no hashing, no allocation).
// - seq newer than all remembered → new.
// - seq inside the remembered range → binary search: found = duplicate, else new (inserted in place).
// - seq older than the whole (full) window: with an older-or-equal timestamp than the newest seen it is a
//   replay (a genuine late report gets a NEW, higher q), so it is a duplicate; with a newer timestamp the
//   feed's numbering restarted (new session, simulator restart): forget the window and accept.

const MIN_CAP = 64

export class SeqWindow {
  private buf = new Float64Array(0)
  private cap = 0
  private head = 0
  private len = 0
  private maxTs = -Infinity
  /** Highest seq remembered (−Infinity when empty): the caller's fast path is `seq > newest` → `append`. */
  newest = -Infinity
  constructor(readonly size: number) {
    if (!Number.isInteger(size) || size < 1)
      throw new Error(`SeqWindow size must be a positive integer, got ${size}`)
  }

  get length(): number {
    return this.len
  }

  get capacity(): number {
    return this.cap
  }

  private at(i: number): number {
    const p = this.head + i
    return this.buf[p >= this.cap ? p - this.cap : p] as number
  }

  private setAt(i: number, v: number): void {
    const p = this.head + i
    this.buf[p >= this.cap ? p - this.cap : p] = v
  }

  /** Records a seq known to be above `newest` (the in-order case). */
  append(seq: number, ts: number): void {
    this.push(seq)
    this.newest = seq
    if (ts > this.maxTs) this.maxTs = ts
  }

  /** Records seq; false if it was already seen (a duplicate). */
  add(seq: number, ts: number): boolean {
    const len = this.len
    if (len === 0 || seq > this.newest) {
      this.append(seq, ts)
      return true
    }
    const oldest = this.at(0)
    if (seq < oldest) {
      if (ts <= this.maxTs && len === this.size) return false
      if (ts > this.maxTs) {
        // Numbering restarted.
        this.len = 0
        this.head = 0
        this.append(seq, ts)
        return true
      }
    }
    // Binary search in [0, len).
    let lo = 0
    let hi = len
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (this.at(mid) < seq) lo = mid + 1
      else hi = mid
    }
    if (lo < len && this.at(lo) === seq) return false
    if (ts > this.maxTs) this.maxTs = ts
    this.insert(lo, seq)
    return true
  }

  private push(seq: number): void {
    if (this.len < this.cap) {
      this.setAt(this.len, seq)
      this.len++
    } else if (this.cap < this.size) {
      this.grow()
      this.setAt(this.len, seq)
      this.len++
    } else {
      this.buf[this.head] = seq
      this.head = this.head + 1 === this.cap ? 0 : this.head + 1
    }
  }

  private insert(i: number, seq: number): void {
    if (this.len === this.cap && this.cap === this.size) {
      // Full: drop the oldest, shift [1, i) down, write at i-1 (i ≥ 1 here: seq > oldest).
      if (i === 0) return
      for (let k = 1; k < i; k++) this.setAt(k - 1, this.at(k))
      this.setAt(i - 1, seq)
      return
    }
    if (this.len === this.cap) this.grow()
    for (let k = this.len; k > i; k--) this.setAt(k, this.at(k - 1))
    this.setAt(i, seq)
    this.len++
  }

  private grow(): void {
    const cap = Math.min(this.size, Math.max(MIN_CAP, this.cap * 2))
    const b = new Float64Array(cap)
    for (let i = 0; i < this.len; i++) b[i] = this.at(i)
    this.buf = b
    this.cap = cap
    this.head = 0
  }
}

/** Fallback for trades without a usable sequence number: the last `size` ids in a Set, FIFO eviction. */
export class IdWindow {
  private readonly set = new Set<string>()
  private readonly ring: string[] = []
  private next = 0
  constructor(readonly size: number) {}

  get length(): number {
    return this.set.size
  }

  add(id: string): boolean {
    if (this.set.has(id)) return false
    if (this.ring.length < this.size) {
      this.ring.push(id)
    } else {
      this.set.delete(this.ring[this.next] as string)
      this.ring[this.next] = id
      this.next = (this.next + 1) % this.size
    }
    this.set.add(id)
    return true
  }
}
