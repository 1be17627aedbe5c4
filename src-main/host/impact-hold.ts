// Which impact records wait for REST history before the window shows them (docs/impact-v2.md "History first").
// A record as of now says "no trades since the headline" for a passed horizon without prints; while the history
// that would hold those prints is still loading, that is not known yet, so the timeline keeps the horizon pending
// instead of showing a wrong "no trades". Kafka gets every record as computed (consumers merge by key).
import type { ImpactRecordV2 } from '../domain/impact'

const MIN = 60_000
const HORIZONS = [1, 5, 15] as const
/** The history window before the headline (p0 is the last print at or before t0 within it, as loaded). */
const BEFORE_MS = 30 * MIN

/**
 * Whether `r` shows something only the missing history explains: no price at the headline ("no trades before
 * it") while the 30 minutes before t0 are not covered, or a passed horizon without a number ("no trades since the
 * headline") while (t0, t0 + k] is not covered. `covered(from, to)` answers for the record's symbol.
 */
export function awaitsHistory(r: ImpactRecordV2, covered: (from: number, to: number) => boolean): boolean {
  const t0 = r.published
  if (r.p0 === null) return !covered(t0 - BEFORE_MS, Math.min(t0, r.asOf))
  for (const k of HORIZONS) {
    const end = t0 + k * MIN
    if (r.asOf < end) continue
    const ar = k === 1 ? r.ar1 : k === 5 ? r.ar5 : r.ar15
    if (ar === null && !covered(t0, end)) return true
  }
  return false
}
