import { describe, expect, it } from 'vitest'
import { disabledKafkaStatus, type NewsStatus } from '../domain/status'
import { createStatusAggregator, IDLE_FEED, type StatusParts } from './status-aggregator'

const news: NewsStatus = { state: 'idle', message: '', callsToday: 0, dailyBudget: 0, nextPollAt: null, lastPollAt: null, lastError: null }
const parts = (messages: number, paused = false): StatusParts => ({ paused, feed: { ...IDLE_FEED, state: 'live' }, news, kafka: disabledKafkaStatus(), messages })

describe('status aggregator', () => {
  // [clock ms, messages so far, paused] → msgsPerSec reported
  const cases: [string, [number, number, boolean][], number[]][] = [
    ['no rate before a second has passed', [[500, 100, false]], [0]],
    ['messages over the elapsed time, once a second has passed', [[1_000, 100, false], [1_500, 150, false], [3_000, 400, false]], [100, 100, 150]],
    ['paused shows 0 whatever arrived', [[1_000, 100, true], [2_000, 300, false]], [0, 200]],
  ]
  it.each(cases)('%s', (_name, steps, rates) => {
    let t = 0
    const agg = createStatusAggregator(() => t)
    const got = steps.map(([at, n, paused]) => {
      t = at
      return agg.snapshot(parts(n, paused)).feed.msgsPerSec
    })
    expect(got).toEqual(rates)
  })

  it('sends a snapshot only when something changed, or when forced', () => {
    let t = 0
    const agg = createStatusAggregator(() => t)
    expect(agg.changed(parts(0))).not.toBeNull()
    expect(agg.changed(parts(0))).toBeNull()
    expect(agg.changed(parts(0), true)).not.toBeNull()
    expect(agg.changed(parts(0, true))?.paused).toBe(true)
    t = 2_000
    expect(agg.changed(parts(50, true))).toBeNull() // paused: the rate shows 0 either way
    expect(agg.changed(parts(50))?.feed.msgsPerSec).toBe(25)
  })
})
