// Pure: news markers for one chart (symbol + timeframe), coloured by the article's signal on that symbol.
import { TIMEFRAME_MS, type Timeframe } from '@domain/market'
import type { Article, ImpactRecord } from '@domain/news'
import type { ChartMarker } from './chart-adapter'

export const SIGNAL_COLORS = { up: '#26a69a', down: '#ef5350', none: '#8b949e', pending: '#58a6ff' } as const

export const buildMarkers = (
  articles: readonly Article[],
  impactFor: (articleId: string, symbol: string) => ImpactRecord | undefined,
  symbol: string,
  timeframe: Timeframe,
  highlightedId: string | null,
): ChartMarker[] => {
  const tf = TIMEFRAME_MS[timeframe]
  return articles
    .filter((a) => a.tickers.includes(symbol))
    .map((a): ChartMarker => {
      const signal = impactFor(a.id, symbol)?.signal ?? null
      const highlighted = a.id === highlightedId
      // Markers sit on the bar containing the publication time.
      const time = Math.floor(a.published / tf) * (tf / 1000)
      const base = { id: a.id, time, size: highlighted ? 2 : 1, text: highlighted ? truncate(a.title, 40) : '' }
      if (signal === 'up') return { ...base, color: SIGNAL_COLORS.up, position: 'belowBar', shape: 'arrowUp' }
      if (signal === 'down') return { ...base, color: SIGNAL_COLORS.down, position: 'aboveBar', shape: 'arrowDown' }
      return { ...base, color: signal === 'none' ? SIGNAL_COLORS.none : SIGNAL_COLORS.pending, position: 'aboveBar', shape: 'circle' }
    })
    .sort((a, b) => a.time - b.time || a.id.localeCompare(b.id))
}

const truncate = (s: string, n: number) => (s.length <= n ? s : `${s.slice(0, n - 1)}…`)
