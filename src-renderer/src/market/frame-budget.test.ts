import { describe, expect, it } from 'vitest'
import { IDLE_MS, LATE_MS, MIN_BUDGET, nextBudget } from './frame-budget'

describe('nextBudget (charts updated per frame)', () => {
  it.each([
    // budget, frame interval ms, charts wanting data → next budget
    [12, 16.7, 12, 12], // on time, everyone already updates: stays
    [6, 16.7, 12, 7], // on time: one more per frame
    [12, 33.4, 12, 7], // a missed frame: cut to 60 %
    [7, 50, 12, 4],
    [3, 40, 12, MIN_BUDGET], // never below the floor
    [MIN_BUDGET, 100, 12, MIN_BUDGET],
    [12, LATE_MS, 12, 12], // exactly at the threshold is on time
    [5, IDLE_MS + 1, 12, 5], // a pause in the stream is not a slow frame
    [5, 0, 12, 5], // no previous frame yet
    [20, 16.7, 4, 20], // more budget than charts waiting: kept (a cap, not a quota)
    [5, 16.7, 0, 5], // nobody waiting: no evidence, unchanged
    [Infinity, 16.7, 12, 12], // the first frame: everyone
    [Infinity, 40, 12, 7],
    [1, 16.7, 1, MIN_BUDGET], // the floor holds
  ])('budget %d, frame %d ms, %d charts → %d', (budget, frame, wanted, next) => {
    expect(nextBudget(budget, frame, wanted)).toBe(next)
  })
})
