// Which impact records wait for REST history before the window shows them (docs/impact-v2.md "History first").
// A record as of now says "no trades since the headline" for a passed horizon without prints; while the history
// that would hold those prints is still loading, that is not known yet, so the timeline keeps the horizon pending
// instead of showing a wrong "no trades". Kafka gets every record as computed (consumers merge by key).
import type { ImpactRecordV2 } from '../domain/impact'

const MIN = 60_000
const HORIZONS = [1, 5, 15] as const
/** The history window before the headline that a record reads (sigma, quiet_k). */
const BEFORE_MS = 30 * MIN

/**
 * Whether `r` shows a passed horizon without a number whose window [t0 − 30 min, t0 + k] the data does not cover
 * yet. `covered(from, to)` answers for the record's symbol.
 */
export function awaitsHistory(r: ImpactRecordV2, covered: (from: number, to: number) => boolean): boolean {
  const t0 = r.published
  for (const k of HORIZONS) {
    const end = t0 + k * MIN
    if (r.asOf < end) continue
    const ar = k === 1 ? r.ar1 : k === 5 ? r.ar5 : r.ar15
    if (ar === null && !covered(t0 - BEFORE_MS, end)) return true
  }
  return false
}
