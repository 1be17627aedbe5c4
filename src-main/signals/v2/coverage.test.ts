import { describe, expect, it } from 'vitest'
import { Coverage } from './coverage'

/** Spans 1 ms apart join; 2 ms apart leave a gap. */
describe('Coverage joins', () => {
  it.each([
    { gap: 0, want: true },
    { gap: 1, want: true },
    { gap: 2, want: false },
  ])('history to 100, live from 100 + $gap', ({ gap, want }) => {
    const c = new Coverage()
    c.addHistory(0, 100, 'trades')
    c.liveStarted(100 + gap)
    expect(c.covered(50, 150, 200)).toBe(want)
    c.liveStopped(180)
    expect(c.covered(50, 150, 200)).toBe(want)
    expect(c.gaps(0, 180, 200)).toEqual(want ? [] : [[100, 102]])
  })
  it('an open span between closed ones joins them', () => {
    const c = new Coverage()
    c.addHistory(0, 100, 'trades')
    c.addHistory(300, 400, 'trades')
    c.liveStarted(101)
    expect(c.covered(0, 400, 250)).toBe(false)
    expect(c.covered(0, 400, 299)).toBe(true)
  })
})

const build = (): Coverage => {
  const c = new Coverage()
  c.addHistory(0, 100, 'trades')
  c.liveStarted(100)
  c.livePrint(150)
  c.liveStopped(200)
  c.liveStarted(300)
  c.livePrint(310)
  return c
}

describe('Coverage', () => {
  it.each([
    { a: 10, b: 90, now: 400, want: true },
    { a: 0, b: 100, now: 400, want: true },
    { a: 90, b: 110, now: 400, want: true }, // history then live: one stretch
    { a: 150, b: 200, now: 400, want: true },
    { a: 190, b: 210, now: 400, want: false }, // the socket was down
    { a: 300, b: 400, now: 400, want: true }, // the open live span runs to data time
    { a: 300, b: 401, now: 400, want: false },
    { a: 300, b: 310, now: 305, want: true }, // ... or to its last print when later
    { a: 300, b: 311, now: 305, want: false },
  ])('[$a, $b] at $now', ({ a, b, now, want }) => expect(build().covered(a, b, now)).toBe(want))

  it.each([
    { from: 50, to: 350, now: 400, want: [[200, 300]] },
    { from: 50, to: 90, now: 400, want: [] },
    { from: -50, to: 500, now: 400, want: [[-50, 0], [200, 300], [400, 500]] },
  ])('gaps of [$from, $to]', ({ from, to, now, want }) => expect(build().gaps(from, to, now)).toEqual(want))

  it('a live print without a start opens a span at the print', () => {
    const c = new Coverage()
    c.livePrint(1000)
    c.livePrint(2000)
    expect(c.covered(1000, 2000, 1500)).toBe(true)
    expect(c.covered(999, 2000, 3000)).toBe(false)
  })

  it('evicts closed spans that ended before a time, never the open one', () => {
    const c = build()
    c.evict(250)
    expect(c.spans.map((s) => [s.from, s.source])).toEqual([[300, 'live']])
  })
})
