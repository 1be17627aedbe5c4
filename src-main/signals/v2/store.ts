// One symbol's prints, sorted by (ts, seq), in growable typed arrays (the hot path allocates nothing). Live
// prints append; history and late prints are inserted in place. Eviction drops a prefix (retention); the
// arrays are compacted now and then, and `onShift` tells the owner how far indices moved.
import { medianInPlace } from './math'

export const ELIGIBLE = 1
export const VOLUME = 2
/** Source in flags bits 2–3. */
export const SRC_SHIFT = 2
export const SOURCES = ['live', 'trades', 'seconds'] as const

export const PRICE_WINDOW_MS = 2000

let scratch = new Float64Array(256)

/** Prints to insert at once (parallel arrays, sorted by (ts, seq)). */
export interface BatchPrints {
  ts: number[]
  seq: number[]
  price: number[]
  size: number[]
  weight: number[]
  flags: number[]
}

export class PrintStore {
  ts = new Float64Array(1024)
  /** seq, or +Infinity for a second bar's synthetic print (it sorts after real prints with the same ts). */
  seq = new Float64Array(1024)
  price = new Float64Array(1024)
  size = new Float64Array(1024)
  /**
   * Print-count weight: 1, or max(1, trades) for a second bar. Allocated at the first weight other than 1
   * (null: every weight is 1), so a store of trades carries 33 bytes a print instead of 41.
   */
  weight: Float64Array | null = null
  flags = new Uint8Array(1024)
  head = 0
  n = 0
  /** Bumped by every change other than an append or a head eviction (sliding windows rebuild then). */
  version = 0

  get count(): number {
    return this.n - this.head
  }

  /**
   * Whether a print with this (ts, seq) is held: the de-duplication key (symbol, seq, ET day) read on the store
   * itself, so it costs no memory beyond the prints (a copy of a trade carries the trade's own ts). Second
   * bars (seq +Infinity) are never duplicates.
   */
  hasSeq(ts: number, seq: number): boolean {
    if (seq === Infinity) return false
    const last = this.n - 1
    if (last < this.head || (this.ts[last] as number) < ts) return false
    for (let i = this.lowerBound(ts); i < this.n && this.ts[i] === ts; i++) if (this.seq[i] === seq) return true
    return false
  }

  private grow(): void {
    const cap = this.ts.length * 2
    const g = <T extends Float64Array | Uint8Array>(a: T, make: (n: number) => T): T => {
      const b = make(cap)
      b.set(a.subarray(0, this.n))
      return b
    }
    this.ts = g(this.ts, (n) => new Float64Array(n))
    this.seq = g(this.seq, (n) => new Float64Array(n))
    this.price = g(this.price, (n) => new Float64Array(n))
    this.size = g(this.size, (n) => new Float64Array(n))
    if (this.weight) this.weight = g(this.weight, (n) => new Float64Array(n))
    this.flags = g(this.flags, (n) => new Uint8Array(n))
  }

  /** Inserts in (ts, seq) order (after equal keys); returns the index it landed at. */
  insert(ts: number, seq: number, price: number, size: number, weight: number, flags: number): number {
    if (this.n === this.ts.length) {
      if (this.head > this.ts.length >> 2) this.compact()
      else this.grow()
    }
    if (weight !== 1 && this.weight === null) this.weight = new Float64Array(this.ts.length).fill(1)
    let i = this.n
    const last = this.n - 1
    if (last >= this.head && ((this.ts[last] as number) > ts || (this.ts[last] === ts && (this.seq[last] as number) > seq))) {
      i = this.upperBoundKey(ts, seq)
      const move = (a: Float64Array | Uint8Array): void => {
        a.copyWithin(i + 1, i, this.n)
      }
      move(this.ts)
      move(this.seq)
      move(this.price)
      move(this.size)
      if (this.weight) move(this.weight)
      move(this.flags)
      this.version++
    }
    this.ts[i] = ts
    this.seq[i] = seq
    this.price[i] = price
    this.size[i] = size
    if (this.weight) this.weight[i] = weight
    this.flags[i] = flags
    this.n++
    return i
  }

