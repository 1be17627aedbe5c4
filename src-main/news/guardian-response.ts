// Parses Guardian /search bodies (unknown until zod accepts them) and maps items to Articles.
// A bad envelope rejects the page; a bad item is skipped and counted, the rest of the page survives.
import { z } from 'zod'
import type { Article } from '../domain/news'

const Envelope = z.object({
  response: z.object({
    status: z.literal('ok'),
    total: z.number().int().nonnegative(),
    currentPage: z.number().int().nonnegative(),
    pages: z.number().int().nonnegative(),
    results: z.array(z.unknown()),
  }),
})

const Item = z.object({
  id: z.string().min(1),
  type: z.string().default('article'),
  sectionId: z.string().default(''),
  webPublicationDate: z.string(),
  webTitle: z.string(),
  webUrl: z.string(),
  fields: z.record(z.string(), z.unknown()).optional(),
  tags: z.array(z.unknown()).optional(),
})

const KeywordTag = z.object({ id: z.string().min(1).max(200), type: z.string().optional() })

/** Keyword tag ids ("technology/apple"), at most 50; anything else in `tags` is ignored. */
function keywordTags(raw: unknown[] | undefined): string[] {
  const out: string[] = []
  for (const t of raw ?? []) {
    const r = KeywordTag.safeParse(t)
    if (r.success && (r.data.type === undefined || r.data.type === 'keyword') && out.length < 50) out.push(r.data.id)
  }
  return out
}

export interface GuardianItem {
  id: string
  type: string
  sectionId: string
  published: number
  /** fields.lastModified when readable, else published. */
  updated: number
  title: string
  url: string
  trailText: string
  /** Keyword tag ids when the response had tags. */
  tags?: string[]
}

export interface SearchPage {
  total: number
  currentPage: number
  pages: number
  items: GuardianItem[]
  /** Items the schema rejected. */
  rejected: number
}

export type ParseResult = { ok: true; page: SearchPage } | { ok: false; error: string }

/** Strips tags and decodes the few entities trailText uses. */
export function plainText(html: string): string {
  return html
    .replace(/<[^>]*>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .trim()
}

export function parseItem(raw: unknown): GuardianItem | null {
  const r = Item.safeParse(raw)
  if (!r.success) return null
  const published = Date.parse(r.data.webPublicationDate)
  if (Number.isNaN(published)) return null
  const f = r.data.fields ?? {}
  const lm = typeof f.lastModified === 'string' ? Date.parse(f.lastModified) : NaN
  return {
    id: r.data.id,
    type: r.data.type,
    sectionId: r.data.sectionId,
    published,
    updated: Number.isNaN(lm) ? published : lm,
    title: r.data.webTitle,
    url: r.data.webUrl,
    trailText: typeof f.trailText === 'string' ? plainText(f.trailText) : '',
    ...(r.data.tags ? { tags: keywordTags(r.data.tags) } : {}),
  }
}

export function parseSearchBody(text: string): ParseResult {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    return { ok: false, error: 'Guardian answered with a body that is not JSON' }
  }
  const env = Envelope.safeParse(json)
  if (!env.success) return { ok: false, error: 'Guardian answered with an unexpected JSON shape' }
  const items: GuardianItem[] = []
  let rejected = 0
  for (const raw of env.data.response.results) {
    const it = parseItem(raw)
    if (it) items.push(it)
    else rejected++
  }
  const { total, currentPage, pages } = env.data.response
  return { ok: true, page: { total, currentPage, pages, items, rejected } }
}

/** The error message of a Guardian error body, if it has one (never echoes anything else). */
export function errorMessage(text: string): string | null {
  try {
    const j = JSON.parse(text) as unknown
    const r = z
      .union([z.object({ response: z.object({ message: z.string() }) }), z.object({ message: z.string() })])
      .safeParse(j)
    if (!r.success) return null
    return 'response' in r.data ? r.data.response.message : r.data.message
  } catch {
    return null
  }
}

export function toArticle(it: GuardianItem, query: string, receivedAt: number): Article {
  return {
    id: it.id,
    published: it.published,
    updated: Math.max(it.updated, it.published),
    title: it.title,
    url: it.url,
    section: it.sectionId,
    type: it.type,
    trailText: it.trailText,
    tickers: [],
    query,
    receivedAt,
    stale: false,
    ...(it.tags && it.tags.length > 0 ? { guardianTags: it.tags } : {}),
  }
}
