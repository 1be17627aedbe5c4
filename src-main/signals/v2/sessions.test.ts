import { describe, expect, it } from 'vitest'
import { easternWallToUtc } from '../../domain/eastern-time'
import { inRegular, sessionStart, tradingDay } from './sessions'

const et = (y: number, m: number, d: number, h: number, min: number, ms = 0): number => easternWallToUtc(y, m, d, h * 60 + min) + ms

describe('sessionStart', () => {
  // 2026-11-02 is the Monday after the autumn DST change; 2026-03-09 the Monday after the spring one.
  it.each([
    { at: et(2026, 12, 1, 3, 59, 59_999), want: NaN },
    { at: et(2026, 12, 1, 4, 0), want: et(2026, 12, 1, 4, 0) },
    { at: et(2026, 12, 1, 9, 29, 59_999), want: et(2026, 12, 1, 4, 0) },
    { at: et(2026, 12, 1, 9, 30), want: et(2026, 12, 1, 9, 30) },
    { at: et(2026, 12, 1, 15, 59, 59_999), want: et(2026, 12, 1, 9, 30) },
    { at: et(2026, 12, 1, 16, 0), want: et(2026, 12, 1, 16, 0) },
    { at: et(2026, 12, 1, 19, 59, 59_999), want: et(2026, 12, 1, 16, 0) },
    { at: et(2026, 12, 1, 20, 0), want: NaN },
    { at: et(2026, 11, 2, 9, 45), want: et(2026, 11, 2, 9, 30) },
    { at: et(2026, 3, 9, 9, 45), want: et(2026, 3, 9, 9, 30) },
    { at: et(2026, 3, 8, 4, 30), want: et(2026, 3, 8, 4, 0) },
  ])('$at', ({ at, want }) => {
    if (Number.isNaN(want)) expect(sessionStart(at)).toBeNaN()
    else expect(sessionStart(at)).toBe(want)
  })

  it('regular session and day bounds', () => {
    expect(inRegular(et(2026, 12, 1, 9, 30))).toBe(true)
    expect(inRegular(et(2026, 12, 1, 16, 0))).toBe(false)
    const d = tradingDay(et(2026, 3, 8, 12, 0))
    expect(d.end - d.start).toBe(23 * 3_600_000)
    expect(tradingDay(et(2026, 12, 1, 23, 59)).start).toBe(et(2026, 12, 1, 0, 0))
  })
})
