import { cleanup, fireEvent, render, screen, within } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { article, impact, move } from '../../test/fixtures'
import { NewsItem } from './NewsItem'

afterEach(cleanup)

const noop = () => {}
const MIN = 60_000

describe('NewsItem', () => {
  it('renders section, headline, latency, stale badge and each ticker’s abnormal move with z, rvol, source and signal', () => {
    const t0 = Date.UTC(2026, 0, 5, 14, 30)
    const a = article('business/x', t0, ['AAPL', 'MSFT'], { title: 'Apple beats', stale: true })
    const r = impact(a.id, 'AAPL', {
      published: t0,
      asOf: t0 + 5 * MIN,
      ar1: 0.0123,
      ret1: 0.0131,
      z1: 2.04,
      ar5: -0.005,
      ret5: -0.002,
      z5: -3.2,
      rvol5: 3.456,
      rvolBasis: 'slot',
      signal: 'down',
      detectedAt: t0 + 41_200,
      confirmed: true,
      source: 'trades',
    })
    render(
      <ol>
        <NewsItem index={0} article={a} impacts={{ AAPL: r }} selected={false} onSelect={noop} onOpen={noop} onTicker={noop} />
      </ol>,
    )
    const item = screen.getByTestId('news-item-0')
    expect(item.dataset.signal).toBe('down')
    expect(item.textContent).toContain('business')
    expect(item.textContent).toContain('Apple beats')
    expect(item.textContent).toContain('lat 2.5 s')
    expect(screen.getByTestId('news-stale')).toBeTruthy()
    const aapl = within(screen.getByTestId('impact-AAPL'))
    expect(aapl.getByTestId('impact-1').textContent).toBe('+1m +1.23% z +2.0')
    expect(aapl.getByTestId('impact-1').getAttribute('title')).toContain('raw +1.31%')
    expect(aapl.getByTestId('impact-5').textContent).toBe('+5m −0.50% z −3.2')
    expect(aapl.getByTestId('impact-15').textContent).toBe('+15m …')
    expect(aapl.getByTestId('impact-rvol').textContent).toBe('rvol 3.5×')
    expect(aapl.getByTestId('impact-rvol').getAttribute('title')).toMatch(/recent days/)
    expect(aapl.getByTestId('impact-source').textContent).toBe('from REST trades')
    expect(aapl.getByTestId('impact-signal').textContent).toBe('▼ down 41 s after the headline · confirmed at +5 m')
    expect(aapl.queryByTestId('impact-move')).toBeNull()
    expect(screen.getByTestId('impact-MSFT').textContent).toContain('measuring…')
  })

  it('a passed horizon without trades says so (halted? when quiet), never 0 %; 1-s bars are named', () => {
    const t0 = Date.UTC(2026, 0, 5, 14, 30)
    const a = article('business/q', t0, ['AAPL', 'MSFT'])
    const quiet = impact(a.id, 'AAPL', { published: t0, asOf: t0 + 15 * MIN, quiet1: true, quiet5: true, quiet15: true, source: 'seconds' })
    const thin = impact(a.id, 'MSFT', { published: t0, asOf: t0 + 5 * MIN, quiet1: false, quiet5: false, ar5: 0.001, ret5: 0.001 })
    render(
      <ol>
        <NewsItem index={0} article={a} impacts={{ AAPL: quiet, MSFT: thin }} selected={false} onSelect={noop} onOpen={noop} onTicker={noop} />
      </ol>,
    )
    const aapl = within(screen.getByTestId('impact-AAPL'))
    expect(aapl.getByTestId('impact-5').textContent).toBe('+5m halted? no trades since the headline')
    expect(aapl.getByTestId('impact-15').textContent).toBe('+15m halted? no trades since the headline')
    expect(aapl.getByTestId('impact-source').textContent).toBe('from 1-s bars')
    const msft = within(screen.getByTestId('impact-MSFT'))
    expect(msft.getByTestId('impact-1').textContent).toBe('+1m no trades since the headline')
    expect(msft.getByTestId('impact-5').textContent).toBe('+5m +0.10%')
    expect(msft.getByTestId('impact-15').textContent).toBe('+15m …')
    expect(screen.getByTestId('news-item-0').textContent).not.toMatch(/0\.00%/)
  })

  it('shows that a move alert preceded the headline, and marks the headline stale when the engine says so', () => {
    const t0 = 1_035_000
    const m = move('TSLA', 1_000_000)
    const a = article('business/t', t0, ['TSLA'])
    const r = impact(a.id, 'TSLA', { published: t0, asOf: t0 + MIN, ar1: -0.01, move: m.id, stale: true })
    render(
      <ol>
        <NewsItem index={0} article={a} impacts={{ TSLA: r }} moves={{ [m.id]: m }} selected={false} onSelect={noop} onOpen={noop} onTicker={noop} />
      </ol>,
    )
    expect(screen.getByTestId('impact-move').textContent).toBe('⚡ preceded by a move alert 35 s before: −5.7 %')
    expect(screen.getByTestId('news-stale')).toBeTruthy()
  })

  it('says when no move can be measured: no trade at or before the headline in this session (p0 null)', () => {
    const a = article('business/old', Date.UTC(2026, 0, 5, 14, 30), ['AAPL', 'MSFT'])
    render(
      <ol>
        <NewsItem
          index={0}
          article={a}
          impacts={{ AAPL: impact(a.id, 'AAPL', { p0: null }), MSFT: impact(a.id, 'MSFT', { ar1: 0.001 }) }}
          selected={false}
          onSelect={noop}
          onOpen={noop}
          onTicker={noop}
        />
      </ol>,
    )
    expect(within(screen.getByTestId('impact-AAPL')).getByTestId('impact-none').textContent).toMatch(/no trades before it/)
    expect(within(screen.getByTestId('impact-MSFT')).queryByTestId('impact-none')).toBeNull()
    expect(within(screen.getByTestId('impact-MSFT')).getByTestId('impact-1').textContent).toBe('+1m +0.10%')
  })

  it('selects on click, opens the article and filters by ticker without selecting', () => {
    const onSelect = vi.fn<(id: string) => void>()
    const onOpen = vi.fn<(url: string) => void>()
    const onTicker = vi.fn<(s: string) => void>()
    const a = article('tech/y', 0, ['NVDA'])
    render(
      <ol>
        <NewsItem index={3} article={a} impacts={undefined} selected onSelect={onSelect} onOpen={onOpen} onTicker={onTicker} />
      </ol>,
    )
    const item = screen.getByTestId('news-item-3')
    expect(item.className).toContain('selected')
    expect(item.dataset.signal).toBe('pending')
    fireEvent.click(within(item).getByTestId('news-open'))
    expect(onOpen).toHaveBeenCalledWith('https://www.theguardian.com/tech/y')
    fireEvent.click(within(item).getByText('NVDA'))
    expect(onTicker).toHaveBeenCalledWith('NVDA')
    expect(onSelect).not.toHaveBeenCalled()
    fireEvent.click(item)
    expect(onSelect).toHaveBeenCalledWith('tech/y')
  })
})

