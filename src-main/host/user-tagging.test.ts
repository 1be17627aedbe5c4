import { describe, expect, it } from 'vitest'
import type { Article, TagEdit } from '../domain/news'
import type { UserTagRule } from '../news/tagging/corrections'
import { createUserTagging, type UserTaggingState } from './user-tagging'

const article = (over: Partial<Article> = {}): Article => ({
  id: 'business/2026/dec/07/a',
  published: 1,
  updated: 1,
  title: 'Retailer lowers Price Target for Apple supplier',
  url: 'https://example.test/a',
  section: 'business',
  type: 'article',
  trailText: '',
  tickers: ['TGT', 'AAPL'],
  query: 'q',
  receivedAt: 1,
  stale: false,
  tagReasons: [
    { symbol: 'TGT', term: 'Target', rule: 'name-in-context', field: 'title' },
    { symbol: 'AAPL', term: 'Apple', rule: 'name', field: 'title' },
  ],
  ...over,
})
const deny = (symbol: string, phrase: string): UserTagRule => ({ symbol, kind: 'deny', phrase })
const none: UserTaggingState = { deny: [], edits: {} }

describe('user tagging in the worker: arriving articles', () => {
  it.each<[string, UserTaggingState, Partial<Article>, string[], TagEdit | undefined]>([
    ['no rules: unchanged', none, {}, ['TGT', 'AAPL'], undefined],
    ['a deny phrase in the title drops its symbol, recorded as a correction', { deny: [deny('TGT', 'Price Target')], edits: {} }, {}, ['AAPL'], { added: [], removed: ['TGT'] }],
    ['a deny phrase in the trailText counts too', { deny: [deny('TGT', 'price target')], edits: {} }, { title: 'Retail Target for Apple', trailText: 'A lower price target.' }, ['AAPL'], { added: [], removed: ['TGT'] }],
    ['a deny phrase for another symbol does nothing', { deny: [deny('MSFT', 'Price Target')], edits: {} }, {}, ['TGT', 'AAPL'], undefined],
    ['a phrase that is not in the text does nothing', { deny: [deny('TGT', 'Target gangs')], edits: {} }, {}, ['TGT', 'AAPL'], undefined],
    ['a kept correction is re-applied to a revision', { deny: [], edits: { 'business/2026/dec/07/a': { added: ['MSFT'], removed: ['AAPL'] } } }, {}, ['TGT', 'MSFT'], { added: ['MSFT'], removed: ['AAPL'] }],
    ['a kept add wins over a deny phrase', { deny: [deny('TGT', 'Price Target')], edits: { 'business/2026/dec/07/a': { added: ['TGT'], removed: [] } } }, {}, ['TGT', 'AAPL'], undefined],
    ['alias rules are not deny rules', { deny: [{ symbol: 'TGT', kind: 'alias', phrase: 'Price Target' }], edits: {} }, {}, ['TGT', 'AAPL'], undefined],
  ])('%s', (_name, state, over, tickers, edit) => {
    const u = createUserTagging(state)
    const out = u.apply(article(over))
    expect(out.tickers).toEqual(tickers)
    expect(out.tagEdit).toEqual(edit)
    expect(out.id).toBe(article().id)
  })

  it('set replaces the rules: a later article sees only the new ones', () => {
    const u = createUserTagging({ deny: [deny('TGT', 'Price Target')], edits: {} })
    expect(u.apply(article()).tickers).toEqual(['AAPL'])
    u.set(none)
    expect(u.apply(article()).tickers).toEqual(['TGT', 'AAPL'])
  })
})

describe('user tagging in the worker: corrected articles', () => {
  const corrected = (edit: TagEdit | undefined, id = article().id): Article => {
    const a = article({ id, tickers: ['AAPL'], tagReasons: [{ symbol: 'AAPL', term: 'Apple', rule: 'name', field: 'title' }] })
    if (edit) a.tagEdit = edit
    return a
  }
  it.each<[string, Article[], string[], (TagEdit | undefined)[]]>([
    ['one correction: re-published as is', [corrected({ added: [], removed: ['TGT'] })], [article().id], [{ added: [], removed: ['TGT'] }]],
    ['the same article twice: once, the last', [corrected({ added: [], removed: ['TGT'] }), corrected({ added: ['MSFT'], removed: ['TGT'] })], [article().id], [{ added: ['MSFT'], removed: ['TGT'] }]],
    ['an undone correction is re-published too', [corrected(undefined)], [article().id], [undefined]],
    ['two articles: both, in order', [corrected({ added: [], removed: ['TGT'] }, 'x/1'), corrected({ added: [], removed: ['TGT'] }, 'x/2')], ['x/1', 'x/2'], [{ added: [], removed: ['TGT'] }, { added: [], removed: ['TGT'] }]],
  ])('%s', (_name, input, ids, edits) => {
    const out = createUserTagging().corrected(input)
    expect(out.map((a) => a.id)).toEqual(ids)
    expect(out.map((a) => a.tagEdit)).toEqual(edits)
  })

  it.each<[string, TagEdit | undefined, string[]]>([
    ['a correction is kept for later revisions of that article', { added: [], removed: ['TGT'] }, ['AAPL']],
    ['an undone correction is forgotten', undefined, ['TGT', 'AAPL']],
  ])('%s', (_name, edit, revisionTickers) => {
    const u = createUserTagging({ deny: [], edits: { [article().id]: { added: [], removed: ['AAPL'] } } })
    u.corrected([corrected(edit)])
    // The poller sends a revision, freshly tagged.
    expect(u.apply(article({ updated: 2 })).tickers).toEqual(revisionTickers)
  })
})
