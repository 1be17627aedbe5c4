import { describe, expect, it } from 'vitest'
import type { Article } from '../domain/news'
import { defaultIngestDeps } from './ingest-deps'

const article = (over: Partial<Article>): Article => ({
  id: 'a',
  published: 0,
  updated: 0,
  title: '',
  url: '',
  section: 'business',
  type: 'article',
  trailText: '',
  tickers: [],
  query: '',
  receivedAt: 0,
  stale: false,
  ...over,
})

describe('defaultIngestDeps().createTagger', () => {
  it('tags title, trailText and Guardian tags, and records why on the article', () => {
    const tag = defaultIngestDeps().createTagger!([{ symbol: 'WMT', aliases: [] }, { symbol: 'TGT', aliases: [] }, { symbol: 'AAPL', aliases: [] }])
    const a = article({ title: 'Walmart and Target limit self-checkout', trailText: 'Prices rise', guardianTags: ['technology/apple'] })
    expect(tag(a)).toEqual(['WMT', 'TGT', 'AAPL'])
    expect(a.tagReasons).toEqual([
      { symbol: 'WMT', term: 'Walmart', rule: 'name', field: 'title' },
      { symbol: 'TGT', term: 'Target', rule: 'name-in-context', field: 'title' },
      { symbol: 'AAPL', term: 'apple', rule: 'guardian-tag', field: 'tags' },
    ])
  })
})
