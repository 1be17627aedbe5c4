import { describe, expect, it } from 'vitest'
import { mulberry32 } from '../../simulator/prng'
import { ELIGIBLE, PrintStore, SlidingPrice, VOLUME } from './store'

const E = ELIGIBLE | VOLUME
const fill = (rows: Array<[ts: number, seq: number, price: number, flags?: number]>): PrintStore => {
  const s = new PrintStore()
  for (const [ts, seq, price, flags] of rows) s.insert(ts, seq, price, 100, 1, flags ?? E)
  return s
}
const keys = (s: PrintStore): Array<[number, number]> =>
  Array.from({ length: s.count }, (_, i) => [s.ts[s.head + i] as number, s.seq[s.head + i] as number])

describe('PrintStore order and de-duplication', () => {
  it('insertMany leaves the store exactly as single inserts would, and says how far a pointer moves', () => {
    const rnd = mulberry32(5)
    for (let round = 0; round < 40; round++) {
      const held: Array<[number, number]> = Array.from({ length: Math.floor(rnd() * 3000) }, (_, i) => [Math.floor(rnd() * 5000), i])
      const batch: Array<[number, number]> = Array.from({ length: Math.floor(rnd() * 3000) }, (_, i) => [
        Math.floor(rnd() * 6000),
        rnd() < 0.1 ? Infinity : 10_000 + i,
      ])
      batch.sort((a, b) => a[0] - b[0] || a[1] - b[1])
      const one = new PrintStore()
      const many = new PrintStore()
      for (const [ts, seq] of held) {
        one.insert(ts, seq, ts / 100, 100, 1, E)
        many.insert(ts, seq, ts / 100, 100, 1, E)
      }
      if (round % 4 === 0) {
        one.evictBefore(500)
        many.evictBefore(500)
      }
      // A pointer into the store (the detector's next print), moved by each single insert that lands before it.
      let at = one.head + Math.floor(rnd() * (one.n - one.head + 1))
      const at0 = at
      // A compaction inside an insert shifts every index down (the engine's syncShift follows `shifted`).
      for (const [ts, seq] of batch) {
        const shifted = one.shifted
        const i = one.insert(ts, seq, ts / 100, 50, seq === Infinity ? 3 : 1, E)
        at -= one.shifted - shifted
        if (i < at) at++
      }
      const manyShifted = many.shifted
      const moved = many.insertMany(
        {
          ts: batch.map((b) => b[0]),
          seq: batch.map((b) => b[1]),
          price: batch.map((b) => b[0] / 100),
          size: batch.map(() => 50),
          weight: batch.map((b) => (b[1] === Infinity ? 3 : 1)),
          flags: batch.map(() => E),
        },
        at0,
      )
      expect(keys(many)).toEqual(keys(one))
      expect(Array.from({ length: many.count }, (_, i) => many.weightAt(many.head + i))).toEqual(
        Array.from({ length: one.count }, (_, i) => one.weightAt(one.head + i)),
      )
      expect(at0 - (many.shifted - manyShifted) + moved).toBe(at)
    }
  })

  it('keeps (ts, seq) order whatever the arrival order; a second bar sorts after real prints of its ms', () => {
    const s = fill([[2000, 5, 1], [1000, 9, 1], [2000, 3, 1], [2000, Infinity, 1], [2000, 4, 1], [500, 1, 1]])
    expect(keys(s)).toEqual([[500, 1], [1000, 9], [2000, 3], [2000, 4], [2000, 5], [2000, Infinity]])
  })

  it('keeps each print its weight (1 unless given) through inserts in place, growth and eviction', () => {
    const s = new PrintStore()
    for (let i = 0; i < 3000; i++) s.insert(1000 + i * 10, i, 1, 100, 1, E)
    s.insert(1005, Infinity, 1, 100, 7, E) // a second bar among trades
    s.insert(500, Infinity, 1, 100, 3, E)
    for (let i = 3000; i < 6000; i++) s.insert(1000 + i * 10, i, 1, 100, i % 100 === 0 ? 2 : 1, E)
    s.evictBefore(1000)
    const weights = Array.from({ length: s.count }, (_, i) => [s.ts[s.head + i], s.weightAt(s.head + i)])
    expect(weights.filter(([, w]) => w !== 1)).toEqual([[1005, 7], ...Array.from({ length: 30 }, (_, k) => [31_000 + k * 1000, 2])])
    expect(weights.length).toBe(6001)
  })

  it.each([
    { ts: 2000, seq: 4, want: true },
    { ts: 2000, seq: 6, want: false },
    { ts: 1000, seq: 4, want: false },
    { ts: 3000, seq: 4, want: false },
    { ts: 2000, seq: Infinity, want: false }, // second bars are never duplicates
  ])('hasSeq($ts, $seq) = $want', ({ ts, seq, want }) => {
    const s = fill([[1000, 1, 1], [2000, 4, 1], [2000, 5, 1], [2000, Infinity, 1]])
    expect(s.hasSeq(ts, seq)).toBe(want)
  })

  it('evicts a prefix and compacts, reporting the shift', () => {
    const s = new PrintStore()
    for (let i = 0; i < 10_000; i++) s.insert(i, i, 1, 1, 1, E)
    s.evictBefore(9_000)
    expect(s.count).toBe(1_000)
    expect(s.ts[s.head]).toBe(9_000)
    expect(s.shifted).toBe(9_000)
    expect(s.evictedUpTo).toBe(8_999)
  })
})

