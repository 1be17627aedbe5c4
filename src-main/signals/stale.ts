// Stale (recycled) headline detection: pure, see fixtures/news-impact/README.md.

export interface HeadlineRef {
  symbol: string
  published: number
  title: string
  /** Article id when known; a revision of the same article never makes itself stale. */
  id?: string
}

export const STALE_WINDOW_MS = 24 * 60 * 60 * 1000
export const STALE_LOOKBACK = 10

/** Lowercase, split on [^a-z0-9]+, drop empty tokens; as a set. */
export function wordSet(title: string): Set<string> {
  const out = new Set<string>()
  for (const w of title.toLowerCase().split(/[^a-z0-9]+/)) if (w !== '') out.add(w)
  return out
}

/** Jaccard index |A∩B| / |A∪B|; 0 when both are empty. */
export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  const inter = intersectionSize(a, b)
  const union = a.size + b.size - inter
  return union === 0 ? 0 : inter / union
}

function intersectionSize(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a]
  let n = 0
  for (const w of small) if (large.has(w)) n++
  return n
}

/** Jaccard ≥ 0.6 decided in integers (10·|A∩B| ≥ 6·|A∪B|) so 3/5 is exactly on the line in every language. */
export function similarEnough(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  const inter = intersectionSize(a, b)
  const union = a.size + b.size - inter
  return union > 0 && 10 * inter >= 6 * union
}

/**
 * The headlines a new one is compared with: tagged `symbol`, published in [t0 − 24 h, t0) (strictly before t0),
 * not the same article id; the 10 most recent by `published` (ties: the one listed later counts as more recent).
 */
export function staleCandidates(
  symbol: string,
  t0: number,
  history: readonly HeadlineRef[],
  articleId?: string,
): HeadlineRef[] {
  const eligible: { h: HeadlineRef; i: number }[] = []
  history.forEach((h, i) => {
    if (h.symbol !== symbol) return
    if (articleId !== undefined && h.id === articleId) return
    if (h.published >= t0 || h.published < t0 - STALE_WINDOW_MS) return
    eligible.push({ h, i })
  })
  eligible.sort((a, b) => b.h.published - a.h.published || b.i - a.i)
  return eligible.slice(0, STALE_LOOKBACK).map((e) => e.h)
}

/** True when `title` shares ≥ 60 % of its word set (Jaccard) with one of the previous 10 headlines tagged `symbol`. */
export function isStale(
  title: string,
  symbol: string,
  t0: number,
  history: readonly HeadlineRef[],
  articleId?: string,
): boolean {
  const words = wordSet(title)
  for (const h of staleCandidates(symbol, t0, history, articleId)) {
    if (similarEnough(words, wordSet(h.title))) return true
  }
  return false
}
