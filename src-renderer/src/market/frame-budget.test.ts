import { describe, expect, it } from 'vitest'
import { IDLE_MS, INITIAL_PACING, LATE_MS, MAX_STRIDE, RECOVER_FRAMES, nextPacing, type Pacing } from './frame-budget'

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
