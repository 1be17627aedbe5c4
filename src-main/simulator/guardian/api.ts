// The Content API itself: request (path + query) → response (status, headers, JSON body). No HTTP here, so
// every parameter and error is table-testable. Quotas and faults sit in the HTTP adapter (handler.ts).
import type { StoredItem, Revision, Tag } from './generator'
import {
  indexDoc,
  parseFilter,
  parseQuery,
  score,
  words,
  type QueryNode,
  type SearchDoc,
} from './query-language'
import { SECTION_NAMES } from './templates'

export interface ApiResponse {
  status: number
  headers?: Record<string, string>
  body: unknown
}

export interface ApiContext {
  now: number
  items: readonly StoredItem[]
  get(id: string): StoredItem | undefined
  userTier: string
  /** Base of apiUrl values. */
  apiBase: string
}

/** Every `show-fields` name the simulator knows; all values are strings, as in the real API. */
export const ALL_FIELDS = [
  'headline',
  'standfirst',
  'trailText',
  'byline',
  'main',
  'body',
  'bodyText',
  'wordcount',
  'firstPublicationDate',
  'isInappropriateForSponsorship',
  'isPremoderated',
  'lastModified',
  'liveBloggingNow',
  'productionOffice',
  'publication',
  'shortUrl',
  'shouldHideAdverts',
  'showInRelatedContent',
  'thumbnail',
  'legallySensitive',
  'lang',
  'isLive',
  'charCount',
] as const

/** Default fields `q` searches, and the names `query-fields` accepts. */
const QUERY_FIELDS = ['headline', 'standfirst', 'trailText', 'body', 'byline', 'webTitle']
const DEFAULT_QUERY_FIELDS = ['headline', 'trailText', 'body']

export const err = (status: number, message: string): ApiResponse => ({
  status,
  body: { response: { status: 'error', message } },
})

/** `2022-10-21T14:06:14Z` — seconds precision, no millis, as the real API prints. */
export function isoSeconds(t: number): string {
  return new Date(Math.floor(t / 1000) * 1000).toISOString().replace('.000Z', 'Z')
}

/**
 * `YYYY-MM-DD` or an ISO datetime → epoch ms; a bare date as `to-date` means the end of that day (inclusive).
 * Returns null when unparseable.
 */
export function parseDateParam(v: string, end: boolean): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v)
  if (m) {
    const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))
    if (Number.isNaN(t)) return null
    return end ? t + 86_400_000 - 1 : t
  }
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/.test(v)) return null
  const t = Date.parse(/(Z|[+-]\d{2}:?\d{2})$/.test(v) ? v : `${v}Z`)
  return Number.isNaN(t) ? null : t
}

function visibleRevision(item: StoredItem, now: number): Revision | null {
  let cur: Revision | null = null
  for (const r of item.revisions) {
    if (r.at <= now) cur = r
    else break
  }
  return cur
}

function fieldValues(item: StoredItem, rev: Revision, now: number): Record<string, string> {
  const bodyText = rev.body
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
  const live = item.type === 'liveblog' && item.endsAt !== null && now < item.endsAt
  return {
    headline: rev.title,
    standfirst: `<p>${rev.trailText}</p>`,
    trailText: rev.trailText,
    byline: item.byline,
    main: '',
    body: rev.body,
    bodyText,
    wordcount: String(bodyText.split(' ').length),
    firstPublicationDate: isoSeconds(item.revisions[0]!.at),
    isInappropriateForSponsorship: 'false',
    isPremoderated: 'false',
    lastModified: isoSeconds(rev.lastModified),
    liveBloggingNow: String(live),
    productionOffice: 'UK',
    publication: 'theguardian.com',
    shortUrl: `https://www.theguardian.com/p/${item.shortId}`,
    shouldHideAdverts: 'false',
    showInRelatedContent: 'true',
    thumbnail: `https://media.guim.co.uk/${item.shortId}/0_0_1000_600/500.jpg`,
    legallySensitive: 'false',
    lang: 'en',
    isLive: String(live),
    charCount: String(bodyText.length),
  }
}

// Revisions never change once generated: tokenise each once, not on every request.
const docCache = new WeakMap<Revision, SearchDoc>()

