import { describe, expect, it } from 'vitest'
import { describeReason, reasonFor } from './tag-reasons'

describe('tag reasons', () => {
  it.each([
    [{ symbol: 'TGT', term: 'Target', rule: 'name-in-context', field: 'title' } as const, 'Tagged from “Target” (name, read from its context) in the headline'],
    [{ symbol: 'NVDA', term: '$NVDA', rule: 'cashtag', field: 'trail' } as const, 'Tagged from “$NVDA” (cashtag) in the standfirst'],
    [{ symbol: 'AAPL', term: 'Apple', rule: 'guardian-tag', field: 'tags' } as const, 'Tagged from “Apple” (the Guardian\'s tag) in the tags'],
    [{ symbol: 'COST', term: 'COST', rule: 'user', field: 'user' } as const, 'Added by you'],
    [undefined, 'Tagged (no reason recorded)'],
  ])('%j → %s', (r, text) => {
    expect(describeReason(r)).toBe(text)
  })
  it('finds the reason for a symbol', () => {
    const a = { tagReasons: [{ symbol: 'WMT', term: 'Walmart', rule: 'name', field: 'title' } as const] }
    expect(reasonFor(a, 'WMT')?.term).toBe('Walmart')
    expect(reasonFor(a, 'TGT')).toBeUndefined()
    expect(reasonFor({}, 'WMT')).toBeUndefined()
  })
})
