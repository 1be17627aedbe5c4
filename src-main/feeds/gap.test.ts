import { describe, expect, it } from 'vitest'
import { GapTracker, MINUTE_MS, type Gap } from './gap'

const M = MINUTE_MS
const T0 = 1_700_000_040_000 // a minute boundary (1_700_000_040_000 % 60_000 === 0)

type Step = ['d', number] | ['i'] | ['r']

function play(steps: Step[], settle = 1_000): Gap[] {
  const g = new GapTracker(settle)
  const out: Gap[] = []
  for (const s of steps) {
    if (s[0] === 'd') {
      const gap = g.data(s[1])
      if (gap) out.push(gap)
    } else if (s[0] === 'i') g.interrupt()
    else g.restored()
  }
  return out
}

describe('GapTracker', () => {
  it('T0 is a minute boundary', () => expect(T0 % M).toBe(0))

  const cases: [string, Step[], Gap[]][] = [
    [
      'no interruption, no gap',
      [
        ['d', T0],
        ['d', T0 + 5 * M],
      ],
      [],
    ],
    ['interruption before any data opens nothing', [['i'], ['r'], ['d', T0], ['d', T0 + 5 * M]], []],
    [
      'simple gap fires once the restore minute is complete + settle',
      [
        ['d', T0 + 10_000],
        ['i'],
        ['r'],
        ['d', T0 + 3 * M + 5_000],
        ['d', T0 + 4 * M + 500],
        ['d', T0 + 4 * M + 1_000],
        ['d', T0 + 9 * M],
      ],
      [{ from: T0, to: T0 + 3 * M }],
    ],
    [
      'data while interrupted (in-flight frames) does not end the gap',
      [
        ['d', T0 + 10_000],
        ['i'],
        ['d', T0 + 2 * M],
        ['d', T0 + 5 * M],
        ['r'],
        ['d', T0 + 6 * M + 1],
        ['d', T0 + 7 * M + 1_000],
      ],
      [{ from: T0, to: T0 + 6 * M }],
    ],
    [
      'second interruption before firing merges (keeps earliest from)',
      [
        ['d', T0 + 1],
        ['i'],
        ['r'],
        ['d', T0 + 2 * M],
        ['i'],
        ['r'],
        ['d', T0 + 4 * M + 7],
        ['d', T0 + 5 * M + 1_000],
      ],
      [{ from: T0, to: T0 + 4 * M }],
    ],
    [
      'restore within the same minute',
      [['d', T0 + 1_000], ['i'], ['r'], ['d', T0 + 2_000], ['d', T0 + M + 999], ['d', T0 + M + 1_000]],
      [{ from: T0, to: T0 }],
    ],
    [
      'late (older) first event after restore clamps to from',
      [['d', T0 + M + 1], ['i'], ['r'], ['d', T0 + 1], ['d', T0 + 2 * M + 1_000]],
      [{ from: T0 + M, to: T0 + M }],
    ],
    [
      'two separate gaps',
      [
        ['d', T0],
        ['i'],
        ['r'],
        ['d', T0 + M],
        ['d', T0 + 2 * M + 1_000],
        ['i'],
        ['r'],
        ['d', T0 + 5 * M],
        ['d', T0 + 6 * M + 1_000],
      ],
      [
        { from: T0, to: T0 + M },
        { from: T0 + 2 * M, to: T0 + 5 * M },
      ],
    ],
    ['restore without interruption does nothing', [['d', T0], ['r'], ['d', T0 + 5 * M]], []],
  ]
  it.each(cases)('%s', (_n, steps, gaps) => {
    expect(play(steps)).toEqual(gaps)
  })

  it('reports pending state and last data time', () => {
    const g = new GapTracker(0)
    expect(g.lastDataTs).toBeNull()
    g.data(T0 + 5)
    g.interrupt()
    expect(g.pending()).toEqual({ from: T0, to: null })
    g.restored()
    g.data(T0 + 2 * M)
    expect(g.pending()).toEqual({ from: T0, to: T0 + 2 * M })
    expect(g.lastDataTs).toBe(T0 + 2 * M)
  })
})
