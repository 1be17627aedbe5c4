// One chart that throws (a charting-library assertion) fails alone: it says so, the other charts stay.
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { installFakeHost } from '../../test/fake-host'
import { bar } from '../../test/fixtures'
import { RecordingAdapter } from '../../test/recording-adapter'
import { ChartGrid } from './ChartGrid'
import { useChartStore } from './chart-store'

afterEach(cleanup)
const flushPromises = () => act(async () => new Promise((r) => setTimeout(r, 0)))

describe('ChartGrid', () => {
  beforeEach(() => {
    useChartStore.setState({ ...useChartStore.getInitialState(), open: ['AAPL', 'MSFT'] }, true)
    installFakeHost({ 'history:get': ({ symbol }) => [bar(symbol, 0, 100)] })
  })

  it('a chart whose adapter throws shows its error and a way back; the other chart keeps working', async () => {
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    let failMsft = true
    const factory = (el: HTMLElement) => {
      const a = new RecordingAdapter()
      if (el.closest('[data-testid="chart-MSFT"]') && failMsft) throw new Error('Value is null')
      return a
    }
    render(<ChartGrid createAdapter={factory} />)
    await flushPromises()
    expect(screen.getByTestId('chart-AAPL').dataset.state).toBe('ready')
    const msft = screen.getByTestId('chart-MSFT')
    expect(msft.dataset.state).toBe('failed')
    expect(msft.textContent).toContain('chart failed: Value is null')
    failMsft = false
    fireEvent.click(screen.getByText('reload'))
    await flushPromises()
    expect(screen.getByTestId('chart-MSFT').dataset.state).toBe('ready')
    quiet.mockRestore()
  })
})
