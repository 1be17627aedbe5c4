import { describe, expect, it } from 'vitest'
import { IdWindow, SeqWindow } from './dedup'

describe('SeqWindow', () => {
  // Each step: [seq, ts, expected add() result].
  const cases: { name: string; size: number; steps: [number, number, boolean][] }[] = [
    {
      name: 'in order, then a repeat',
      size: 8,
      steps: [
        [1, 1, true],
        [2, 2, true],
        [3, 3, true],
        [2, 2, false],
      ],
    },
    {
      name: 'out of order inside the window',
      size: 8,
      steps: [
        [5, 5, true],
        [3, 3, true],
        [4, 4, true],
        [3, 9, false],
        [4, 9, false],
        [6, 6, true],
      ],
    },
    {
      name: 'older than a full window with old time: replay',
      size: 3,
      steps: [
        [1, 1, true],
        [2, 2, true],
        [3, 3, true],
        [4, 4, true],
        [1, 1, false],
      ],
    },
    {
      name: 'older than a full window with newer time: numbering restarted',
      size: 3,
      steps: [
        [10, 1, true],
        [11, 2, true],
        [12, 3, true],
        [1, 4, true],
        [2, 5, true],
        [1, 4, false],
      ],
    },
    {
      name: 'insert into a full window evicts the oldest',
      size: 3,
      steps: [
        [1, 1, true],
        [3, 3, true],
        [5, 5, true],
        [4, 4, true],
        [4, 4, false],
        [3, 3, false],
        [5, 5, false],
      ],
    },
  ]
  it.each(cases)('$name', ({ size, steps }) => {
    const w = new SeqWindow(size)
    for (const [seq, ts, expected] of steps) expect(w.add(seq, ts), `seq ${seq}`).toBe(expected)
    expect(w.length).toBeLessThanOrEqual(size)
  })

  it('never holds more than its size', () => {
    const w = new SeqWindow(100)
    for (let i = 1; i <= 10_000; i++) w.add(i % 7 === 0 ? i - 50 : i, i)
    expect(w.length).toBe(100)
    expect(w.capacity).toBe(100)
  })
})

describe('IdWindow', () => {
  it('remembers the last `size` ids', () => {
    const w = new IdWindow(2)
    expect([w.add('a'), w.add('a'), w.add('b'), w.add('c'), w.add('a'), w.add('c')]).toEqual([
      true,
      false,
      true,
      true,
      true,
      false,
    ])
    expect(w.length).toBe(2)
  })
})
