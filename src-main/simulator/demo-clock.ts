// Demo mode runs in a trading session whatever the hour: news impact and move alerts only measure prints
// inside a session (docs/impact-v2.md), so at night or at the weekend the demo's clock is the latest weekday's
// 11:00 ET (it then runs in real time from there). During a weekday session it is the wall clock.
import { easternMinuteOfDay, easternParts, easternWallToUtc } from '../domain/eastern-time'

const OPEN_MIN = 4 * 60
/** Stop using the wall clock 15 minutes before 20:00 ET, so a demo started late still has a session ahead. */
const LAST_MIN = 19 * 60 + 45
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
