// News timeline state: articles (revisions replace by id), impacts (replace by articleId|symbol), move alerts
// (replace by id), filters, and the selected entry. News is low-rate, so it lives in zustand.
import { create } from 'zustand'
import type { MoveAlert } from '@domain/impact'
import type { Article, ImpactRecord, Signal } from '@domain/news'
import type { NewsBundle } from '@contract/contract'

export const MAX_ARTICLES = 1_000
/** Move alerts kept (oldest detectedAt dropped first): a busy day fires a few hundred at most. */
export const MAX_MOVES = 500

export type SignalFilter = 'all' | 'signal' | 'up' | 'down'

interface NewsState {
  articles: Record<string, Article>
  /** articleId → symbol → impact. */
  impacts: Record<string, Record<string, ImpactRecord>>
  /** Article ids, newest publication first. */
  order: string[]
  /** Move alerts by id. */
  moves: Record<string, MoveAlert>
  tickerFilter: string | null
  signalFilter: SignalFilter
  selectedId: string | null
  /** The selected move alert (a move entry has no article); at most one of selectedId / selectedMoveId is set. */
  selectedMoveId: string | null
  /** Bumped when the timeline should scroll to the selection (marker click, notification). */
  scrollSeq: number
  ingest(bundle: NewsBundle): void
  reset(bundle: NewsBundle): void
  setTickerFilter(t: string | null): void
  setSignalFilter(s: SignalFilter): void
  select(id: string | null, scroll?: boolean): void
  selectMove(id: string | null, scroll?: boolean): void
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

const mergeMoves = (prev: Record<string, MoveAlert>, incoming: readonly MoveAlert[]): Record<string, MoveAlert> => {
  if (incoming.length === 0) return prev
  const moves = { ...prev }
  for (const m of incoming) moves[m.id] = m
  const ids = Object.keys(moves)
  if (ids.length > MAX_MOVES) {
    ids.sort((a, b) => moves[a]!.detectedAt - moves[b]!.detectedAt || a.localeCompare(b))
    for (const id of ids.slice(0, ids.length - MAX_MOVES)) delete moves[id]
  }
  return moves
}

const merge = (state: Pick<NewsState, 'articles' | 'impacts' | 'moves'>, bundle: NewsBundle) => {
  const articles = { ...state.articles }
  const impacts = { ...state.impacts }
  for (const a of bundle.articles) articles[a.id] = a
  for (const r of bundle.impacts) {
    const prev = impacts[r.articleId]?.[r.symbol]
    // A final record is never replaced by a provisional one, nor a record by one computed earlier (the app's
    // and Flink's records share the key and may arrive out of order).
    if (prev && ((prev.final && !r.final) || r.asOf < prev.asOf)) continue
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
  return { articles, impacts, order, moves: mergeMoves(state.moves, bundle.moves) }
}

export const useNewsStore = create<NewsState>()((set, get) => ({
  articles: {},
  impacts: {},
  order: [],
  moves: {},
  tickerFilter: null,
  signalFilter: 'all',
  selectedId: null,
  selectedMoveId: null,
  scrollSeq: 0,
  ingest: (bundle) => set(merge(get(), bundle)),
  reset: (bundle) => set(merge({ articles: {}, impacts: {}, moves: {} }, bundle)),
  setTickerFilter: (tickerFilter) => set({ tickerFilter }),
  setSignalFilter: (signalFilter) => set({ signalFilter }),
  select: (selectedId, scroll = false) => set({ selectedId, selectedMoveId: null, scrollSeq: scroll ? get().scrollSeq + 1 : get().scrollSeq }),
  selectMove: (selectedMoveId, scroll = false) => set({ selectedMoveId, selectedId: null, scrollSeq: scroll ? get().scrollSeq + 1 : get().scrollSeq }),
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

/** One row of the timeline: a headline (at its publication) or a move alert (at its detection). */
export type TimelineEntry = { kind: 'article'; time: number; article: Article } | { kind: 'move'; time: number; move: MoveAlert }

type EntryState = Pick<NewsState, 'articles' | 'impacts' | 'order' | 'moves' | 'tickerFilter' | 'signalFilter'>

/** Headlines and move alerts, newest first (a move and a headline at the same ms: the move first, it came first). */
export const visibleEntries = (s: EntryState): TimelineEntry[] => {
  const out: TimelineEntry[] = visibleArticles(s).map((a) => ({ kind: 'article', time: a.published, article: a }))
  for (const m of Object.values(s.moves)) {
    if (s.tickerFilter && m.symbol !== s.tickerFilter) continue
    if (s.signalFilter === 'up' || s.signalFilter === 'down') {
      if (m.direction !== s.signalFilter) continue
    }
    out.push({ kind: 'move', time: m.detectedAt, move: m })
  }
  const rank = (e: TimelineEntry) => (e.kind === 'move' ? 0 : 1)
  const id = (e: TimelineEntry) => (e.kind === 'move' ? e.move.id : e.article.id)
  return out.sort((a, b) => b.time - a.time || rank(a) - rank(b) || id(a).localeCompare(id(b)))
}

/**
 * The headlines that explain each move: its `headlines` plus any impact whose `move` names it (a record can
 * arrive before the move is re-sent), known articles only, by (published, id).
 */
export const moveHeadlines = (s: Pick<NewsState, 'articles' | 'impacts' | 'moves'>): Record<string, Article[]> => {
  const ids: Record<string, Set<string>> = {}
  for (const m of Object.values(s.moves)) ids[m.id] = new Set(m.headlines)
  for (const [articleId, bySymbol] of Object.entries(s.impacts)) {
    for (const r of Object.values(bySymbol)) if (r.move !== null && ids[r.move]) ids[r.move]!.add(articleId)
  }
  const out: Record<string, Article[]> = {}
  for (const [moveId, set] of Object.entries(ids)) {
    const arts = [...set].flatMap((id) => (s.articles[id] ? [s.articles[id]] : []))
    if (arts.length > 0) out[moveId] = arts.sort((a, b) => a.published - b.published || a.id.localeCompare(b.id))
  }
  return out
}
