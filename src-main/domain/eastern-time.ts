// US Eastern time, the one module for it: trading-day boundaries, wall clock ↔ UTC, minute of day. Pure
// arithmetic (no Intl in the hot path; the tests check it against Intl across both 2026 transitions). The trading day is the New York calendar date: pre-market opens 04:00 ET and
// after-hours closes 20:00 ET, so midnight ET never splits a session, and Polygon's daily aggregates use
// the same dates. US DST (since 2007): from the second Sunday of March 02:00 EST (07:00 UTC) to the first
// Sunday of November 02:00 EDT (06:00 UTC).

const HOUR = 3_600_000
const DAY = 86_400_000
const EST = -5 * HOUR
const EDT = -4 * HOUR

/** UTC ms of 00:00 UTC of the n-th (1-based) Sunday of `month` (0-based) in `year`. */
function nthSundayUtc(year: number, month: number, n: number): number {
  const first = Date.UTC(year, month, 1)
  const dow = new Date(first).getUTCDay()
  return first + (((7 - dow) % 7) + (n - 1) * 7) * DAY
}

/** Offset of New York local time from UTC at instant `ts` (ms): -4 h in DST, -5 h otherwise. */
export function easternOffset(ts: number): number {
  const year = new Date(ts).getUTCFullYear()
  const dstStart = nthSundayUtc(year, 2, 2) + 7 * HOUR
  const dstEnd = nthSundayUtc(year, 10, 1) + 6 * HOUR
  return ts >= dstStart && ts < dstEnd ? EDT : EST
}

/** UTC ms of the New York midnight that starts the trading day containing `ts`. */
export function easternDayStart(ts: number): number {
  const local = ts + easternOffset(ts)
  const localMidnight = local - (((local % DAY) + DAY) % DAY)
  // Midnight may have had the other offset than `ts` on a DST-change day; pick the consistent one.
  const asEst = localMidnight - EST
  if (easternOffset(asEst) === EST) return asEst
  return localMidnight - EDT
}

/** [start, end) in UTC ms of the New York trading day containing `ts` (23, 24 or 25 hours long). */
export function easternDayBounds(ts: number): [number, number] {
  const start = easternDayStart(ts)
  // start + 26 h always falls in the next day (days last 23–25 h).
  return [start, easternDayStart(start + 26 * HOUR)]
}

/** UTC ms of 00:00 Eastern for a `YYYY-MM-DD` Eastern calendar date, or null when it is not one. */
export function easternDateStart(isoDate: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate)
  if (!m) return null
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
  const check = new Date(Date.UTC(y, mo - 1, d))
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) return null
  return easternWallToUtc(y, mo, d, 0)
}

/**
 * The instant the New York wall clock shows `minutes` after midnight of y-m-d (m 1-based). A time the spring
 * transition skips reads as one hour later (as JavaScript's Date does); in the hour autumn repeats, the first.
 */
export function easternWallToUtc(y: number, m: number, d: number, minutes: number): number {
  const wall = Date.UTC(y, m - 1, d) + minutes * 60_000
  const asEdt = wall - EDT
  return easternOffset(asEdt) === EDT ? asEdt : wall - EST
}

/** The New York calendar date and wall-clock minute of `ts`; dow 0 = Sunday. */
export function easternParts(ts: number): { y: number; m: number; d: number; dow: number; minute: number } {
  const local = new Date(ts + easternOffset(ts))
  return {
    y: local.getUTCFullYear(),
    m: local.getUTCMonth() + 1,
    d: local.getUTCDate(),
    dow: local.getUTCDay(),
    minute: local.getUTCHours() * 60 + local.getUTCMinutes(),
  }
}

/** Minutes since Eastern midnight. */
export function easternMinuteOfDay(ts: number): number {
  const local = ts + easternOffset(ts)
  return Math.floor((((local % DAY) + DAY) % DAY) / 60_000)
}
