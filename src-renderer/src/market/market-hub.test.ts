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

  it('when frames run late, each chart takes data every other frame, a band of screen neighbours at a time, and nothing is lost', () => {
    const f = manualFrames()
    const hub = hubWith(f)
    const symbols = Array.from({ length: 12 }, (_, i) => `S${i}`)
    const got = new Map<string, number[]>()
    const perFrame: string[][] = []
    let delivered: string[] = []
    // Subscribed in another order than the screen's: the layout decides the bands.
    for (const s of [...symbols].reverse())
      hub.subscribeUpdates(s, (d) => {
        delivered.push(s)
        got.set(s, [...(got.get(s) ?? []), ...(d.kind === 'updates' ? d.updates.map((u) => u.bars['1s']!.close) : [])])
      })
    hub.setLayout(symbols)
    let t = 0
    let price = 0
    const tick = (frameMs: number) => {
      price++
      hub.push(symbols.map((s) => update(s, { '1s': bar(s, price, price) })))
      t += frameMs
      delivered = []
      f.run(t)
      perFrame.push(delivered.sort((a, b) => Number(a.slice(1)) - Number(b.slice(1))))
    }
    tick(16.7)
    tick(16.7) // on time: all 12 every frame
    expect(hub.stride).toBe(1)
    expect(perFrame.map((d) => d.length)).toEqual([12, 12])
    tick(50) // a slow frame: every other frame from now on…
    expect(hub.stride).toBe(2)
    for (let i = 0; i < 6; i++) tick(16.7)
    // …six charts a frame, the top half and the bottom half of the grid in turn (not 12 then 0, not scattered).
    const top = symbols.slice(0, 6)
    const bottom = symbols.slice(6)
    const halves = perFrame.slice(3)
    expect(halves).toHaveLength(6)
    for (let i = 0; i < halves.length; i++) expect(halves[i]).toEqual(i % 2 === 0 ? (perFrame[3]![0] === 'S0' ? top : bottom) : perFrame[3]![0] === 'S0' ? bottom : top)
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

  it('at stride 3 a 12-chart grid takes data a row at a time, in screen order; a chart off the layout still gets a band', () => {
    const f = manualFrames()
    const hub = hubWith(f)
    const symbols = Array.from({ length: 12 }, (_, i) => `S${i}`)
    let delivered: string[] = []
    for (const s of symbols) hub.subscribeUpdates(s, () => delivered.push(s))
    // The screen shows them in a different order; X is subscribed but not laid out (it goes last).
    const screen = [...symbols.slice(6), ...symbols.slice(0, 6)]
    hub.setLayout(screen)
    hub.subscribeUpdates('X', () => delivered.push('X'))
    let t = 0
    const frame = (ms: number) => {
      hub.push([...symbols, 'X'].map((s) => update(s, { '1s': bar(s, t, 1) })))
      t += ms
      delivered = []
      f.run(t)
      return new Set(delivered)
    }
    frame(16.7)
    frame(50)
    frame(50) // two slow frames: stride 3
    expect(hub.stride).toBe(3)
    const rows = [frame(16.7), frame(16.7), frame(16.7)]
    // 13 charts in 3 bands: positions 0–4, 5–8, 9–12 of [S6 … S11, S0 … S5, X].
    const order = [...screen, 'X']
    const expected = [order.slice(0, 5), order.slice(5, 9), order.slice(9)].map((b) => new Set(b))
    const sorted = (x: Set<string>) => [...x].sort()
    expect(rows.map(sorted).sort()).toEqual(expected.map(sorted).sort())
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
