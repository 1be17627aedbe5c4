import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { useChartStore } from '../charts/chart-store'
import { useWatchlistStore } from '../watchlist/watchlist-store'
import { installFakeHost } from '../../test/fake-host'
import { article, impact, move } from '../../test/fixtures'
import { NewsTimeline } from './NewsTimeline'
import { useNewsStore } from './news-store'

afterEach(cleanup)

describe('NewsTimeline move alerts', () => {
  beforeEach(() => {
    useNewsStore.setState(useNewsStore.getInitialState(), true)
    useChartStore.setState(useChartStore.getInitialState(), true)
    useWatchlistStore.setState({ entries: [{ symbol: 'TSLA', aliases: [] }] })
    installFakeHost({ 'impact:history': () => ({ state: 'ready', history: null }) })
  })

  it('shows a move alert as its own entry at once; the explaining headline joins it and its row says so', () => {
    const m = move('TSLA', 1_000_000)
    render(<NewsTimeline />)
    act(() => useNewsStore.getState().ingest({ articles: [article('old', 500_000, ['TSLA'])], impacts: [], moves: [m] }))
    const entry = screen.getByTestId('move-item')
    expect(entry.dataset.moveId).toBe(m.id)
    expect(within(entry).getByTestId('move-title').textContent).toBe('TSLA −5.7 % in 40 s, 8.0σ beyond the market')
    expect(within(entry).getByTestId('move-unexplained').textContent).toBe('no headline yet')
    // Newest first: the move (detected at 1 000 s) above the older headline, which keeps index 0.
    const rows = [...document.querySelectorAll('.news-list > li')].map((el) => el.getAttribute('data-testid'))
    expect(rows).toEqual(['move-item', 'news-item-0'])

    const h = article('tsla-recall', 1_035_000, ['TSLA'], { title: 'Tesla recalls 2m cars' })
    act(() =>
      useNewsStore.getState().ingest({
        articles: [h],
        impacts: [impact(h.id, 'TSLA', { published: h.published, asOf: h.published, move: m.id })],
        moves: [{ ...m, headlines: [h.id] }],
      }),
    )
    expect(screen.getByTestId('move-item').dataset.explained).toBe('yes')
    expect(screen.getByTestId('move-explained').textContent).toBe('explained by: Tesla recalls 2m cars')
    expect(within(screen.getByTestId('news-item-0')).getByTestId('impact-move').textContent).toContain('preceded by a move alert 35 s before')

    fireEvent.click(screen.getByTestId('move-item'))
    expect(useNewsStore.getState().selectedMoveId).toBe(m.id)
    expect(screen.getByTestId('move-item').className).toContain('selected')
    expect(useChartStore.getState().focus).toMatchObject({ articleId: m.id, symbol: 'TSLA', time: 1_000_000 })
    fireEvent.click(within(screen.getByTestId('move-explained')).getByText('Tesla recalls 2m cars'))
    expect(useNewsStore.getState().selectedId).toBe(h.id)
    expect(useNewsStore.getState().selectedMoveId).toBeNull()
  })

  it('an impact naming the move explains it before the move is re-sent', () => {
    const m = move('TSLA', 1_000_000)
    const h = article('h', 990_000, ['TSLA'], { title: 'Tesla guidance cut' })
    render(<NewsTimeline />)
    act(() => useNewsStore.getState().ingest({ articles: [h], impacts: [impact(h.id, 'TSLA', { published: h.published, move: m.id })], moves: [m] }))
    expect(screen.getByTestId('move-explained').textContent).toBe('explained by: Tesla guidance cut')
    expect(screen.getByTestId('impact-move').textContent).toContain('move alert 10 s after')
  })
})
