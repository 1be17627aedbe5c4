// Chart UI state: timeframe, which symbols have a chart open, and the focused article (time + marker).
import { create } from 'zustand'
import type { Timeframe } from '@domain/market'

/** A grid of up to 12 charts (3 × 4 at most). */
export const MAX_CHARTS = 12

export interface ChartFocus {
  /** The article id, or the move alert's id when `symbol` is set. */
  articleId: string
  /** A move alert's symbol: that chart shows it (an article's charts are its tickers'). */
  symbol?: string
  /** Publication time, epoch ms. */
  time: number
  /** Bumped on every focus so re-clicking the same item scrolls again. */
  seq: number
}

interface ChartState {
  timeframe: Timeframe
  open: string[]
  focus: ChartFocus | null
  setTimeframe(tf: Timeframe): void
  toggle(symbol: string): void
  /** Opens the chart if needed (dropping the oldest beyond MAX_CHARTS). */
  ensureOpen(symbol: string): void
  close(symbol: string): void
  /** Keeps only charts of symbols still in the watchlist; opens the first one when none is open. */
  syncWithWatchlist(symbols: string[]): void
  focusArticle(articleId: string, time: number): void
  focusMove(moveId: string, symbol: string, time: number): void
}

export const useChartStore = create<ChartState>()((set, get) => ({
  timeframe: '1m',
  open: [],
  focus: null,
  setTimeframe: (timeframe) => set({ timeframe }),
  toggle: (symbol) => (get().open.includes(symbol) ? get().close(symbol) : get().ensureOpen(symbol)),
  ensureOpen: (symbol) => {
    const open = get().open
    if (open.includes(symbol)) return
    set({ open: [...open, symbol].slice(-MAX_CHARTS) })
  },
  close: (symbol) => set({ open: get().open.filter((s) => s !== symbol) }),
  syncWithWatchlist: (symbols) => {
    const kept = get().open.filter((s) => symbols.includes(s))
    set({ open: kept.length === 0 && symbols.length > 0 ? [symbols[0]!] : kept })
  },
  focusArticle: (articleId, time) => set({ focus: { articleId, time, seq: (get().focus?.seq ?? 0) + 1 } }),
  focusMove: (moveId, symbol, time) => set({ focus: { articleId: moveId, symbol, time, seq: (get().focus?.seq ?? 0) + 1 } }),
}))
