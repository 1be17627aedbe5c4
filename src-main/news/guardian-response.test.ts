import { describe, expect, it } from 'vitest'
import { errorMessage, parseItem, parseSearchBody, plainText, toArticle } from './guardian-response'

const item = {
  id: 'business/live/2026/nov/24/markets-live',
  type: 'liveblog',
  sectionId: 'business',
  sectionName: 'Business',
  webPublicationDate: '2026-11-24T14:06:14Z',
  webTitle: 'Nvidia shares rise – business live',
  webUrl: 'https://www.theguardian.com/business/live/2026/nov/24/markets-live',
  apiUrl: 'https://content.guardianapis.com/business/live/2026/nov/24/markets-live',
  isHosted: false,
  pillarId: 'pillar/news',
  pillarName: 'News',
  fields: { trailText: '<p>Rolling coverage &amp; more</p>', lastModified: '2026-11-24T14:09:00Z' },
}
const envelope = (results: unknown[]) =>
  JSON.stringify({
    response: {
      status: 'ok',
      userTier: 'developer',
      total: results.length,
      startIndex: 1,
      pageSize: 10,
      currentPage: 1,
      pages: 1,
      orderBy: 'newest',
      results,
    },
  })

describe('parseSearchBody', () => {
  it('maps a real-shaped item to an Article field for field', () => {
    const r = parseSearchBody(envelope([item]))
    expect(r.ok).toBe(true)
    if (!r.ok) return
    expect(r.page).toMatchObject({ total: 1, currentPage: 1, pages: 1, rejected: 0 })
    expect(toArticle(r.page.items[0]!, '"Nvidia"', 123)).toEqual({
      id: item.id,
      published: Date.UTC(2026, 10, 24, 14, 6, 14),
      updated: Date.UTC(2026, 10, 24, 14, 9, 0),
      title: item.webTitle,
      url: item.webUrl,
      section: 'business',
      type: 'liveblog',
      trailText: 'Rolling coverage & more',
      tickers: [],
      query: '"Nvidia"',
      receivedAt: 123,
      stale: false,
    })
  })

  it('falls back to published when lastModified is missing or unreadable, and to empty trailText', () => {
    expect(parseItem({ ...item, fields: undefined })).toMatchObject({
      updated: Date.UTC(2026, 10, 24, 14, 6, 14),
      trailText: '',
    })
    expect(parseItem({ ...item, fields: { lastModified: 'yesterday', trailText: 5 } })).toMatchObject({
      updated: Date.UTC(2026, 10, 24, 14, 6, 14),
      trailText: '',
    })
  })

  it('skips and counts bad items, keeps the good ones', () => {
    const r = parseSearchBody(
      envelope([
        item,
        { id: 'x' },
        { ...item, id: '' },
        { ...item, webPublicationDate: 'not a date' },
        null,
        'str',
      ]),
    )
    expect(r.ok && r.page.items.length).toBe(1)
    expect(r.ok && r.page.rejected).toBe(5)
  })

  it.each([
    ['<html>oops', 'Guardian answered with a body that is not JSON'],
    ['', 'Guardian answered with a body that is not JSON'],
    ['null', 'Guardian answered with an unexpected JSON shape'],
    [
      '{"response":{"status":"ok","results":"not-a-list"}}',
      'Guardian answered with an unexpected JSON shape',
    ],
    ['{"response":{"status":"error","message":"x"}}', 'Guardian answered with an unexpected JSON shape'],
    ['[1,2]', 'Guardian answered with an unexpected JSON shape'],
  ])('rejects %j without throwing', (body, error) =>
    expect(parseSearchBody(body)).toEqual({ ok: false, error }),
  )
})

describe('errorMessage', () => {
  it.each([
    [
      '{"response":{"status":"error","message":"page-size must be an integer between 0 and 200"}}',
      'page-size must be an integer between 0 and 200',
    ],
    ['{"message":"Unauthorized"}', 'Unauthorized'],
    ['<html>', null],
    ['{"x":1}', null],
  ])('%s', (b, m) => expect(errorMessage(b)).toBe(m))
})

describe('plainText', () => {
  it('strips tags and decodes entities', () =>
    expect(plainText('<p>A &quot;b&quot; &lt;c&gt; &#39;d&#39;</p>')).toBe('A "b" <c> \'d\''))
})

describe('Guardian keyword tags', () => {
  const base = {
    id: 'business/2026/nov/27/apple',
    type: 'article',
    sectionId: 'business',
    webPublicationDate: '2026-11-27T10:00:00Z',
    webTitle: 'Apple beats',
    webUrl: 'https://example.test/a',
  }
  it.each([
    ['keyword tags kept, other types and junk dropped', [{ id: 'technology/apple', type: 'keyword' }, { id: 'tone/news', type: 'tone' }, 5, { id: '' }, { id: 'business/retail' }], ['technology/apple', 'business/retail']],
    ['no tags field', undefined, undefined],
    ['empty list', [], []],
  ])('%s', (_n, tags, want) => {
    const it = parseItem(tags === undefined ? base : { ...base, tags })
    expect(it?.tags).toEqual(want)
    const a = toArticle(it!, 'q', 1)
    if (want && want.length > 0) expect(a.guardianTags).toEqual(want)
    else expect(a).not.toHaveProperty('guardianTags')
  })
})
