// Cross-feature actions (timeline ↔ charts, external links, pause).
import { getApi } from '../api/client'
import { useChartStore } from '../features/charts/chart-store'
import { useNewsStore } from '../features/news/news-store'
import { useStatusStore } from '../features/status/status-store'
import { useWatchlistStore } from '../features/watchlist/watchlist-store'

/** Highlights the article's marker and moves the charts to its time (opening a chart for it if none shows it). */
export const focusArticle = (articleId: string, scrollTimeline: boolean): void => {
  const news = useNewsStore.getState()
  news.select(articleId, scrollTimeline)
  const a = news.articles[articleId]
  if (!a) return
  const charts = useChartStore.getState()
  if (!a.tickers.some((t) => charts.open.includes(t))) {
    const watched = useWatchlistStore.getState().entries.map((e) => e.symbol)
    const t = a.tickers.find((x) => watched.includes(x))
    if (t) charts.ensureOpen(t)
  }
  charts.focusArticle(articleId, a.published)
}

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
