// Cross-feature actions (timeline ↔ charts, external links, pause).
import { getApi } from '../api/client'
import { useChartStore } from '../features/charts/chart-store'
import { useNewsStore } from '../features/news/news-store'
import { useStatusStore } from '../features/status/status-store'
import { useWatchlistStore } from '../features/watchlist/watchlist-store'

/** Highlights the article's marker and moves the charts to its time (opening a chart for it if none shows it). */
/**
 * Selects the headline and moves the charts to it. `symbol`: the ticker the trader was told about (a signal's),
 * whose chart opens if watched; else a watched ticker's chart opens when none of the headline's is open.
 */
export const focusArticle = (articleId: string, scrollTimeline: boolean, symbol?: string): void => {
  const news = useNewsStore.getState()
  news.select(articleId, scrollTimeline)
  const a = news.articles[articleId]
  if (!a) return
  const charts = useChartStore.getState()
  const watched = useWatchlistStore.getState().entries.map((e) => e.symbol)
  if (symbol !== undefined && watched.includes(symbol)) {
    if (!charts.open.includes(symbol)) charts.ensureOpen(symbol)
  } else if (!a.tickers.some((t) => charts.open.includes(t))) {
    const t = a.tickers.find((x) => watched.includes(x))
    if (t) charts.ensureOpen(t)
  }
  charts.focusArticle(articleId, a.published)
}

/** Selects the move alert's entry and moves its symbol's chart (opened if watched) to the detection time. */
export const focusMove = (moveId: string, scrollTimeline: boolean): void => {
  const news = useNewsStore.getState()
  news.selectMove(moveId, scrollTimeline)
  const m = news.moves[moveId]
  if (!m) return
  const charts = useChartStore.getState()
  if (!charts.open.includes(m.symbol) && useWatchlistStore.getState().entries.some((e) => e.symbol === m.symbol)) charts.ensureOpen(m.symbol)
  charts.focusMove(moveId, m.symbol, m.detectedAt)
}

/** A notification or toast target: a headline, or a move alert without one. */
export const focusTarget = (t: { articleId: string } | { moveId: string }, symbol?: string): void =>
  'articleId' in t ? focusArticle(t.articleId, true, symbol) : focusMove(t.moveId, true)

export const openExternal = async (url: string): Promise<void> => {
  const r = await getApi().invoke('shell:open-external', { url })
  if (!r.ok) useStatusStore.getState().setError(`Could not open the link: ${r.error.message}`)
}

export const togglePause = async (): Promise<void> => {
  const status = useStatusStore.getState()
  const wantPause = !status.paused
  const r = await getApi().invoke(wantPause ? 'streams:pause' : 'streams:resume')
  if (r.ok) status.setPaused(wantPause)
  else status.setError(`Could not ${wantPause ? 'pause' : 'resume'}: ${r.error.message}`)
}
