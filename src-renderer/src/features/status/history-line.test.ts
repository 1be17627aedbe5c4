import { describe, expect, it } from 'vitest'
import { idleHistoryStatus, type HistoryStatus } from '@domain/status'
import { historyLine } from './history-line'

const h = (over: Partial<HistoryStatus>): HistoryStatus => ({ ...idleHistoryStatus(), ...over })
const NOW = 100_000

describe('historyLine', () => {
  it.each<[string, HistoryStatus | undefined, { text: string; tone: string } | null]>([
    ['absent from an older host', undefined, null],
    ['nothing requested yet', idleHistoryStatus(), null],
    [
      'waiting on the rate limit, counted down live',
      h({ state: 'waiting', done: 3, pending: 9, retryAt: NOW + 11_200, message: 'history 3/12 · waiting 14 s (rate limit)' }),
      { text: 'history 3/12 · waiting 12 s (rate limit)', tone: 'warn' },
    ],
    [
      'waiting without a reason in the message',
      h({ state: 'waiting', done: 0, pending: 2, retryAt: NOW + 500, message: 'x' }),
      { text: 'history 0/2 · waiting 1 s', tone: 'warn' },
    ],
    ['loading', h({ state: 'loading', done: 5, pending: 1, message: 'history 5/6 · loading AAPL' }), { text: 'history 5/6 · loading', tone: 'ok' }],
    [
      'an error with its retry',
      h({ state: 'error', done: 2, pending: 3, retryAt: NOW + 5_000, message: 'history 2/5 · HTTP 502 · retry in 7 s' }),
      { text: 'history 2/5 · HTTP 502 · retry in 5 s', tone: 'bad' },
    ],
    [
      'done with failures, from 1-second bars',
      h({ state: 'idle', done: 7, failed: 1, source: 'seconds', message: 'history 7/8 · 1 failed (plan)' }),
      { text: 'history 7/8 · 1 failed · from 1-s bars', tone: 'warn' },
    ],
    ['all done', h({ state: 'idle', done: 12, source: 'trades', message: 'history 12/12' }), { text: 'history 12/12', tone: 'ok' }],
  ])('%s', (_, status, want) => {
    const line = historyLine(status, NOW)
    if (want === null) expect(line).toBeNull()
    else expect(line).toMatchObject({ ...want, title: status!.message })
  })
})