describe('NewsItem tag reasons', () => {
  it('says on hover why each ticker was tagged', () => {
    const a = article('business/why', Date.UTC(2026, 0, 5, 14, 30), ['WMT', 'TGT', 'COST'], {
      title: 'Walmart and Target limit self-checkout',
      tagReasons: [
        { symbol: 'WMT', term: 'Walmart', rule: 'name', field: 'title' },
        { symbol: 'TGT', term: 'Target', rule: 'name-in-context', field: 'title' },
      ],
    })
    render(
      <ol>
        <NewsItem index={0} article={a} impacts={undefined} selected={false} onSelect={noop} onOpen={noop} onTicker={noop} />
      </ol>,
    )
    expect(screen.getByTestId('ticker-chip-TGT').getAttribute('title')).toBe('Tagged from “Target” (name, read from its context) in the headline. Click to show only TGT.')
    expect(screen.getByTestId('ticker-chip-WMT').getAttribute('title')).toContain('“Walmart” (company name)')
    expect(screen.getByTestId('ticker-chip-COST').getAttribute('title')).toContain('no reason recorded')
  })
})

describe('NewsItem tag correction', () => {
  it('offers the tag editor on the selected headline only', () => {
    const a = article('business/sel', Date.UTC(2026, 0, 5, 14, 30), ['AAPL'])
    const { rerender } = render(
      <ol>
        <NewsItem index={0} article={a} impacts={undefined} selected={false} onSelect={noop} onOpen={noop} onTicker={noop} />
      </ol>,
    )
    expect(screen.queryByTestId('tag-editor')).toBeNull()
    rerender(
      <ol>
        <NewsItem index={0} article={a} impacts={undefined} selected={true} onSelect={noop} onOpen={noop} onTicker={noop} />
      </ol>,
    )
    expect(screen.getByTestId('tag-remove-AAPL')).toBeTruthy()
  })
})
