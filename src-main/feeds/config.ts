// The Polygon feed's settings, as the ingest worker receives them.
import type { Channel, FeedMode } from '../domain/watchlist'

export interface FeedConfig {
  mode: FeedMode
  /** Socket URL for `custom` (e.g. ws://127.0.0.1:8080/stocks); ignored otherwise. */
  url?: string
  /** REST base for `custom`. */
  restBase?: string
  /** Polygon key; absent in demo mode (the simulator's key is used). Never logged. */
  key?: string
  channels: Channel[]
}
