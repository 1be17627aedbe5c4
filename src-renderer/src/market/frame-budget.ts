// How often charts may take new data. Every chart handed an update repaints in full in lightweight-charts'
// next frame. When frames run late each chart updates every `stride` frames instead of every frame (a second
// late frame within LATE_WINDOW frames adds one, a steady run of on-time frames takes one away), all of them
// in the same frame. A lone late frame (a new minute's bar in every chart, a GC) does not count: at stride 2
// the charts would wait a frame for RECOVER_FRAMES frames, and in a traced run at 50k trades/s most trades drawn
// later than 45 ms fell in those half-seconds after each minute (a draw every 33 ms instead of 16.7). Besides the
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
/** A late frame raises the stride only when another one came within this many frames. */
export const LATE_WINDOW = 8

export interface Pacing {
  /** Each chart takes data at most every `stride` frames. */
  stride: number
  /** On-time frames since the last late one or the last change of stride. */
  onTime: number
  /** The last LATE_WINDOW frames, newest in bit 0: 1 = late (cleared when the stride changes). */
  late: number
}

export const INITIAL_PACING: Pacing = { stride: 1, onTime: 0, late: 0 }

const WINDOW_MASK = (1 << LATE_WINDOW) - 1

/** Next pacing from the last frame interval (ms). */
export function nextPacing(p: Pacing, frameMs: number): Pacing {
  // No previous frame, or a pause in the stream: no evidence about frame pacing.
  if (!(frameMs > 0) || frameMs > IDLE_MS) return p
  const isLate = frameMs > LATE_MS
  const late = ((p.late << 1) | (isLate ? 1 : 0)) & WINDOW_MASK
  if (isLate) {
    // Another late frame in the window: frames run late, not just one. Start a fresh window at the new stride.
    if ((late & ~1) !== 0) return { stride: Math.min(MAX_STRIDE, p.stride + 1), onTime: 0, late: 0 }
    return { stride: p.stride, onTime: 0, late }
  }
  if (p.stride > 1 && p.onTime + 1 >= RECOVER_FRAMES) return { stride: p.stride - 1, onTime: 0, late: 0 }
  return { stride: p.stride, onTime: p.onTime + 1, late }
}