describe('p(t)', () => {
  const s = fill([
    [1000, 1, 10],
    [1500, 2, 99, VOLUME], // not eligible: never a price
    [2500, 3, 11],
    [2600, 4, 13],
    [2900, 5, 12],
    [3000, 6, 14],
  ])
  it.each([
    { t: 999, limit: 1e9, want: NaN },
    { t: 1000, limit: 1e9, want: 10 }, // one print in the window: the last one
    { t: 2600, limit: 1e9, want: 11 }, // (600, 2600]: 10, 11, 13
    { t: 2900, limit: 1e9, want: 11.5 }, // 10, 11, 13, 12 → mean of 11 and 12
    { t: 3000, limit: 1e9, want: 12.5 }, // (1000, 3000]: 11, 13, 12, 14
    { t: 3000, limit: 2600, want: 13 }, // only prints ≤ limit exist: 11, 13 → fewer than 3 → the last
    { t: 4999, limit: 1e9, want: 14 }, // (2999, 4999]: one print
    { t: 9000, limit: 1e9, want: 14 }, // empty window: last eligible before
  ])('p($t) with prints ≤ $limit', ({ t, limit, want }) => {
    const got = s.priceAt(t, limit)
    if (Number.isNaN(want)) expect(got).toBeNaN()
    else expect(got).toBe(want)
  })
})

describe('SlidingPrice', () => {
  // Sparse windows of mostly distinct prices, and dense windows of a few repeated ones (a proxy bouncing
  // between bid and ask): the window keeps distinct values with counts, so both shapes matter.
  it.each([
    { shape: 'sparse, 100 price levels', gapMs: 150, levels: 100 },
    { shape: 'dense, 3 price levels', gapMs: 12, levels: 3 },
  ])('answers as priceAt for times moving forward and back in small and large steps ($shape)', ({ gapMs, levels }) => {
    const rnd = mulberry32(5)
    const s = new PrintStore()
    let t = 0
    for (let i = 0; i < 5_000; i++) {
      t += Math.floor(-Math.log(1 - rnd()) * gapMs)
      s.insert(t, i, 100 + Math.floor(rnd() * levels) / 100, 100, 1, rnd() < 0.1 ? VOLUME : E)
    }
    const w = new SlidingPrice(s)
    let q = 0
    for (let i = 0; i < 20_000; i++) {
      const r = rnd()
      q += r < 0.9 ? Math.floor(rnd() * 300) : r < 0.97 ? -Math.floor(rnd() * 500) : Math.floor(rnd() * 20_000) - 5_000
      if (q < 0) q = 0
      const limit = rnd() < 0.2 ? q - Math.floor(rnd() * 1000) : 1e12
      expect(w.query(q, limit)).toBe(s.priceAt(q, limit))
    }
  })

  it('rebuilds after an insert behind it', () => {
    const s = fill([[1000, 1, 10], [1100, 2, 10], [1200, 3, 10]])
    const w = new SlidingPrice(s)
    expect(w.query(1500, 1e9)).toBe(10)
    s.insert(1050, 9, 40, 100, 1, E)
    s.insert(1060, 10, 40, 100, 1, E)
    s.insert(1070, 11, 40, 100, 1, E)
    expect(w.query(1500, 1e9)).toBe(25)
  })
})
