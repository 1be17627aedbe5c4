import { act, cleanup, fireEvent, render, screen } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { WatchlistEntry } from '@domain/watchlist'
import { MarketHub } from '../../market/market-hub'
import { installFakeHost } from '../../test/fake-host'
import { update } from '../../test/fixtures'
import { useChartStore } from '../charts/chart-store'
import { Watchlist } from './Watchlist'
import { useWatchlistStore } from './watchlist-store'

afterEach(cleanup)

describe('Watchlist', () => {
  let saved: WatchlistEntry[]
  beforeEach(async () => {
    useWatchlistStore.setState(useWatchlistStore.getInitialState(), true)
    useChartStore.setState(useChartStore.getInitialState(), true)
    saved = [
      { symbol: 'AAPL', aliases: [] },
      { symbol: 'MSFT', aliases: [] },
    ]
    installFakeHost({ 'watchlist:get': () => saved, 'watchlist:set': (l) => (saved = l) })
    await useWatchlistStore.getState().load()
  })

  const typeAndSubmit = async (text: string) => {
    fireEvent.change(screen.getByTestId('watchlist-add-input'), { target: { value: text } })
    await act(async () => {
      fireEvent.click(screen.getByTestId('watchlist-add-button'))
    })
  }

  it('shows an inline error for an invalid symbol and adds nothing', async () => {
    render(<Watchlist hub={new MarketHub(() => {})} />)
    await typeAndSubmit('1bad')
    const err = screen.getByTestId('watchlist-add-error')
    expect(err.textContent).toContain('"1BAD" is not a ticker')
    expect(screen.getByTestId('watchlist-add-input').getAttribute('aria-invalid')).toBe('true')
    expect(saved.map((e) => e.symbol)).toEqual(['AAPL', 'MSFT'])
    // Typing again clears the error.
    fireEvent.change(screen.getByTestId('watchlist-add-input'), { target: { value: 'N' } })
    expect(screen.queryByTestId('watchlist-add-error')).toBeNull()
  })

  it('rejects a duplicate with a clear message', async () => {
    render(<Watchlist hub={new MarketHub(() => {})} />)
    await typeAndSubmit('msft')
    expect(screen.getByTestId('watchlist-add-error').textContent).toBe('MSFT is already in the watchlist')
  })

  it('adds a valid symbol (upper-cased), clears the input and renders its row', async () => {
    render(<Watchlist hub={new MarketHub(() => {})} />)
    await typeAndSubmit('nvda')
    expect(screen.getByTestId('watchlist-row-NVDA')).toBeTruthy()
    expect((screen.getByTestId('watchlist-add-input') as HTMLInputElement).value).toBe('')
    expect(saved.map((e) => e.symbol)).toEqual(['AAPL', 'MSFT', 'NVDA'])
  })

  it('reorders, removes and edits aliases', async () => {
    render(<Watchlist hub={new MarketHub(() => {})} />)
    await act(async () => fireEvent.click(screen.getByTestId('watchlist-down-AAPL')))
    expect(saved.map((e) => e.symbol)).toEqual(['MSFT', 'AAPL'])
    fireEvent.click(screen.getByTestId('watchlist-aliases-AAPL'))
    fireEvent.change(screen.getByTestId('watchlist-aliases-input-AAPL'), { target: { value: 'Apple, iPhone maker' } })
    await act(async () => fireEvent.click(screen.getByTestId('watchlist-aliases-save-AAPL')))
    expect(saved[1]).toEqual({ symbol: 'AAPL', aliases: ['Apple', 'iPhone maker'] })
    expect(screen.getByTestId('watchlist-row-AAPL').textContent).toContain('Apple, iPhone maker')
    await act(async () => fireEvent.click(screen.getByTestId('watchlist-remove-MSFT')))
    expect(screen.queryByTestId('watchlist-row-MSFT')).toBeNull()
    expect(saved.map((e) => e.symbol)).toEqual(['AAPL'])
  })

  it('shows live last price, change and volume after a frame', () => {
    const frames: (() => void)[] = []
    const hub = new MarketHub((cb) => void frames.push(cb))
    render(<Watchlist hub={hub} />)
    expect(screen.getByTestId('watchlist-last-AAPL').textContent).toBe('—')
    hub.push([update('AAPL', {}, [], 102.5)])
    act(() => frames.splice(0).forEach((f) => f()))
    expect(screen.getByTestId('watchlist-last-AAPL').textContent).toBe('102.50')
    expect(screen.getByTestId('watchlist-change-AAPL').textContent).toBe('+2.50%')
    expect(screen.getByTestId('watchlist-change-AAPL').className).toContain('up')
    expect(screen.getByTestId('watchlist-volume-AAPL').textContent).toBe('1.23M')
  })

  it('clicking a symbol toggles its chart', () => {
    render(<Watchlist hub={new MarketHub(() => {})} />)
    fireEvent.click(screen.getByTestId('watchlist-open-MSFT'))
    expect(useChartStore.getState().open).toEqual(['MSFT'])
    fireEvent.click(screen.getByTestId('watchlist-open-MSFT'))
    expect(useChartStore.getState().open).toEqual([])
  })
})