  /**
   * Inserts a batch sorted by (ts, seq), none of it held already, in one merge from the back: O(n + k) where k
   * single inserts into the middle would shift the newer prints k times (a history window loaded before the
   * newer ones it precedes). Equal keys land after the held ones, as insert() does. Returns how many of the batch
   * landed before index `at` (a pointer into the store before the call: the prints before it are done), i.e.
   * how far `at` moves up, as insert()'s callers move it (landing at `at` itself leaves it: not done yet).
   */
  insertMany(b: BatchPrints, at: number): number {
    const k = b.ts.length
    if (k === 0) return 0
    while (this.n + k > this.ts.length) {
      if (this.head > this.ts.length >> 2) this.compact()
      else this.grow()
    }
    if (this.weight === null && b.weight.some((w) => w !== 1)) this.weight = new Float64Array(this.ts.length).fill(1)
    // Before the merge: a print lands before index `at` when its key is below the key at `at` − 1 (equal keys
    // land after the held ones, so one landing at `at` itself is after everything before the pointer).
    let before = 0
    const pivot = Math.min(at, this.n) - 1
    if (pivot >= this.head) {
      const pts = this.ts[pivot] as number
      const pseq = this.seq[pivot] as number
      for (let j = 0; j < k; j++) {
        const t = b.ts[j] as number
        if (t < pts || (t === pts && (b.seq[j] as number) < pseq)) before++
        else break
      }
    }
    let i = this.n - 1
    let w = this.n + k - 1
    for (let j = k - 1; j >= 0; j--) {
      const t = b.ts[j] as number
      const q = b.seq[j] as number
      // Held prints with a greater key move to the back first.
      while (i >= this.head && ((this.ts[i] as number) > t || (this.ts[i] === t && (this.seq[i] as number) > q))) {
        this.ts[w] = this.ts[i] as number
        this.seq[w] = this.seq[i] as number
        this.price[w] = this.price[i] as number
        this.size[w] = this.size[i] as number
        if (this.weight) this.weight[w] = this.weight[i] as number
        this.flags[w] = this.flags[i] as number
        i--
        w--
      }
      this.ts[w] = t
      this.seq[w] = q
      this.price[w] = b.price[j] as number
      this.size[w] = b.size[j] as number
      if (this.weight) this.weight[w] = b.weight[j] as number
      this.flags[w] = b.flags[j] as number
      w--
    }
    this.n += k
    this.version++
    return before
  }

  /** Removes [from, n) (live wins: history at or after the first live print). */
  truncate(from: number): void {
    this.n = Math.max(this.head, Math.min(this.n, from))
    this.version++
  }

  /** Removes the entry at i. */
  removeAt(i: number): void {
    this.version++
    const move = (a: Float64Array | Uint8Array): void => {
      a.copyWithin(i, i + 1, this.n)
    }
    move(this.ts)
    move(this.seq)
    move(this.price)
    move(this.size)
    if (this.weight) move(this.weight)
    move(this.flags)
    this.n--
  }

  /** Drops prints with ts < before; returns how far indices shifted down (compaction), 0 mostly. */
  evictBefore(before: number): number {
    let h = this.head
    while (h < this.n && (this.ts[h] as number) < before) h++
    if (h > this.head) this.evictedUpTo = Math.max(this.evictedUpTo, this.ts[h - 1] as number)
    this.head = h
    if (this.head > 4096 && this.head > (this.n - this.head)) return this.compact()
    return 0
  }

  private compact(): number {
    const h = this.head
    if (h === 0) return 0
    for (const a of [this.ts, this.seq, this.price, this.size, this.weight, this.flags]) a?.copyWithin(0, h, this.n)
    this.n -= h
    this.head = 0
    this.shifted += h
    this.version++
    return h
  }

  /** ts of the latest print evicted (−Infinity before the first): data after it is complete. */
  evictedUpTo = -Infinity

  /** Total index shift from compactions so far (owners compare to adjust their indices). */
  shifted = 0

