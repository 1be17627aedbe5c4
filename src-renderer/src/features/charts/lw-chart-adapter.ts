// ChartAdapter over lightweight-charts v5: candlesticks in pane 0, volume histogram in its own pane 1,
// news markers via createSeriesMarkers. Not unit-tested (needs canvas); the e2e test covers it.
import {
  CandlestickSeries,
  HistogramSeries,
  createChart,
  createSeriesMarkers,
  type CandlestickData,
  type HistogramData,
  type IChartApi,
  type MouseEventParams,
  type SeriesMarker,
  type Time,
  type UTCTimestamp,
} from 'lightweight-charts'
import type { CandlePoint, ChartAdapter, ChartMarker } from './chart-adapter'
import { MIN_AXIS_WIDTH, VOLUME_OPTIONS, candleOptions, chartOptions, raisedAxisFloor, volumeColor, volumePaneHeight, type ChartTheme } from './chart-options'
import { skipRedundantClears } from './quiet-canvas'
import { quietMarkerHost } from './quiet-markers'

const ts = (t: number) => t as UTCTimestamp

export const createLwChartAdapter = (container: HTMLElement, theme: ChartTheme, secondsVisible: boolean): ChartAdapter => {
  const chart: IChartApi = createChart(container, {
    ...chartOptions(theme, secondsVisible),
    localization: {
      // Show local wall-clock time: lightweight-charts renders UTC otherwise.
      timeFormatter: (t: Time) => (typeof t === 'number' ? new Date(t * 1000).toLocaleTimeString() : String(t)),
    },
  })
  const candles = chart.addSeries(CandlestickSeries, candleOptions(theme))
  const volume = chart.addSeries(HistogramSeries, VOLUME_OPTIONS, 1)
  const panes = chart.panes()
  panes[1]?.setHeight(volumePaneHeight(container.clientHeight))
  // Top-layer canvases (crosshair and axis labels, z-index 2 in lightweight-charts' DOM) are blank most of
  // the time yet cleared on every repaint: see quiet-canvas.ts. Panes get their canvases at the first paint,
  // hence the observer. Same context options as the library asks for.
  const colorSpace = chart.options().layout.colorSpace
  const quieted = new WeakSet<HTMLCanvasElement>()
  const quietTopLayers = () => {
    for (const canvas of container.querySelectorAll('canvas')) {
      if (canvas.style.zIndex !== '2' || quieted.has(canvas)) continue
      quieted.add(canvas)
      const ctx = canvas.getContext('2d', { colorSpace })
      // Transparent while blank (opacity, not visibility: these canvases take the chart's mouse events).
      if (ctx) skipRedundantClears(ctx, (blank) => (canvas.style.opacity = blank ? '0' : ''))
    }
  }
  quietTopLayers()
  const canvasWatch = new MutationObserver(quietTopLayers)
  canvasWatch.observe(container, { childList: true, subtree: true })
  const quiet = quietMarkerHost(candles)
  const markersApi = quiet.changing(() => createSeriesMarkers(quiet.host, []))
  let markers: ChartMarker[] = []
  // The newest point handed to the chart: an O(1) read for the e2e hook's latency probe.
  let last: CandlePoint | null = null
  // And the newest one drawn: lightweight-charts calls a primitive's renderer while it paints the pane, so
  // this witness (it draws nothing) records which point is on the canvas.
  let painted: CandlePoint | null = null
  const witnessRenderer = {
    draw: () => {
      painted = last
    },
  }
  const witnessView = { renderer: () => witnessRenderer }
  candles.attachPrimitive({ paneViews: () => [witnessView] })

  const vol = (p: CandlePoint): HistogramData => ({
    time: ts(p.time),
    value: p.volume,
    color: volumeColor(theme, p.close >= p.open),
  })
  const candle = (p: CandlePoint): CandlestickData => ({ time: ts(p.time), open: p.open, high: p.high, low: p.low, close: p.close })

  let axisFloor = MIN_AXIS_WIDTH
  const rightScale = chart.priceScale('right')
  /** Keeps the price axis at the widest it has been (raisedAxisFloor says why). Runs on every update. */
  const ratchetAxis = () => {
    const raised = raisedAxisFloor(axisFloor, rightScale.width())
    if (raised !== null) {
      axisFloor = raised
      chart.applyOptions({ rightPriceScale: { minimumWidth: raised } })
    }
  }

  /**
   * A time asked for before the chart has data (a chart opened by a click on an alert): lightweight-charts throws
   * "Value is null" when a range is set on an empty series, so it waits for the data.
   */
  let pendingTime: number | null = null
  const centerOn = (time: number) => {
    const range = chart.timeScale().getVisibleRange()
    const width = range ? (range.to as number) - (range.from as number) : 3600
    chart.timeScale().setVisibleRange({ from: ts(time - width / 2), to: ts(time + width / 2) })
  }

  return {
    setData(points) {
      candles.setData(points.map(candle))
      volume.setData(points.map(vol))
      last = points.length > 0 ? { ...points[points.length - 1]! } : null
      ratchetAxis()
      if (pendingTime !== null && points.length > 0) {
        const t = pendingTime
        pendingTime = null
        centerOn(t)
      }
    },
    update(p) {
      candles.update(candle(p))
      volume.update(vol(p))
      last = { ...p }
      ratchetAxis()
      if (pendingTime !== null) {
        const t = pendingTime
        pendingTime = null
        centerOn(t)
      }
    },
    setMarkers(next) {
      markers = next
      quiet.changing(() =>
        markersApi.setMarkers(
          next.map(
            (m): SeriesMarker<Time> => ({ id: m.id, time: ts(m.time), position: m.position, shape: m.shape, color: m.color, text: m.text, size: m.size }),
          ),
        ),
      )
    },
    showTime(time) {
      if (candles.data().length === 0) {
        pendingTime = time
        return
      }
      pendingTime = null
      centerOn(time)
    },
    onMarkerClick(cb) {
      const handler = (param: MouseEventParams) => {
        // The markers plugin reports the hovered marker's id; fall back to a marker on the clicked bar.
        const id = typeof param.hoveredObjectId === 'string' ? param.hoveredObjectId : null
        const hit = (id !== null && markers.find((m) => m.id === id)) || markers.find((m) => m.time === (param.time as number | undefined))
        if (hit) cb(hit.id)
      }
      chart.subscribeClick(handler)
      return () => chart.unsubscribeClick(handler)
    },
    data() {
      const vols = new Map(volume.data().map((d) => [d.time as number, 'value' in d ? d.value : 0]))
      return candles.data().flatMap((d) =>
        'open' in d ? [{ time: d.time as number, open: d.open, high: d.high, low: d.low, close: d.close, volume: vols.get(d.time as number) ?? 0 }] : [],
      )
    },
    visibleRange() {
      const r = chart.timeScale().getVisibleRange()
      return r ? { from: r.from as number, to: r.to as number } : null
    },
    markers: () => markers.map((m) => ({ ...m })),
    lastPoint: () => (last ? { ...last } : null),
    paintedPoint: () => (painted ? { ...painted } : null),
    dispose() {
      canvasWatch.disconnect()
      markersApi.detach()
      chart.remove()
    },
  }
}