function doc(item: StoredItem, rev: Revision): SearchDoc {
  const hit = docCache.get(rev)
  if (hit) return hit
  const d = indexDoc(buildDoc(item, rev))
  docCache.set(rev, d)
  return d
}

function buildDoc(item: StoredItem, rev: Revision): SearchDoc {
  return {
    fields: {
      headline: words(rev.title),
      webTitle: words(rev.title),
      standfirst: words(rev.trailText),
      trailText: words(rev.trailText),
      body: words(rev.body.replace(/<[^>]+>/g, ' ')),
      byline: words(item.byline),
    },
  }
}

function splitList(v: string | null): string[] {
  return (v ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
}

export function renderItem(
  item: StoredItem,
  rev: Revision,
  ctx: ApiContext,
  showFields: string[],
  showTags: string[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: item.id,
    type: item.type,
    sectionId: item.sectionId,
    sectionName: item.sectionName,
    webPublicationDate: isoSeconds(rev.at),
    webTitle: rev.title,
    webUrl: `https://www.theguardian.com/${item.id}`,
    apiUrl: `${ctx.apiBase}/${item.id}`,
  }
  if (showFields.length > 0) {
    const all = fieldValues(item, rev, ctx.now)
    const want = showFields.includes('all') ? ALL_FIELDS : showFields
    const fields: Record<string, string> = {}
    for (const f of want) {
      const v = all[f]
      if (v !== undefined) fields[f] = v
    }
    out.fields = fields
  }
  if (showTags.length > 0) {
    const all = showTags.includes('all')
    out.tags = item.tags.filter((t: Tag) => all || showTags.includes(t.type))
  }
  out.isHosted = false
  out.pillarId = item.pillarId
  out.pillarName = item.pillarName
  return out
}

type DateKind = 'published' | 'first-publication' | 'newspaper-edition' | 'last-modified'
const DATE_KINDS: readonly string[] = ['published', 'first-publication', 'newspaper-edition', 'last-modified']

function dateOf(kind: DateKind, item: StoredItem, rev: Revision): number {
  if (kind === 'first-publication') return item.revisions[0]!.at
  if (kind === 'last-modified') return rev.lastModified
  return rev.at
}

export function search(params: URLSearchParams, ctx: ApiContext): ApiResponse {
  const format = params.get('format')
  if (format !== null && format !== 'json') return err(400, "format must be 'json'")

  const pageSizeRaw = params.get('page-size')
  let pageSize = 10
  if (pageSizeRaw !== null) {
    if (!/^\d+$/.test(pageSizeRaw) || Number(pageSizeRaw) > 200)
      return err(400, 'page-size must be an integer between 0 and 200')
    pageSize = Number(pageSizeRaw)
  }
  const pageRaw = params.get('page')
  let page = 1
  if (pageRaw !== null) {
    if (!/^\d+$/.test(pageRaw) || Number(pageRaw) < 1)
      return err(400, 'page must be an integer greater than 0')
    page = Number(pageRaw)
  }
  const q = params.get('q')
  const query: QueryNode | null = q !== null && q.trim() !== '' ? parseQuery(q) : null
  const orderBy = params.get('order-by') ?? (query ? 'relevance' : 'newest')
  if (orderBy !== 'newest' && orderBy !== 'oldest' && orderBy !== 'relevance')
    return err(400, "order-by must be one of 'newest', 'oldest', 'relevance'")
  const useDate = params.get('use-date') ?? 'published'
  if (!DATE_KINDS.includes(useDate))
    return err(400, `use-date must be one of ${DATE_KINDS.map((d) => `'${d}'`).join(', ')}`)
  const orderDate = params.get('order-date') ?? 'published'
  if (!DATE_KINDS.includes(orderDate))
    return err(400, `order-date must be one of ${DATE_KINDS.map((d) => `'${d}'`).join(', ')}`)
  const fromRaw = params.get('from-date')
  const toRaw = params.get('to-date')
  const from = fromRaw === null ? -Infinity : parseDateParam(fromRaw, false)
  const to = toRaw === null ? Infinity : parseDateParam(toRaw, true)
  if (from === null) return err(400, `Couldn't parse from-date: ${fromRaw}`)
  if (to === null) return err(400, `Couldn't parse to-date: ${toRaw}`)
  const qf = splitList(params.get('query-fields')).filter((f) => QUERY_FIELDS.includes(f))
  const queryFields = qf.length > 0 ? qf : DEFAULT_QUERY_FIELDS
  const section = params.get('section')
  const sectionOk = section ? parseFilter(section) : null
  const tag = params.get('tag')
  const tagOk = tag ? parseFilter(tag) : null
  const ids = params.get('ids')
  const idSet = ids ? new Set(splitList(ids)) : null

  const hits: { item: StoredItem; rev: Revision; score: number; orderAt: number }[] = []
  for (const item of ctx.items) {
    const rev = visibleRevision(item, ctx.now)
    if (!rev) continue
    if (idSet && !idSet.has(item.id)) continue
    const d = dateOf(useDate as DateKind, item, rev)
    if (d < from || d > to) continue
    if (sectionOk && !sectionOk([item.sectionId])) continue
    if (tagOk && !tagOk(item.tags.map((t) => t.id))) continue
    let s = 1
    if (query) {
      s = score(query, doc(item, rev), queryFields)
      if (s === 0) continue
    }
    hits.push({ item, rev, score: s, orderAt: dateOf(orderDate as DateKind, item, rev) })
  }
  // Ties break on id so pages are stable between calls.
  const byId = (a: { item: StoredItem }, b: { item: StoredItem }): number =>
    a.item.id < b.item.id ? -1 : a.item.id > b.item.id ? 1 : 0
  if (orderBy === 'oldest') hits.sort((a, b) => a.orderAt - b.orderAt || byId(a, b))
  else if (orderBy === 'newest') hits.sort((a, b) => b.orderAt - a.orderAt || byId(a, b))
  else hits.sort((a, b) => b.score - a.score || b.orderAt - a.orderAt || byId(a, b))

  const total = hits.length
  const pages = pageSize === 0 ? 0 : Math.ceil(total / pageSize)
  if (page > 1 && page > pages) return err(400, 'requested page is beyond the number of available pages')
  const startIndex = (page - 1) * pageSize
  const showFields = splitList(params.get('show-fields'))
  const showTags = splitList(params.get('show-tags'))
  const results = hits
    .slice(startIndex, startIndex + pageSize)
    .map((h) => renderItem(h.item, h.rev, ctx, showFields, showTags))
  return {
    status: 200,
    body: {
      response: {
        status: 'ok',
        userTier: ctx.userTier,
        total,
        startIndex: total === 0 ? 0 : startIndex + 1,
        pageSize,
        currentPage: page,
        pages,
        orderBy,
        results,
      },
    },
  }
}

export function item(id: string, params: URLSearchParams, ctx: ApiContext): ApiResponse {
  const found = ctx.get(id)
  const rev = found ? visibleRevision(found, ctx.now) : null
  if (!found || !rev) return err(404, 'The requested resource could not be found.')
  const content = renderItem(
    found,
    rev,
    ctx,
    splitList(params.get('show-fields')),
    splitList(params.get('show-tags')),
  )
  return { status: 200, body: { response: { status: 'ok', userTier: ctx.userTier, total: 1, content } } }
}

export function sections(params: URLSearchParams, ctx: ApiContext): ApiResponse {
  const q = params.get('q')?.toLowerCase() ?? ''
  const results = Object.entries(SECTION_NAMES)
    .filter(([id, name]) => q === '' || id.includes(q) || name.toLowerCase().includes(q))
    .map(([id, name]) => ({
      id,
      webTitle: name,
      webUrl: `https://www.theguardian.com/${id}`,
      apiUrl: `${ctx.apiBase}/${id}`,
      editions: [
        {
          id,
          webTitle: name,
          webUrl: `https://www.theguardian.com/${id}`,
          apiUrl: `${ctx.apiBase}/${id}`,
          code: 'default',
        },
      ],
    }))
  return {
    status: 200,
    body: { response: { status: 'ok', userTier: ctx.userTier, total: results.length, results } },
  }
}
