import { describe, expect, it } from 'vitest'
import { bar, update } from '../test/fixtures'
import { MarketHub, type HubDelivery } from './market-hub'

const manualFrames = () => {
  const frames: (() => void)[] = []
  return { schedule: (cb: () => void) => void frames.push(cb), run: () => frames.splice(0).forEach((f) => f()), frames }
}

describe('MarketHub', () => {
  it('applies queued updates once per frame, in arrival order, per symbol', () => {
    const f = manualFrames()
    const hub = new MarketHub(f.schedule)
    const got: HubDelivery[] = []
    hub.subscribeUpdates('AAPL', (d) => got.push(d))
    hub.push([update('AAPL', { '1s': bar('AAPL', 1, 1) }), update('MSFT', {})])
    hub.push([update('AAPL', { '1s': bar('AAPL', 2, 2) })])
    expect(f.frames).toHaveLength(1) // one frame scheduled for both batches
    expect(got).toEqual([])
    f.run()
    expect(got).toHaveLength(1)
    const d = got[0]!
    expect(d.kind === 'updates' && d.updates.map((u) => u.bars['1s']?.close)).toEqual([1, 2])
    f.run()
    expect(got).toHaveLength(1)
  })

  it('notifies summary listeners in the frame and keeps the latest summary', () => {
    const f = manualFrames()
    const hub = new MarketHub(f.schedule)
    let n = 0
    hub.subscribeSummary('AAPL', () => n++)
    hub.push([update('AAPL', {}, [], 101), update('AAPL', {}, [], 102)])
    expect(hub.getSummary('AAPL')?.last).toBe(102)
    expect(n).toBe(0)
    f.run()
    expect(n).toBe(1)
  })

  it('turns an overflowing queue (no frames, hidden window) into one resync', () => {
    const f = manualFrames()
    const hub = new MarketHub(f.schedule, 3)
    const got: HubDelivery[] = []
    hub.subscribeUpdates('AAPL', (d) => got.push(d))
    for (let i = 0; i < 10; i++) hub.push([update('AAPL', { '1s': bar('AAPL', i, i) })])
    f.run()
    expect(got).toEqual([{ kind: 'resync' }])
  })

  it('unsubscribe stops deliveries', () => {
    const f = manualFrames()
    const hub = new MarketHub(f.schedule)
    let n = 0
    const off = hub.subscribeUpdates('AAPL', () => n++)
    off()
    hub.push([update('AAPL', {})])
    f.run()
    expect(n).toBe(0)
  })
})