  /** First index (≥ head) whose ts > t. */
  upperBound(t: number): number {
    let lo = this.head
    let hi = this.n
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if ((this.ts[mid] as number) <= t) lo = mid + 1
      else hi = mid
    }
    return lo
  }

  /** First index (≥ head) whose ts ≥ t. */
  lowerBound(t: number): number {
    let lo = this.head
    let hi = this.n
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if ((this.ts[mid] as number) < t) lo = mid + 1
      else hi = mid
    }
    return lo
  }

  private upperBoundKey(ts: number, seq: number): number {
    let lo = this.head
    let hi = this.n
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      const mt = this.ts[mid] as number
      if (mt < ts || (mt === ts && (this.seq[mid] as number) <= seq)) lo = mid + 1
      else hi = mid
    }
    return lo
  }

  /**
   * p(t): median of eligible prices with ts in (t − 2 s, t] when at least 3, else the last eligible price at
   * or before t; NaN without one. Only prints with ts ≤ limit exist (data time).
   */
  priceAt(t: number, limit: number): number {
    const end = t < limit ? t : limit
    const hiIdx = this.upperBound(end)
    return this.priceBefore(hiIdx, t)
  }

  /** priceAt when the caller knows the first index past the window's end. */
  priceBefore(hiIdx: number, t: number): number {
    const lowTs = t - PRICE_WINDOW_MS
    let k = 0
    let i = hiIdx - 1
    const ts = this.ts
    const flags = this.flags
    const price = this.price
    let last = NaN
    for (; i >= this.head && (ts[i] as number) > lowTs; i--) {
      if (((flags[i] as number) & ELIGIBLE) === 0) continue
      if (k === scratch.length) {
        const b = new Float64Array(k * 2)
        b.set(scratch)
        scratch = b
      }
      if (k === 0) last = price[i] as number
      scratch[k++] = price[i] as number
    }
    if (k >= 3) return medianInPlace(scratch, k)
    if (k > 0) return last
    for (; i >= this.head; i--) if (((flags[i] as number) & ELIGIBLE) !== 0) return price[i] as number
    return NaN
  }

  /** Index of the last eligible print with ts ≤ t, or -1. */
  lastEligibleAtOrBefore(t: number): number {
    for (let i = this.upperBound(t) - 1; i >= this.head; i--) if (((this.flags[i] as number) & ELIGIBLE) !== 0) return i
    return -1
  }

  /** Index of the first eligible print with ts > t and ts ≤ limit, or -1. */
  firstEligibleAfter(t: number, limit: number): number {
    for (let i = this.upperBound(t); i < this.n && (this.ts[i] as number) <= limit; i++) {
      if (((this.flags[i] as number) & ELIGIBLE) !== 0) return i
    }
    return -1
  }

  /** Print-count weight of the print at i. */
  weightAt(i: number): number {
    return this.weight === null ? 1 : (this.weight[i] as number)
  }

  sourceAt(i: number): (typeof SOURCES)[number] {
    return SOURCES[((this.flags[i] as number) >> SRC_SHIFT) & 3] ?? 'live'
  }
}

/**
 * p(t) of one store for a time that moves in small steps (the print being evaluated, or 60 s before it): the
 * window's eligible prices kept as a sorted multiset, updated by the prints entering and leaving, so the median
 * is a short walk. Far jumps and changes to the store other than appends rebuild it.
 *
 * The multiset is held as distinct values with counts: prices sit on a cent grid and bounce between bid and ask,
 * so the proxy's window (a hundred prints and more) has a handful of distinct values, and a print entering or
 * leaving moves a count instead of shifting half the window.
 */
export class SlidingPrice {
  private lo = 0
  private hi = 0
  /** Distinct prices in the window, ascending, and how many eligible prints carry each. */
  private vals = new Float64Array(16)
  private cnt = new Int32Array(16)
  /** Distinct values held. */
  private d = 0
  /** Eligible prints in the window. */
  private k = 0
  private version = -1
  private end = -Infinity
  /** The median of the multiset as last computed; NaN when a print entered or left since (most asks move nothing). */
  private median = NaN

  constructor(readonly store: PrintStore) {}

