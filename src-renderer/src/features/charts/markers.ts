// Pure: markers for one chart (symbol + timeframe): its headlines, coloured by the signal on that symbol (the
// colour changes when the signal fires, and fades when +5 m does not confirm it), and its move alerts at their
// detection time.
import { TIMEFRAME_MS, type Timeframe } from '@domain/market'
import type { MoveAlert } from '@domain/impact'
import type { Article, ImpactRecord } from '@domain/news'
import type { ChartMarker } from './chart-adapter'

export const SIGNAL_COLORS = {
  up: '#26a69a',
  down: '#ef5350',
  /** A fired signal the +5 m rule did not confirm (never withdrawn, but weaker). */
  upUnconfirmed: '#7fb9b3',
  downUnconfirmed: '#d99594',
  none: '#8b949e',
  pending: '#58a6ff',
} as const

/** Move alerts: one colour unlike any headline's, the arrow gives the direction. */
export const MOVE_COLOR = '#e3b341'

export const buildMarkers = (
  articles: readonly Article[],
  impactFor: (articleId: string, symbol: string) => ImpactRecord | undefined,
  symbol: string,
  timeframe: Timeframe,
  highlightedId: string | null,
  moves: readonly MoveAlert[] = [],
): ChartMarker[] => {
  const tf = TIMEFRAME_MS[timeframe]
  // Markers sit on the bar containing their time.
  const barTime = (ms: number) => Math.floor(ms / tf) * (tf / 1000)
  const headlineMarkers = articles
    .filter((a) => a.tickers.includes(symbol))
    .map((a): ChartMarker => {
      const r = impactFor(a.id, symbol)
      const signal = r?.signal ?? null
      const highlighted = a.id === highlightedId
      const base = { id: a.id, time: barTime(a.published), size: highlighted ? 2 : 1, text: highlighted ? truncate(a.title, 40) : '' }
      const faded = r?.confirmed === false
      if (signal === 'up') return { ...base, color: faded ? SIGNAL_COLORS.upUnconfirmed : SIGNAL_COLORS.up, position: 'belowBar', shape: 'arrowUp' }
      if (signal === 'down') return { ...base, color: faded ? SIGNAL_COLORS.downUnconfirmed : SIGNAL_COLORS.down, position: 'aboveBar', shape: 'arrowDown' }
      return { ...base, color: signal === 'none' ? SIGNAL_COLORS.none : SIGNAL_COLORS.pending, position: 'aboveBar', shape: 'circle' }
    })
  const moveMarkers = moves
    .filter((m) => m.symbol === symbol)
    .map((m): ChartMarker => {
      const highlighted = m.id === highlightedId
      return {
        id: m.id,
        time: barTime(m.detectedAt),
        color: MOVE_COLOR,
        position: m.direction === 'up' ? 'belowBar' : 'aboveBar',
        shape: m.direction === 'up' ? 'arrowUp' : 'arrowDown',
        size: highlighted ? 2 : 1,
        text: highlighted ? 'move' : '',
      }
    })
  return [...headlineMarkers, ...moveMarkers].sort((a, b) => a.time - b.time || a.id.localeCompare(b.id))
}

const truncate = (s: string, n: number) => (s.length <= n ? s : `${s.slice(0, n - 1)}…`)
