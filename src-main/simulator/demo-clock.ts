// Demo mode runs in the regular session whatever the hour: the charts, news impact and move alerts need the
// session's prints (outside it only thin Form T prints trade, docs/impact-v2.md), so outside 09:30–15:45 ET on a
// weekday the demo's clock is the latest weekday's 11:00 ET (it then runs in real time from there). During a
// weekday regular session it is the wall clock. Tests and benchmarks pick any session through the simulator's `start` option.
import { easternMinuteOfDay, easternParts, easternWallToUtc } from '../domain/eastern-time'
import type { ClockMode } from './types'

const OPEN_MIN = 9 * 60 + 30
/** Stop using the wall clock 15 minutes before the 16:00 ET close, so a demo started late still has a session ahead. */
const LAST_MIN = 15 * 60 + 45
const DEMO_MIN = 11 * 60
const DAY = 86_400_000

const weekday = (dow: number): boolean => dow >= 1 && dow <= 5

/** The simulated time a demo started at wall time `wall` begins at (equal to `wall` in a weekday session). */
export function demoClockStart(wall: number): number {
  const p = easternParts(wall)
  const minute = easternMinuteOfDay(wall)
  if (weekday(p.dow) && minute >= OPEN_MIN && minute < LAST_MIN) return wall
  // The latest weekday whose 11:00 ET is not after `wall`.
  for (let back = 0; back < 8; back++) {
    const q = easternParts(wall - back * DAY)
    if (!weekday(q.dow)) continue
    const at = easternWallToUtc(q.y, q.m, q.d, DEMO_MIN)
    if (at <= wall) return at
  }
  return wall
}

/**
 * The simulator clock of a demo started at wall time `wall` (`factor` > 1 runs it faster, for tests), and the
 * offset the app's clock adds to follow it (IngestConfig.clockOffsetMs): 0 on the wall clock.
 */
export function demoClock(wall: number, factor = 1): { clock: ClockMode; clockOffsetMs: number } {
  const start = demoClockStart(wall)
  if (start === wall && factor === 1) return { clock: { kind: 'realtime' }, clockOffsetMs: 0 }
  return { clock: { kind: 'accelerated', factor, start }, clockOffsetMs: start - wall }
}
