import { describe, expect, it } from 'vitest'
import { ALERT_FRESH_MS, ALERT_MAX_AGE_MS, moveAlertFresh, signalAlertFresh } from './alert-policy'

const NOW = 1_800_000_000_000
const S = 1000

describe('alert policy', () => {
  it.each([
    ['detected now', 0, true],
    ['detected at the fresh limit', ALERT_FRESH_MS, true],
    ['detected just past it (history, a replay)', ALERT_FRESH_MS + 1, false],
    ['detected in the future (clock skew)', -5 * S, true],
    ['no time', NaN, false],
  ])('move alert %s', (_, ago, fresh) => {
    expect(moveAlertFresh({ detectedAt: NOW - ago }, NOW)).toBe(fresh)
  })

  it.each([
    // [name, signal, detected ago, alertAt ago (null: none), fresh]
    ['fired now on a headline already there', 'up', 0, 0, true],
    ['fired 3 s after t0, headline delivered 95 s later, arriving now', 'down', 95 * S, 0, true],
    ['headline delivered 4 min after the move, arriving now', 'up', 240 * S, 0, true],
    ['headline delivered 11 min after the move (the backlog at start)', 'up', ALERT_MAX_AGE_MS + S, 0, false],
    ['told 2 min ago, arriving only now (a replay)', 'up', 130 * S, ALERT_FRESH_MS + S, false],
    ['no alertAt (older record): detectedAt decides', 'down', 60 * S, null, true],
    ['no alertAt, detected 3 min ago', 'down', 180 * S, null, false],
    ['no signal', 'none', 0, 0, false],
    ['undecided', null, 0, 0, false],
  ] as const)('signal %s', (_, signal, detAgo, alertAgo, fresh) => {
    const r = { signal, detectedAt: NOW - detAgo, alertAt: alertAgo === null ? null : NOW - alertAgo }
    expect(signalAlertFresh(r, NOW)).toBe(fresh)
  })

  it('needs a detection time for a signal', () => {
    expect(signalAlertFresh({ signal: 'up', detectedAt: null, alertAt: NOW }, NOW)).toBe(false)
  })
})
