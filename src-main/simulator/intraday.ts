// The simulator's intraday trade intensity (Eastern time from src-main/domain/eastern-time.ts).
import { easternMinuteOfDay } from '../domain/eastern-time'

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
