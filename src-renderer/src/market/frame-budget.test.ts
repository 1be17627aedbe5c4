import { describe, expect, it } from 'vitest'
import { IDLE_MS, INITIAL_PACING, LATE_MS, MAX_STRIDE, RECOVER_FRAMES, bandOf, nextPacing, type Pacing } from './frame-budget'

describe('nextPacing (how often each chart takes data)', () => {
  it.each<[string, Pacing, number, Pacing]>([
    ['on time at full rate: stays, counts the streak', { stride: 1, onTime: 5 }, 16.7, { stride: 1, onTime: 6 }],
    ['a missed frame: every other frame', { stride: 1, onTime: 40 }, 33.4, { stride: 2, onTime: 0 }],
    ['late again: every third frame', { stride: 2, onTime: 3 }, 50, { stride: 3, onTime: 0 }],
    ['never slower than MAX_STRIDE', { stride: MAX_STRIDE, onTime: 0 }, 100, { stride: MAX_STRIDE, onTime: 0 }],
    ['exactly at the threshold is on time', { stride: 2, onTime: 0 }, LATE_MS, { stride: 2, onTime: 1 }],
    ['a steady run of on-time frames: one step faster', { stride: 3, onTime: RECOVER_FRAMES - 1 }, 16.7, { stride: 2, onTime: 0 }],
    ['a pause in the stream is not a slow frame', { stride: 2, onTime: 7 }, IDLE_MS + 1, { stride: 2, onTime: 7 }],
    ['no previous frame yet', { stride: 2, onTime: 7 }, 0, { stride: 2, onTime: 7 }],
  ])('%s', (_what, p, frameMs, next) => {
    expect(nextPacing(p, frameMs)).toEqual(next)
  })

  it('starts at full rate', () => {
    expect(INITIAL_PACING).toEqual({ stride: 1, onTime: 0 })
  })
})

describe('bandOf (which frame of a stride a chart takes data in)', () => {
  const bands = (charts: number, stride: number) => Array.from({ length: charts }, (_, i) => bandOf(i, charts, stride))
  it.each<[number, number, number[]]>([
    [12, 1, [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]],
    // Two halves of the grid, top first.
    [12, 2, [0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1]],
    // A 4 × 3 grid at stride 3: one row a frame.
    [12, 3, [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2]],
    [12, 4, [0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3]],
    [5, 2, [0, 0, 0, 1, 1]],
    // Fewer charts than bands: each still has one, so each still takes data every `stride` frames.
    [2, 4, [0, 2]],
    [1, 3, [0]],
  ])('%d charts at stride %d', (charts, stride, expected) => {
    expect(bands(charts, stride)).toEqual(expected)
  })

  it('every band below the stride, whatever the count', () => {
    for (let charts = 1; charts <= 30; charts++)
      for (let stride = 1; stride <= 4; stride++)
        for (let i = 0; i < charts; i++) {
          const b = bandOf(i, charts, stride)
          expect(b).toBeGreaterThanOrEqual(0)
          expect(b).toBeLessThan(stride)
        }
  })
})
