import { SYMBOL_PATTERN } from '@contract/settings-schema'

/** Validates a symbol typed into the add box (already upper-cased by the input). */
export const validateNewSymbol = (raw: string, existing: readonly string[]): { ok: true; symbol: string } | { ok: false; error: string } => {
  const symbol = raw.trim().toUpperCase()
  if (symbol === '') return { ok: false, error: 'Type a ticker, e.g. AAPL' }
  if (!SYMBOL_PATTERN.test(symbol))
    return { ok: false, error: `"${symbol.slice(0, 20)}" is not a ticker: 1–10 chars, a letter first, then letters, digits, "." or "-"` }
  if (existing.includes(symbol)) return { ok: false, error: `${symbol} is already in the watchlist` }
  if (existing.length >= 50) return { ok: false, error: 'The watchlist holds at most 50 symbols' }
  return { ok: true, symbol }
}

/** "Apple, iPhone maker" → ["Apple", "iPhone maker"]. */
export const parseAliases = (text: string): string[] =>
  [...new Set(text.split(',').map((s) => s.trim()).filter((s) => s !== ''))].slice(0, 20)
