import { act, cleanup, fireEvent, render, screen } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import type { Article } from '@domain/news'
import { installFakeHost } from '../../test/fake-host'
import { article } from '../../test/fixtures'
import { TagEditor } from './TagEditor'

afterEach(cleanup)
const settle = () => act(async () => new Promise((r) => setTimeout(r, 0)))

const a: Article = article('business/pt', Date.UTC(2026, 0, 5, 14, 30), ['WMT', 'TGT'], {
  title: 'Barclays Lowers Price Target on Walmart',
  tagReasons: [
    { symbol: 'WMT', term: 'Walmart', rule: 'name', field: 'title' },
    { symbol: 'TGT', term: 'Target', rule: 'name-in-context', field: 'title' },
  ],
})

describe('TagEditor', () => {
  it('removes a ticker, then remembers the proposed deny phrase only when the user confirms', async () => {
    const host = installFakeHost({
      'news:correct-tags': ({ remove }) => ({ article: { ...a, tickers: a.tickers.filter((t) => !remove.includes(t)) }, proposals: [{ symbol: 'TGT', kind: 'deny', phrase: 'Price Target' }] }),
      'tagging:add-rule': () => null,
    })
    render(<TagEditor article={a} />)
    fireEvent.click(screen.getByTestId('tag-remove-TGT'))
    await settle()
    expect(host.calls.at(-1)).toEqual({ channel: 'news:correct-tags', arg: { articleId: a.id, add: [], remove: ['TGT'] } })
    expect(screen.getByTestId('tag-deny-TGT').textContent).toContain('Never tag TGT for “Price Target”?')
    expect(host.calls.some((c) => c.channel === 'tagging:add-rule')).toBe(false)
    fireEvent.click(screen.getByTestId('tag-deny-yes-TGT'))
    await settle()
    expect(host.calls.at(-1)).toEqual({ channel: 'tagging:add-rule', arg: { symbol: 'TGT', kind: 'deny', phrase: 'Price Target' } })
    expect(screen.getByTestId('tag-editor-message').textContent).toBe('TGT will not be tagged for “Price Target” again')
    expect(screen.queryByTestId('tag-deny-TGT')).toBeNull()
  })

  it('adds a ticker, and offers to remember a name for it', async () => {
    const host = installFakeHost({
      'news:correct-tags': () => ({ article: a, proposals: [] }),
      'tagging:add-rule': () => null,
    })
    render(<TagEditor article={a} />)
    fireEvent.change(screen.getByTestId('tag-add-input'), { target: { value: 'cost' } })
    fireEvent.click(screen.getByTestId('tag-add'))
    await settle()
    expect(host.calls.at(-1)).toEqual({ channel: 'news:correct-tags', arg: { articleId: a.id, add: ['COST'], remove: [] } })
    fireEvent.change(screen.getByTestId('tag-alias-input'), { target: { value: 'warehouse club' } })
    fireEvent.click(screen.getByTestId('tag-alias-save'))
    await settle()
    expect(host.calls.at(-1)).toEqual({ channel: 'tagging:add-rule', arg: { symbol: 'COST', kind: 'alias', phrase: 'warehouse club' } })
    expect(screen.getByTestId('tag-editor-message').textContent).toBe('“warehouse club” now tags COST')
  })

  it('shows the host’s refusal', async () => {
    installFakeHost({})
    render(<TagEditor article={a} />)
    fireEvent.click(screen.getByTestId('tag-remove-WMT'))
    await settle()
    expect(screen.getByTestId('tag-editor-message').textContent).toContain('no handler')
  })
})
