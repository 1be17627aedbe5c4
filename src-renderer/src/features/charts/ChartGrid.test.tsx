// The grid tells the hub its screen order: paced charts then take data a band of neighbours at a time.
import { act, cleanup, render } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { MarketHub } from '../../market/market-hub'
import { installFakeHost } from '../../test/fake-host'
import { bar, update } from '../../test/fixtures'
import { RecordingAdapter } from '../../test/recording-adapter'
import { ChartGrid } from './ChartGrid'
import { useChartStore } from './chart-store'

afterEach(cleanup)
const flushPromises = () => act(async () => new Promise((r) => setTimeout(r, 0)))

describe('ChartGrid', () => {
  let frames: ((t?: number) => void)[]
  let hub: MarketHub
  let adapters: Map<string, RecordingAdapter>
  const factory = (el: HTMLElement) => {
    const a = new RecordingAdapter()
    const symbol = el.closest('[data-testid^="chart-"]')!.getAttribute('data-testid')!.slice('chart-'.length)
    adapters.set(symbol, a)
    return a
  }
  beforeEach(() => {
    frames = []
    adapters = new Map()
    hub = new MarketHub((cb) => void frames.push(cb))
    useChartStore.setState(useChartStore.getInitialState(), true)
    installFakeHost({ 'history:get': ({ symbol }) => [bar(symbol, 0, 100)] })
  })

  it('when frames run late, the charts take data in screen order, a half of the grid per frame', async () => {
    // Opened in one order, then reordered on screen: the charts subscribed in the first, the screen shows the second.
    useChartStore.setState({ open: ['AAPL', 'NVDA', 'MSFT', 'TSLA'], timeframe: '1m' })
    render(<ChartGrid createAdapter={factory} hub={hub} />)
    await flushPromises()
    const screen = ['TSLA', 'AAPL', 'NVDA', 'MSFT']
    act(() => useChartStore.setState({ open: screen }))
    await flushPromises()
    expect([...adapters.keys()].sort()).toEqual([...screen].sort())
    let t = 0
    let sec = 60
    const frame = (ms: number): string[] => {
      sec += 1
      for (const a of adapters.values()) a.calls = []
      hub.push(screen.map((s) => update(s, { '1m': bar(s, 60, sec) })))
      t += ms
      act(() => frames.splice(0).forEach((f) => f(t)))
      return screen.filter((s) => adapters.get(s)!.calls.length > 0)
    }
    expect(frame(16.7)).toEqual(screen)
    expect(frame(16.7)).toEqual(screen)
    frame(60) // late: every other frame from here
    expect(hub.stride).toBe(2)
    const next = [frame(16.7), frame(16.7), frame(16.7), frame(16.7)]
    const first = next[0]![0] === 'TSLA' ? screen.slice(0, 2) : screen.slice(2)
    const second = next[0]![0] === 'TSLA' ? screen.slice(2) : screen.slice(0, 2)
    expect(next).toEqual([first, second, first, second])
  })
})
