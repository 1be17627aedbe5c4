import { describe, expect, it } from 'vitest'
import { IDLE_MS, INITIAL_PACING, LATE_MS, LATE_WINDOW, MAX_STRIDE, RECOVER_FRAMES, nextPacing, type Pacing } from './frame-budget'

describe('nextPacing (how often each chart takes data)', () => {
  it.each<[string, Pacing, number, Pacing]>([
    ['on time at full rate: stays, counts the streak', { stride: 1, onTime: 5, late: 0 }, 16.7, { stride: 1, onTime: 6, late: 0 }],
    ['one missed frame alone: still every frame (a new bar, a GC)', { stride: 1, onTime: 40, late: 0 }, 33.4, { stride: 1, onTime: 0, late: 0b1 }],
    ['a second missed frame within the window: every other frame', { stride: 1, onTime: 3, late: 0b1000 }, 33.4, { stride: 2, onTime: 0, late: 0 }],
    ['the earlier late frame has left the window: a lone one again', { stride: 1, onTime: 7, late: 1 << (LATE_WINDOW - 1) }, 33.4, { stride: 1, onTime: 0, late: 0b1 }],
    ['late again at stride 2: every third frame', { stride: 2, onTime: 0, late: 0b10 }, 50, { stride: 3, onTime: 0, late: 0 }],
    ['never slower than MAX_STRIDE', { stride: MAX_STRIDE, onTime: 0, late: 0b1 }, 100, { stride: MAX_STRIDE, onTime: 0, late: 0 }],
    ['exactly at the threshold is on time', { stride: 2, onTime: 0, late: 0 }, LATE_MS, { stride: 2, onTime: 1, late: 0 }],
    ['on-time frames shift the window', { stride: 1, onTime: 0, late: 0b1 }, 16.7, { stride: 1, onTime: 1, late: 0b10 }],
    ['a steady run of on-time frames: one step faster', { stride: 3, onTime: RECOVER_FRAMES - 1, late: 0 }, 16.7, { stride: 2, onTime: 0, late: 0 }],
    ['a pause in the stream is not a slow frame', { stride: 2, onTime: 7, late: 0b100 }, IDLE_MS + 1, { stride: 2, onTime: 7, late: 0b100 }],
    ['no previous frame yet', { stride: 2, onTime: 7, late: 0 }, 0, { stride: 2, onTime: 7, late: 0 }],
  ])('%s', (_what, p, frameMs, next) => {
    expect(nextPacing(p, frameMs)).toEqual(next)
  })

  it('starts at full rate', () => {
    expect(INITIAL_PACING).toEqual({ stride: 1, onTime: 0, late: 0 })
  })

  it('frames late one in two climb to MAX_STRIDE; a lone late frame per window never leaves full rate', () => {
    let p = INITIAL_PACING
    for (let i = 0; i < 40; i++) p = nextPacing(p, i % 2 === 0 ? 40 : 16.7)
    expect(p.stride).toBe(MAX_STRIDE)
    let q = INITIAL_PACING
    for (let i = 0; i < 200; i++) q = nextPacing(q, i % LATE_WINDOW === 0 ? 40 : 16.7)
    expect(q.stride).toBe(1)
  })
})
