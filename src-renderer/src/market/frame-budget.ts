// How often charts may take new data. Every chart handed an update repaints in full in lightweight-charts'
// next frame, and the browser then copies each repainted canvas to the compositor: the cost follows the
// canvas area repainted per frame, whether that is one large chart or twelve small ones. When frames run late
// each chart updates every `stride` frames instead of every frame (a late frame adds one, a steady run of
// on-time frames takes one away). The charts are split into `stride` bands of screen neighbours, one band per
// frame (bandOf).

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

/**
 * The band (0 … stride − 1) a chart belongs to, from its place in the screen order (row-major): neighbours share
 * a band and one band takes data per frame. Without a GPU the compositor redraws the bounding box of everything
 * that changed in a frame, so a band of neighbouring charts costs a fraction of the same number scattered over
 * the grid (measured with 12 bare lightweight-charts: the compositor at 26 % of a core by rows, 63 % scattered,
 * same repaint rate).
 */
export const bandOf = (position: number, charts: number, stride: number): number =>
  charts <= 0 ? 0 : Math.min(stride - 1, Math.floor((position * stride) / charts))
