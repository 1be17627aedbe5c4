// The charts' lightweight-charts options, in one place: the adapter builds every chart from them, and the UI
// benchmark's bare-library reference (scripts/bench/ui.ts) draws with the same ones. No DOM here.
import { ColorType, CrosshairMode, type CandlestickSeriesPartialOptions, type ChartOptions, type DeepPartial, type HistogramSeriesPartialOptions } from 'lightweight-charts'

export interface ChartTheme {
  background: string
  text: string
  grid: string
  up: string
  down: string
}

export const CHART_THEMES: Record<'dark' | 'light', ChartTheme> = {
  dark: { background: '#12151c', text: '#c9d1d9', grid: '#1f2530', up: '#26a69a', down: '#ef5350' },
  light: { background: '#ffffff', text: '#1f2328', grid: '#eef1f4', up: '#089981', down: '#f23645' },
}

/** The price axis never gets narrower than this (the adapter raises it to the widest it has been). */
export const MIN_AXIS_WIDTH = 72

/**
 * Price axis width floor: the widest the axis has been. An axis that follows its labels' width resizes every
 * canvas of the chart (new bitmaps and a forced layout each) whenever the labels change width, back and
 * forth as the price range moves. Returns the new floor, or null when it stays.
 */
export const raisedAxisFloor = (floor: number, width: number): number | null => (width > floor ? width : null)

/** Chart options without the localization callbacks (the adapter adds those). */
export const chartOptions = (theme: ChartTheme, secondsVisible: boolean): DeepPartial<ChartOptions> => ({
  autoSize: true,
  layout: { background: { type: ColorType.Solid, color: theme.background }, textColor: theme.text, panes: { separatorColor: theme.grid } },
  grid: { vertLines: { color: theme.grid }, horzLines: { color: theme.grid } },
  crosshair: { mode: CrosshairMode.Normal },
  rightPriceScale: { minimumWidth: MIN_AXIS_WIDTH },
  timeScale: { timeVisible: true, secondsVisible, rightOffset: 5 },
})

export const candleOptions = (theme: ChartTheme): CandlestickSeriesPartialOptions => ({
  upColor: theme.up,
  downColor: theme.down,
  borderVisible: false,
  wickUpColor: theme.up,
  wickDownColor: theme.down,
  lastValueVisible: true,
  priceLineVisible: true,
})

/** The volume histogram, in pane 1. */
export const VOLUME_OPTIONS: HistogramSeriesPartialOptions = { priceFormat: { type: 'volume' }, lastValueVisible: false, priceLineVisible: false }

/** Volume pane height for a chart of this height, px. */
export const volumePaneHeight = (chartHeight: number): number => Math.max(60, Math.round(chartHeight * 0.22))

/** A volume bar's colour: the candle's, half transparent. */
export const volumeColor = (theme: ChartTheme, up: boolean): string => `${up ? theme.up : theme.down}80`
