import { describe, expect, it } from 'vitest'
import {
  Backoff,
  backoffDelay,
  type BackoffPolicy,
  isRetryableStatus,
  parseRetryAfter,
  retryDelay,
} from './backoff'

const full: BackoffPolicy = { baseMs: 100, capMs: 5_000, kind: 'full' }
const deco: BackoffPolicy = { baseMs: 100, capMs: 5_000, kind: 'decorrelated' }
const none: BackoffPolicy = { baseMs: 100, capMs: 5_000, kind: 'none' }

describe('backoffDelay', () => {
  const cases: [string, BackoffPolicy, number, number, number, number][] = [
    // name, policy, attempt, prev, random, expected
    ['none a0', none, 0, 0, 0.5, 100],
    ['none a3', none, 3, 0, 0.5, 800],
    ['none capped', none, 10, 0, 0.5, 5_000],
    ['none huge attempt stays capped', none, 5_000, 0, 0.5, 5_000],
    ['full a0 r=0.5', full, 0, 0, 0.5, 50],
    ['full a2 r=0.5', full, 2, 0, 0.5, 200],
    ['full a2 r=0', full, 2, 0, 0, 0],
    ['full a2 r→1', full, 2, 0, 0.999999, 399],
    ['full capped r=0.5', full, 20, 0, 0.5, 2_500],
    ['full minMs floor', { ...full, minMs: 250 }, 0, 0, 0, 250],
    ['full minMs above cap clamps to cap', { ...full, minMs: 9_000 }, 0, 0, 0, 5_000],
    ['deco first uses base', deco, 0, 0, 0.5, 200],
    ['deco grows from prev', deco, 1, 1_000, 0.5, 1_550],
    ['deco r=0 gives base', deco, 5, 1_000, 0, 100],
    ['deco capped', deco, 5, 4_000, 0.9, 5_000],
    ['negative attempt treated as 0', none, -3, 0, 0.5, 100],
  ]
  it.each(cases)('%s', (_n, policy, attempt, prev, r, expected) => {
    expect(backoffDelay(policy, attempt, prev, () => r)).toBe(expected)
  })
})

describe('Backoff', () => {
  it('advances attempts and resets', () => {
    const b = new Backoff(none, () => 0.5)
    expect([b.next(), b.next(), b.next(), b.attempt]).toEqual([100, 200, 400, 3])
    b.reset()
    expect([b.attempt, b.next()]).toEqual([0, 100])
  })
  it('decorrelated feeds the previous delay back in', () => {
    const rs = [0.5, 0.5, 0.5]
    const b = new Backoff(deco, () => rs.shift() ?? 0)
    // 100 + 0.5·(300−100) = 200; 100 + 0.5·(600−100) = 350; 100 + 0.5·(1050−100) = 575
    expect([b.next(), b.next(), b.next()]).toEqual([200, 350, 575])
  })
})

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

describe('HTTP retries', () => {
  it('without Retry-After: doubles from 5 s to a 10 min cap', () => {
    expect([1, 2, 3, 4, 8, 9, 20].map((a) => retryDelay(a, null, NOW))).toEqual([
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
