// Wires host events into the hub and the stores, and (re)loads state on start and on reconnect.
import type { NewstapeApi } from '@contract/api'
import type { WsTransport } from '../api/ws-transport'
import { useToastStore } from '../features/alerts/toast-store'
import { useChartStore } from '../features/charts/chart-store'
import { useNewsStore } from '../features/news/news-store'
import { useSettingsStore } from '../features/settings/settings-store'
import { useStatusStore } from '../features/status/status-store'
import { useWatchlistStore } from '../features/watchlist/watchlist-store'
import { marketHub, type MarketHub } from '../market/market-hub'
import { focusTarget } from './actions'
import { hostNow, setHostClockOffset } from './host-clock'

export const refreshAll = async (api: NewstapeApi): Promise<void> => {
  const status = useStatusStore.getState()
  const [st, news] = await Promise.all([
    api.invoke('status:get'),
    api.invoke('news:list', { limit: 500 }),
    useWatchlistStore.getState().load(),
    useSettingsStore.getState().load(),
  ])
  if (st.ok) {
    setHostClockOffset(st.value.clockOffsetMs)
    status.setSnapshot(st.value)
  }
  else status.setError(`Status unavailable: ${st.error.message}`)
  if (news.ok) {
    useNewsStore.getState().reset(news.value)
    // What a (re)load brings was alerted before, or happened while away: it shows in the timeline, not as toasts.
    const { articles } = useNewsStore.getState()
    useToastStore.getState().markSeen(news.value, (id) => articles[id]?.title)
  } else status.setError(`News unavailable: ${news.error.message}`)
}

export const startApp = (api: NewstapeApi, ws: WsTransport | null, hub: MarketHub = marketHub, clock: () => number = hostNow): (() => void) => {
  const offs = [
    api.on('market:batch', (u) => hub.push(u)),
    api.on('news:batch', (b) => {
      useNewsStore.getState().ingest(b)
      const { articles } = useNewsStore.getState()
      useToastStore.getState().fromBatch(b, {
        now: clock(),
        enabled: useSettingsStore.getState().settings?.notifications.enabled ?? true,
        headline: (id) => articles[id]?.title,
      })
    }),
    api.on('status:changed', (s) => {
      setHostClockOffset(s.clockOffsetMs)
      useStatusStore.getState().setSnapshot(s)
    }),
    api.on('streams:paused', (p) => useStatusStore.getState().setPaused(p)),
    api.on('signals:focus', (t) => focusTarget(t)),
    // Charts follow the watchlist: removed symbols close, and one chart opens when none is.
    useWatchlistStore.subscribe((s, prev) => {
      if (s.entries !== prev.entries) useChartStore.getState().syncWithWatchlist(s.entries.map((e) => e.symbol))
    }),
  ]
  if (ws) offs.push(ws.onReconnect(() => void refreshAll(api)))
  void refreshAll(api)
  return () => offs.forEach((off) => off())
}
