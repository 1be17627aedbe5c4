// Read-only hook for end-to-end tests and UI benchmarks (`?e2e=1` only): a chart's candles, state,
// visible range and markers.
import type { Timeframe } from '@domain/market'
import type { CandlePoint, ChartAdapter, ChartMarker } from '../features/charts/chart-adapter'
import type { FeederState } from '../features/charts/chart-feeder'

interface Entry {
  adapter: ChartAdapter
  state: () => FeederState
}
const registry = new Map<string, Entry>()
const key = (symbol: string, tf: Timeframe) => `${symbol}|${tf}`

export const registerSeries = (symbol: string, tf: Timeframe, entry: Entry): (() => void) => {
  const k = key(symbol, tf)
  registry.set(k, entry)
  return () => {
    if (registry.get(k) === entry) registry.delete(k)
  }
}

export interface NewstapeE2eHook {
  /** Candles of the open chart for symbol+timeframe (copies), or null when no such chart is open. */
  seriesData(symbol: string, timeframe: Timeframe): CandlePoint[] | null
  seriesState(symbol: string, timeframe: Timeframe): FeederState | null
  /** The chart's visible time range (epoch seconds), or null. */
  visibleRange(symbol: string, timeframe: Timeframe): { from: number; to: number } | null
  /** The chart's news markers (copies), or null when no such chart is open. */
  markers(symbol: string, timeframe: Timeframe): ChartMarker[] | null
  /** The newest candle handed to the chart (cheap enough to read every frame), or null. */
  lastCandle(symbol: string, timeframe: Timeframe): CandlePoint | null
  /** The newest candle the chart has drawn (recorded from inside its paint), or null. */
  paintedCandle(symbol: string, timeframe: Timeframe): CandlePoint | null
}

declare global {
  interface Window {
    __newstape?: NewstapeE2eHook
  }
}

export const installE2eHook = (search: string): boolean => {
  if (new URLSearchParams(search).get('e2e') !== '1') return false
  const hook: NewstapeE2eHook = {
    seriesData: (symbol, tf) => registry.get(key(symbol, tf))?.adapter.data().map((p) => ({ ...p })) ?? null,
    seriesState: (symbol, tf) => registry.get(key(symbol, tf))?.state() ?? null,
    visibleRange: (symbol, tf) => registry.get(key(symbol, tf))?.adapter.visibleRange?.() ?? null,
    markers: (symbol, tf) => registry.get(key(symbol, tf))?.adapter.markers?.() ?? null,
    lastCandle: (symbol, tf) => registry.get(key(symbol, tf))?.adapter.lastPoint?.() ?? null,
    paintedCandle: (symbol, tf) => registry.get(key(symbol, tf))?.adapter.paintedPoint?.() ?? null,
  }
  Object.defineProperty(window, '__newstape', { value: Object.freeze(hook), writable: false, configurable: false })
  return true
}
