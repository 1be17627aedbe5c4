import { describe, expect, it } from 'vitest'
import type { Article } from '../../domain/news'
import {
  addDenyRule,
  applyCorrection,
  applyUserTagging,
  emptyCorrections,
  proposeDeny,
  readCorrections,
  rememberEdit,
  serializeCorrections,
} from './corrections'

const art = (over: Partial<Article> = {}): Article => ({
  id: 'business/1',
  published: 0,
  updated: 0,
  title: 'Barclays Lowers Price Target on Walmart',
  url: '',
  section: 'business',
  type: 'article',
  trailText: '',
  tickers: ['WMT', 'TGT'],
  query: '',
  receivedAt: 0,
  stale: false,
  tagReasons: [
    { symbol: 'WMT', term: 'Walmart', rule: 'name', field: 'title' },
    { symbol: 'TGT', term: 'Target', rule: 'name-in-context', field: 'title' },
  ],
  ...over,
})

describe('applyCorrection', () => {
  it.each([
    ['remove one', [], ['TGT'], ['WMT'], { added: [], removed: ['TGT'] }],
    ['add one', ['cost'], [], ['WMT', 'TGT', 'COST'], { added: ['COST'], removed: [] }],
    ['add and remove', ['COST'], ['TGT', 'WMT'], ['COST'], { added: ['COST'], removed: ['WMT', 'TGT'] }],
    ['nothing', [], [], ['WMT', 'TGT'], undefined],
  ])('%s', (_n, add, remove, tickers, edit) => {
    const out = applyCorrection(art(), add, remove)
    expect(out.tickers).toEqual(tickers)
    expect(out.tagEdit).toEqual(edit)
  })

  it('undoes: a later add cancels an earlier remove; reasons follow the tickers', () => {
    const once = applyCorrection(art(), ['COST'], ['TGT'])
    expect(once.tagReasons?.map((r) => `${r.symbol}:${r.rule}`)).toEqual(['WMT:name', 'COST:user'])
    const twice = applyCorrection(once, ['TGT'], ['COST'])
    expect(twice.tickers).toEqual(['WMT', 'TGT'])
    expect(twice.tagEdit).toBeUndefined()
  })
})

describe('proposeDeny', () => {
  it.each([
    [art(), 'TGT', 'Price Target'],
    [art({ title: 'Target slashes prices', tagReasons: [{ symbol: 'TGT', term: 'Target', rule: 'name-in-context', field: 'title' }] }), 'TGT', 'Target'],
    [art({ title: 'x', trailText: 'a wide Gap in pay', tagReasons: [{ symbol: 'GAP', term: 'Gap', rule: 'name-in-context', field: 'trail' }] }), 'GAP', 'Gap'],
  ])('%#: %s → %s', (a, s, phrase) => {
    expect(proposeDeny(a, s)).toEqual({ symbol: s, kind: 'deny', phrase })
  })
  it('has nothing to propose for a cashtag or a ticker without a reason', () => {
    expect(proposeDeny(art({ tagReasons: [{ symbol: 'TGT', term: '$TGT', rule: 'cashtag', field: 'title' }] }), 'TGT')).toBeNull()
    expect(proposeDeny(art({ tagReasons: [] }), 'TGT')).toBeNull()
  })
})

describe('applyUserTagging', () => {
  it('drops a ticker whose deny phrase appears, unless the user added it to this article; re-applies kept edits', () => {
    let st = addDenyRule(emptyCorrections(), { symbol: 'TGT', kind: 'deny', phrase: 'price target' })
    st = addDenyRule(st, { symbol: 'TGT', kind: 'deny', phrase: 'Price Target' }) // same rule, once
    expect(st.deny).toHaveLength(1)
    expect(applyUserTagging(art(), st).tickers).toEqual(['WMT'])
    expect(applyUserTagging(art({ title: 'Target beats' }), st).tickers).toEqual(['WMT', 'TGT'])
    st = rememberEdit(st, 'business/1', { added: ['TGT', 'COST'], removed: ['WMT'] })
    const out = applyUserTagging(art(), st)
    expect(out.tickers).toEqual(['TGT', 'COST'])
    expect(out.tagEdit).toEqual({ added: ['COST'], removed: ['WMT'] })
  })
})

describe('corrections file', () => {
  it('round-trips and rejects bad content with a reason', () => {
    let st = rememberEdit(emptyCorrections(), 'a/1', { added: ['AAPL'], removed: [] })
    st = addDenyRule(st, { symbol: 'TGT', kind: 'deny', phrase: 'Price Target' })
    expect(readCorrections(() => serializeCorrections(st))).toEqual({ state: st, problem: null })
    expect(readCorrections(() => null)).toEqual({ state: emptyCorrections(), problem: null })
    expect(readCorrections(() => '{').problem).toMatch(/not valid JSON/)
    expect(readCorrections(() => JSON.stringify({ version: 1, edits: { a: { added: ['bad symbol'], removed: [] } }, deny: [] })).problem).toMatch(/unexpected shape/)
    expect(readCorrections(() => {
      throw new Error('EACCES')
    }).problem).toMatch(/EACCES/)
  })
  it('keeps the most recent edits only', () => {
    let st = emptyCorrections()
    for (let i = 0; i < 2_005; i++) st = rememberEdit(st, `a/${i}`, { added: ['AAPL'], removed: [] })
    expect(Object.keys(st.edits)).toHaveLength(2_000)
    expect(st.edits['a/0']).toBeUndefined()
    expect(st.edits['a/2004']).toBeDefined()
  })
})
