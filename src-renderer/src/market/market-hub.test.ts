import { describe, expect, it } from 'vitest'
import { bar, update } from '../test/fixtures'
import { MarketHub, type HubDelivery } from './market-hub'

/** Frames and end-of-task callbacks run by hand. */
const manualFrames = () => {
  const frames: ((t?: number) => void)[] = []
  const tasks: (() => void)[] = []
  return {
    schedule: (cb: (t?: number) => void) => void frames.push(cb),
    post: (cb: () => void) => void tasks.push(cb),
    run: (t?: number) => frames.splice(0).forEach((f) => f(t)),
    endTask: () => tasks.splice(0).forEach((f) => f()),
    frames,
    tasks,
  }
}
const hubWith = (f: ReturnType<typeof manualFrames>, maxQueue?: number) => new MarketHub(f.schedule, maxQueue, { post: f.post })

describe('MarketHub', () => {
  it('hands a message task’s updates to the chart when the task ends, in arrival order', () => {
    const f = manualFrames()
    const hub = hubWith(f)
    const got: HubDelivery[] = []
    hub.subscribeUpdates('AAPL', (d) => got.push(d))
    hub.push([update('AAPL', { '1s': bar('AAPL', 1, 1) })])
    hub.push([update('AAPL', { '1s': bar('AAPL', 2, 2) })])
    expect(f.tasks).toHaveLength(1) // one delivery for both pushes of the task
    expect(got).toEqual([])
    f.endTask()
    // Before the next frame: lightweight-charts then paints it in that frame, not the one after.
    expect(got).toHaveLength(1)
    const d = got[0]!
    expect(d.kind === 'updates' && d.updates.map((u) => u.bars['1s']?.close)).toEqual([1, 2])
    expect(f.frames).toHaveLength(1) // the frame loop runs while data flows
    f.run(16.7)
    f.run(33.4)
    expect(f.frames).toHaveLength(0) // …and stops when it does not
  })

  it('applies queued updates once per frame, in arrival order, per symbol', () => {
    const f = manualFrames()
    const hub = hubWith(f)
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
    const hub = hubWith(f)
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
    const hub = hubWith(f, 3)
    const got: HubDelivery[] = []
    hub.subscribeUpdates('AAPL', (d) => got.push(d))
    for (let i = 0; i < 10; i++) hub.push([update('AAPL', { '1s': bar('AAPL', i, i) })])
    f.run()
    expect(got).toEqual([{ kind: 'resync' }])
  })

  it('when frames run late, all charts take data together every other frame, and nothing is lost', () => {
    const f = manualFrames()
    const hub = hubWith(f)
    const symbols = Array.from({ length: 12 }, (_, i) => `S${i}`)
    const got = new Map<string, number[]>()
    const perFrame: number[] = []
    let n = 0
    for (const s of symbols)
      hub.subscribeUpdates(s, (d) => {
        n++
        got.set(s, [...(got.get(s) ?? []), ...(d.kind === 'updates' ? d.updates.map((u) => u.bars['1s']!.close) : [])])
      })
    let t = 0
    let price = 0
    const tick = (frameMs: number) => {
      price++
      hub.push(symbols.map((s) => update(s, { '1s': bar(s, price, price) })))
      t += frameMs
      n = 0
      f.run(t)
      perFrame.push(n)
    }
    tick(16.7)
    tick(16.7) // on time: all 12 every frame
    expect(hub.stride).toBe(1)
    expect(perFrame).toEqual([12, 12])
    tick(50) // one slow frame alone changes nothing…
    expect(hub.stride).toBe(1)
    tick(50) // …a second one soon after: every other frame from now on…
    expect(hub.stride).toBe(2)
    for (let i = 0; i < 6; i++) tick(16.7)
    // …all twelve in the same frame (one frame's fixed cost for all), none in the next.
    const paced = perFrame.slice(4)
    expect([...paced].sort()).toEqual([0, 0, 0, 12, 12, 12])
    for (let i = 1; i < paced.length; i++) expect(paced[i]).not.toBe(paced[i - 1])
    // Every chart got every update, in order (coalesced two frames at a time).
    for (let i = 0; i < 3; i++) {
      t += 16.7
      f.run(t)
    }
    for (const s of symbols) expect(got.get(s)).toEqual(Array.from({ length: price }, (_, k) => k + 1))
    // A steady run of on-time frames brings full rate back.
    for (let i = 0; i < 40; i++) tick(16.7)
    expect(hub.stride).toBe(1)
  })

  it('at stride 3 the charts take data one frame in three, including what arrives between frames', () => {
    const f = manualFrames()
    const hub = hubWith(f)
    const symbols = ['AAPL', 'MSFT', 'NVDA']
    let delivered = 0
    for (const s of symbols) hub.subscribeUpdates(s, () => delivered++)
    let t = 0
    const frame = (ms: number) => {
      hub.push(symbols.map((s) => update(s, { '1s': bar(s, t, 1) })))
      t += ms
      delivered = 0
      f.run(t)
      // A message between frames: handed over at the end of its task only in a frame that is due.
      hub.push([update('AAPL', { '1s': bar('AAPL', t, 2) })])
      f.endTask()
      return delivered
    }
    frame(16.7)
    for (let i = 0; i < 4; i++) frame(50) // slow frames: two per step, stride 3
    expect(hub.stride).toBe(3)
    const counts = Array.from({ length: 6 }, () => frame(16.7))
    // 3 charts in the frame, plus AAPL again after it; nothing in the two frames between.
    expect([...counts].sort()).toEqual([0, 0, 0, 0, 4, 4])
    expect(counts.indexOf(4) + 3).toBe(counts.lastIndexOf(4))
  })

  it('a stream that pauses between bursts is not taken for slow frames', () => {
    const f = manualFrames()
    // Watchlist text every frame, so the loop stops as soon as the data does.
    const hub = new MarketHub(f.schedule, undefined, { post: f.post, summaryEveryMs: 0 })
    hub.subscribeUpdates('AAPL', () => {})
    let t = 0
    // A trade every 50 ms: the frame loop stops after each burst and the next push starts it again.
    for (let i = 0; i < 20; i++) {
      hub.push([update('AAPL', { '1s': bar('AAPL', i, i) })])
      f.run(t)
      f.run(t + 16.7)
      f.run(t + 33.4)
      expect(f.frames).toHaveLength(0) // the loop has stopped
      t += 50
    }
    expect(hub.stride).toBe(1)
    // While the loop runs on, a slow frame still counts.
    hub.push([update('AAPL', { '1s': bar('AAPL', 99, 99) })])
    f.run(t)
    hub.push([update('AAPL', { '1s': bar('AAPL', 100, 100) })])
    f.run(t + 50)
    hub.push([update('AAPL', { '1s': bar('AAPL', 101, 101) })])
    f.run(t + 100)
    expect(hub.stride).toBe(2)
  })

  it('refreshes watchlist rows at most every 200 ms, with the latest summary', () => {
    const f = manualFrames()
    const hub = hubWith(f)
    const seen: (number | null | undefined)[] = []
    hub.subscribeSummary('AAPL', () => seen.push(hub.getSummary('AAPL')?.last))
    let t = 1000
    for (let i = 0; i < 30; i++) {
      hub.push([update('AAPL', {}, [], 100 + i)])
      t += 16.7
      f.run(t)
    }
    // 30 frames ≈ 500 ms: the first frame, then every ≥ 200 ms.
    expect(seen).toEqual([100, 112, 124])
    // The last change is not lost: a frame after the period shows it.
    t += 200
    f.run(t)
    expect(seen.at(-1)).toBe(129)
  })

  it('unsubscribe stops deliveries', () => {
    const f = manualFrames()
    const hub = hubWith(f)
    let n = 0
    const off = hub.subscribeUpdates('AAPL', () => n++)
    off()
    hub.push([update('AAPL', {})])
    f.run()
    expect(n).toBe(0)
  })
})
