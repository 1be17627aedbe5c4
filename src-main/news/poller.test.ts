// Poller behaviour with injected I/O: virtual time, an in-memory file system and a fetch answered by the
// simulator's own search logic (with scripted faults).
import { describe, expect, it } from 'vitest'
import type { Article } from '../domain/news'
import type { NewsStatus } from '../domain/status'
import type { WatchlistEntry } from '../domain/watchlist'
import { createNewsPoller, type ArticleChange, type NewsPollerOptions } from './poller'
import { FakeGuardian, MemoryFs, VirtualTime } from './test-support'

const T0 = Date.UTC(2026, 10, 24, 15, 0, 0) // Tuesday 10:00 EST: inside active hours
const MIN = 60_000
const H = 3_600_000
const KEY = 'test-key-123456'
const WL: WatchlistEntry[] = [
  { symbol: 'AAPL', aliases: ['Apple'] },
  { symbol: 'TSLA', aliases: ['Tesla'] },
]

function setup(
  over: Partial<NewsPollerOptions> = {},
  shared?: { vt: VirtualTime; g: FakeGuardian; fs: MemoryFs },
) {
  const vt = shared?.vt ?? new VirtualTime(T0)
  const g = shared?.g ?? new FakeGuardian(vt.now, KEY)
  const fs = shared?.fs ?? new MemoryFs()
  const got: { a: Article; change: ArticleChange }[] = []
  const statuses: NewsStatus[] = []
  const poller = createNewsPoller({
    config: { enabled: true, key: KEY, base: 'http://fake/guardian', sections: [], tier: 'developer' },
    watchlist: WL,
    fetch: g.fetch,
    clock: vt,
    timers: vt,
    stateFile: '/data/news-state.json',
    fs,
    onArticle: (a, change) => got.push({ a, change }),
    onStatus: (s) => statuses.push(s),
    ...over,
  })
  const last = (): NewsStatus => statuses[statuses.length - 1]!
  const ids = (): string[] => got.map((x) => x.a.id)
  return { vt, g, fs, poller, got, statuses, last, ids }
}

/** n articles about `name`, one every `every` ms ending at `end`. */
function addMany(g: FakeGuardian, name: string, n: number, end: number, every = 5 * MIN): string[] {
  const out: string[] = []
  for (let i = 0; i < n; i++) {
    const id = `business/2026/nov/24/${name.toLowerCase()}-story-${end}-${i}`
    g.add(id, end - i * every, `${name} story number ${i}`)
    out.push(id)
  }
  return out
}

