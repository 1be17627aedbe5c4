import { describe, expect, it } from 'vitest'
import { percentile, percentileOf } from './stats'

describe('percentile (nearest rank)', () => {
  it.each([
    { p: 0, want: 1 },
    { p: 50, want: 2 },
    { p: 99, want: 4 },
    { p: 100, want: 4 },
  ])('p$p of 1..4', ({ p, want }) => {
    expect(percentile([1, 2, 3, 4], p)).toBe(want)
    expect(percentile(Float64Array.from([1, 2, 3, 4]), p)).toBe(want)
  })
  it('is NaN for nothing', () => {
    expect(percentile([], 50)).toBeNaN()
  })
  it('percentileOf sorts a copy first, leaving the input alone', () => {
    const xs = [4, 1, 3, 2]
    expect(percentileOf(xs, 50)).toBe(2)
    expect(xs).toEqual([4, 1, 3, 2])
  })
})
