// Integration: the real poller against the real simulator (Polygon server with the Guardian mounted) over
// HTTP on 127.0.0.1, simulated time accelerated 120×. Real fetch, real files, real timers (scaled).
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Article } from '../domain/news'
import type { NewsStatus } from '../domain/status'
import type { WatchlistEntry } from '../domain/watchlist'
import { createSimulator, type Simulator } from '../simulator/index'
import { mountGuardian, type GuardianSim } from '../simulator/guardian/index'
import { createNewsPoller, type ArticleChange, type NewsPoller, type Timers } from './poller'

const FACTOR = 120
const START = Date.UTC(2026, 10, 24, 14, 30, 0) // Tuesday 09:30 EST: active hours, live blog running
const WL: WatchlistEntry[] = [
  { symbol: 'AAPL', aliases: ['Apple'] },
  { symbol: 'NVDA', aliases: ['Nvidia'] },
  { symbol: 'TSLA', aliases: ['Tesla'] },
]
/** Scaled timers: `ms` of simulated time pass in ms/FACTOR of wall time. */
const timers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms / FACTOR),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
}
const wallSleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

let sim: Simulator
let guardian: GuardianSim
let dir: string

beforeAll(async () => {
  sim = await createSimulator({
    port: 0,
    seed: 11,
    key: 'demo',
    clock: { kind: 'accelerated', factor: FACTOR, start: START },
    intensity: 0.05,
  })
  guardian = mountGuardian(sim, { seed: 11, watchlist: WL, articlesPerHour: 90, backfillMs: 3_600_000 })
  dir = await mkdtemp(join(tmpdir(), 'newstape-news-'))
})

afterAll(async () => {
  guardian?.close()
  await sim?.close()
  if (dir) await rm(dir, { recursive: true, force: true })
})

function makePoller(key: string, stateFile: string) {
  const got: { a: Article; change: ArticleChange }[] = []
  const statuses: NewsStatus[] = []
  const poller: NewsPoller = createNewsPoller({
    config: {
      enabled: true,
      key,
      base: `${sim.httpBase}/guardian`,
      sections: ['business', 'technology', 'us-news', 'money'],
      tier: 'developer',
    },
    watchlist: WL,
    fetch: (url, init) => fetch(url, init),
    clock: { now: () => sim.now() },
    timers,
    stateFile,
    requestTimeoutMs: 120_000,
    tag: (a) => WL.filter((w) => w.aliases.some((n) => a.title.includes(n))).map((w) => w.symbol),
    onArticle: (a, change) => got.push({ a, change }),
    onStatus: (s) => statuses.push(s),
  })
  return { poller, got, statuses, last: () => statuses[statuses.length - 1]! }
}

async function until(cond: () => boolean, what: string, wallMs = 60_000): Promise<void> {
  const end = Date.now() + wallMs
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await wallSleep(20)
  }
}

