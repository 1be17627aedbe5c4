import { describe, expect, it } from 'vitest'
import { percentile } from './stats'
import { perTradeLatencies, spansOf } from './trade-latency'

describe('spansOf', () => {
  it('reads flat triples', () => {
    expect(spansOf([10, 30, 4, 5, 20, 1])).toEqual([
      { newest: 10, previous: 30, trades: 4 },
      { newest: 5, previous: 20, trades: 1 },
    ])
  })
  it('refuses a broken list', () => {
    expect(() => spansOf([1, 2])).toThrow(/triples/)
  })
})

describe('perTradeLatencies', () => {
  it.each([
    { name: 'one trade: the newest', spans: [{ newest: 10, previous: 30, trades: 1 }], want: [10] },
    { name: 'four trades spread up to the previous state', spans: [{ newest: 10, previous: 30, trades: 4 }], want: [10, 15, 20, 25] },
    { name: 'no trades counted: still the newest', spans: [{ newest: 7, previous: 9, trades: 0 }], want: [7] },
    {
      name: 'spans pooled and sorted',
      spans: [
        { newest: 40, previous: 60, trades: 2 },
        { newest: 5, previous: 25, trades: 2 },
      ],
      want: [5, 15, 40, 50],
    },
  ])('$name', ({ spans, want }) => {
    expect([...perTradeLatencies(spans)]).toEqual(want)
  })

  it('weights a long stall by the trades it held back', () => {
    // 99 quick changes of one trade each at 10 ms, one stall that drew 100 trades over 10–110 ms.
    const spans = [...Array.from({ length: 99 }, () => ({ newest: 10, previous: 20, trades: 1 })), { newest: 10, previous: 110, trades: 100 }]
    const all = perTradeLatencies(spans)
    expect(all.length).toBe(199)
    // Per change, the stall is 1 % of changes; per trade it is half the trades: p99 lands inside it.
    expect(percentile(all, 99)).toBeGreaterThan(100)
    expect(percentile(all, 50)).toBe(10)
  })
})
