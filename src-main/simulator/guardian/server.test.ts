// Conformance of the Guardian simulator over real HTTP on 127.0.0.1, with a hand-driven simulated clock.
import { afterEach, describe, expect, it } from 'vitest'
import type { Shock } from '../types'
import { startGuardianServer, type StandaloneGuardian } from './server'
import type { GuardianSimOptions } from './index'

const T0 = Date.UTC(2026, 10, 24, 15, 0, 0) // Tuesday 15:00 UTC, live blog running
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/

let servers: StandaloneGuardian[] = []
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()))
  servers = []
})

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the tests read arbitrary JSON paths
type Json = any

interface Ctx {
  s: StandaloneGuardian
  clock: { t: number }
  shocks: Shock[]
  /** GET base + path with the key (unless given) and the clock moved 1.1 s first, so the 1/s quota never bites. */
  get(
    path: string,
    params?: Record<string, string>,
    opts?: { key?: string | null; tick?: number },
  ): Promise<{ status: number; headers: Headers; text: string; json: Json }>
}

async function start(opts: GuardianSimOptions = {}): Promise<Ctx> {
  const clock = { t: T0 }
  const shocks: Shock[] = []
  const s = await startGuardianServer({
    seed: 7,
    now: () => clock.t,
    scheduleShock: (x) => shocks.push(x),
    backfillMs: 6 * 3_600_000,
    ...opts,
  })
  servers.push(s)
  return {
    s,
    clock,
    shocks,
    async get(path, params = {}, o = {}) {
      clock.t += o.tick ?? 1100
      const u = new URL(s.base + path)
      for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v)
      if (o.key !== null) u.searchParams.set('api-key', o.key ?? 'demo')
      const res = await fetch(u)
      const text = await res.text()
      let json: unknown = null
      try {
        json = JSON.parse(text)
      } catch {
        json = null
      }
      return { status: res.status, headers: res.headers, text, json }
    },
  }
}

