// The simulator's sessions and intraday trade intensity (Eastern time from src-main/domain/eastern-time.ts).
// Sessions as docs/impact-v2.md names them: pre [04:00, 09:30), regular [09:30, 16:00), post [16:00, 20:00) ET,
// none otherwise (weekends and holidays are not modelled: every day has the same sessions).
import { easternMinuteOfDay } from '../domain/eastern-time'

export type SessionName = 'pre' | 'regular' | 'post' | 'none'

const PRE_MIN = 4 * 60
const OPEN_MIN = 9 * 60 + 30
const CLOSE_MIN = 16 * 60
const POST_END_MIN = 20 * 60
/**
 * Overnight (20:00–04:00 ET) keeps a thin floor of ordinary prints so the demo shows a market at any hour (documented
 * choice; docs/impact-v2.md leaves prints outside every session out of prices anyway).
 */
export const OFF_SESSION_FACTOR = 0.1

export function sessionOfMinute(minute: number): SessionName {
  if (minute >= OPEN_MIN && minute < CLOSE_MIN) return 'regular'
  if (minute >= PRE_MIN && minute < OPEN_MIN) return 'pre'
  if (minute >= CLOSE_MIN && minute < POST_END_MIN) return 'post'
  return 'none'
}

/** The session of an instant. Pure. */
export function sessionOf(utcMs: number): SessionName {
  return sessionOfMinute(easternMinuteOfDay(utcMs))
}

/**
 * Relative trade intensity at a time of day: the intraday U-shape of the regular session (≈3.5× at the open,
 * ≈2.5× into the close, 1× midday); thin extended hours (pre-market 0.08× from 04:00 rising to ≈0.4× into the
 * open, after-hours ≈0.5× just after the close fading to 0.08× by 20:00); a floor overnight. Pure.
 */
export function intradayFactor(utcMs: number): number {
  const minute = easternMinuteOfDay(utcMs)
  const session = sessionOfMinute(minute)
  if (session === 'pre') return 0.08 + 0.32 * Math.exp(-(OPEN_MIN - minute) / 40)
  if (session === 'post') return 0.08 + 0.42 * Math.exp(-(minute - CLOSE_MIN) / 30)
  if (session === 'none') return OFF_SESSION_FACTOR
  const sinceOpen = minute - OPEN_MIN
  const toClose = CLOSE_MIN - minute
  return 1 + 2.5 * Math.exp(-sinceOpen / 30) + 1.5 * Math.exp(-toClose / 30)
}

/**
 * Share of the regular session's price variance per unit time in each session: prices move less per minute outside
 * regular hours (overnight SPY moves ≈ half a percent, not the 1.5 % of 17 regular-hour equivalents). Pure.
 */
export function varianceFactor(session: SessionName): number {
  return session === 'regular' ? 1 : session === 'none' ? 0.1 : 0.3
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
