import { useEffect, useRef, useState } from 'react'
import type { Timeframe } from '@domain/market'
import { getApi } from '../../api/client'
import { registerSeries } from '../../app/e2e-hook'
import { marketHub, type MarketHub } from '../../market/market-hub'
import { useNewsStore } from '../news/news-store'
import type { ChartAdapter } from './chart-adapter'
import { ChartFeeder, type FeederState, type LoadHistory } from './chart-feeder'
import { useChartStore } from './chart-store'
import { buildMarkers } from './markers'

export type AdapterFactory = (container: HTMLElement, timeframe: Timeframe) => ChartAdapter

const HISTORY_LIMIT = 1_500

export const loadHistoryViaApi: LoadHistory = async (symbol, timeframe) => {
  const r = await getApi().invoke('history:get', { symbol, timeframe, limit: HISTORY_LIMIT })
  return r.ok ? { ok: true, bars: r.value } : { ok: false, message: r.error.message }
}

interface Props {
  symbol: string
  timeframe: Timeframe
  createAdapter: AdapterFactory
  hub?: MarketHub
  loadHistory?: LoadHistory
}

/** One chart. The candles live in the adapter (a ref), fed by the hub; React only holds the status line. */
export function ChartPanel({ symbol, timeframe, createAdapter, hub = marketHub, loadHistory = loadHistoryViaApi }: Props) {
  const containerRef = useRef<HTMLDivElement>(null)
  const adapterRef = useRef<ChartAdapter | null>(null)
  const [state, setState] = useState<{ s: FeederState; error: string | null }>({ s: 'loading', error: null })
  const [adapterSeq, setAdapterSeq] = useState(0)
  const close = useChartStore((s) => s.close)

  useEffect(() => {
    const el = containerRef.current
    if (!el) return
    const adapter = createAdapter(el, timeframe)
    adapterRef.current = adapter
    const feeder = new ChartFeeder(adapter, symbol, timeframe, loadHistory, (s, error) => setState({ s, error }))
    const offHub = hub.subscribeUpdates(symbol, (d) => feeder.apply(d))
    const offE2e = registerSeries(symbol, timeframe, { adapter, state: () => feeder.state })
    const offClick = adapter.onMarkerClick((id) => {
      const news = useNewsStore.getState()
      const m = news.moves[id]
      if (m) {
        news.selectMove(id, true)
        useChartStore.getState().focusMove(id, m.symbol, m.detectedAt)
        return
      }
      const a = news.articles[id]
      news.select(id, true)
      if (a) useChartStore.getState().focusArticle(id, a.published)
    })
    void feeder.load()
    setAdapterSeq((n) => n + 1)
    return () => {
      offClick()
      offE2e()
      offHub()
      feeder.dispose()
      adapterRef.current = null
      adapter.dispose()
    }
  }, [symbol, timeframe, createAdapter, hub, loadHistory])

  // Markers follow the news store (low rate): recompute on any news change.
  useEffect(() => {
    const apply = () => {
      const s = useNewsStore.getState()
      const articles = Object.values(s.articles)
      const highlighted = s.selectedId ?? s.selectedMoveId
      adapterRef.current?.setMarkers(buildMarkers(articles, (id, sym) => s.impacts[id]?.[sym], symbol, timeframe, highlighted, Object.values(s.moves)))
    }
    apply()
    return useNewsStore.subscribe((s, prev) => {
      if (s.articles !== prev.articles || s.impacts !== prev.impacts || s.moves !== prev.moves || s.selectedId !== prev.selectedId || s.selectedMoveId !== prev.selectedMoveId) apply()
    })
  }, [symbol, timeframe, adapterSeq])

  const focus = useChartStore((s) => s.focus)
  const focusArticleTickers = useNewsStore((s) => (focus ? s.articles[focus.articleId]?.tickers : undefined))
  useEffect(() => {
    if (focus && (focus.symbol === undefined ? focusArticleTickers?.includes(symbol) : focus.symbol === symbol)) adapterRef.current?.showTime(Math.floor(focus.time / 1000))
  }, [focus, focusArticleTickers, symbol, adapterSeq])

  return (
    <div className="chart-panel" data-testid={`chart-${symbol}`} data-state={state.s}>
      <div className="chart-head">
        <strong>{symbol}</strong>
        <span className="muted">{timeframe}</span>
        {state.s === 'loading' && <span className="muted">loading history…</span>}
        {state.error && (
          <span className="field-error" role="alert">
            {state.error}
          </span>
        )}
        <button className="chart-close" aria-label={`Close ${symbol} chart`} onClick={() => close(symbol)}>
          ×
        </button>
      </div>
      <div className="chart-canvas" ref={containerRef} />
    </div>
  )
}
