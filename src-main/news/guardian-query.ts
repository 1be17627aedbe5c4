// One Guardian query for the whole watchlist: every alias as a quoted phrase, OR-ed. Split into as few
// queries as needed only when the URL would grow too long.
import type { WatchlistEntry } from '../domain/watchlist'

/** Conservative: proxies and CDNs commonly cap request lines near 8 KiB; stay far below. */
export const DEFAULT_MAX_URL_LENGTH = 2000

/** Quoted phrases for the watchlist: aliases (else the symbol), quotes stripped, deduplicated case-insensitively. */
export function watchlistTerms(watchlist: readonly WatchlistEntry[]): string[] {
  const seen = new Set<string>()
  const out: string[] = []
  for (const w of watchlist) {
    const names = w.aliases.length > 0 ? w.aliases : [w.symbol]
    for (const raw of names) {
      const name = raw.replace(/["\\]/g, ' ').replace(/\s+/g, ' ').trim()
      const k = name.toLowerCase()
      if (name === '' || seen.has(k)) continue
      seen.add(k)
      out.push(`"${name}"`)
    }
  }
  return out
}

/** Length `q=<value>` adds to a URL, as URLSearchParams encodes it. */
export function encodedLength(q: string): number {
  return new URLSearchParams({ q }).toString().length
}

/**
 * Packs terms into `q` values of at most `maxEncoded` encoded characters each (greedy, in watchlist order:
 * optimal for a contiguous split). A single term longer than the limit still gets its own query.
 */
export function packQueries(terms: readonly string[], maxEncoded: number): string[] {
  const out: string[] = []
  let cur = ''
  for (const t of terms) {
    const next = cur === '' ? t : `${cur} OR ${t}`
    if (cur !== '' && encodedLength(next) > maxEncoded) {
      out.push(cur)
      cur = t
    } else {
      cur = next
    }
  }
  if (cur !== '') out.push(cur)
  return out
}

export interface SearchParams {
  q: string
  sections: readonly string[]
  fromDate: number
  page: number
  pageSize: number
  key: string
}

/** `2022-10-21T14:06:14Z`: seconds precision like the API's own dates. */
export function isoSeconds(t: number): string {
  return new Date(Math.floor(t / 1000) * 1000).toISOString().replace('.000Z', 'Z')
}

export function searchUrl(base: string, p: SearchParams): string {
  const u = new URLSearchParams()
  u.set('q', p.q)
  if (p.sections.length > 0) u.set('section', p.sections.join('|'))
  u.set('from-date', isoSeconds(p.fromDate))
  u.set('order-by', 'newest')
  u.set('page-size', String(p.pageSize))
  u.set('page', String(p.page))
  u.set('show-fields', 'trailText,lastModified')
  // The Guardian's own keyword tags (e.g. technology/apple) help the tagger.
  u.set('show-tags', 'keyword')
  u.set('format', 'json')
  u.set('api-key', p.key)
  return `${base.replace(/\/+$/, '')}/search?${u.toString()}`
}

/** The queries for a watchlist, each keeping the full search URL within `maxUrlLength`. */
export function buildQueries(
  watchlist: readonly WatchlistEntry[],
  opts: { base: string; sections: readonly string[]; key: string; pageSize: number; maxUrlLength?: number },
): string[] {
  const terms = watchlistTerms(watchlist)
  if (terms.length === 0) return []
  // Worst case for the other parameters: a 4-digit page number.
  const overhead =
    searchUrl(opts.base, {
      q: '',
      sections: opts.sections,
      fromDate: Date.UTC(2000, 0, 1),
      page: 9999,
      pageSize: opts.pageSize,
      key: opts.key,
    }).length - encodedLength('')
  return packQueries(terms, Math.max(1, (opts.maxUrlLength ?? DEFAULT_MAX_URL_LENGTH) - overhead))
}
