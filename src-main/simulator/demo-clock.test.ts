import { describe, expect, it } from 'vitest'
import { easternWallToUtc } from '../domain/eastern-time'
import { demoClockStart } from './demo-clock'

// Mon 2026-12-07 … Sun 2026-12-13 (EST, UTC−5).
const et = (d: number, h: number, m = 0): number => easternWallToUtc(2026, 12, d, h * 60 + m)

describe('demoClockStart', () => {
  it.each([
    ['weekday pre-market: the wall clock', et(8, 4, 0), et(8, 4, 0)],
    ['weekday regular session: the wall clock', et(8, 14, 3), et(8, 14, 3)],
    ['weekday after-hours before 19:45: the wall clock', et(8, 19, 44), et(8, 19, 44)],
    ['weekday 19:45: that day 11:00', et(8, 19, 45), et(8, 11)],
    ['weekday 02:00: the previous weekday 11:00', et(9, 2), et(8, 11)],
    ['Monday 03:59: Friday 11:00', et(7, 3, 59), easternWallToUtc(2026, 12, 4, 11 * 60)],
    ['Saturday: Friday 11:00', et(12, 12), et(11, 11)],
    ['Sunday night: Friday 11:00', et(13, 23), et(11, 11)],
  ])('%s', (_name, wall, start) => {
    expect(demoClockStart(wall)).toBe(start)
  })

  it('in summer time too (EDT): a July night starts at the previous weekday 11:00 EDT = 15:00 UTC', () => {
    expect(demoClockStart(Date.UTC(2026, 6, 8, 5, 0))).toBe(Date.UTC(2026, 6, 7, 15, 0))
  })
})
