// The chart boundary is the only fake: the real feeder, hub, stores and createApi run behind it.
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Timeframe } from '@domain/market'
import { installE2eHook } from '../../app/e2e-hook'
import { MarketHub } from '../../market/market-hub'
import { installFakeHost } from '../../test/fake-host'
import { article, bar, impact, move, update } from '../../test/fixtures'
import { RecordingAdapter } from '../../test/recording-adapter'
import { NewsTimeline } from '../news/NewsTimeline'
import { useNewsStore } from '../news/news-store'
import { useWatchlistStore } from '../watchlist/watchlist-store'
import { ChartPanel } from './ChartPanel'
import { useChartStore } from './chart-store'

afterEach(cleanup)
const flushPromises = () => act(async () => new Promise((r) => setTimeout(r, 0)))

describe('ChartPanel', () => {
  let adapters: RecordingAdapter[]
  let frames: (() => void)[]
  let hub: MarketHub
  let historyCalls: { symbol: string; timeframe: Timeframe }[]
  const factory = () => {
    const a = new RecordingAdapter()
    adapters.push(a)
    return a
  }
  beforeEach(() => {
    adapters = []
    frames = []
    historyCalls = []
    hub = new MarketHub((cb) => void frames.push(cb))
    useNewsStore.setState(useNewsStore.getInitialState(), true)
    useChartStore.setState(useChartStore.getInitialState(), true)
    useWatchlistStore.setState(useWatchlistStore.getInitialState(), true)
    installFakeHost({
      'history:get': ({ symbol, timeframe }) => {
        historyCalls.push({ symbol, timeframe })
        return [bar(symbol, 0, 100), bar(symbol, 60, 101)]
      },
      'shell:open-external': () => null,
    })
  })

  it('loads history, then applies hub updates per frame; a correction reloads', async () => {
    render(<ChartPanel symbol="AAPL" timeframe="1m" createAdapter={factory} hub={hub} />)
    await flushPromises()
    const a = adapters[0]!
    expect(historyCalls).toEqual([{ symbol: 'AAPL', timeframe: '1m' }])
    expect(a.calls).toEqual(['setData:2'])
    expect(screen.getByTestId('chart-AAPL').dataset.state).toBe('ready')
    hub.push([update('AAPL', { '1m': bar('AAPL', 120, 102) })])
    expect(a.calls).toHaveLength(1) // nothing until the frame
    act(() => frames.splice(0).forEach((f) => f()))
    expect(a.calls).toEqual(['setData:2', 'update:120'])
    hub.push([update('AAPL', { '1m': bar('AAPL', 120, 103) }, ['1m'])])
    act(() => frames.splice(0).forEach((f) => f()))
    await flushPromises()
    expect(historyCalls).toHaveLength(2)
    expect(a.calls.slice(2)).toEqual(['setData:2', 'update:120'])
  })

  it('a timeframe change rebuilds the chart and reloads that timeframe; unmount disposes', async () => {
    const { rerender, unmount } = render(<ChartPanel symbol="AAPL" timeframe="1m" createAdapter={factory} hub={hub} />)
    await flushPromises()
    rerender(<ChartPanel symbol="AAPL" timeframe="5m" createAdapter={factory} hub={hub} />)
    await flushPromises()
    expect(adapters[0]!.disposed).toBe(true)
    expect(historyCalls.map((c) => c.timeframe)).toEqual(['1m', '5m'])
    unmount()
    expect(adapters[1]!.disposed).toBe(true)
  })

  it('draws news markers; a marker click selects the timeline item, an item click moves the chart', async () => {
    useWatchlistStore.setState({ entries: [{ symbol: 'AAPL', aliases: [] }] })
    useNewsStore.getState().ingest({
      articles: [article('a1', 61_000, ['AAPL']), article('a2', 130_000, ['AAPL'])],
      impacts: [impact('a1', 'AAPL', { signal: 'up' })],
      moves: [],
    })
    render(
      <>
        <ChartPanel symbol="AAPL" timeframe="1m" createAdapter={factory} hub={hub} />
        <NewsTimeline />
      </>,
    )
    await flushPromises()
    const a = adapters[0]!
    expect(a.markerList.map((m) => [m.id, m.time, m.shape])).toEqual([
      ['a1', 60, 'arrowUp'],
      ['a2', 120, 'circle'],
    ])
    act(() => a.clickMarker('a1'))
    expect(useNewsStore.getState().selectedId).toBe('a1')
    expect(screen.getByTestId('news-item-1').className).toContain('selected') // newest first: a2, a1
    expect(a.markerList.find((m) => m.id === 'a1')!.size).toBe(2)
    expect(a.shownTimes).toEqual([61])
    fireEvent.click(screen.getByTestId('news-item-0'))
    expect(a.shownTimes).toEqual([61, 130])
    expect(a.markerList.find((m) => m.id === 'a2')!.size).toBe(2)
    // New impacts recolour the markers.
    act(() => useNewsStore.getState().ingest({ articles: [], impacts: [impact('a2', 'AAPL', { signal: 'down' })], moves: [] }))
    expect(a.markerList.find((m) => m.id === 'a2')!.shape).toBe('arrowDown')
  })

  it('draws the symbol’s move alerts; a move marker click selects the move entry and shows its time', async () => {
    useWatchlistStore.setState({ entries: [{ symbol: 'AAPL', aliases: [] }] })
    const m = move('AAPL', 185_000, { direction: 'up' })
    useNewsStore.getState().ingest({ articles: [], impacts: [], moves: [m, move('MSFT', 100_000)] })
    render(<ChartPanel symbol="AAPL" timeframe="1m" createAdapter={factory} hub={hub} />)
    await flushPromises()
    const a = adapters[0]!
    expect(a.markerList.map((x) => [x.id, x.time, x.shape, x.size])).toEqual([[m.id, 180, 'arrowUp', 1]])
    act(() => a.clickMarker(m.id))
    expect(useNewsStore.getState().selectedMoveId).toBe(m.id)
    expect(a.markerList[0]!.size).toBe(2)
    expect(a.shownTimes).toEqual([185])
  })

  it('the e2e hook exposes the series candles only with ?e2e=1', async () => {
    expect(installE2eHook('?token=x')).toBe(false)
    expect(window.__newstape).toBeUndefined()
    expect(installE2eHook('?token=x&e2e=1')).toBe(true)
    render(<ChartPanel symbol="MSFT" timeframe="1m" createAdapter={factory} hub={hub} />)
    await flushPromises()
    expect(window.__newstape!.seriesData('MSFT', '1m')?.map((p) => p.close)).toEqual([100, 101])
    expect(window.__newstape!.seriesState('MSFT', '1m')).toBe('ready')
    expect(window.__newstape!.seriesData('MSFT', '5m')).toBeNull()
  })
})
