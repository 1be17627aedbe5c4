import { describe, expect, it } from 'vitest'
import { backoffDelay, isRetryableStatus, parseRetryAfter, retryDelay } from './backoff'

const NOW = Date.UTC(2026, 10, 24, 15, 0, 0)

describe('Retry-After', () => {
  it.each([
    ['120', 120_000],
    [' 0 ', 0],
    ['Tue, 24 Nov 2026 15:01:30 GMT', 90_000],
    ['Tue, 24 Nov 2026 14:00:00 GMT', 0], // in the past
    ['-5', null],
    ['1.5', null],
    ['soon', null],
    ['', null],
    [null, null],
  ])('%j → %j', (v, ms) => expect(parseRetryAfter(v, NOW)).toBe(ms))
})

describe('backoff', () => {
  it('doubles from 5 s to a 10 min cap', () => {
    expect([1, 2, 3, 4, 8, 9, 20].map((a) => backoffDelay(a))).toEqual([
      5000, 10000, 20000, 40000, 600000, 600000, 600000,
    ])
  })
  it('prefers the server’s Retry-After, capped at a day', () => {
    expect(retryDelay(5, '7', NOW)).toBe(7000)
    expect(retryDelay(1, null, NOW)).toBe(5000)
    expect(retryDelay(1, '999999', NOW)).toBe(86_400_000)
  })
  it.each([
    [408, true],
    [429, true],
    [500, true],
    [503, true],
    [504, true],
    [509, true],
    [400, false],
    [401, false],
    [404, false],
  ])('%i retryable: %s', (s, r) => expect(isRetryableStatus(s)).toBe(r))
})
