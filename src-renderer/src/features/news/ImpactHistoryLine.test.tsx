import { act, cleanup, fireEvent, render, screen } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ImpactHistory, ImpactHistoryAnswer } from '@contract/contract'
import { installFakeHost, type FakeHost } from '../../test/fake-host'
import { article } from '../../test/fixtures'
import { useChartStore } from '../charts/chart-store'
import { useWatchlistStore } from '../watchlist/watchlist-store'
import { ImpactHistoryLine, UNAVAILABLE_HINT } from './ImpactHistoryLine'
import { NewsTimeline } from './NewsTimeline'
import { useNewsStore } from './news-store'

afterEach(cleanup)
const settle = () => act(async () => new Promise((r) => setTimeout(r, 0)))

const past = (symbol: string, over: Partial<ImpactHistory> = {}): ImpactHistory => ({
  symbol,
  headlines: 42,
  ret1: { n: 42, q1: -0.001, median: 0.002, q3: 0.004 },
  ret5: { n: 40, q1: -0.002, median: 0.008, q3: 0.011 },
  ret15: { n: 38, q1: -0.003, median: 0.005, q3: 0.02 },
  signals: 13,
  signalShare: 0.31,
  firstPublished: Date.UTC(2026, 0, 5),
  lastPublished: Date.UTC(2026, 1, 2),
  computedAt: Date.UTC(2026, 1, 3, 6, 7),
  ...over,
})

describe('ImpactHistoryLine', () => {
  let host: FakeHost
  let answers: Record<string, ImpactHistoryAnswer | (() => Promise<ImpactHistoryAnswer>)>
  beforeEach(() => {
    answers = {}
    host = installFakeHost({
      'impact:history': async ({ symbol }) => {
        const a = answers[symbol]
        if (a === undefined) throw new Error(`unexpected ${symbol}`)
        return typeof a === 'function' ? a() : a
      },
    })
  })

  it('shows the history line for the symbol, with the details as a tooltip', async () => {
    answers.AAPL = { state: 'ready', history: past('AAPL') }
    render(<ImpactHistoryLine symbol="AAPL" />)
    expect(screen.getByTestId('impact-history').dataset.state).toBe('loading')
    await settle()
    const line = screen.getByTestId('impact-history')
    expect(line.dataset.state).toBe('ready')
    expect(line.textContent).toBe('AAPL after 42 past headlines: median +5 m move +0.8 %, 31 % signalled')
    expect(line.title).toContain('+15 m: median +0.5 %, middle half −0.3 % … +2.0 % (n 38)')
    expect(host.calls).toEqual([{ channel: 'impact:history', arg: { symbol: 'AAPL' } }])
  })

  it.each<[string, ImpactHistoryAnswer | (() => Promise<ImpactHistoryAnswer>), string, string, string | undefined]>([
    ['no history yet', { state: 'ready', history: null }, 'empty', 'no past headlines measured yet', undefined],
    [
      'PostgreSQL away',
      { state: 'unavailable', message: 'PostgreSQL is not reachable at 127.0.0.1:5432/test' },
      'unavailable',
      UNAVAILABLE_HINT,
      'PostgreSQL is not reachable at 127.0.0.1:5432/test',
    ],
    ['host error', async () => Promise.reject(new Error('worker gone')), 'unavailable', UNAVAILABLE_HINT, 'worker gone'],
  ])('%s → a short notice, the reason on hover', async (_name, answer, state, text, title) => {
    answers.MSFT = answer
    render(<ImpactHistoryLine symbol="MSFT" />)
    await settle()
    expect(screen.getByTestId('impact-history').dataset.state).toBe(state)
    expect(screen.getByTestId('impact-history-text').textContent).toBe(text)
    expect(screen.getByTestId('impact-history').getAttribute('title') ?? undefined).toBe(title)
  })

  it('renders nothing and asks nothing without a symbol', async () => {
    const { container } = render(<ImpactHistoryLine symbol={null} />)
    await settle()
    expect(container.innerHTML).toBe('')
    expect(host.calls).toEqual([])
  })

  it('a late answer for the previous symbol never shows under the new one', async () => {
    let releaseOld: (a: ImpactHistoryAnswer) => void = () => undefined
    answers.AAPL = () => new Promise((r) => (releaseOld = r))
    answers.NVDA = { state: 'ready', history: past('NVDA', { headlines: 7, signalShare: 0 }) }
    const { rerender } = render(<ImpactHistoryLine symbol="AAPL" />)
    await settle()
    rerender(<ImpactHistoryLine symbol="NVDA" />)
    await settle()
    releaseOld({ state: 'ready', history: past('AAPL') })
    await settle()
    expect(screen.getByTestId('impact-history').textContent).toBe('NVDA after 7 past headlines: median +5 m move +0.8 %, 0 % signalled')
  })
})

describe('NewsTimeline shows the history of the selected symbol', () => {
  beforeEach(() => {
    useNewsStore.setState(useNewsStore.getInitialState(), true)
    useChartStore.setState(useChartStore.getInitialState(), true)
    useWatchlistStore.setState(useWatchlistStore.getInitialState(), true)
    installFakeHost({
      'impact:history': ({ symbol }) => ({ state: 'ready', history: past(symbol, { headlines: symbol.length }) }),
    })
  })

  it('follows the open chart, then the selected headline, then the ticker filter', async () => {
    useWatchlistStore.setState({ entries: [{ symbol: 'AAPL', aliases: [] }, { symbol: 'MSFT', aliases: [] }] })
    useChartStore.setState({ open: ['AAPL'] })
    useNewsStore.getState().reset({ articles: [article('n1', 1_000, ['MSFT']), article('n2', 2_000, ['NVDA', 'AAPL'])], impacts: [], moves: [] })
    render(<NewsTimeline />)
    await settle()
    expect(screen.getByTestId('impact-history').textContent).toMatch(/^AAPL after 4 past headlines/)
    act(() => useNewsStore.getState().select('n1'))
    await settle()
    expect(screen.getByTestId('impact-history').textContent).toMatch(/^MSFT after 4 past headlines/)
    // The ticker filter wins over the selected headline.
    fireEvent.change(screen.getByTestId('news-filter-ticker'), { target: { value: 'AAPL' } })
    await settle()
    expect(screen.getByTestId('impact-history').textContent).toMatch(/^AAPL after 4 past headlines/)
    // Clearing the filter goes back to the headline's symbol.
    fireEvent.change(screen.getByTestId('news-filter-ticker'), { target: { value: '' } })
    await settle()
    expect(screen.getByTestId('impact-history').textContent).toMatch(/^MSFT/)
  })
})
