// The watchlist as every layer sees it: symbols, their aliases, and which Polygon channels to subscribe.

/** A ticker as the watchlist accepts it: upper case, starts with a letter, ≤ 10 chars (BRK.B, BF-B). */
export const SYMBOL_PATTERN = /^[A-Z][A-Z0-9.-]{0,9}$/

export type FeedMode = 'demo' | 'delayed' | 'realtime' | 'custom'
export type Channel = 'T' | 'Q' | 'A' | 'AM'

export interface WatchlistEntry {
  symbol: string
  /** Extra names the tagger and the Guardian query use (e.g. "Apple", "iPhone maker"). */
  aliases: string[]
}
