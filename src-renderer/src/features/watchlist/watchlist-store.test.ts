import { beforeEach, describe, expect, it } from 'vitest'
import type { WatchlistEntry } from '@domain/watchlist'
import { installFakeHost } from '../../test/fake-host'
import { parseAliases, validateNewSymbol } from './symbol-validation'
import { useWatchlistStore } from './watchlist-store'

describe('validateNewSymbol', () => {
  it.each([
    ['AAPL', true],
    ['aapl', true],
    [' BRK.B ', true],
    ['BF-B', true],
    ['A', true],
    ['ABCDEFGHIJ', true],
    ['ABCDEFGHIJK', false],
    ['1ABC', false],
    ['.A', false],
    ['AA PL', false],
    ['AAPL!', false],
    ['', false],
    ['MSFT', false], // duplicate
  ])('%j → %s', (raw, ok) => {
    expect(validateNewSymbol(raw, ['MSFT']).ok).toBe(ok)
  })

  it('explains duplicates and bad syntax', () => {
    expect(validateNewSymbol('MSFT', ['MSFT'])).toEqual({ ok: false, error: 'MSFT is already in the watchlist' })
    const r = validateNewSymbol('1X', [])
    expect(!r.ok && r.error).toContain('not a ticker')
  })

  it('parses aliases', () => {
    expect(parseAliases(' Apple , iPhone maker,,Apple ')).toEqual(['Apple', 'iPhone maker'])
  })
})

describe('useWatchlistStore', () => {
  let saved: WatchlistEntry[]
  beforeEach(() => {
    useWatchlistStore.setState(useWatchlistStore.getInitialState(), true)
    saved = [
      { symbol: 'AAPL', aliases: ['Apple'] },
      { symbol: 'MSFT', aliases: [] },
      { symbol: 'NVDA', aliases: [] },
    ]
    installFakeHost({
      'watchlist:get': () => saved,
      'watchlist:set': (list) => (saved = list),
    })
  })

  it('loads, adds, reorders, edits aliases and removes — saving each time', async () => {
    const s = useWatchlistStore.getState()
    await s.load()
    expect(await s.add('tsla')).toBeNull()
    await s.move('TSLA', -1)
    await s.setAliases('MSFT', ['Microsoft'])
    await s.remove('AAPL')
    expect(saved).toEqual([
      { symbol: 'MSFT', aliases: ['Microsoft'] },
      { symbol: 'TSLA', aliases: [] },
      { symbol: 'NVDA', aliases: [] },
    ])
    expect(useWatchlistStore.getState().entries).toEqual(saved)
  })

  it('returns the validation error and saves nothing for a bad symbol', async () => {
    await useWatchlistStore.getState().load()
    const before = saved
    expect(await useWatchlistStore.getState().add('123')).toContain('not a ticker')
    expect(saved).toBe(before)
  })

  it('moving past either end is a no-op', async () => {
    await useWatchlistStore.getState().load()
    await useWatchlistStore.getState().move('AAPL', -1)
    await useWatchlistStore.getState().move('NVDA', 1)
    expect(useWatchlistStore.getState().entries.map((e) => e.symbol)).toEqual(['AAPL', 'MSFT', 'NVDA'])
  })

  it('restores the previous list and shows the error when saving fails', async () => {
    const host = installFakeHost({ 'watchlist:get': () => saved })
    await useWatchlistStore.getState().load()
    host.handlers['watchlist:set'] = () => {
      throw new Error('disk full')
    }
    expect(await useWatchlistStore.getState().add('AMD')).toBe('disk full')
    expect(useWatchlistStore.getState().entries.map((e) => e.symbol)).toEqual(['AAPL', 'MSFT', 'NVDA'])
    expect(useWatchlistStore.getState().error).toContain('disk full')
  })
})
