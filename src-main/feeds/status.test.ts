import { describe, expect, it } from 'vitest'
import type { FeedState } from '../domain/status'
import { initialFeedStatus, reduceFeedStatus, type FeedEvent } from './status'

function run(events: FeedEvent[]) {
  return events.reduce(reduceFeedStatus, initialFeedStatus())
}

describe('reduceFeedStatus', () => {
  const paths: [string, FeedEvent[], FeedState][] = [
    ['start', [{ type: 'connecting', attempt: 0 }], 'connecting'],
    ['auth', [{ type: 'connecting', attempt: 0 }, { type: 'authenticating' }], 'authenticating'],
    ['live', [{ type: 'connecting', attempt: 0 }, { type: 'authenticating' }, { type: 'live' }], 'live'],
    ['pause', [{ type: 'live' }, { type: 'paused' }], 'paused'],
    ['resume', [{ type: 'paused' }, { type: 'live' }], 'live'],
    [
      'drop',
      [{ type: 'live' }, { type: 'reconnecting', retryAt: 5, attempt: 1, reason: 'closed 1006' }],
      'reconnecting',
    ],
    [
      'auth failed is sticky',
      [
        { type: 'auth_failed' },
        { type: 'reconnecting', retryAt: 5, attempt: 1, reason: 'x' },
        { type: 'connecting', attempt: 1 },
      ],
      'auth_failed',
    ],
    [
      'max_connections is sticky',
      [
        { type: 'live' },
        { type: 'max_connections' },
        { type: 'reconnecting', retryAt: 5, attempt: 1, reason: 'x' },
        { type: 'live' },
      ],
      'max_connections',
    ],
    [
      'error is sticky',
      [
        { type: 'error', message: 'bad url' },
        { type: 'connecting', attempt: 0 },
      ],
      'error',
    ],
    ['fatal survives stop', [{ type: 'auth_failed' }, { type: 'stopped' }], 'auth_failed'],
    ['stop from live', [{ type: 'live' }, { type: 'stopped' }], 'idle'],
    [
      'reset leaves fatal',
      [{ type: 'auth_failed' }, { type: 'reset' }, { type: 'connecting', attempt: 0 }],
      'connecting',
    ],
  ]
  it.each(paths)('%s', (_n, events, state) => {
    expect(run(events).state).toBe(state)
  })

  it('reconnecting carries retryAt and attempt; other states clear retryAt', () => {
    const s = run([{ type: 'reconnecting', retryAt: 1234, attempt: 3, reason: 'ping timeout' }])
    expect(s).toMatchObject({ retryAt: 1234, attempt: 3 })
    expect(s.message).toContain('ping timeout')
    expect(reduceFeedStatus(s, { type: 'connecting', attempt: 3 }).retryAt).toBeNull()
  })

  it('counters update even in fatal states', () => {
    const s = run([
      { type: 'auth_failed', message: 'authentication failed' },
      { type: 'malformed', total: 7 },
      { type: 'rate', msgsPerSec: 3 },
      { type: 'backfilled', bars: 4 },
      { type: 'backfilled', bars: 2 },
    ])
    expect(s).toMatchObject({ state: 'auth_failed', malformed: 7, msgsPerSec: 3, backfilledBars: 6 })
    expect(s.message).toContain('authentication failed')
  })

  it('late notes never hide a fatal message', () => {
    const fatal = run([{ type: 'auth_failed' }])
    const after = [
      { type: 'note', message: 'Live; backfill failed' },
      { type: 'backfilled', bars: 3, message: 'backfilled' },
    ].reduce((st, e) => reduceFeedStatus(st, e as FeedEvent), fatal)
    expect(after.message).toBe(fatal.message)
    expect(after.backfilledBars).toBe(3)
  })

  it('fatal messages explain what to do', () => {
    expect(run([{ type: 'auth_failed' }]).message).toMatch(/key/i)
    expect(run([{ type: 'max_connections' }]).message).toMatch(/another connection/i)
  })

  it('unchanged counters return the same object (cheap change detection)', () => {
    const s = run([{ type: 'malformed', total: 2 }])
    expect(reduceFeedStatus(s, { type: 'malformed', total: 2 })).toBe(s)
  })
})
