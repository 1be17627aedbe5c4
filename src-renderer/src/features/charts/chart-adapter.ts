// The chart boundary: everything the app asks of a chart. The real implementation wraps
// lightweight-charts (lw-chart-adapter.ts); tests use a recording adapter, since jsdom has no canvas.
import type { Bar } from '@domain/market'

/** Time in epoch SECONDS (lightweight-charts' UTCTimestamp). */
export interface CandlePoint {
  time: number
  open: number
  high: number
  low: number
  close: number
  volume: number
}

export interface ChartMarker {
  /** The article id. */
  id: string
  time: number
  color: string
  position: 'aboveBar' | 'belowBar'
  shape: 'arrowUp' | 'arrowDown' | 'circle'
  text: string
  size: number
}

export interface ChartAdapter {
  setData(points: CandlePoint[]): void
  /** Same time as the last point replaces it; a later time appends. Never an earlier time. */
  update(point: CandlePoint): void
  setMarkers(markers: ChartMarker[]): void
  /** Scrolls so that `time` (seconds) is in view. */
  showTime(time: number): void
  onMarkerClick(cb: (markerId: string) => void): () => void
  /** The series' candles, oldest first (for the e2e hook). */
  data(): CandlePoint[]
  /** The visible time range in seconds, if the chart has one (for the e2e hook). */
  visibleRange?(): { from: number; to: number } | null
  /** The markers last set (for the e2e hook). */
  markers?(): ChartMarker[]
  /** The newest point handed to the chart, O(1) (for the e2e hook's latency probe). */
  lastPoint?(): CandlePoint | null
  /** The newest point the chart has drawn on its canvas, O(1) (for the latency probe's "drawn"). */
  paintedPoint?(): CandlePoint | null
  dispose(): void
}

export const barToPoint = (b: Bar): CandlePoint => ({
  time: Math.floor(b.start / 1000),
  open: b.open,
  high: b.high,
  low: b.low,
  close: b.close,
  volume: b.volume,
})
