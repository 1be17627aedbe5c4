// How often charts may take new data. Every chart handed an update repaints in full in lightweight-charts'
// next frame. When frames run late each chart updates every `stride` frames instead of every frame (a late
// frame adds one, a steady run of on-time frames takes one away), all of them in the same frame: besides the
// charts' own drawing, a frame has a large fixed cost. Without a GPU the browser re-produces every drawn canvas
// at each commit (72 for 12 charts, whether they changed or not) and the compositor redraws the area that
// changed. Twelve charts every other frame pay that once per two frames; six a frame, or neighbours by rows,
// pay it every frame (interleaved A/B, 12 charts at 50k trades/s: chart repaints per bare-library repaint
// 0.40 → 0.45 on average, the compositor 36 → 25 % of a core).

/** A frame interval above this counts as late (one missed vsync is 33 ms; leave room for jitter). */
export const LATE_MS = 22
/** Intervals above this are not frame pacing (nothing to draw for a while, hidden window): ignored. */
export const IDLE_MS = 250
/** A chart still moves at least 15 times a second at 60 Hz. */
export const MAX_STRIDE = 4
/** On-time frames in a row before the stride comes down by one (half a second at 60 Hz). */
export const RECOVER_FRAMES = 30

export interface Pacing {
  /** Each chart takes data at most every `stride` frames. */
  stride: number
  /** On-time frames since the last change. */
  onTime: number
}

export const INITIAL_PACING: Pacing = { stride: 1, onTime: 0 }

/** Next pacing from the last frame interval (ms). */
export function nextPacing(p: Pacing, frameMs: number): Pacing {
  // No previous frame, or a pause in the stream: no evidence about frame pacing.
  if (!(frameMs > 0) || frameMs > IDLE_MS) return p
  if (frameMs > LATE_MS) return { stride: Math.min(MAX_STRIDE, p.stride + 1), onTime: 0 }
  if (p.stride > 1 && p.onTime + 1 >= RECOVER_FRAMES) return { stride: p.stride - 1, onTime: 0 }
  return { stride: p.stride, onTime: p.onTime + 1 }
}
