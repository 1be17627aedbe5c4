import { describe, expect, it } from 'vitest'
import type { Bar } from '@domain/market'
import { bar, update } from '../../test/fixtures'
import { RecordingAdapter } from '../../test/recording-adapter'
import { ChartFeeder, normalise, type LoadHistory } from './chart-feeder'

/** History loader the test resolves by hand, to interleave live updates with a pending load. */
const manualLoader = () => {
  const pending: { resolve: (bars: Bar[]) => void; fail: (m: string) => void }[] = []
  const load: LoadHistory = () =>
    new Promise((res) => pending.push({ resolve: (bars) => res({ ok: true, bars }), fail: (message) => res({ ok: false, message }) }))
  return { load, pending }
}
const tick = () => new Promise((r) => setTimeout(r, 0))

describe('ChartFeeder', () => {
  it('sets history then updates the live bar in place and appends new ones', async () => {
    const a = new RecordingAdapter()
    const f = new ChartFeeder(a, 'AAPL', '1m', async () => ({ ok: true, bars: [bar('AAPL', 0, 1), bar('AAPL', 60, 2)] }))
    await f.load()
    expect(a.calls).toEqual(['setData:2'])
    f.apply({ kind: 'updates', updates: [update('AAPL', { '1m': bar('AAPL', 60, 2.5) })] })
    f.apply({ kind: 'updates', updates: [update('AAPL', { '1m': bar('AAPL', 120, 3), '1s': bar('AAPL', 121, 9) })] })
    expect(a.calls).toEqual(['setData:2', 'update:60', 'update:120'])
    expect(a.points.map((p) => p.close)).toEqual([1, 2.5, 3])
    expect(f.state).toBe('ready')
  })

  it('ignores updates without a bar for its timeframe', async () => {
    const a = new RecordingAdapter()
    const f = new ChartFeeder(a, 'AAPL', '5m', async () => ({ ok: true, bars: [] }))
    await f.load()
    f.apply({ kind: 'updates', updates: [update('AAPL', { '1s': bar('AAPL', 1, 1) })] })
    expect(a.calls).toEqual(['setData:0'])
  })

  it('reloads history (setData) when its timeframe is corrected, not update()', async () => {
    const a = new RecordingAdapter()
    let history = [bar('AAPL', 0, 1), bar('AAPL', 60, 2)]
    const f = new ChartFeeder(a, 'AAPL', '1m', async () => ({ ok: true, bars: history }))
    await f.load()
    history = [bar('AAPL', 0, 1.5), bar('AAPL', 60, 2), bar('AAPL', 120, 3)]
    f.apply({ kind: 'updates', updates: [update('AAPL', { '1m': bar('AAPL', 120, 3) }, ['1m'])] })
    await tick()
    expect(a.calls).toEqual(['setData:2', 'setData:3', 'update:120'])
    expect(a.points.map((p) => p.close)).toEqual([1.5, 2, 3])
  })

  it('a correction of another timeframe does not reload', async () => {
    const a = new RecordingAdapter()
    let loads = 0
    const f = new ChartFeeder(a, 'AAPL', '1m', async () => (loads++, { ok: true, bars: [bar('AAPL', 0, 1)] }))
    await f.load()
    f.apply({ kind: 'updates', updates: [update('AAPL', { '1m': bar('AAPL', 60, 2) }, ['1s'])] })
    await tick()
    expect(loads).toBe(1)
    expect(a.calls).toEqual(['setData:1', 'update:60'])
  })

  it('an unflagged older bar triggers a reload instead of a throwing update', async () => {
    const a = new RecordingAdapter()
    let loads = 0
    const f = new ChartFeeder(a, 'AAPL', '1m', async () => (loads++, { ok: true, bars: [bar('AAPL', 0, 1), bar('AAPL', 60, 2)] }))
    await f.load()
    expect(() => f.apply({ kind: 'updates', updates: [update('AAPL', { '1m': bar('AAPL', 0, 7) })] })).not.toThrow()
    await tick()
    expect(loads).toBe(2)
  })

  it('buffers live bars while history loads and replays only the newer ones', async () => {
    const a = new RecordingAdapter()
    const l = manualLoader()
    const f = new ChartFeeder(a, 'AAPL', '1m', l.load)
    const loading = f.load()
    f.apply({ kind: 'updates', updates: [update('AAPL', { '1m': bar('AAPL', 0, 9) })] })
    f.apply({ kind: 'updates', updates: [update('AAPL', { '1m': bar('AAPL', 60, 2.2) }), update('AAPL', { '1m': bar('AAPL', 120, 3) })] })
    expect(a.calls).toEqual([])
    l.pending[0]!.resolve([bar('AAPL', 0, 1), bar('AAPL', 60, 2)])
    await loading
    expect(a.calls).toEqual(['setData:2', 'update:60', 'update:120'])
    expect(a.points.map((p) => p.close)).toEqual([1, 2.2, 3])
  })

  it('coalesces reload requests while one is in flight (no request storm)', async () => {
    const a = new RecordingAdapter()
    const l = manualLoader()
    const f = new ChartFeeder(a, 'AAPL', '1m', l.load)
    void f.load()
    for (let i = 0; i < 5; i++) f.apply({ kind: 'updates', updates: [update('AAPL', {}, ['1m'])] })
    expect(l.pending).toHaveLength(1)
    l.pending[0]!.resolve([bar('AAPL', 0, 1)])
    await tick()
    expect(l.pending).toHaveLength(2) // exactly one follow-up
    l.pending[1]!.resolve([bar('AAPL', 0, 1), bar('AAPL', 60, 2)])
    await tick()
    expect(a.calls).toEqual(['setData:2'])
    expect(f.state).toBe('ready')
  })

  it('a hub resync reloads history', async () => {
    const a = new RecordingAdapter()
    let loads = 0
    const f = new ChartFeeder(a, 'AAPL', '1m', async () => (loads++, { ok: true, bars: [] }))
    await f.load()
    f.apply({ kind: 'resync' })
    await tick()
    expect(loads).toBe(2)
  })

  it('a failed history load shows an error and keeps live bars flowing', async () => {
    const a = new RecordingAdapter()
    const states: string[] = []
    const f = new ChartFeeder(a, 'AAPL', '1m', async () => ({ ok: false, message: 'worker down' }), (s) => states.push(s))
    await f.load()
    expect(f.state).toBe('error')
    expect(f.error).toContain('worker down')
    f.apply({ kind: 'updates', updates: [update('AAPL', { '1m': bar('AAPL', 60, 2) })] })
    expect(a.points).toHaveLength(1)
    expect(states).toEqual(['loading', 'error'])
  })

  it('drops bars of other symbols from history and sorts/dedupes it', async () => {
    const a = new RecordingAdapter()
    const f = new ChartFeeder(a, 'AAPL', '1m', async () => ({ ok: true, bars: [bar('AAPL', 60, 2), bar('MSFT', 0, 5), bar('AAPL', 0, 1), bar('AAPL', 60, 3)] }))
    await f.load()
    expect(a.points.map((p) => [p.time, p.close])).toEqual([
      [0, 1],
      [60, 3],
    ])
    expect(normalise([])).toEqual([])
  })

  it('after dispose, a late history answer is ignored', async () => {
    const a = new RecordingAdapter()
    const l = manualLoader()
    const f = new ChartFeeder(a, 'AAPL', '1m', l.load)
    const p = f.load()
    f.dispose()
    l.pending[0]!.resolve([bar('AAPL', 0, 1)])
    await p
    expect(a.calls).toEqual([])
  })
})
