import { describe, expect, it } from 'vitest'
import { buildQueries, encodedLength, packQueries, searchUrl, watchlistTerms } from './guardian-query'
import { parseQuery } from '../simulator/guardian/query-language'

const W = [
  { symbol: 'AAPL', aliases: ['Apple', 'iPhone maker'] },
  { symbol: 'MSFT', aliases: ['Microsoft'] },
  { symbol: 'TSLA', aliases: [] },
  { symbol: 'GOOGL', aliases: ['Alphabet', 'apple', 'Say "hi"', '  '] },
]

describe('watchlistTerms', () => {
  it('quotes every alias, uses the symbol when there is none, dedupes case-insensitively, strips quotes', () => {
    expect(watchlistTerms(W)).toEqual([
      '"Apple"',
      '"iPhone maker"',
      '"Microsoft"',
      '"TSLA"',
      '"Alphabet"',
      '"Say hi"',
    ])
  })
  it('is empty for an empty watchlist', () => expect(watchlistTerms([])).toEqual([]))
})

describe('packQueries', () => {
  it.each([
    [['"a"', '"b"', '"c"'], 1000, ['"a" OR "b" OR "c"']],
    [['"a"', '"b"', '"c"'], encodedLength('"a" OR "b"'), ['"a" OR "b"', '"c"']],
    [['"a"', '"b"', '"c"'], 1, ['"a"', '"b"', '"c"']],
    [[], 100, []],
  ])('%j within %i', (terms, max, out) => expect(packQueries(terms, max)).toEqual(out))
})

describe('buildQueries', () => {
  const opts = {
    base: 'https://content.guardianapis.com',
    sections: ['business', 'technology'],
    key: 'k'.repeat(36),
    pageSize: 50,
  }

  it('builds ONE query for a normal watchlist, a valid OR of quoted phrases', () => {
    const qs = buildQueries(W, opts)
    expect(qs).toEqual(['"Apple" OR "iPhone maker" OR "Microsoft" OR "TSLA" OR "Alphabet" OR "Say hi"'])
    expect(parseQuery(qs[0]!)).toMatchObject({ kind: 'or' })
  })

  it('splits into as few queries as fit when the URL would be too long, each URL within the limit', () => {
    const big = Array.from({ length: 120 }, (_, i) => ({
      symbol: `S${i}`,
      aliases: [`Company number ${i} holdings`],
    }))
    const maxUrlLength = 1500
    const qs = buildQueries(big, { ...opts, maxUrlLength })
    const totalChars = encodedLength(qs.join(' OR '))
    expect(qs.length).toBeGreaterThan(1)
    expect(qs.length).toBeLessThanOrEqual(Math.ceil(totalChars / (maxUrlLength - 350)) + 1)
    for (const q of qs) {
      const url = searchUrl(opts.base, {
        q,
        sections: opts.sections,
        fromDate: Date.now(),
        page: 9999,
        pageSize: 50,
        key: opts.key,
      })
      expect(url.length).toBeLessThanOrEqual(maxUrlLength)
    }
    // every term exactly once, order kept
    expect(qs.join(' OR ')).toBe(watchlistTerms(big).join(' OR '))
  })

  it('builds no query for an empty watchlist', () => expect(buildQueries([], opts)).toEqual([]))
})

describe('searchUrl', () => {
  it('asks newest first from the watermark with the fields the poller maps', () => {
    const u = new URL(
      searchUrl('http://127.0.0.1:9/guardian/', {
        q: '"Apple" OR "Tesla"',
        sections: ['business', 'money'],
        fromDate: Date.UTC(2026, 10, 24, 14, 6, 14, 900),
        page: 2,
        pageSize: 50,
        key: 'KEY',
      }),
    )
    expect(u.pathname).toBe('/guardian/search')
    expect(Object.fromEntries(u.searchParams)).toEqual({
      q: '"Apple" OR "Tesla"',
      section: 'business|money',
      'from-date': '2026-11-24T14:06:14Z',
      'order-by': 'newest',
      'page-size': '50',
      page: '2',
      'show-fields': 'trailText,lastModified',
      'show-tags': 'keyword',
      format: 'json',
      'api-key': 'KEY',
    })
  })
  it('leaves out section when none is configured', () => {
    expect(
      new URL(
        searchUrl('https://x', { q: 'a', sections: [], fromDate: 0, page: 1, pageSize: 10, key: 'k' }),
      ).searchParams.has('section'),
    ).toBe(false)
  })
})
