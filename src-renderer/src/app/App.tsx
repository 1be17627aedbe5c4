import { useEffect, useState } from 'react'
import { TIMEFRAMES } from '@domain/market'
import { Toasts } from '../features/alerts/Toasts'
import { ChartGrid } from '../features/charts/ChartGrid'
import { useChartStore } from '../features/charts/chart-store'
import type { AdapterFactory } from '../features/charts/ChartPanel'
import { GrafanaView } from '../features/grafana/GrafanaView'
import { NewsTimeline } from '../features/news/NewsTimeline'
import { SettingsPage } from '../features/settings/SettingsPage'
import { useSettingsStore } from '../features/settings/settings-store'
import { StatusBar } from '../features/status/StatusBar'
import { useStatusStore } from '../features/status/status-store'
import { Watchlist, WATCHLIST_ADD_INPUT_ID } from '../features/watchlist/Watchlist'
import { togglePause } from './actions'
import { keyAction } from './keyboard'

type Tab = 'trade' | 'grafana' | 'settings'

export function App({ createAdapter }: { createAdapter?: AdapterFactory }) {
  const [tab, setTab] = useState<Tab>('trade')
  const timeframe = useChartStore((s) => s.timeframe)
  const setTimeframe = useChartStore((s) => s.setTimeframe)
  const paused = useStatusStore((s) => s.paused)
  const theme = useSettingsStore((s) => s.settings?.theme ?? 'dark')
  const demo = useSettingsStore((s) => s.appInfo?.demo ?? false)

  useEffect(() => {
    document.documentElement.dataset.theme = theme
  }, [theme])

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target instanceof HTMLElement ? e.target : null
      const action = keyAction({
        key: e.key,
        ctrlKey: e.ctrlKey,
        metaKey: e.metaKey,
        altKey: e.altKey,
        targetTag: t?.tagName ?? '',
        targetEditable: t?.isContentEditable ?? false,
      })
      if (!action) return
      e.preventDefault()
      if (action.type === 'pause') void togglePause()
      else if (action.type === 'timeframe') setTimeframe(action.timeframe)
      else {
        setTab('trade')
        // The input exists once the trade tab has rendered.
        requestAnimationFrame(() => document.getElementById(WATCHLIST_ADD_INPUT_ID)?.focus())
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [setTimeframe])

  return (
    <div className="app">
      <header className="top-bar">
        <span className="brand">Newstape</span>
        {demo && (
          <span className="badge warn" title="No API keys set: the built-in simulator feeds the app" data-testid="demo-badge">
            DEMO
          </span>
        )}
        <nav className="tabs" role="tablist">
          {(['trade', 'grafana', 'settings'] as const).map((t) => (
            <button key={t} role="tab" aria-selected={tab === t} data-testid={`${t}-tab`} className={tab === t ? 'active' : ''} onClick={() => setTab(t)}>
              {t === 'trade' ? 'Trade' : t === 'grafana' ? 'Grafana' : 'Settings'}
            </button>
          ))}
        </nav>
        <div className="timeframes" role="group" aria-label="Timeframe">
          {TIMEFRAMES.map((tf, i) => (
            <button key={tf} data-testid={`timeframe-${tf}`} aria-pressed={timeframe === tf} className={timeframe === tf ? 'active' : ''} title={`${tf} (${i + 1})`} onClick={() => setTimeframe(tf)}>
              {tf}
            </button>
          ))}
        </div>
        <button data-testid="pause-button" aria-pressed={paused} className={paused ? 'paused' : ''} title="Pause / resume streams (space)" onClick={() => void togglePause()}>
          {paused ? '▶ Resume' : '❚❚ Pause'}
        </button>
      </header>
      <main className={`content tab-${tab}`}>
        {tab === 'trade' && (
          <div className="trade">
            <Watchlist />
            <ChartGrid createAdapter={createAdapter} />
            <NewsTimeline />
          </div>
        )}
        {tab === 'grafana' && <GrafanaView />}
        {tab === 'settings' && <SettingsPage />}
      </main>
      <Toasts />
      <StatusBar />
    </div>
  )
}
