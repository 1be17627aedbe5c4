import { describe, expect, it } from 'vitest'
import { easternWallToUtc } from '../domain/eastern-time'
import { demoClock, demoClockStart } from './demo-clock'

// Mon 2026-12-07 … Sun 2026-12-13 (EST, UTC−5).
const et = (d: number, h: number, m = 0): number => easternWallToUtc(2026, 12, d, h * 60 + m)

describe('demoClockStart', () => {
  it.each([
    ['weekday open 09:30: the wall clock', et(8, 9, 30), et(8, 9, 30)],
    ['weekday regular session: the wall clock', et(8, 14, 3), et(8, 14, 3)],
    ['weekday 15:44: the wall clock', et(8, 15, 44), et(8, 15, 44)],
    ['weekday 15:45: that day 11:00', et(8, 15, 45), et(8, 11)],
    ['weekday after-hours 17:00: that day 11:00', et(8, 17), et(8, 11)],
    ['weekday pre-market 09:29: the previous weekday 11:00', et(8, 9, 29), et(7, 11)],
    ['weekday pre-market 06:57 on a Monday: Friday 11:00', et(7, 6, 57), easternWallToUtc(2026, 12, 4, 11 * 60)],
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

describe('demoClock', () => {
  it.each([
    ['in a session at factor 1: the real-time clock, no offset', et(8, 14), 1, { clock: { kind: 'realtime' }, clockOffsetMs: 0 }],
    ['in a session, faster: accelerated from the wall clock', et(8, 14), 20, { clock: { kind: 'accelerated', factor: 20, start: et(8, 14) }, clockOffsetMs: 0 }],
    ['pre-market: accelerated from the previous 11:00, offset back to it', et(8, 7), 1, { clock: { kind: 'accelerated', factor: 1, start: et(7, 11) }, clockOffsetMs: et(7, 11) - et(8, 7) }],
  ])('%s', (_name, wall, factor, want) => {
    expect(demoClock(wall, factor)).toEqual(want)
  })
})