  query(t: number, limit: number): number {
    const st = this.store
    const end = t < limit ? t : limit
    const low = t - PRICE_WINDOW_MS
    if (this.version !== st.version || this.lo < st.head || Math.abs(end - this.end) > 4 * PRICE_WINDOW_MS) {
      this.rebuild(low, end)
    } else {
      const ts = st.ts
      const flags = st.flags
      const price = st.price
      while (this.hi < st.n && (ts[this.hi] as number) <= end) {
        if (((flags[this.hi] as number) & ELIGIBLE) !== 0) this.add(price[this.hi] as number)
        this.hi++
      }
      while (this.hi > this.lo && (ts[this.hi - 1] as number) > end) {
        this.hi--
        if (((flags[this.hi] as number) & ELIGIBLE) !== 0) this.remove(price[this.hi] as number)
      }
      // Moved back past the window's start: start over.
      if (this.hi === this.lo && this.hi > st.head && (ts[this.hi - 1] as number) > end) {
        this.rebuild(low, end)
        this.end = end
        return this.result()
      }
      while (this.lo < this.hi && (ts[this.lo] as number) <= low) {
        if (((flags[this.lo] as number) & ELIGIBLE) !== 0) this.remove(price[this.lo] as number)
        this.lo++
      }
      while (this.lo > st.head && (ts[this.lo - 1] as number) > low) {
        this.lo--
        if (((flags[this.lo] as number) & ELIGIBLE) !== 0) this.add(price[this.lo] as number)
      }
      // The window may have been left empty behind a jump: lo must not pass hi.
      if (this.lo > this.hi) this.rebuild(low, end)
    }
    this.end = end
    return this.result()
  }

  private result(): number {
    const st = this.store
    const k = this.k
    if (k >= 3) {
      if (this.median === this.median) return this.median
      this.median = this.medianOf(k)
      return this.median
    }
    const from = k > 0 ? this.hi - 1 : this.lo - 1
    for (let i = from; i >= st.head; i--) if (((st.flags[i] as number) & ELIGIBLE) !== 0) return st.price[i] as number
    return NaN
  }

  private medianOf(k: number): number {
    const v = this.vals
    const c = this.cnt
    // The value at rank r (0-based) is the first whose cumulative count exceeds r.
    const r = k >> 1
    let j = 0
    let below = 0
    while (below + (c[j] as number) <= r) below += c[j++] as number
    const upper = v[j] as number
    if (k % 2 === 1) return upper
    // Even count: the lower middle (rank r − 1) is the same value unless rank r starts a new value.
    const lower = r - 1 >= below ? upper : (v[j - 1] as number)
    return (lower + upper) / 2
  }

  /** Whether the window holds an eligible print. */
  get any(): boolean {
    return this.k > 0
  }

  private rebuild(low: number, end: number): void {
    const st = this.store
    this.version = st.version
    this.hi = st.upperBound(end)
    this.lo = Math.min(st.upperBound(low), this.hi)
    this.k = 0
    this.d = 0
    for (let i = this.lo; i < this.hi; i++) if (((st.flags[i] as number) & ELIGIBLE) !== 0) this.add(st.price[i] as number)
  }

  private add(v: number): void {
    this.median = NaN
    const a = this.vals
    const d = this.d
    let lo = 0
    let hi = d
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if ((a[mid] as number) < v) lo = mid + 1
      else hi = mid
    }
    this.k++
    if (lo < d && a[lo] === v) {
      this.cnt[lo] = (this.cnt[lo] as number) + 1
      return
    }
    if (d === a.length) this.growValues()
    const va = this.vals
    const ca = this.cnt
    // A plain loop beats copyWithin's call for the few distinct values a 2-second window holds.
    for (let j = d; j > lo; j--) {
      va[j] = va[j - 1] as number
      ca[j] = ca[j - 1] as number
    }
    va[lo] = v
    ca[lo] = 1
    this.d = d + 1
  }

  private remove(v: number): void {
    this.median = NaN
    const a = this.vals
    const d = this.d
    let lo = 0
    let hi = d
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if ((a[mid] as number) < v) lo = mid + 1
      else hi = mid
    }
    if (lo >= d || a[lo] !== v) return
    this.k--
    const c = this.cnt
    const left = (c[lo] as number) - 1
    c[lo] = left
    if (left > 0) return
    for (let j = lo; j < d - 1; j++) {
      a[j] = a[j + 1] as number
      c[j] = c[j + 1] as number
    }
    this.d = d - 1
  }

  private growValues(): void {
    const v = new Float64Array(this.vals.length * 2)
    v.set(this.vals)
    this.vals = v
    const c = new Int32Array(this.cnt.length * 2)
    c.set(this.cnt)
    this.cnt = c
  }
}
