import { describe, expect, it } from 'vitest'
import {
  US_EXTENDED_HOURS,
  activeMsBetween,
  activeWindows,
  isActive,
  nextActiveStart,
} from './active-hours'
import { easternOffset, easternWallToUtc } from '../domain/eastern-time'
import { DEVELOPER_BUDGET, budgetFor, planNextPoll, reserveCalls } from './budget'

const H = 3_600_000
const U = Date.UTC

describe('active hours (America/New_York, 04:00–20:00, weekdays)', () => {
  it.each([
    ['summer (EDT)', U(2026, 6, 15), U(2026, 6, 15, 8), U(2026, 6, 16, 0)],
    ['winter (EST)', U(2026, 0, 14), U(2026, 0, 14, 9), U(2026, 0, 15, 1)],
    // DST starts Sun 2026-03-08 02:00; Monday the 9th is the first EDT weekday
    ['first EDT weekday', U(2026, 2, 9), U(2026, 2, 9, 8), U(2026, 2, 10, 0)],
    ['last EST Friday before spring forward', U(2026, 2, 6), U(2026, 2, 6, 9), U(2026, 2, 7, 1)],
    // DST ends Sun 2026-11-01 02:00
    ['last EDT Friday', U(2026, 9, 30), U(2026, 9, 30, 8), U(2026, 9, 31, 0)],
    ['first EST Monday', U(2026, 10, 2), U(2026, 10, 2, 9), U(2026, 10, 3, 1)],
  ])('%s', (_name, day, start, end) => {
    // from 05:00 UTC: past the previous local day's tail after UTC midnight
    expect(activeWindows(day + 5 * H, day + 2 * 86_400_000, US_EXTENDED_HOURS)[0]).toEqual([start, end])
  })

  it('handles the DST switch days themselves (23- and 25-hour Sundays) with a 24/7 window', () => {
    const always = { ...US_EXTENDED_HOURS, startMin: 0, endMin: 24 * 60, days: [0, 1, 2, 3, 4, 5, 6] }
    expect(
      activeMsBetween(
        easternWallToUtc(2026, 3, 8, 0),
        easternWallToUtc(2026, 3, 9, 0),
        always,
      ),
    ).toBe(23 * H)
    expect(
      activeMsBetween(
        easternWallToUtc(2026, 11, 1, 0),
        easternWallToUtc(2026, 11, 2, 0),
        always,
      ),
    ).toBe(25 * H)
    expect(easternOffset(U(2026, 2, 8, 6, 59))).toBe(-5 * H)
    expect(easternOffset(U(2026, 2, 8, 7, 0))).toBe(-4 * H)
  })

  it('skips weekends and finds the next window', () => {
    const sat = U(2026, 10, 28, 15) // Saturday
    expect(isActive(sat, US_EXTENDED_HOURS)).toBe(false)
    expect(nextActiveStart(sat, US_EXTENDED_HOURS)).toBe(U(2026, 10, 30, 9)) // Monday 04:00 EST
    expect(activeMsBetween(U(2026, 10, 28, 0), U(2026, 10, 30, 0), US_EXTENDED_HOURS)).toBe(H) // Friday's tail after UTC midnight
    expect(activeMsBetween(U(2026, 10, 27, 0), U(2026, 10, 30, 0), US_EXTENDED_HOURS)).toBe(17 * H) // + Thursday's tail + Friday
    expect(isActive(U(2026, 10, 24, 15), null)).toBe(true)
    expect(nextActiveStart(123, null)).toBe(123)
  })
})

