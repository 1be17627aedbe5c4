// news.articles optional tagging fields: why each ticker was tagged (tagReasons) and the user's correction (tagEdit).
import { describe, expect, it } from 'vitest'
import type { Article } from '../domain/news'
import { encodeRecord, validateRecord } from './records'

const T0 = Date.UTC(2026, 10, 27, 15, 30)
const article: Article = {
  id: 'business/2026/nov/27/target-results',
  published: T0,
  updated: T0,
  title: 'Walmart and Target limit self-checkout',
  url: 'https://example.test/a',
  section: 'business',
  type: 'article',
  trailText: '',
  tickers: ['WMT', 'TGT'],
  query: 'retail',
  receivedAt: T0 + 1000,
  stale: false,
}
const reasons = [
  { symbol: 'WMT', term: 'Walmart', rule: 'name', field: 'title' },
  { symbol: 'TGT', term: 'Target', rule: 'name-in-context', field: 'title' },
] as const

describe('news.articles tagging fields', () => {
  it('are optional: a record without them encodes exactly as before', () => {
    const v = encodeRecord('', 'news.articles', article).value
    expect(v.endsWith('"stale":false}')).toBe(true)
    expect(v).not.toContain('tagReasons')
  })

  it('are written after the contract fields, in a fixed order, without extra keys', () => {
    const rec = { ...article, tagReasons: reasons.map((r) => ({ ...r, extra: 1 })), tagEdit: { added: ['COST'], removed: ['TGT'] }, guardianTags: ['business/retail'] }
    const v = encodeRecord('', 'news.articles', rec).value
    expect(v.endsWith(
      '"stale":false,"tagReasons":[{"symbol":"WMT","term":"Walmart","rule":"name","field":"title"},{"symbol":"TGT","term":"Target","rule":"name-in-context","field":"title"}],"tagEdit":{"added":["COST"],"removed":["TGT"]}}',
    )).toBe(true)
    expect(JSON.parse(v)).not.toHaveProperty('guardianTags')
  })

  it.each([
    ['reasons not an array', { tagReasons: 'x' }, "bad field 'tagReasons'"],
    ['unknown rule', { tagReasons: [{ ...reasons[0], rule: 'guess' }] }, "bad field 'tagReasons'"],
    ['bad symbol', { tagReasons: [{ ...reasons[0], symbol: 'wmt!' }] }, "bad field 'tagReasons'"],
    ['empty term', { tagReasons: [{ ...reasons[0], term: '' }] }, "bad field 'tagReasons'"],
    ['too many reasons', { tagReasons: Array.from({ length: 65 }, () => reasons[0]) }, "bad field 'tagReasons'"],
    ['edit without removed', { tagEdit: { added: [] } }, "bad field 'tagEdit'"],
    ['edit with a bad symbol', { tagEdit: { added: ['x y'], removed: [] } }, "bad field 'tagEdit'"],
    ['valid', { tagReasons: [...reasons], tagEdit: { added: [], removed: ['TGT'] } }, null],
  ])('%s', (_name, over, want) => {
    expect(validateRecord('news.articles', { ...article, ...over })).toBe(want)
  })
})
