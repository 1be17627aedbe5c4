// The watchlist as every layer sees it: symbols, their aliases, and which Polygon channels to subscribe.

export type FeedMode = 'demo' | 'delayed' | 'realtime' | 'custom'
export type Channel = 'T' | 'Q' | 'A' | 'AM'

export interface WatchlistEntry {
  symbol: string
  /** Extra names the tagger and the Guardian query use (e.g. "Apple", "iPhone maker"). */
  aliases: string[]
}
