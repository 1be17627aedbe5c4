// App wiring over the real createApi and stores; only the chart canvas and the host are fakes.
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { defaultSettings } from '@contract/settings-schema'
import { useToastStore } from '../features/alerts/toast-store'
import { useChartStore } from '../features/charts/chart-store'
import { useNewsStore } from '../features/news/news-store'
import { useSettingsStore } from '../features/settings/settings-store'
import { useStatusStore } from '../features/status/status-store'
import { useWatchlistStore } from '../features/watchlist/watchlist-store'
import { MarketHub } from '../market/market-hub'
import { installFakeHost, type FakeHost } from '../test/fake-host'
import { article, impact, move, statusSnapshot } from '../test/fixtures'
import { RecordingAdapter } from '../test/recording-adapter'
import { App } from './App'
import { startApp } from './bootstrap'

afterEach(cleanup)
const settle = () => act(async () => new Promise((r) => setTimeout(r, 0)))

describe('App', () => {
  let host: FakeHost
  let paused: boolean
  let stop: () => void
  beforeEach(async () => {
    useNewsStore.setState(useNewsStore.getInitialState(), true)
    useChartStore.setState(useChartStore.getInitialState(), true)
    useWatchlistStore.setState(useWatchlistStore.getInitialState(), true)
    useSettingsStore.setState(useSettingsStore.getInitialState(), true)
    useStatusStore.setState(useStatusStore.getInitialState(), true)
    useToastStore.setState({ toasts: [], seen: new Set() })
    paused = false
    host = installFakeHost({
      'watchlist:get': () => [
        { symbol: 'AAPL', aliases: [] },
        { symbol: 'MSFT', aliases: [] },
      ],
      'settings:get': () => defaultSettings(),
      'secrets:status': () => ({ polygon: false, guardian: false }),
      'app:info': () => ({ name: 'newstape', version: '0', mode: 'browser', platform: 'linux', demo: true }),
      'status:get': () => statusSnapshot(),
      'news:list': () => ({ articles: [article('n1', 61_000, ['MSFT'])], impacts: [], moves: [] }),
      'history:get': () => [],
      'streams:pause': () => ((paused = true), null),
      'streams:resume': () => ((paused = false), null),
      'grafana:probe': () => ({ reachable: false, url: 'http://127.0.0.1:3000/d/newstape-market-news', message: 'connect ECONNREFUSED 127.0.0.1:3000' }),
    })
    stop = startApp(host.api, null, new MarketHub(() => {}))
    await settle()
  })
  afterEach(() => stop())

  it('loads state, opens the first chart, shows status and the demo badge', async () => {
    render(<App createAdapter={() => new RecordingAdapter()} />)
    await settle()
    expect(screen.getByTestId('watchlist-row-AAPL')).toBeTruthy()
    expect(screen.getByTestId('chart-AAPL')).toBeTruthy()
    expect(screen.getByTestId('news-item-0').textContent).toContain('Headline n1')
    expect(screen.getByTestId('status-feed').textContent).toContain('live')
    expect(screen.getByTestId('demo-badge')).toBeTruthy()
    expect(document.documentElement.dataset.theme).toBe('dark')
  })

  it('keyboard: 1–4 pick the timeframe, space pauses and resumes, / focuses the add box', async () => {
    render(<App createAdapter={() => new RecordingAdapter()} />)
    await settle()
    fireEvent.keyDown(window, { key: '3' })
    expect(useChartStore.getState().timeframe).toBe('5m')
    expect(screen.getByTestId('timeframe-5m').getAttribute('aria-pressed')).toBe('true')
    await act(async () => fireEvent.keyDown(window, { key: ' ' }))
    expect(paused).toBe(true)
    expect(screen.getByTestId('pause-button').textContent).toContain('Resume')
    await act(async () => fireEvent.click(screen.getByTestId('pause-button')))
    expect(paused).toBe(false)
    fireEvent.keyDown(window, { key: '/' })
    await act(async () => new Promise((r) => requestAnimationFrame(() => r())))
    expect(document.activeElement).toBe(screen.getByTestId('watchlist-add-input'))
    // Typing in the box is not a shortcut.
    fireEvent.keyDown(screen.getByTestId('watchlist-add-input'), { key: '1' })
    expect(useChartStore.getState().timeframe).toBe('5m')
  })

  it('host events reach the UI: paused, status, news, and a notification click focuses the article', async () => {
    render(<App createAdapter={() => new RecordingAdapter()} />)
    await settle()
    act(() => host.emit('streams:paused', true))
    expect(screen.getByTestId('status-paused')).toBeTruthy()
    act(() => host.emit('status:changed', statusSnapshot({ kafka: { ...statusSnapshot().kafka, state: 'connected', spooledRecords: 0 } })))
    expect(screen.getByTestId('status-kafka').textContent).toContain('connected')
    act(() => host.emit('news:batch', { articles: [article('n2', 120_000, ['AAPL'])], impacts: [], moves: [] }))
    expect(screen.getByTestId('news-item-0').textContent).toContain('Headline n2')
    act(() => host.emit('signals:focus', { articleId: 'n1' }))
    expect(useNewsStore.getState().selectedId).toBe('n1')
    expect(useChartStore.getState().open).toContain('MSFT') // opened for the article's ticker
    expect(useChartStore.getState().focus).toMatchObject({ articleId: 'n1', time: 61_000 })
  })

  it('a live move alert toasts at once; clicking it focuses its timeline entry and chart; a signal toasts too', async () => {
    render(<App createAdapter={() => new RecordingAdapter()} />)
    await settle()
    const m = move('MSFT', Date.now())
    act(() => host.emit('news:batch', { articles: [], impacts: [], moves: [m] }))
    const toast = screen.getByTestId('toast')
    expect(toast.dataset.kind).toBe('move')
    expect(toast.textContent).toContain('MSFT −5.7 % in 40 s, 8.0σ beyond the market')
    expect(toast.textContent).toContain('no headline yet')
    expect(screen.getByTestId('move-item').dataset.moveId).toBe(m.id)
    fireEvent.click(toast.querySelector('.toast-body')!)
    expect(screen.queryByTestId('toast')).toBeNull()
    expect(useNewsStore.getState().selectedMoveId).toBe(m.id)
    expect(screen.getByTestId('move-item').className).toContain('selected')
    expect(useChartStore.getState().open).toContain('MSFT')
    expect(useChartStore.getState().focus).toMatchObject({ articleId: m.id, symbol: 'MSFT', time: m.detectedAt })
    // The same move again (a headline linked to it) is no second toast.
    act(() => host.emit('news:batch', { articles: [], impacts: [], moves: [{ ...m, headlines: ['n1'] }] }))
    expect(screen.queryByTestId('toast')).toBeNull()
    expect(screen.getByTestId('move-explained').textContent).toBe('explained by: Headline n1')
    const r = impact('n1', 'MSFT', { published: 61_000, signal: 'up', detectedAt: Date.now(), ar1: 0.02 })
    act(() => host.emit('news:batch', { articles: [], impacts: [r], moves: [] }))
    expect(screen.getByTestId('toast').dataset.kind).toBe('signal')
    act(() => host.emit('signals:focus', { moveId: m.id }))
    expect(useNewsStore.getState().selectedMoveId).toBe(m.id)
  })

  it("clicking a signal's toast opens the chart of the symbol that moved, even when another of the headline's charts is open", async () => {
    render(<App createAdapter={() => new RecordingAdapter()} />)
    await settle()
    expect(useChartStore.getState().open).toEqual(['AAPL'])
    const r = impact('n5', 'MSFT', { published: 180_000, signal: 'up', detectedAt: Date.now(), ar1: 0.02 })
    act(() => host.emit('news:batch', { articles: [article('n5', 180_000, ['AAPL', 'MSFT'])], impacts: [r], moves: [] }))
    const toast = screen.getByTestId('toast')
    expect(toast.dataset.symbol).toBe('MSFT')
    fireEvent.click(toast.querySelector('.toast-body')!)
    expect(useNewsStore.getState().selectedId).toBe('n5')
    expect(useChartStore.getState().open).toContain('MSFT')
  })

  it('Grafana tab explains how to start the stack when Grafana does not answer', async () => {
    render(<App createAdapter={() => new RecordingAdapter()} />)
    fireEvent.click(screen.getByTestId('grafana-tab'))
    await settle()
    const notice = screen.getByTestId('grafana-unreachable')
    expect(notice.textContent).toContain('ECONNREFUSED')
    expect(notice.textContent).toContain('npm run stack')
    expect(notice.textContent).toContain('docker compose -f docker/docker-compose.yml up -d')
    host.handlers['grafana:probe'] = () => ({ reachable: true, url: 'http://127.0.0.1:3000/d/newstape-market-news?kiosk', message: 'ok' })
    fireEvent.click(screen.getByTestId('grafana-retry'))
    await settle()
    expect(screen.getByTestId('grafana-frame').getAttribute('src')).toBe('http://127.0.0.1:3000/d/newstape-market-news?kiosk')
  })
})
