import { useEffect, useMemo, useRef } from 'react'
import { focusArticle, openExternal } from '../../app/actions'
import { useChartStore } from '../charts/chart-store'
import { useWatchlistStore } from '../watchlist/watchlist-store'
import { ImpactHistoryLine } from './ImpactHistoryLine'
import { historySymbol } from './impact-history'
import { NewsItem } from './NewsItem'
import { useNewsStore, visibleArticles, type SignalFilter } from './news-store'

export function NewsTimeline() {
  const articles = useNewsStore((s) => s.articles)
  const impacts = useNewsStore((s) => s.impacts)
  const order = useNewsStore((s) => s.order)
  const tickerFilter = useNewsStore((s) => s.tickerFilter)
  const signalFilter = useNewsStore((s) => s.signalFilter)
  const selectedId = useNewsStore((s) => s.selectedId)
  const scrollSeq = useNewsStore((s) => s.scrollSeq)
  const { setTickerFilter, setSignalFilter } = useNewsStore.getState()
  const symbols = useWatchlistStore((s) => s.entries.map((e) => e.symbol).join(','))
  const openCharts = useChartStore((s) => s.open)
  const selectedArticle = selectedId ? articles[selectedId] : undefined
  const pastSymbol = historySymbol({ tickerFilter, selected: selectedArticle, openCharts, watchlist: symbols.split(',') })
  const list = useMemo(
    () => visibleArticles({ articles, impacts, order, tickerFilter, signalFilter }),
    [articles, impacts, order, tickerFilter, signalFilter],
  )
  const listRef = useRef<HTMLOListElement>(null)

  // Marker clicks and notifications ask to scroll the selected item into view.
  useEffect(() => {
    if (scrollSeq === 0 || !selectedId) return
    const items = listRef.current?.querySelectorAll<HTMLElement>('[data-article-id]') ?? []
    const el = [...items].find((x) => x.dataset.articleId === selectedId)
    el?.scrollIntoView?.({ block: 'center', behavior: 'smooth' })
  }, [scrollSeq, selectedId])

  return (
    <section className="news" aria-label="News timeline">
      <div className="news-filters">
        <select aria-label="Filter by ticker" data-testid="news-filter-ticker" value={tickerFilter ?? ''} onChange={(e) => setTickerFilter(e.target.value || null)}>
          <option value="">All tickers</option>
          {[...new Set([...symbols.split(',').filter(Boolean), ...(tickerFilter ? [tickerFilter] : [])])].map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
        <select aria-label="Filter by signal" data-testid="news-filter-signal" value={signalFilter} onChange={(e) => setSignalFilter(e.target.value as SignalFilter)}>
          <option value="all">All headlines</option>
          <option value="signal">Signals only</option>
          <option value="up">Up</option>
          <option value="down">Down</option>
        </select>
        <span className="muted">{list.length} shown</span>
      </div>
      <ImpactHistoryLine symbol={pastSymbol} />
      <ol className="news-list" ref={listRef}>
        {list.map((a, i) => (
          <NewsItem
            key={a.id}
            index={i}
            article={a}
            impacts={impacts[a.id]}
            selected={a.id === selectedId}
            onSelect={(id) => focusArticle(id, false)}
            onOpen={(url) => void openExternal(url)}
            onTicker={(t) => setTickerFilter(t)}
          />
        ))}
      </ol>
      {list.length === 0 && <p className="muted">{order.length === 0 ? 'No headlines yet.' : 'No headline matches the filters.'}</p>}
    </section>
  )
}