describe('Guardian simulator over HTTP', () => {
  it('answers /search with the real envelope, field for field, with real types', async () => {
    const c = await start()
    const r = await c.get('/search', { 'show-fields': 'all', 'show-tags': 'all' })
    expect(r.status).toBe(200)
    expect(r.headers.get('content-type')).toMatch(/^application\/json/)
    const resp = r.json.response
    expect(Object.keys(resp)).toEqual([
      'status',
      'userTier',
      'total',
      'startIndex',
      'pageSize',
      'currentPage',
      'pages',
      'orderBy',
      'results',
    ])
    expect(resp).toMatchObject({
      status: 'ok',
      userTier: 'developer',
      startIndex: 1,
      pageSize: 10,
      currentPage: 1,
      orderBy: 'newest',
    })
    expect(resp.total).toBeGreaterThan(30)
    expect(resp.pages).toBe(Math.ceil(resp.total / 10))
    expect(resp.results).toHaveLength(10)
    for (const item of resp.results) {
      expect(Object.keys(item)).toEqual([
        'id',
        'type',
        'sectionId',
        'sectionName',
        'webPublicationDate',
        'webTitle',
        'webUrl',
        'apiUrl',
        'fields',
        'tags',
        'isHosted',
        'pillarId',
        'pillarName',
      ])
      for (const k of [
        'id',
        'type',
        'sectionId',
        'sectionName',
        'webPublicationDate',
        'webTitle',
        'webUrl',
        'apiUrl',
        'pillarId',
        'pillarName',
      ])
        expect(typeof item[k], k).toBe('string')
      expect(item.isHosted).toBe(false)
      expect(item.webPublicationDate).toMatch(ISO)
      expect(Date.parse(item.webPublicationDate)).toBeLessThanOrEqual(c.clock.t)
      expect(item.webUrl).toBe(`https://www.theguardian.com/${item.id}`)
      expect(item.apiUrl).toBe(`${c.s.base}/${item.id}`)
      expect(Object.keys(item.fields).length).toBeGreaterThan(15)
      for (const v of Object.values(item.fields)) expect(typeof v).toBe('string')
      expect(item.fields.lastModified).toMatch(ISO)
      expect(item.fields.headline).toBe(item.webTitle)
      expect(Array.isArray(item.tags)).toBe(true)
      for (const t of item.tags)
        expect(Object.keys(t)).toEqual(expect.arrayContaining(['id', 'type', 'webTitle', 'webUrl', 'apiUrl']))
    }
    const dates = resp.results.map((i: { webPublicationDate: string }) => Date.parse(i.webPublicationDate))
    expect([...dates].sort((a, b) => b - a)).toEqual(dates)
  })

  it('omits fields and tags unless asked, and returns only the fields asked for', async () => {
    const c = await start()
    const plain = (await c.get('/search')).json.response.results[0]
    expect(plain.fields).toBeUndefined()
    expect(plain.tags).toBeUndefined()
    const some = (
      await c.get('/search', { 'show-fields': 'trailText,lastModified,nonsense', 'show-tags': 'keyword' })
    ).json.response.results[0]
    expect(Object.keys(some.fields).sort()).toEqual(['lastModified', 'trailText'])
    expect(some.tags.length).toBeGreaterThan(0)
    for (const t of some.tags) expect(t.type).toBe('keyword')
  })

  it('rejects a missing or wrong key with 401 {"message":"Unauthorized"} and serves a right one', async () => {
    const c = await start({ key: 'sekret' })
    for (const key of [null, 'demo', '']) {
      const r = await c.get('/search', {}, { key })
      expect(r.status).toBe(401)
      expect(r.json).toEqual({ message: 'Unauthorized' })
    }
    expect((await c.get('/search', {}, { key: 'sekret' })).status).toBe(200)
    expect(c.s.guardian.stats()).toMatchObject({ unauthorized: 3, accepted: 1 })
  })

  it('validates page-size 0–200, page and order-by with 400 and the real message', async () => {
    const c = await start()
    for (const ps of ['201', '-1', 'ten', '1.5']) {
      const r = await c.get('/search', { 'page-size': ps })
      expect(r.status, ps).toBe(400)
      expect(r.json).toEqual({
        response: { status: 'error', message: 'page-size must be an integer between 0 and 200' },
      })
    }
    const big = await c.get('/search', { 'page-size': '200' })
    expect(big.status).toBe(200)
    expect(big.json.response.pageSize).toBe(200)
    const zero = await c.get('/search', { 'page-size': '0' })
    expect(zero.status).toBe(200)
    expect(zero.json.response.results).toEqual([])
    expect(zero.json.response.total).toBe(big.json.response.total)
    const beyond = await c.get('/search', { page: '999' })
    expect(beyond.status).toBe(400)
    expect(beyond.json.response.message).toBe('requested page is beyond the number of available pages')
    expect((await c.get('/search', { 'order-by': 'random' })).status).toBe(400)
    expect((await c.get('/search', { 'from-date': 'yesterday' })).status).toBe(400)
    expect((await c.get('/search', { format: 'xml' })).status).toBe(400)
    expect((await c.get('/search', { format: 'json' })).status).toBe(200)
  })

  it('pages through the same ordering without gaps or repeats', async () => {
    const c = await start({ quota: null })
    const all = (await c.get('/search', { 'page-size': '200' })).json.response.results.map(
      (i: { id: string }) => i.id,
    )
    const paged: string[] = []
    const first = (await c.get('/search', { 'page-size': '7', page: '1', ...{} }, { tick: 0 })).json.response
    paged.push(...first.results.map((i: { id: string }) => i.id))
    for (let p = 2; p <= first.pages; p++) {
      const r = (await c.get('/search', { 'page-size': '7', page: String(p) }, { tick: 0 })).json.response
      expect(r.currentPage).toBe(p)
      expect(r.startIndex).toBe((p - 1) * 7 + 1)
      paged.push(...r.results.map((i: { id: string }) => i.id))
    }
    expect(paged).toEqual(all)
  })

  it('q finds company stories: phrases, OR, AND, NOT, query-fields; relevance is the default order with q', async () => {
    const c = await start()
    const ids = async (
      params: Record<string, string>,
    ): Promise<{ id: string; webTitle: string; fields: { bodyText: string } }[]> => {
      const r = await c.get('/search', { 'page-size': '200', 'show-fields': 'bodyText,trailText', ...params })
      expect(r.status).toBe(200)
      return r.json.response.results
    }
    const apple = await ids({ q: '"Apple"' })
    expect(apple.length).toBeGreaterThan(0)
    for (const i of apple) expect(`${i.webTitle} ${i.fields.bodyText}`).toMatch(/apple/i)
    const tesla = await ids({ q: '"Tesla"' })
    const either = await ids({ q: '"Apple" OR "Tesla"' })
    const implicit = await ids({ q: '"Apple" "Tesla"' })
    const union = new Set([...apple, ...tesla].map((i) => i.id))
    expect(new Set(either.map((i) => i.id))).toEqual(union)
    expect(new Set(implicit.map((i) => i.id))).toEqual(union)
    const notTesla = await ids({ q: '"Apple" NOT "Tesla"' })
    for (const i of notTesla) expect(`${i.webTitle} ${i.fields.bodyText}`).not.toMatch(/tesla/i)
    const both = await ids({ q: 'Apple AND Tesla' })
    for (const i of both)
      expect(`${i.webTitle} ${i.fields.bodyText}`).toMatch(/apple[\s\S]*tesla|tesla[\s\S]*apple/i)
    const headlineOnly = await ids({ q: 'Apple', 'query-fields': 'headline' })
    for (const i of headlineOnly) expect(i.webTitle).toMatch(/apple/i)
    const r = await c.get('/search', { q: 'Apple' })
    expect(r.json.response.orderBy).toBe('relevance')
    const none = await c.get('/search', { q: '"no such company anywhere"' })
    expect(none.json.response).toMatchObject({ status: 'ok', total: 0, results: [], pages: 0 })
  })

  it('filters by section (with | and -), tag, and from-date / to-date inclusive, dates or datetimes', async () => {
    const c = await start()
    const all = (await c.get('/search', { 'page-size': '200' })).json.response.results as {
      id: string
      sectionId: string
      webPublicationDate: string
    }[]
    const biz = (await c.get('/search', { 'page-size': '200', section: 'business' })).json.response
      .results as typeof all
    expect(biz.map((i) => i.id)).toEqual(all.filter((i) => i.sectionId === 'business').map((i) => i.id))
    const techOrMoney = (await c.get('/search', { 'page-size': '200', section: 'technology|money' })).json
      .response.results as typeof all
    expect(techOrMoney.map((i) => i.id)).toEqual(
      all.filter((i) => i.sectionId === 'technology' || i.sectionId === 'money').map((i) => i.id),
    )
    const notBiz = (await c.get('/search', { 'page-size': '200', section: '-business' })).json.response
      .results as typeof all
    expect(notBiz.length + biz.length).toBe(all.length)
    const lb = (await c.get('/search', { tag: 'type/liveblog' })).json.response.results as { type: string }[]
    expect(lb.map((i) => i.type)).toEqual(['liveblog'])

    const pivot = all[5]!.webPublicationDate
    const from = (await c.get('/search', { 'page-size': '200', 'from-date': pivot })).json.response
      .results as typeof all
    expect(from.map((i) => i.id)).toEqual(all.filter((i) => i.webPublicationDate >= pivot).map((i) => i.id))
    expect(from.some((i) => i.webPublicationDate === pivot)).toBe(true) // inclusive
    const to = (await c.get('/search', { 'page-size': '200', 'to-date': pivot })).json.response
      .results as typeof all
    expect(to.map((i) => i.id)).toEqual(all.filter((i) => i.webPublicationDate <= pivot).map((i) => i.id))
    const today = new Date(T0).toISOString().slice(0, 10)
    const day = (await c.get('/search', { 'page-size': '200', 'from-date': today, 'to-date': today })).json
      .response.results as typeof all
    expect(day.map((i) => i.id)).toEqual(
      all.filter((i) => i.webPublicationDate.startsWith(today)).map((i) => i.id),
    )
  })

  it('orders oldest first on request and filters live blogs by first-publication with use-date', async () => {
    const c = await start()
    const newest = (await c.get('/search', { 'page-size': '200' })).json.response.results as {
      id: string
      webPublicationDate: string
    }[]
    const oldest = (await c.get('/search', { 'page-size': '200', 'order-by': 'oldest' })).json.response
    expect(oldest.orderBy).toBe('oldest')
    expect(oldest.results.map((i: { id: string }) => i.id)).toEqual(newest.map((i) => i.id).reverse())
    const blog = (await c.get('/search', { tag: 'type/liveblog', 'show-fields': 'firstPublicationDate' }))
      .json.response.results[0]
    expect(blog.fields.firstPublicationDate < blog.webPublicationDate).toBe(true)
    const after = blog.fields.firstPublicationDate.replace(/Z$/, '.001Z')
    const byPub = (await c.get('/search', { tag: 'type/liveblog', 'from-date': after })).json.response.total
    const byFirst = (
      await c.get('/search', { tag: 'type/liveblog', 'from-date': after, 'use-date': 'first-publication' })
    ).json.response.total
    expect([byPub, byFirst]).toEqual([1, 0])
  })

  it('keeps a live blog id while webPublicationDate and lastModified move on', async () => {
    const c = await start()
    const one = (await c.get('/search', { tag: 'type/liveblog', 'show-fields': 'lastModified,isLive' })).json
      .response.results[0]
    c.clock.t += 45 * 60_000
    const two = (await c.get('/search', { tag: 'type/liveblog', 'show-fields': 'lastModified,isLive' })).json
      .response.results[0]
    expect(two.id).toBe(one.id)
    expect(two.type).toBe('liveblog')
    expect(Date.parse(two.webPublicationDate)).toBeGreaterThan(Date.parse(one.webPublicationDate))
    expect(Date.parse(two.fields.lastModified)).toBeGreaterThan(Date.parse(one.fields.lastModified))
    expect(two.fields.isLive).toBe('true')
    const item = await c.get(`/${two.id}`, { 'show-fields': 'lastModified' })
    expect(item.status).toBe(200)
    expect(item.json.response).toMatchObject({
      status: 'ok',
      total: 1,
      content: { id: two.id, webPublicationDate: two.webPublicationDate },
    })
  })

  it('serves /{item-id}, 404 for an unknown or future item, and /sections', async () => {
    const c = await start()
    const first = (await c.get('/search')).json.response.results[0]
    const item = await c.get(`/${first.id}`, { 'show-fields': 'headline' })
    expect(item.json.response.content).toMatchObject({
      id: first.id,
      webTitle: first.webTitle,
      fields: { headline: first.webTitle },
    })
    const missing = await c.get('/business/2026/nov/24/no-such-story')
    expect(missing.status).toBe(404)
    expect(missing.json).toEqual({
      response: { status: 'error', message: 'The requested resource could not be found.' },
    })
    const future = c.s.guardian
      .groundTruth({ includeFuture: true })
      .find((e) => e.published > c.clock.t + 5000)!
    expect((await c.get(`/${future.articleId}`)).status).toBe(404)
    const secs = await c.get('/sections', { q: 'business' })
    expect(secs.json.response.results.map((s: { id: string }) => s.id)).toEqual(['business'])
  })

  it('enforces the developer quota in simulated time: 1 call/s and 500/day → 429 with Retry-After', async () => {
    const c = await start()
    expect((await c.get('/search', {}, { tick: 1000 })).status).toBe(200)
    const fast = await c.get('/search', {}, { tick: 10 })
    expect(fast.status).toBe(429)
    expect(fast.headers.get('retry-after')).toBe('1')
    expect(fast.json).toEqual({ message: 'API rate limit exceeded' })
    // rest of the day, one call per simulated second (moved to a fresh UTC day first)
    c.clock.t = Date.UTC(2026, 10, 25, 0, 0, 0) - 1000
    let ok = 0
    for (let i = 0; i < 500; i++)
      if ((await c.get('/search', { 'page-size': '1' }, { tick: 1000 })).status === 200) ok++
    expect(ok).toBe(500)
    const over = await c.get('/search', { 'page-size': '1' }, { tick: 1000 })
    expect(over.status).toBe(429)
    expect(Number(over.headers.get('retry-after'))).toBe(
      Math.ceil((Date.UTC(2026, 10, 26) - c.clock.t) / 1000),
    )
    expect(over.headers.get('x-ratelimit-remaining-day')).toBe('0')
    c.clock.t = Date.UTC(2026, 10, 26, 0, 0, 1)
    expect((await c.get('/search', {}, { tick: 0 })).status).toBe(200)
  }, 60_000)

  it('injects faults on demand: 5xx with Retry-After, a non-JSON body, a wrong shape, a slow answer', async () => {
    const c = await start()
    c.s.guardian.injectFault({ kind: 'status', status: 503, retryAfter: '7' })
    const e = await c.get('/search')
    expect(e.status).toBe(503)
    expect(e.headers.get('retry-after')).toBe('7')
    expect((await c.get('/search')).status).toBe(200)
    c.s.guardian.injectFault({ kind: 'garbage', count: 2 })
    for (let i = 0; i < 2; i++) {
      const g = await c.get('/search')
      expect(g.status).toBe(200)
      expect(() => JSON.parse(g.text) as unknown).toThrow()
    }
    c.s.guardian.injectFault({ kind: 'wrong-shape' })
    expect((await c.get('/search')).json.response.results).toBe('not-a-list')
    c.s.guardian.injectFault({ kind: 'slow', ms: 400 })
    const u = new URL(`${c.s.base}/search?api-key=demo`)
    await expect(fetch(u, { signal: AbortSignal.timeout(50) })).rejects.toThrow()
    c.clock.t += 1100
    expect((await c.get('/search')).status).toBe(200)
  })

  it('is deterministic for a seed and schedules the shocks it reports', async () => {
    const a = await start()
    const b = await start()
    a.clock.t += 3 * 3_600_000
    b.clock.t += 3 * 3_600_000
    const ra = await a.get('/search', { 'page-size': '50', 'show-fields': 'all' })
    const rb = await b.get('/search', { 'page-size': '50', 'show-fields': 'all' })
    expect(ra.text.replaceAll(a.s.base, '')).toBe(rb.text.replaceAll(b.s.base, ''))
    const truth = a.s.guardian.groundTruth({ includeFuture: true }).filter((e) => e.kind === 'shock')
    expect(truth.length).toBeGreaterThan(0)
    expect(a.shocks).toEqual(truth.map((e) => e.shock))
    for (const s of a.shocks) expect(s.at).toBeGreaterThan(T0)
  })
})
