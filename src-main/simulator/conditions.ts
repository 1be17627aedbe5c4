// Trade-condition rules: the market engine's reading of the shared fixture (one parser for the app).
import { conditionFlags, NO_LAST, NO_VOLUME } from '../market/conditions'

/** A trade updates last (OHLC) only if none of its conditions says otherwise. */
export function updatesLast(conditions: readonly number[]): boolean {
  return (conditionFlags(conditions) & NO_LAST) === 0
}

/** A trade counts in volume / VWAP / trade count only if none of its conditions says otherwise. */
export function updatesVolume(conditions: readonly number[]): boolean {
  return (conditionFlags(conditions) & NO_VOLUME) === 0
}

export const CONDITION_ODD_LOT = 37
export const CONDITION_ISO = 14
/** Form T: a print outside regular hours (04:00–09:30, 16:00–20:00 ET and overnight). */
export const CONDITION_FORM_T = 12
