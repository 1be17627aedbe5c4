// When a move alert or a headline's signal still deserves a popup (in-app toast, desktop notification). Pure, shared
// by the main process and the renderer so both tell the trader about the same things.
//
// A signal can only be computed once the headline is there: with a 500-calls/day Guardian key it arrives one to
// three minutes after publication, so its popup comes at alertAt = max(detectedAt, receivedAt), and it is worth one
// while the move it reports is recent. History computed late (the start-up backlog, a replay) reports moves long
// past: no popup, the timeline shows them.
import type { MoveAlert } from './impact'
import type { ImpactRecord } from './news'

/** A popup later than this after the app could first tell the trader is not news any more. */
export const ALERT_FRESH_MS = 120_000
/** A move detected longer ago than this is not popped up, however late its headline arrived. */
export const ALERT_MAX_AGE_MS = 10 * 60_000

/** Whether a move alert arriving at `now` (data time) still pops up. */
export function moveAlertFresh(m: Pick<MoveAlert, 'detectedAt'>, now: number): boolean {
  return Number.isFinite(m.detectedAt) && now - m.detectedAt <= ALERT_FRESH_MS
}

/** Whether a record's up/down signal arriving at `now` (data time) still pops up; false without one. */
export function signalAlertFresh(r: Pick<ImpactRecord, 'signal' | 'detectedAt' | 'alertAt'>, now: number): boolean {
  if ((r.signal !== 'up' && r.signal !== 'down') || r.detectedAt === null || !Number.isFinite(r.detectedAt)) return false
  const told = r.alertAt !== null && Number.isFinite(r.alertAt) ? Math.max(r.alertAt, r.detectedAt) : r.detectedAt
  return now - told <= ALERT_FRESH_MS && now - r.detectedAt <= ALERT_MAX_AGE_MS
}
