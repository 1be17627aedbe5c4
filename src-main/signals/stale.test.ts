import { describe, expect, it } from 'vitest'
import type { HeadlineRef } from './stale'
import { isStale, jaccard, similarEnough, staleCandidates, wordSet } from './stale'

const H = 3_600_000
const T0 = Date.UTC(2026, 10, 24, 16, 0)
const ref = (title: string, hoursBefore: number, symbol = 'AAPL', id?: string): HeadlineRef => ({
  symbol,
  published: T0 - hoursBefore * H,
  title,
  ...(id ? { id } : {}),
})

describe('wordSet', () => {
  it.each([
    ['Apple’s iPhone 17: sales SOAR', ['apple', 's', 'iphone', '17', 'sales', 'soar']],
    ['  --  ', []],
    ['Café-owner’s £5bn deal', ['caf', 'owner', 's', '5bn', 'deal']],
    ['a a A a', ['a']],
  ])('%s', (title, words) => {
    expect([...wordSet(title)].sort()).toEqual([...words].sort())
  })
})

describe('jaccard / similarEnough', () => {
  it.each([
    ['apple to cut jobs', 'apple to cut staff', 0.6, true], // 3 / 5: exactly on the line counts
    ['a b c d e f g h i j', 'a b c d e f k l m n', 6 / 14, false],
    ['apple shares rise on strong iphone demand', 'apple shares rise on strong iphone sales', 6 / 8, true],
    ['Apple SHARES rise', 'apple shares RISE!', 1, true],
    ['', '', 0, false], // two empty word sets are not "the same headline"
    ['one two three', 'four five six', 0, false],
    ['a b c', 'a b c d e', 0.6, true],
    ['a b', 'a b c d', 0.5, false],
  ])('%s ~ %s', (a, b, j, similar) => {
    expect(jaccard(wordSet(a), wordSet(b))).toBeCloseTo(j, 15)
    expect(similarEnough(wordSet(a), wordSet(b))).toBe(similar)
  })
})

describe('isStale', () => {
  const title = 'Apple to cut jobs in services unit'
  const cases: [string, HeadlineRef[], boolean][] = [
    ['no history', [], false],
    ['identical 1 h before', [ref(title, 1)], true],
    ['identical but another symbol', [ref(title, 1, 'MSFT')], false],
    ['identical 23 h 59 m before', [ref(title, 24 - 1 / 60)], true],
    ['identical exactly 24 h before (window is [t0 − 24 h, t0))', [ref(title, 24)], true],
    ['identical 24 h + 1 ms before', [{ ...ref(title, 24), published: T0 - 24 * H - 1 }], false],
    ['identical published at t0 (not previous)', [ref(title, 0)], false],
    ['identical published after t0', [ref(title, -1)], false],
    ['dissimilar', [ref('EU opens App Store probe', 1)], false],
    [
      'similar one is the 10th most recent: counted',
      [ref(title, 11), ...Array.from({ length: 9 }, (_, i) => ref(`unrelated story ${i} about chips`, 10 - i))],
      true,
    ],
    [
      'similar one is the 11th most recent: not counted',
      [ref(title, 11), ...Array.from({ length: 10 }, (_, i) => ref(`unrelated story ${i} about chips`, 10 - i))],
      false,
    ],
    ['a revision of the same article id never makes itself stale', [ref(title, 1, 'AAPL', 'x/1')], false],
  ]
  it.each(cases)('%s', (_name, history, stale) => {
    expect(isStale(title, 'AAPL', T0, history, 'x/1')).toBe(stale)
  })

  it('orders candidates by published, ties by listing order (later listed = more recent)', () => {
    const tied = Array.from({ length: 12 }, (_, i) => ref(`story ${i}`, 2))
    const picked = staleCandidates('AAPL', T0, tied)
    expect(picked.map((h) => h.title)).toEqual(Array.from({ length: 10 }, (_, i) => `story ${11 - i}`))
  })
})
