// A ChartAdapter that records calls and keeps the series the way lightweight-charts would
// (update() replaces the last point at equal time, appends later, throws on earlier).
import type { CandlePoint, ChartAdapter, ChartMarker } from '../features/charts/chart-adapter'

export class RecordingAdapter implements ChartAdapter {
  points: CandlePoint[] = []
  markerList: ChartMarker[] = []
  markers(): ChartMarker[] {
    return this.markerList
  }
  calls: string[] = []
  shownTimes: number[] = []
  disposed = false
  private clickListeners = new Set<(id: string) => void>()

  setData(points: CandlePoint[]): void {
    this.calls.push(`setData:${points.length}`)
    this.points = [...points]
  }
  update(p: CandlePoint): void {
    this.calls.push(`update:${p.time}`)
    const last = this.points[this.points.length - 1]
    if (last && p.time < last.time) throw new Error('Cannot update oldest data')
    if (last && p.time === last.time) this.points[this.points.length - 1] = p
    else this.points.push(p)
  }
  setMarkers(m: ChartMarker[]): void {
    this.markerList = m
  }
  showTime(t: number): void {
    this.shownTimes.push(t)
  }
  onMarkerClick(cb: (id: string) => void): () => void {
    this.clickListeners.add(cb)
    return () => this.clickListeners.delete(cb)
  }
  clickMarker(id: string): void {
    this.clickListeners.forEach((l) => l(id))
  }
  data(): CandlePoint[] {
    return this.points
  }
  dispose(): void {
    this.disposed = true
  }
}
