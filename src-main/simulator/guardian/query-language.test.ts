import { describe, expect, it } from 'vitest'
import { matches, parseFilter, parseQuery, score, tokenize, words, type SearchDoc } from './query-language'

const d = (headline: string, body = ''): SearchDoc => ({
  fields: { headline: words(headline), body: words(body) },
})
const F = ['headline', 'body']

describe('words', () => {
  it.each([
    ['Apple’s shares SOAR!', ['apple', 'shares', 'soar']],
    ['AT&T, Coca-Cola', ['at', 't', 'coca', 'cola']],
    ['Nestlé café', ['nestle', 'cafe']],
    ['', []],
  ])('%s', (t, w) => expect(words(t)).toEqual(w))
})

describe('tokenize', () => {
  it('recognises upper-case operators, phrases and parentheses', () => {
    expect(tokenize('(a AND "b c") OR NOT d and')).toEqual([
      { t: '(' },
      { t: 'word', v: 'a' },
      { t: 'AND' },
      { t: 'phrase', v: 'b c' },
      { t: ')' },
      { t: 'OR' },
      { t: 'NOT' },
      { t: 'word', v: 'd' },
      { t: 'word', v: 'and' },
    ])
  })
  it('closes an unterminated phrase at the end', () => {
    expect(tokenize('"apple inc')).toEqual([{ t: 'phrase', v: 'apple inc' }])
  })
})

describe('parseQuery', () => {
  it.each([
    ['apple', { kind: 'term', word: 'apple' }],
    [
      'apple tesla',
      {
        kind: 'or',
        children: [
          { kind: 'term', word: 'apple' },
          { kind: 'term', word: 'tesla' },
        ],
      },
    ],
    ['"Apple Inc"', { kind: 'phrase', words: ['apple', 'inc'] }],
    [
      'a AND b',
      {
        kind: 'and',
        children: [
          { kind: 'term', word: 'a' },
          { kind: 'term', word: 'b' },
        ],
      },
    ],
    // AND binds tighter than OR
    [
      'a OR b AND c',
      {
        kind: 'or',
        children: [
          { kind: 'term', word: 'a' },
          {
            kind: 'and',
            children: [
              { kind: 'term', word: 'b' },
              { kind: 'term', word: 'c' },
            ],
          },
        ],
      },
    ],
    [
      'a AND b OR c',
      {
        kind: 'or',
        children: [
          {
            kind: 'and',
            children: [
              { kind: 'term', word: 'a' },
              { kind: 'term', word: 'b' },
            ],
          },
          { kind: 'term', word: 'c' },
        ],
      },
    ],
    [
      '(a OR b) AND c',
      {
        kind: 'and',
        children: [
          {
            kind: 'or',
            children: [
              { kind: 'term', word: 'a' },
              { kind: 'term', word: 'b' },
            ],
          },
          { kind: 'term', word: 'c' },
        ],
      },
    ],
    ['NOT a', { kind: 'not', child: { kind: 'term', word: 'a' } }],
    [
      'a NOT b',
      {
        kind: 'and',
        children: [
          { kind: 'term', word: 'a' },
          { kind: 'not', child: { kind: 'term', word: 'b' } },
        ],
      },
    ],
    [
      'a AND NOT b',
      {
        kind: 'and',
        children: [
          { kind: 'term', word: 'a' },
          { kind: 'not', child: { kind: 'term', word: 'b' } },
        ],
      },
    ],
    [
      'a OR NOT b',
      {
        kind: 'or',
        children: [
          { kind: 'term', word: 'a' },
          { kind: 'not', child: { kind: 'term', word: 'b' } },
        ],
      },
    ],
    ['', { kind: 'all' }],
    ['   ', { kind: 'all' }],
    ['AND OR', { kind: 'all' }],
    // tolerant: stray and missing parentheses
    [')a(', { kind: 'term', word: 'a' }],
    [
      '(a OR b',
      {
        kind: 'or',
        children: [
          { kind: 'term', word: 'a' },
          { kind: 'term', word: 'b' },
        ],
      },
    ],
    ['AT&T', { kind: 'phrase', words: ['at', 't'] }],
    ['and', { kind: 'term', word: 'and' }],
  ])('%s', (q, tree) => expect(parseQuery(q)).toEqual(tree))
})

describe('matches (evaluator)', () => {
  const apple = d('Apple shares soar after record profits', 'The iPhone maker beat forecasts')
  const tesla = d('Tesla recalls cars', 'Electric car maker Tesla said')
  const both = d('Apple and Tesla lead Wall Street higher')
  const none = d('Bank of England holds rates')
  const cases: [string, boolean[]][] = [
    // [query, [apple, tesla, both, none]]
    ['apple', [true, false, true, false]],
    ['APPLE', [true, false, true, false]],
    ['apple tesla', [true, true, true, false]],
    ['apple OR tesla', [true, true, true, false]],
    ['apple AND tesla', [false, false, true, false]],
    ['apple NOT tesla', [true, false, false, false]],
    ['apple AND NOT tesla', [true, false, false, false]],
    ['NOT apple', [false, true, false, true]],
    ['"iPhone maker"', [true, false, false, false]],
    ['"maker iPhone"', [false, false, false, false]],
    ['"car maker" OR "record profits"', [true, true, false, false]],
    ['(apple OR tesla) AND street', [false, false, true, false]],
    ['apple OR tesla AND street', [true, false, true, false]],
    ['"Bank of England" OR "Wall Street"', [false, false, true, true]],
    ['', [true, true, true, true]],
  ]
  it.each(cases)('%s', (q, expected) => {
    const node = parseQuery(q)
    expect([apple, tesla, both, none].map((doc) => matches(node, doc, F))).toEqual(expected)
  })

  it('searches only the given fields', () => {
    expect(matches(parseQuery('iphone'), apple, ['headline'])).toBe(false)
    expect(matches(parseQuery('iphone'), apple, ['body'])).toBe(true)
  })

  it('scores headline hits above body hits and more hits above fewer', () => {
    const q = parseQuery('apple')
    const inHeadline = d('Apple news')
    const inBody = d('Tech news', 'apple')
    const twice = d('Apple news', 'apple apple')
    expect(score(q, inHeadline, F)).toBeGreaterThan(score(q, inBody, F))
    expect(score(q, twice, F)).toBeGreaterThan(score(q, inHeadline, F))
  })
})

describe('parseFilter (section / tag syntax)', () => {
  it.each([
    ['business', ['business'], true],
    ['business', ['money'], false],
    ['business|money', ['money'], true],
    ['-sport', ['business'], true],
    ['-sport', ['sport'], false],
    ['business/stock-markets,type/article', ['business/stock-markets', 'type/article'], true],
    ['business/stock-markets,type/article', ['business/stock-markets', 'type/liveblog'], false],
    ['business/apple|business/tesla,-type/liveblog', ['business/tesla', 'type/article'], true],
  ])('%s on %j → %s', (expr, values, ok) => expect(parseFilter(expr)(values)).toBe(ok))
})
