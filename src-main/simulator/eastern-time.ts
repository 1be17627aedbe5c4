// US Eastern time helpers (pure). DST per the US rule since 2007: from the second Sunday of
// March 02:00 local to the first Sunday of November 02:00 local.

const HOUR = 3_600_000
const DAY = 86_400_000

const dstCache = new Map<number, [number, number]>()

/** [start, end) of DST in UTC ms for a year. */
function dstRange(year: number): [number, number] {
  const cached = dstCache.get(year)
  if (cached) return cached
  const march1 = Date.UTC(year, 2, 1)
  const marchDow = new Date(march1).getUTCDay()
  const secondSunday = 1 + ((7 - marchDow) % 7) + 7
  const start = Date.UTC(year, 2, secondSunday, 7) // 02:00 EST = 07:00 UTC
  const nov1 = Date.UTC(year, 10, 1)
  const novDow = new Date(nov1).getUTCDay()
  const firstSunday = 1 + ((7 - novDow) % 7)
  const end = Date.UTC(year, 10, firstSunday, 6) // 02:00 EDT = 06:00 UTC
  const range: [number, number] = [start, end]
  dstCache.set(year, range)
  return range
}

/** Offset of US Eastern time from UTC in ms (−4 h or −5 h). */
export function easternOffsetMs(utcMs: number): number {
  const year = new Date(utcMs).getUTCFullYear()
  const [start, end] = dstRange(year)
  return utcMs >= start && utcMs < end ? -4 * HOUR : -5 * HOUR
}

/** UTC ms of 00:00 Eastern on the Eastern calendar day containing `utcMs`. */
export function easternDayStart(utcMs: number): number {
  const local = utcMs + easternOffsetMs(utcMs)
  const localMidnight = Math.floor(local / DAY) * DAY
  // The offset at midnight can differ from the offset now on DST change days.
  return localMidnight - easternOffsetMs(localMidnight - easternOffsetMs(utcMs))
}

/** UTC ms of 00:00 Eastern for a `YYYY-MM-DD` Eastern calendar date. */
export function easternDateStart(isoDate: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate)
  if (!m) return null
  const utcMidnight = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))
  if (Number.isNaN(utcMidnight)) return null
  // Eastern midnight is 4–5 h after UTC midnight.
  const guess = utcMidnight + 5 * HOUR
  return utcMidnight - easternOffsetMs(guess)
}

/** Minutes since Eastern midnight. */
export function easternMinuteOfDay(utcMs: number): number {
  const local = utcMs + easternOffsetMs(utcMs)
  return Math.floor((((local % DAY) + DAY) % DAY) / 60_000)
}

const OPEN_MIN = 9 * 60 + 30
const CLOSE_MIN = 16 * 60
/** Off-session trading keeps a floor so the demo shows a market at any hour (documented choice). */
export const OFF_SESSION_FACTOR = 0.25

/**
 * Relative trade intensity at a time of day: the intraday U-shape of the regular session
 * (≈3.5× at the open, ≈2.5× into the close, 1× midday), a floor outside it. Pure.
 */
export function intradayFactor(utcMs: number): number {
  const minute = easternMinuteOfDay(utcMs)
  if (minute < OPEN_MIN || minute >= CLOSE_MIN) return OFF_SESSION_FACTOR
  const sinceOpen = minute - OPEN_MIN
  const toClose = CLOSE_MIN - minute
  return 1 + 2.5 * Math.exp(-sinceOpen / 30) + 1.5 * Math.exp(-toClose / 30)
}

const factorCache = new Map<number, number>()
/** intradayFactor, piecewise constant per minute and cached (the hot path calls it per event). */
export function intradayFactorCached(utcMs: number): number {
  const key = Math.floor(utcMs / 60_000)
  let f = factorCache.get(key)
  if (f === undefined) {
    if (factorCache.size > 100_000) factorCache.clear()
    f = intradayFactor(key * 60_000)
    factorCache.set(key, f)
  }
  return f
}
