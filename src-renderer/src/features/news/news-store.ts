// News timeline state: articles (revisions replace by id), impacts (replace by articleId|symbol),
// filters, and the selected item. News is low-rate, so it lives in zustand.
import { create } from 'zustand'
import type { Article, ImpactRecord, Signal } from '@domain/news'
import type { NewsBundle } from '@contract/contract'

export const MAX_ARTICLES = 1_000

export type SignalFilter = 'all' | 'signal' | 'up' | 'down'

interface NewsState {
  articles: Record<string, Article>
  /** articleId → symbol → impact. */
  impacts: Record<string, Record<string, ImpactRecord>>
  /** Article ids, newest publication first. */
  order: string[]
  tickerFilter: string | null
  signalFilter: SignalFilter
  selectedId: string | null
  /** Bumped when the timeline should scroll to the selection (marker click, notification). */
  scrollSeq: number
  ingest(bundle: NewsBundle): void
  reset(bundle: NewsBundle): void
  setTickerFilter(t: string | null): void
  setSignalFilter(s: SignalFilter): void
  select(id: string | null, scroll?: boolean): void
}

/** The strongest signal an article produced on any symbol: up/down beats none beats unknown. */
export const articleSignal = (impacts: Record<string, ImpactRecord> | undefined): Signal | null => {
  let best: Signal | null = null
  for (const r of Object.values(impacts ?? {})) {
    if (r.signal === 'up' || r.signal === 'down') return r.signal
    if (r.signal === 'none') best = 'none'
  }
  return best
}

const merge = (state: Pick<NewsState, 'articles' | 'impacts'>, bundle: NewsBundle) => {
  const articles = { ...state.articles }
  const impacts = { ...state.impacts }
  for (const a of bundle.articles) articles[a.id] = a
  for (const r of bundle.impacts) {
    const prev = impacts[r.articleId]?.[r.symbol]
    // A final record is never replaced by a provisional one (e.g. a late duplicate).
    if (prev?.final && !r.final) continue
    impacts[r.articleId] = { ...impacts[r.articleId], [r.symbol]: r }
  }
  let order = Object.values(articles)
    .sort((a, b) => b.published - a.published || a.id.localeCompare(b.id))
    .map((a) => a.id)
  if (order.length > MAX_ARTICLES) {
    for (const id of order.slice(MAX_ARTICLES)) {
      delete articles[id]
      delete impacts[id]
    }
    order = order.slice(0, MAX_ARTICLES)
  }
  return { articles, impacts, order }
}

export const useNewsStore = create<NewsState>()((set, get) => ({
  articles: {},
  impacts: {},
  order: [],
  tickerFilter: null,
  signalFilter: 'all',
  selectedId: null,
  scrollSeq: 0,
  ingest: (bundle) => set(merge(get(), bundle)),
  reset: (bundle) => set(merge({ articles: {}, impacts: {} }, bundle)),
  setTickerFilter: (tickerFilter) => set({ tickerFilter }),
  setSignalFilter: (signalFilter) => set({ signalFilter }),
  select: (selectedId, scroll = false) => set({ selectedId, scrollSeq: scroll ? get().scrollSeq + 1 : get().scrollSeq }),
}))

export const visibleArticles = (s: Pick<NewsState, 'articles' | 'impacts' | 'order' | 'tickerFilter' | 'signalFilter'>): Article[] =>
  s.order
    .map((id) => s.articles[id]!)
    .filter((a) => {
      if (s.tickerFilter && !a.tickers.includes(s.tickerFilter)) return false
      if (s.signalFilter === 'all') return true
      const sig = articleSignal(s.impacts[a.id])
      return s.signalFilter === 'signal' ? sig === 'up' || sig === 'down' : sig === s.signalFilter
    })
