// How many charts may take new data in one animation frame. Every chart handed an update repaints in full
// (canvas + axes) in lightweight-charts' next frame; with many charts on a busy machine that overruns the
// 16.7 ms frame. Additive increase, multiplicative decrease on the measured frame interval keeps frames on
// time: when frames run late fewer charts update per frame (round-robin, oldest first), when they are on
// time the budget grows back until every chart updates every frame.

export const FRAME_MS = 1000 / 60
/** A frame interval above this counts as late (one missed vsync is 33 ms; leave room for jitter). */
export const LATE_MS = 22
/** Intervals above this are not frame pacing (nothing to draw for a while, hidden window): ignored. */
export const IDLE_MS = 250
/** Never fewer than this per frame: a busy machine still sees every chart move within a few frames. */
export const MIN_BUDGET = 2

/** Next budget from the current one (Infinity at first), the last frame interval and how many charts wait for data. */
export function nextBudget(budget: number, frameMs: number, wanted: number): number {
  const b = Math.max(MIN_BUDGET, Number.isFinite(budget) ? budget : wanted)
  // Nothing waiting, no previous frame, or a pause in the stream: no evidence about frame pacing.
  if (wanted === 0 || !(frameMs > 0) || frameMs > IDLE_MS) return b
  if (frameMs > LATE_MS) return Math.max(MIN_BUDGET, Math.floor(Math.min(b, wanted) * 0.6))
  // On time: one more per frame, until everyone waiting fits (a larger budget is kept, it is only a cap).
  return b >= wanted ? b : b + 1
}