describe('news poller ↔ simulator over HTTP', () => {
  it('receives every watchlist story once, live-blog revisions as updates, survives faults and a restart', async () => {
    const stateFile = join(dir, 'news', 'state.json')
    const a = makePoller('demo', stateFile)
    await a.poller.start()
    await until(() => a.statuses.filter((s) => s.state === 'waiting').length >= 4, 'four completed polls')

    // faults: a 503 with Retry-After, then a garbage body; the poller reports and recovers
    guardian.injectFault({ kind: 'status', status: 503, retryAfter: '30' })
    await until(
      () => a.statuses.some((s) => s.state === 'backoff' && s.lastError === 'Guardian server error (503)'),
      'backoff after 503',
    )
    const backoff = a.statuses.find((s) => s.state === 'backoff')!
    expect(backoff.nextPollAt! - backoff.lastPollAt!).toBeGreaterThanOrEqual(30_000)
    guardian.injectFault({ kind: 'garbage' })
    await until(
      () =>
        a.statuses.some(
          (s) => s.state === 'error' && s.lastError === 'Guardian answered with a body that is not JSON',
        ),
      'error after garbage',
    )
    await until(() => a.last().state === 'waiting' && a.last().lastError === null, 'recovery')

    await a.poller.stop()
    const persisted = JSON.parse(await readFile(stateFile, 'utf8')) as {
      seen: unknown[]
      calls: { count: number }
    }
    expect(persisted.seen.length).toBeGreaterThan(0)
    const firstRunCalls = a.last().callsToday
    expect(persisted.calls.count).toBe(firstRunCalls)

    // downtime: ~8 simulated minutes pass with nobody polling
    await wallSleep((8 * 60_000) / FACTOR)
    const b = makePoller('demo', stateFile)
    await b.poller.start()
    await until(
      () => b.statuses.filter((s) => s.state === 'waiting').length >= 3,
      'three polls after restart',
    )
    await b.poller.stop()
    const lastPoll = b.last().lastPollAt!
    expect(b.last().callsToday).toBeGreaterThan(firstRunCalls)

    const all = [...a.got, ...b.got]
    // no duplicates: each (id, revision) once; 'new' once per id
    const revKeys = all.map((x) => `${x.a.id}@${Math.max(x.a.published, x.a.updated)}`)
    expect(new Set(revKeys).size).toBe(revKeys.length)
    const newIds = all.filter((x) => x.change === 'new').map((x) => x.a.id)
    expect(new Set(newIds).size).toBe(newIds.length)
    for (const x of all.filter((y) => y.change === 'update')) expect(newIds).toContain(x.a.id)
    expect(b.got.filter((x) => x.change === 'new').every((x) => !a.got.some((y) => y.a.id === x.a.id))).toBe(
      true,
    )

    // nothing missed: every company article published up to a little before the last poll was received
    const truth = guardian.groundTruth()
    const expected = truth.filter(
      (e) =>
        e.kind !== 'liveblog' &&
        e.symbol !== null &&
        e.published <= lastPoll - 60_000 &&
        e.published >= START - 3_600_000,
    )
    expect(expected.length).toBeGreaterThan(20)
    const received = new Set(newIds)
    expect(expected.filter((e) => !received.has(e.articleId)).map((e) => e.title)).toEqual([])
    // and nothing off-watchlist
    const other = new Set(truth.filter((e) => e.kind === 'other').map((e) => e.articleId))
    expect(newIds.filter((id) => other.has(id))).toEqual([])
    // the live blog: one id, later revisions arrive as updates
    const blog = all.filter((x) => x.a.type === 'liveblog')
    expect(new Set(blog.map((x) => x.a.id)).size).toBe(1)
    expect(blog.filter((x) => x.change === 'update').length).toBeGreaterThan(0)
    // tagging hook applied; fields mapped
    const shock = truth.find((e) => e.kind === 'shock' && received.has(e.articleId))!
    const art = all.find((x) => x.a.id === shock.articleId)!.a
    expect(art.tickers).toContain(shock.symbol)
    expect(art.published).toBe(shock.published)
    expect(art.receivedAt).toBeGreaterThanOrEqual(art.published)
    // the shock starts at its headline's publication (the simulator's news model: src-main/simulator/guardian/README.md)
    expect(shock.shock!.at).toBe(shock.published)
    // the simulator never had to refuse a call: the poller kept to 1 call/s
    expect(guardian.stats().rateLimited).toBe(0)
  }, 120_000)

  it('a rejected key ends in auth_failed with no retry loop', async () => {
    const c = makePoller('not-the-key', join(dir, 'bad-key.json'))
    await c.poller.start()
    await until(() => c.last().state === 'auth_failed', 'auth_failed')
    const before = guardian.stats().unauthorized
    await wallSleep((5 * 60_000) / FACTOR)
    expect(guardian.stats().unauthorized).toBe(before)
    expect(c.last()).toMatchObject({
      state: 'auth_failed',
      message: 'Guardian key rejected',
      nextPollAt: null,
    })
    await c.poller.stop()
  }, 60_000)
})
