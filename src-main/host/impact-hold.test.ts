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
    ['no price yet, the 30 min before t0 not covered: wait', rec({ asOf: t0 + 30_000 }), coveredFrom(t0 - 10 * MIN), true],
    ['no price, the 30 min before t0 covered: truly no trades before it', rec({ asOf: t0 + 30_000 }), coveredFrom(t0 - 40 * MIN), false],
    ['no price, nothing covered at all: wait', rec({ asOf: t0 + 2 * MIN }), coveredFrom(Infinity), true],
    ['price, no horizon passed yet: shown', rec({ asOf: t0 + 30_000, p0: 100 }), coveredFrom(Infinity), false],
    ['price, +1m passed without a number, (t0, t0+1m] not covered: wait', rec({ asOf: t0 + 2 * MIN, p0: 100 }), coveredFrom(t0 + 30_000), true],
    ['price, +1m passed without a number, (t0, t0+1m] covered: truly no trades since', rec({ asOf: t0 + 2 * MIN, p0: 100 }), coveredFrom(t0 - 5_000), false],
    ['price, +1m has a number: shown', rec({ asOf: t0 + 2 * MIN, p0: 100, ar1: 0.01 }), coveredFrom(t0 + 5 * MIN), false],
    ['price, +5m missing and (t0, t0+5m] not covered: wait', rec({ asOf: t0 + 6 * MIN, p0: 100, ar1: 0.01 }), coveredFrom(t0 + 3 * MIN), true],
    ['all three numbers: shown', rec({ asOf: t0 + 16 * MIN, p0: 100, ar1: 0.01, ar5: 0.02, ar15: 0.03 }), coveredFrom(Infinity), false],
  ])('%s', (_name, r, covered, want) => {
    expect(awaitsHistory(r, covered)).toBe(want)
  })
})