describe('news poller', () => {
  it('first poll: one query for the watchlist, every matching article of the look-back window once, mapped', async () => {
    const t = setup({ tag: (a) => (a.title.includes('Apple') ? ['AAPL'] : []) })
    t.g.add('business/2026/nov/24/apple-a', T0 - H, 'Apple beats forecasts')
    t.g.add('technology/2026/nov/24/tesla-b', T0 - 2 * H, 'Tesla recalls cars', { section: 'technology' })
    t.g.add('business/2026/nov/24/boe', T0 - 30 * MIN, 'Bank of England holds rates')
    t.g.add('business/2026/nov/23/apple-old', T0 - 7 * H, 'Apple old news')
    await t.poller.start()
    await t.vt.advance(0)
    expect(t.g.calls).toHaveLength(1)
    const u = t.g.calls[0]!.url
    expect(u.searchParams.get('q')).toBe('"Apple" OR "Tesla"')
    expect(u.searchParams.get('order-by')).toBe('newest')
    expect(u.searchParams.get('from-date')).toBe(
      new Date(T0 - 6 * H - 10 * MIN).toISOString().replace('.000Z', 'Z'),
    )
    expect(t.ids()).toEqual(['technology/2026/nov/24/tesla-b', 'business/2026/nov/24/apple-a'])
    const apple = t.got[1]!
    expect(apple.change).toBe('new')
    expect(apple.a).toEqual({
      id: 'business/2026/nov/24/apple-a',
      published: T0 - H,
      updated: T0 - H,
      title: 'Apple beats forecasts',
      url: 'https://www.theguardian.com/business/2026/nov/24/apple-a',
      section: 'business',
      type: 'article',
      trailText: 'Apple beats forecasts trail',
      tickers: ['AAPL'],
      query: '"Apple" OR "Tesla"',
      receivedAt: T0,
      stale: false,
    })
    expect(t.last()).toMatchObject({
      state: 'waiting',
      callsToday: 1,
      dailyBudget: 500,
      lastPollAt: T0,
      lastError: null,
    })
    // 10:00 EST → 19:00 EST is 9 h before the UTC day ends; 489 usable calls left
    expect(t.last().nextPollAt).toBe(T0 + Math.floor((9 * H) / 489))
    await t.poller.stop()
  })

  it('pages until it reaches seen items, and costs one call when nothing is new', async () => {
    const t = setup({ pageSize: 5 })
    addMany(t.g, 'Apple', 12, T0 - MIN)
    await t.poller.start()
    await t.vt.advance(5000)
    expect(t.g.calls.map((c) => c.url.searchParams.get('page'))).toEqual(['1', '2', '3'])
    expect(t.got).toHaveLength(12)
    expect(t.last().callsToday).toBe(3)
    // calls at least a second apart
    for (let i = 1; i < t.g.calls.length; i++)
      expect(t.g.calls[i]!.at - t.g.calls[i - 1]!.at).toBeGreaterThanOrEqual(1000)
    await t.vt.runUntil(t.last().nextPollAt!)
    expect(t.g.calls).toHaveLength(4)
    expect(t.got).toHaveLength(12)
    addMany(t.g, 'Tesla', 7, t.vt.t, 1000)
    await t.vt.runUntil(t.last().nextPollAt! + 5000)
    expect(t.g.calls.slice(4).map((c) => c.url.searchParams.get('page'))).toEqual(['1', '2'])
    expect(t.got).toHaveLength(19)
    expect(new Set(t.ids()).size).toBe(19)
    await t.poller.stop()
  })

  it('treats a live blog’s new revision as an UPDATE of the same id, never as a new item', async () => {
    const t = setup()
    const blog = t.g.add(
      'business/live/2026/nov/24/markets-live',
      T0 - 20 * MIN,
      'Apple shares rise – business live',
      { type: 'liveblog' },
    )
    await t.poller.start()
    await t.vt.advance(0)
    expect(t.got.map((x) => x.change)).toEqual(['new'])
    // nothing changes: no repeat
    await t.vt.runUntil(t.last().nextPollAt!)
    expect(t.got).toHaveLength(1)
    t.g.revise(blog, t.vt.t - 1000, 'Apple shares rise; Tesla falls – business live')
    await t.vt.runUntil(t.last().nextPollAt!)
    expect(t.got.map((x) => [x.a.id, x.change])).toEqual([
      [blog.id, 'new'],
      [blog.id, 'update'],
    ])
    expect(t.got[1]!.a.title).toBe('Apple shares rise; Tesla falls – business live')
    expect(t.got[1]!.a.published).toBeGreaterThan(t.got[0]!.a.published)
    await t.vt.runUntil(t.last().nextPollAt!)
    expect(t.got).toHaveLength(2)
    await t.poller.stop()
  })

  it('persists watermark and seen ids: after a restart, no duplicates and nothing missed', async () => {
    const a = setup({ pageSize: 5 })
    const first = addMany(a.g, 'Apple', 8, T0 - MIN)
    await a.poller.start()
    await a.vt.advance(5000)
    await a.poller.stop()
    const callsBefore = a.last().callsToday
    expect(a.ids().sort()).toEqual([...first].sort())
    expect(a.fs.files.has('/data/news-state.json')).toBe(true)
    // while the app is closed: new stories, including one indexed late with an earlier publication time
    await a.vt.advance(40 * MIN)
    const later = addMany(a.g, 'Tesla', 6, a.vt.t - MIN)
    a.g.add('business/2026/nov/24/apple-late', T0 - 3 * MIN, 'Apple late-indexed story')
    const b = setup({ pageSize: 5 }, { vt: a.vt, g: a.g, fs: a.fs })
    await b.poller.start()
    await b.vt.advance(5000)
    expect(b.ids().sort()).toEqual([...later, 'business/2026/nov/24/apple-late'].sort())
    expect(b.last().callsToday).toBe(
      callsBefore + b.g.calls.length - a.g.calls.length + (a.g.calls.length - callsBefore),
    )
    await b.poller.stop()
    // and a third start with nothing new emits nothing
    const c = setup({ pageSize: 5 }, { vt: a.vt, g: a.g, fs: a.fs })
    await c.poller.start()
    await c.vt.advance(0)
    expect(c.got).toEqual([])
    await c.poller.stop()
  })

  it('continues capped paging next cycle, shifted for new stories: everything exactly once', async () => {
    const t = setup({ pageSize: 5, maxPagesPerCycle: 2, overlapMs: 0 })
    const all = addMany(t.g, 'Apple', 30, T0 - MIN, 2 * MIN)
    await t.poller.start()
    await t.vt.advance(5000)
    expect(t.got).toHaveLength(10)
    for (let cycle = 0; cycle < 12; cycle++) {
      if (cycle < 3) all.push(...addMany(t.g, 'Tesla', 3, t.vt.t - 1000 + cycle, 1000)) // new stories keep arriving
      await t.vt.runUntil(t.last().nextPollAt! + 5000)
    }
    expect(new Set(t.ids()).size).toBe(t.ids().length)
    expect(t.ids().sort()).toEqual([...all].sort())
    const state = JSON.parse(t.fs.files.get('/data/news-state.json')!) as {
      queries: Record<string, { watermark: number; resumePage: number | null }>
    }
    expect(state.queries['"Apple" OR "Tesla"']!.resumePage).toBeNull()
    expect(state.queries['"Apple" OR "Tesla"']!.watermark).toBeGreaterThan(T0)
    await t.poller.stop()
  })

  it('honours Retry-After in seconds and as an HTTP date on 429 / 5xx, else backs off exponentially', async () => {
    const t = setup()
    addMany(t.g, 'Apple', 2, T0 - MIN)
    t.g.script.push(
      {
        status: 503,
        body: '{"response":{"status":"error","message":"down"}}',
        headers: { 'Retry-After': '120' },
      },
      {
        status: 429,
        body: '{"message":"API rate limit exceeded"}',
        headers: { 'Retry-After': new Date(T0 + 120_000 + 300_000).toUTCString() },
      },
      { status: 500, body: 'oops' },
      { status: 502, body: 'oops' },
    )
    await t.poller.start()
    await t.vt.advance(0)
    expect(t.last()).toMatchObject({
      state: 'backoff',
      nextPollAt: T0 + 120_000,
      lastError: 'Guardian server error (503)',
    })
    await t.vt.runUntil(T0 + 120_000)
    expect(t.g.calls.map((c) => c.at)).toEqual([T0, T0 + 120_000])
    expect(t.last()).toMatchObject({
      state: 'backoff',
      nextPollAt: T0 + 420_000,
      lastError: 'Guardian rate limit hit (429)',
    })
    await t.vt.runUntil(T0 + 420_000)
    expect(t.last()).toMatchObject({ state: 'backoff', nextPollAt: T0 + 420_000 + 20_000 }) // attempt 3: 5 s × 2²
    await t.vt.runUntil(T0 + 440_000)
    expect(t.last()).toMatchObject({ state: 'backoff', nextPollAt: T0 + 440_000 + 40_000 })
    await t.vt.runUntil(T0 + 480_000)
    expect(t.last()).toMatchObject({ state: 'waiting', lastError: null })
    expect(t.got).toHaveLength(2)
    await t.poller.stop()
  })

  it('401 is fatal: "Guardian key rejected", no retry loop', async () => {
    const t = setup({
      config: {
        enabled: true,
        key: 'wrong-key',
        base: 'http://fake/guardian',
        sections: [],
        tier: 'developer',
      },
    })
    await t.poller.start()
    await t.vt.advance(0)
    expect(t.last()).toMatchObject({
      state: 'auth_failed',
      message: 'Guardian key rejected',
      nextPollAt: null,
    })
    await t.vt.advance(48 * H)
    t.poller.resume()
    t.poller.setWatchlist([{ symbol: 'NVDA', aliases: ['Nvidia'] }])
    await t.vt.advance(48 * H)
    expect(t.g.calls).toHaveLength(1)
    expect(t.vt.pending()).toBe(0)
    await t.poller.stop()
  })

  it('a garbage body, a wrong shape, a network error or a hung request become statuses, never a crash', async () => {
    const t = setup({ requestTimeoutMs: 10_000 })
    addMany(t.g, 'Apple', 3, T0 - MIN)
    t.g.script.push(
      { status: 200, body: '<html><body>upstream hiccup</body></html>{"response":' },
      { status: 200, body: '{"response":{"status":"ok","results":"not-a-list"}}' },
      { throws: `connect ECONNREFUSED http://fake/guardian/search?api-key=${KEY}` },
      { hang: true },
    )
    await t.poller.start()
    await t.vt.advance(0)
    expect(t.last()).toMatchObject({
      state: 'error',
      lastError: 'Guardian answered with a body that is not JSON',
    })
    await t.vt.runUntil(t.last().nextPollAt!)
    expect(t.last()).toMatchObject({
      state: 'error',
      lastError: 'Guardian answered with an unexpected JSON shape',
    })
    await t.vt.runUntil(t.last().nextPollAt!)
    expect(t.last().state).toBe('backoff')
    expect(t.last().lastError).toMatch(/^Guardian unreachable: connect ECONNREFUSED/)
    await t.vt.runUntil(t.last().nextPollAt!)
    await t.vt.advance(10_000)
    expect(t.last()).toMatchObject({ state: 'backoff', lastError: 'Guardian did not answer in time' })
    await t.vt.runUntil(t.last().nextPollAt!)
    expect(t.last()).toMatchObject({ state: 'waiting', lastError: null })
    expect(t.got).toHaveLength(3)
    // the key never shows in any status
    expect(JSON.stringify(t.statuses)).not.toContain(KEY)
    await t.poller.stop()
  })

  it('keeps within the developer budget over days: ≤ 500 calls per UTC day, ≥ 1 s apart, only in active hours after the first', async () => {
    const t = setup({ pageSize: 5 })
    await t.poller.start()
    const end = T0 + 3 * 24 * H
    let n = 0
    while (t.vt.t < end) {
      // a story now and then, so some cycles page
      if (n++ % 40 === 0) addMany(t.g, 'Apple', 6, t.vt.t, 1000)
      const next = t.last().nextPollAt ?? t.vt.t + 2000 // null while a cycle pages
      await t.vt.runUntil(Math.min(next, end))
    }
    const perDay = new Map<number, number>()
    for (const c of t.g.calls)
      perDay.set(Math.floor(c.at / 86_400_000), (perDay.get(Math.floor(c.at / 86_400_000)) ?? 0) + 1)
    for (const v of perDay.values()) expect(v).toBeLessThanOrEqual(500)
    expect(Math.max(...perDay.values())).toBeGreaterThan(300) // and it does use the budget
    for (let i = 1; i < t.g.calls.length; i++)
      expect(t.g.calls[i]!.at - t.g.calls[i - 1]!.at).toBeGreaterThanOrEqual(1000)
    const { isActive, US_EXTENDED_HOURS } = await import('./active-hours')
    for (const c of t.g.calls.slice(1)) expect(isActive(c.at, US_EXTENDED_HOURS)).toBe(true)
    expect(new Set(t.ids()).size).toBe(t.ids().length)
    await t.poller.stop()
  })

  it('waits for the next UTC day when the daily budget is spent (state persisted across restart)', async () => {
    const fs = new MemoryFs()
    fs.files.set(
      '/data/news-state.json',
      JSON.stringify({
        version: 1,
        queries: {},
        seen: [],
        calls: { day: Math.floor(T0 / 86_400_000), count: 500 },
      }),
    )
    const t = setup({}, { vt: new VirtualTime(T0), g: new FakeGuardian(() => t.vt.t, KEY), fs })
    await t.poller.start()
    await t.vt.advance(0)
    expect(t.g.calls).toHaveLength(0)
    expect(t.last()).toMatchObject({
      state: 'waiting',
      callsToday: 500,
      nextPollAt: Date.UTC(2026, 10, 25, 0, 0, 0),
    })
    await t.poller.stop()
  })

  it('a damaged state file: moved aside, the status keeps a notice with both paths, a fresh state is saved', async () => {
    const fs = new MemoryFs()
    fs.files.set('/data/news-state.json', '{"version":1,"queries":{"x"')
    const vt = new VirtualTime(T0)
    const t = setup({}, { vt, g: new FakeGuardian(vt.now, KEY), fs })
    await t.poller.start()
    await t.vt.advance(0)
    const aside = [...fs.files.keys()].find((k) => k.startsWith('/data/news-state.json.corrupt-'))
    expect(aside).toBeDefined()
    expect(fs.files.get(aside ?? '')).toBe('{"version":1,"queries":{"x"')
    expect(t.last().notice).toBe(
      `The news state file /data/news-state.json was damaged: it was moved to ${aside} and news polling starts fresh (headlines already seen may show again, and today's call count starts at 0).`,
    )
    await t.poller.stop()
    expect(fs.files.get(aside ?? '')).toBe('{"version":1,"queries":{"x"')
  })

  it('a state file that can be neither read nor moved aside is never saved over', async () => {
    const fs = new MemoryFs()
    fs.files.set('/data/news-state.json', 'garbage')
    fs.rename = () => Promise.reject(new Error('EROFS: read-only file system'))
    const vt = new VirtualTime(T0)
    const t = setup({}, { vt, g: new FakeGuardian(vt.now, KEY), fs })
    await t.poller.start()
    await t.vt.advance(0)
    await t.poller.stop()
    expect(fs.files.get('/data/news-state.json')).toBe('garbage')
    expect(fs.ops.filter((o) => o.startsWith('write'))).toEqual([])
    expect(t.last().notice).toMatch(/could not be moved aside \(EROFS/)
  })

  it('pause stops polling, resume polls again, setWatchlist re-queries soon, stop persists', async () => {
    const t = setup()
    addMany(t.g, 'Apple', 2, T0 - MIN)
    addMany(t.g, 'Nvidia', 2, T0 - 2 * MIN)
    await t.poller.start()
    await t.vt.advance(0)
    t.poller.pause()
    expect(t.last().state).toBe('paused')
    await t.vt.advance(6 * H)
    expect(t.g.calls).toHaveLength(1)
    t.poller.resume()
    await t.vt.advance(0)
    expect(t.g.calls).toHaveLength(2)
    t.poller.setWatchlist([...WL, { symbol: 'NVDA', aliases: ['Nvidia'] }])
    await t.vt.advance(2000)
    expect(t.g.calls).toHaveLength(3)
    expect(t.g.calls[2]!.url.searchParams.get('q')).toBe('"Apple" OR "Tesla" OR "Nvidia"')
    expect(t.got.filter((x) => x.a.title.startsWith('Nvidia'))).toHaveLength(2)
    expect(t.got.every((x) => x.change === 'new')).toBe(true)
    t.fs.files.delete('/data/news-state.json')
    await t.poller.stop()
    expect(t.fs.files.has('/data/news-state.json')).toBe(true)
    expect(t.last()).toMatchObject({ state: 'idle', message: 'Stopped' })
    await t.vt.advance(24 * H)
    expect(t.g.calls).toHaveLength(3)
  })

  it('reports a state file it cannot write, and keeps polling', async () => {
    const t = setup()
    addMany(t.g, 'Apple', 1, T0 - MIN)
    t.fs.failWrites = true
    await t.poller.start()
    await t.vt.advance(0)
    expect(t.got).toHaveLength(1)
    expect(t.statuses.some((s) => s.lastError === 'news state not saved: disk full')).toBe(true)
    expect(t.last().state).toBe('waiting')
    await t.poller.stop()
  })

  it('does nothing when disabled or the watchlist is empty', async () => {
    const off = setup({ config: { enabled: false, key: KEY, sections: [], tier: 'developer' } })
    await off.poller.start()
    await off.vt.advance(H)
    expect(off.last()).toMatchObject({ state: 'idle', message: 'News disabled' })
    const empty = setup({ watchlist: [] })
    await empty.poller.start()
    await empty.vt.advance(H)
    expect(empty.last().state).toBe('idle')
    expect(off.g.calls.length + empty.g.calls.length).toBe(0)
  })
})
