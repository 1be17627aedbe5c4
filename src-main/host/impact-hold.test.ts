import { describe, expect, it } from 'vitest'
import { blankImpactRecord, DEFAULT_IMPACT_SETTINGS, type ImpactRecordV2 } from '../domain/impact'
import { awaitsHistory } from './impact-hold'

const MIN = 60_000
const t0 = Date.UTC(2026, 11, 4, 15, 58)
const rec = (over: Partial<ImpactRecordV2>): ImpactRecordV2 => ({
  ...blankImpactRecord({ articleId: 'a', symbol: 'TSLA', published: t0, receivedAt: t0 + 1000, asOf: t0, settings: DEFAULT_IMPACT_SETTINGS, origin: 'app' }),
  ...over,
})
/** Covered from `c` on (history loaded back to c, or live since c). */
const coveredFrom = (c: number) => (from: number, to: number) => from >= c && to >= from

describe('awaitsHistory', () => {
  it.each([
    ['no horizon passed yet: nothing to hold', rec({ asOf: t0 + 30_000 }), coveredFrom(Infinity), false],
    ['+1m passed without a number, window not covered: wait', rec({ asOf: t0 + 2 * MIN }), coveredFrom(t0 + 5 * MIN), true],
    ['+1m passed without a number, window covered: truly no trades', rec({ asOf: t0 + 2 * MIN }), coveredFrom(t0 - 40 * MIN), false],
    ['+1m has a number: shown', rec({ asOf: t0 + 2 * MIN, ar1: 0.01 }), coveredFrom(t0 + 5 * MIN), false],
    ['the 30 min before t0 only partly covered: wait', rec({ asOf: t0 + 2 * MIN }), coveredFrom(t0 - 10 * MIN), true],
    ['+5m missing, +1m has one, +5m window not covered: wait', rec({ asOf: t0 + 6 * MIN, ar1: 0.01 }), coveredFrom(t0 + 3 * MIN), true],
    ['all three numbers: shown', rec({ asOf: t0 + 16 * MIN, ar1: 0.01, ar5: 0.02, ar15: 0.03 }), coveredFrom(Infinity), false],
  ])('%s', (_name, r, covered, want) => {
    expect(awaitsHistory(r, covered)).toBe(want)
  })
})
