// Flow control between the worker and its host: one batch in flight; until the host acknowledges it,
// market updates, articles and impact records coalesce here (bounded by the number of symbols, articles
// and impact keys, never by the tick rate), so a slow consumer makes the worker coalesce, never queue.
import type { MoveAlert } from '../domain/impact'
import type { SymbolUpdate } from '../domain/market'
import type { Article, ImpactRecord } from '../domain/news'
import { impactKey } from '../domain/news'
import { mergeUpdates } from './coalesce'

export interface Batch {
  seq: number
  updates: SymbolUpdate[]
  articles: Article[]
  impacts: ImpactRecord[]
  moves: MoveAlert[]
}

export interface Batcher {
  addUpdates(updates: SymbolUpdate[]): void
  /** The newest version of an article (same id) replaces an older pending one. */
  addArticle(article: Article): void
  /** The newest record per impact key replaces an older pending one. */
  addImpact(record: ImpactRecord): void
  /** The newest version of a move alert (same id) replaces an older pending one. */
  addMove(move: MoveAlert): void
  /** The next batch when nothing is in flight and something is pending; it is then in flight. */
  take(): Batch | null
  /** The host's acknowledgement; a stale or unknown seq changes nothing. */
  ack(seq: number): void
  /** Forget the batch in flight (shutting down: what is pending goes out whatever the host does). */
  release(): void
}

export function createBatcher(): Batcher {
  let inFlight: number | null = null
  let seq = 0
  const updates = new Map<string, SymbolUpdate>()
  const articles = new Map<string, Article>()
  const impacts = new Map<string, ImpactRecord>()
  const moves = new Map<string, MoveAlert>()
  return {
    addUpdates(list) {
      if (list.length > 0)
        mergeUpdates(
          updates,
          list.map((u) => ({ symbol: u.symbol, bars: u.bars, corrected: u.corrected, summary: u.summary, closed: u.closed })),
        )
    },
    addArticle: (a) => void articles.set(a.id, a),
    addImpact: (r) => void impacts.set(impactKey(r), r),
    addMove: (m) => void moves.set(m.id, m),
    take() {
      if (inFlight !== null) return null
      if (updates.size === 0 && articles.size === 0 && impacts.size === 0 && moves.size === 0) return null
      seq++
      inFlight = seq
      const batch: Batch = { seq, updates: [...updates.values()], articles: [...articles.values()], impacts: [...impacts.values()], moves: [...moves.values()] }
      updates.clear()
      moves.clear()
      articles.clear()
      impacts.clear()
      return batch
    },
    ack(s) {
      if (inFlight === s) inFlight = null
    },
    release() {
      inFlight = null
    },
  }
}
