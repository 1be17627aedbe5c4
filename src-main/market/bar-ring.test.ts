import { describe, expect, it } from 'vitest'
import { BarRing, CLOSE, F } from './bar-ring'

function starts(r: BarRing): number[] {
  const out: number[] = []
  for (let i = 0; i < r.len; i++) out.push(r.startOf(r.phys(i)))
  return out
}

describe('BarRing', () => {
  // Window starts requested in order; expected logical contents after all of them and the slot results.
  const cases: { name: string; depth: number; ops: number[]; expect: number[]; refused: number[] }[] = [
    { name: 'appends in order', depth: 4, ops: [1, 2, 3], expect: [1, 2, 3], refused: [] },
    {
      name: 'overwrites the oldest when full',
      depth: 3,
      ops: [1, 2, 3, 4, 5],
      expect: [3, 4, 5],
      refused: [],
    },
    {
      name: 'inserts a late window in place',
      depth: 5,
      ops: [1, 3, 5, 2, 4],
      expect: [1, 2, 3, 4, 5],
      refused: [],
    },
    {
      name: 'late insert into a full ring drops the oldest',
      depth: 3,
      ops: [1, 3, 5, 4],
      expect: [3, 4, 5],
      refused: [],
    },
    {
      name: 'refuses a window older than a full ring keeps',
      depth: 3,
      ops: [1, 2, 3, 4, 1, 0],
      expect: [2, 3, 4],
      refused: [1, 0],
    },
    {
      name: 'refuses a window evicted before, even if now it would fit',
      depth: 3,
      ops: [10, 20, 30, 40, 15],
      expect: [20, 30, 40],
      refused: [15],
    },
    {
      name: 'grows past the initial capacity',
      depth: 100,
      ops: Array.from({ length: 40 }, (_, i) => 40 - i),
      expect: Array.from({ length: 40 }, (_, i) => i + 1),
      refused: [],
    },
  ]
  it.each(cases)('$name', ({ depth, ops, expect: want, refused }) => {
    const r = new BarRing(depth, 1)
    const got: number[] = []
    for (const s of ops) if (r.slot(s) < 0) got.push(s)
    expect(starts(r)).toEqual(want)
    expect(got).toEqual(refused)
    expect(r.len).toBeLessThanOrEqual(depth)
    expect(r.cap).toBeLessThanOrEqual(depth)
    expect(r.startOf(r.last)).toBe(want[want.length - 1])
  })

  it('keeps slot contents when it grows or shifts', () => {
    const r = new BarRing(50, 1)
    for (const s of [5, 1, 3, 2, 4, 30, 20, 25, 10]) {
      // slot() may grow the arrays: take the index first.
      const p = r.slot(s)
      r.d[p * F + CLOSE] = s * 10
    }
    for (let i = 0; i < r.len; i++) expect(r.d[r.phys(i) * F + CLOSE]).toBe(r.startOf(r.phys(i)) * 10)
    expect(r.find(25)).toBeGreaterThanOrEqual(0)
    expect(r.find(26)).toBe(-1)
  })

  it('rejects a bad depth', () => {
    expect(() => new BarRing(0, 1)).toThrow(/depth/)
  })
})