describe('budget', () => {
  it('is 1/s and 500/day for a developer key, configurable for commercial', () => {
    expect(budgetFor({ tier: 'developer', perDay: 99999 })).toEqual({ perSecond: 1, perDay: 500 })
    expect(budgetFor({ tier: 'commercial', perSecond: 10, perDay: 20000 })).toEqual({
      perSecond: 10,
      perDay: 20000,
    })
    expect(reserveCalls(DEVELOPER_BUDGET)).toBe(10)
  })

  const plan = (now: number, callsToday: number, extra: Partial<Parameters<typeof planNextPoll>[0]> = {}) =>
    planNextPoll({
      now,
      callsToday,
      budget: DEVELOPER_BUDGET,
      callsPerCycle: 1,
      activeHours: US_EXTENDED_HOURS,
      minIntervalMs: 5000,
      ...extra,
    })

  it.each([
    // [name, now, callsToday, expected interval ms]
    [
      'EDT day at 04:00 ET, fresh budget: 16 h over 490 calls',
      U(2026, 6, 15, 8),
      0,
      Math.floor((16 * H) / 490),
    ],
    ['EDT day at noon ET, half spent', U(2026, 6, 15, 16), 250, Math.floor((8 * H) / 240)],
    // EST: the UTC day resets at 19:00 ET, inside the window: only the active time before UTC midnight counts
    ['EST day at 09:00 UTC: 15 h left in this UTC day', U(2026, 0, 14, 9), 0, Math.floor((15 * H) / 490)],
    [
      'EST day just after UTC midnight: 1 h tail, fresh budget',
      U(2026, 0, 15, 0, 0, 0),
      0,
      Math.floor((15 * H + H) / 490),
    ],
    ['first EDT Monday after spring forward', U(2026, 2, 9, 8), 0, Math.floor((16 * H) / 490)],
    ['two queries per cycle double the interval', U(2026, 6, 15, 8), 0, Math.floor((16 * H) / 245)],
  ])('%s', (name, now, calls, interval) => {
    const p = name.startsWith('two') ? plan(now, calls, { callsPerCycle: 2 }) : plan(now, calls)
    expect(p.reason).toBe('active')
    expect(p.intervalMs).toBe(interval)
    expect(p.at).toBe(now + interval)
  })

  it('the whole day’s polls fit the budget: simulating a day of plans spends ≤ 500 calls in every UTC day', () => {
    for (const start of [U(2026, 6, 15, 0), U(2026, 0, 14, 0), U(2026, 2, 6, 0), U(2026, 9, 30, 0)]) {
      let t = start
      const perDay = new Map<number, number>()
      while (t < start + 4 * 86_400_000) {
        const day = Math.floor(t / 86_400_000)
        const calls = perDay.get(day) ?? 0
        const p = plan(t, calls)
        if (p.reason === 'active' || isActive(t, US_EXTENDED_HOURS)) {
          if (p.reason !== 'budget_exhausted') perDay.set(day, calls + 1)
        }
        t = p.at
      }
      for (const [, n] of perDay) expect(n).toBeLessThanOrEqual(500)
      // and a weekday uses most of it
      expect(Math.max(...perDay.values())).toBeGreaterThan(400)
    }
  })

  it('waits for the next window outside active hours and for the next UTC day when spent', () => {
    const evening = U(2026, 6, 15, 1) // 21:00 EDT Tuesday
    expect(plan(evening, 0)).toMatchObject({ reason: 'outside_hours', at: U(2026, 6, 15, 8) })
    expect(plan(U(2026, 6, 15, 20), 490)).toMatchObject({ reason: 'budget_exhausted', at: U(2026, 6, 16, 8) })
    // EST: spent at 22:00 UTC → the next UTC day starts inside the window
    expect(plan(U(2026, 0, 14, 22), 495)).toMatchObject({ reason: 'budget_exhausted', at: U(2026, 0, 15, 0) })
  })

  it('never plans faster than the per-second limit or the floor', () => {
    const p = planNextPoll({
      now: U(2026, 6, 15, 8),
      callsToday: 0,
      budget: { perSecond: 2, perDay: 10_000_000 },
      callsPerCycle: 3,
      activeHours: null,
      minIntervalMs: 0,
    })
    expect(p.intervalMs).toBe(3 * 550)
    expect(plan(U(2026, 6, 15, 23, 59, 50), 0).intervalMs).toBe(5000)
  })
})
