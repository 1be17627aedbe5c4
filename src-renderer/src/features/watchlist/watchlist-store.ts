// Watchlist order and aliases (UI state). Every edit is saved through `watchlist:set`; on failure the
// previous list is restored and the error shown.
import { create } from 'zustand'
import type { WatchlistEntry } from '@domain/watchlist'
import { getApi } from '../../api/client'
import { validateNewSymbol } from './symbol-validation'

interface WatchlistState {
  entries: WatchlistEntry[]
  loaded: boolean
  error: string | null
  load(): Promise<void>
  /** Returns an inline error message, or null when the symbol was added. */
  add(raw: string): Promise<string | null>
  remove(symbol: string): Promise<void>
  move(symbol: string, delta: -1 | 1): Promise<void>
  setAliases(symbol: string, aliases: string[]): Promise<void>
}

export const useWatchlistStore = create<WatchlistState>()((set, get) => {
  const save = async (next: WatchlistEntry[]): Promise<string | null> => {
    const prev = get().entries
    set({ entries: next, error: null })
    const r = await getApi().invoke('watchlist:set', next)
    if (!r.ok) {
      set({ entries: prev, error: `Could not save the watchlist: ${r.error.message}` })
      return r.error.message
    }
    set({ entries: r.value })
    return null
  }
  return {
    entries: [],
    loaded: false,
    error: null,
    async load() {
      const r = await getApi().invoke('watchlist:get')
      if (r.ok) set({ entries: r.value, loaded: true, error: null })
      else set({ loaded: true, error: `Could not load the watchlist: ${r.error.message}` })
    },
    async add(raw) {
      const v = validateNewSymbol(
        raw,
        get().entries.map((e) => e.symbol),
      )
      if (!v.ok) return v.error
      return save([...get().entries, { symbol: v.symbol, aliases: [] }])
    },
    async remove(symbol) {
      await save(get().entries.filter((e) => e.symbol !== symbol))
    },
    async move(symbol, delta) {
      const list = [...get().entries]
      const i = list.findIndex((e) => e.symbol === symbol)
      const j = i + delta
      if (i < 0 || j < 0 || j >= list.length) return
      ;[list[i], list[j]] = [list[j]!, list[i]!]
      await save(list)
    },
    async setAliases(symbol, aliases) {
      await save(get().entries.map((e) => (e.symbol === symbol ? { ...e, aliases } : e)))
    },
  }
})
