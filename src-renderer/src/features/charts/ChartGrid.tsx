import { useCallback } from 'react'
import type { Timeframe } from '@domain/market'
import { useSettingsStore } from '../settings/settings-store'
import { useChartStore } from './chart-store'
import { ChartBoundary } from './ChartBoundary'
import { ChartPanel, type AdapterFactory } from './ChartPanel'
import { CHART_THEMES } from './chart-options'
import { createLwChartAdapter } from './lw-chart-adapter'

export function ChartGrid({ createAdapter }: { createAdapter?: AdapterFactory }) {
  const open = useChartStore((s) => s.open)
  const timeframe = useChartStore((s) => s.timeframe)
  const close = useChartStore((s) => s.close)
  const theme = useSettingsStore((s) => s.settings?.theme ?? 'dark')
  const lw = useCallback<AdapterFactory>((el, tf: Timeframe) => createLwChartAdapter(el, CHART_THEMES[theme], tf === '1s'), [theme])
  const factory = createAdapter ?? lw
  if (open.length === 0) return <div className="chart-grid empty muted">Click a symbol in the watchlist to open its chart.</div>
  return (
    <div className={`chart-grid n${open.length}`}>
      {open.map((s) => (
        <ChartBoundary key={s} symbol={s} onClose={() => close(s)}>
          <ChartPanel symbol={s} timeframe={timeframe} createAdapter={factory} />
        </ChartBoundary>
      ))}
    </div>
  )
}
