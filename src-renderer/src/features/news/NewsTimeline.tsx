import { useEffect, useMemo, useRef } from 'react'
import { focusArticle, focusMove, openExternal } from '../../app/actions'
import { useChartStore } from '../charts/chart-store'
import { useWatchlistStore } from '../watchlist/watchlist-store'
import { ImpactHistoryLine } from './ImpactHistoryLine'
import { historySymbol } from './impact-history'
import { NewsItem } from './NewsItem'
import { MoveItem } from './MoveItem'
import { moveHeadlines, useNewsStore, visibleEntries, type SignalFilter } from './news-store'

export function NewsTimeline() {
  const articles = useNewsStore((s) => s.articles)
  const impacts = useNewsStore((s) => s.impacts)
  const order = useNewsStore((s) => s.order)
  const moves = useNewsStore((s) => s.moves)
  const selectedMoveId = useNewsStore((s) => s.selectedMoveId)
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
    () => visibleEntries({ articles, impacts, order, moves, tickerFilter, signalFilter }),
    [articles, impacts, order, moves, tickerFilter, signalFilter],
  )
  const explained = useMemo(() => moveHeadlines({ articles, impacts, moves }), [articles, impacts, moves])
  const listRef = useRef<HTMLOListElement>(null)

  // Marker clicks and notifications ask to scroll the selected item into view.
  useEffect(() => {
    if (scrollSeq === 0 || (!selectedId && !selectedMoveId)) return
    const items = listRef.current?.querySelectorAll<HTMLElement>('[data-article-id], [data-move-id]') ?? []
    const el = [...items].find((x) => (selectedId ? x.dataset.articleId === selectedId : x.dataset.moveId === selectedMoveId))
    el?.scrollIntoView?.({ block: 'center', behavior: 'smooth' })
  }, [scrollSeq, selectedId, selectedMoveId])
  // Headlines keep their own index (news-item-N) whatever move alerts sit between them.
  let articleIndex = 0

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
        {list.map((e) =>
          e.kind === 'move' ? (
            <MoveItem
              key={`move:${e.move.id}`}
              move={e.move}
              explainedBy={explained[e.move.id] ?? []}
              selected={e.move.id === selectedMoveId}
              onSelect={(id) => focusMove(id, false)}
              onHeadline={(id) => focusArticle(id, true)}
            />
          ) : (
            <NewsItem
              key={e.article.id}
              index={articleIndex++}
              article={e.article}
              impacts={impacts[e.article.id]}
              moves={moves}
              selected={e.article.id === selectedId}
              onSelect={(id) => focusArticle(id, false)}
              onOpen={(url) => void openExternal(url)}
              onTicker={(t) => setTickerFilter(t)}
            />
          ),
        )}
      </ol>
      {list.length === 0 && <p className="muted">{order.length === 0 && Object.keys(moves).length === 0 ? 'No headlines yet.' : 'No headline matches the filters.'}</p>}
    </section>
  )
}
