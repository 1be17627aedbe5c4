import { describe, expect, it } from 'vitest'
import type { HistoryStatus } from '../domain/status'
import { classifyRestError, createHistoryQueue, type HistoryJob, type HistoryQueueOptions } from './history-queue'
import { PolygonRestError } from './polygon-rest'
import { ManualTime } from './test-support'

const flush = async (): Promise<void> => {
  for (let i = 0; i < 5; i++) await new Promise<void>((r) => setImmediate(r))
}

/** A job of `pages` calls; `fail(call)` may throw for a call (by number, 1-based over the whole job). */
function job(label: string, time: ManualTime, pages = 1, fail: (call: number) => Error | null = () => null) {
  const calls: number[] = []
  const got: number[] = []
  let page = 1
  let done = 0
  const j: HistoryJob = {
    label,
    async step() {
      calls.push(time.nowMs)
      await Promise.resolve()
      const e = fail(calls.length)
      if (e) throw e
      got.push(page)
      page++
      if (page > pages) {
        done++
        return true
      }
      return false
    },
  }
  return { j, calls, got, doneCount: () => done }
}

function setup(extra: Partial<HistoryQueueOptions> = {}) {
  const time = new ManualTime(1_800_000_000_000)
  const statuses: HistoryStatus[] = []
  const failed: string[] = []
  const q = createHistoryQueue({
    clock: time.clock,
    timers: time.timers,
    callsPerMinute: 5,
    random: () => 0.5,
    source: () => 'trades',
    onStatus: (s) => statuses.push(s),
    onFailed: (j, reason) => failed.push(`${j.label}: ${reason}`),
    ...extra,
  })
  return { time, q, statuses, failed, t0: time.nowMs }
}

const limited = (retryAfterMs?: number) => new PolygonRestError('rate_limited', 'Polygon REST: rate limited (429)', 429, retryAfterMs)

describe('history queue', () => {
  it('runs higher priorities first, equal ones in order, and never overtakes a job that has made a call', async () => {
    const { time, q } = setup()
    const order: string[] = []
    const mk = (label: string, priority: number | undefined, pages = 1) => {
      const x = job(label, time, pages)
      const step = x.j.step.bind(x.j)
      return { ...x.j, priority, step: async () => (order.push(label), step()) } satisfies HistoryJob
    }
    // Old headlines' windows first (as a first page of news arrives one by one), a two-page job among them.
    q.push(mk('old-2pages', 10, 2))
    await flush() // its first call is made: it keeps its place
    q.push(mk('old', 10))
    q.push(mk('none', undefined))
    q.push(mk('newest', 30))
    q.push(mk('newer', 20))
    q.push(mk('newest-too', 30))
    for (let i = 0; i < 8; i++) {
      time.advance(12_000)
      await flush()
    }
    expect(order).toEqual(['old-2pages', 'old-2pages', 'newest', 'newest-too', 'newer', 'old', 'none'])
  })

  it('5 calls a minute: one call at a time, 12 s apart, never a burst; the status counts and says why it waits', async () => {
    const { time, q, statuses, t0 } = setup()
    const jobs = ['A', 'B', 'C', 'D'].map((l) => job(l, time))
    for (const { j } of jobs) q.push(j)
    await flush()
    expect(jobs.map((x) => x.calls.length)).toEqual([1, 0, 0, 0])
    expect(q.status()).toMatchObject({ state: 'waiting', pending: 3, done: 1, failed: 0, source: 'trades', retryAt: t0 + 12_000 })
    expect(q.status().message).toBe('history 1/4 · waiting 12 s (plan 5/min)')
    time.advance(11_999)
    await flush()
    expect(jobs[1]!.calls).toEqual([])
    time.advance(1)
    await flush()
    expect(jobs[1]!.calls).toEqual([t0 + 12_000])
    for (let i = 0; i < 3; i++) {
      time.advance(12_000)
      await flush()
    }
    expect(jobs.map((x) => x.calls)).toEqual([[t0], [t0 + 12_000], [t0 + 24_000], [t0 + 36_000]])
    expect(q.status()).toMatchObject({ state: 'idle', pending: 0, done: 4, retryAt: null, message: 'history 4/4' })
    expect(q.calls()).toBe(4)
    // It said it was loading each one (the totals grew while A was in flight).
    expect(statuses.filter((s) => s.state === 'loading').map((s) => s.message)).toEqual([
      'history 0/1 · loading A',
      'history 0/2 · loading A',
      'history 0/3 · loading A',
      'history 0/4 · loading A',
      'history 1/4 · loading B',
      'history 2/4 · loading C',
      'history 3/4 · loading D',
    ])
  })

  it('a 429 waits for Retry-After, then repeats the same call exactly once; nothing is lost or doubled', async () => {
    const { time, q, t0 } = setup()
    const a = job('AAPL', time, 3, (n) => (n === 2 ? limited(30_000) : null))
    q.push(a.j)
    await flush()
    time.advance(12_000)
    await flush()
    // Page 2 got a 429: wait 30 s from then, not 12 s.
    expect(q.status()).toMatchObject({ state: 'waiting', retryAt: t0 + 42_000, pending: 1 })
    expect(q.status().message).toBe('history 0/1 · waiting 30 s (rate limit)')
    time.advance(29_999)
    await flush()
    expect(a.calls).toHaveLength(2)
    time.advance(1)
    await flush()
    expect(a.calls).toEqual([t0, t0 + 12_000, t0 + 42_000])
    time.advance(12_000)
    await flush()
    expect(a.got).toEqual([1, 2, 3])
    expect(a.doneCount()).toBe(1)
    expect(q.status()).toMatchObject({ state: 'idle', done: 1, failed: 0 })
  })

  it('429s without Retry-After back off (one retry per wait, the waits grow), then carry on', async () => {
    const { time, q, t0 } = setup({ callsPerMinute: 0, unlimitedSpacingMs: 100, retry: { baseMs: 2_000, capMs: 60_000, kind: 'none' } })
    const a = job('AAPL', time, 1, (n) => (n <= 3 ? limited() : null))
    q.push(a.j)
    for (let i = 0; i < 20 && a.doneCount() === 0; i++) {
      await flush()
      const s = q.status()
      if (s.retryAt !== null) time.advance(s.retryAt - time.nowMs)
    }
    expect(a.calls.map((c) => c - t0)).toEqual([0, 2_000, 2_000 + 4_000, 2_000 + 4_000 + 8_000])
    expect(a.got).toEqual([1])
    expect(q.calls()).toBe(4)
  })

  it('a server error backs off with state error and the reason, then retries; a plan error fails that job and the rest go on', async () => {
    const { time, q, failed, statuses } = setup({ callsPerMinute: 60 })
    const a = job('AAPL', time, 1, (n) => (n === 1 ? new PolygonRestError('http', 'Polygon REST: server error 503', 503) : null))
    const b = job('MSFT', time, 1, () => new PolygonRestError('unauthorized', 'Polygon REST rejected the API key (401)', 401))
    const c = job('NVDA', time)
    for (const x of [a, b, c]) q.push(x.j)
    await flush()
    expect(q.status()).toMatchObject({ state: 'error', pending: 3 })
    expect(q.status().message).toBe('history 0/3 · AAPL: server error 503 · retry in 1 s')
    for (let i = 0; i < 10; i++) {
      const s = q.status()
      if (s.retryAt !== null) time.advance(s.retryAt - time.nowMs)
      await flush()
    }
    expect([a.doneCount(), b.doneCount(), c.doneCount()]).toEqual([1, 0, 1])
    expect(b.calls).toHaveLength(1)
    expect(failed).toEqual(['MSFT: Polygon REST rejected the API key (401)'])
    expect(q.status()).toMatchObject({ state: 'idle', done: 2, failed: 1, pending: 0 })
    expect(q.status().message).toBe('history 2/3 · 1 failed (Polygon REST rejected the API key (401))')
    expect(statuses.some((s) => s.state === 'error')).toBe(true)
  })

  it('stop: no call after it, the wait is cancelled, a call in flight is ignored', async () => {
    const { time, q } = setup()
    const a = job('A', time)
    const b = job('B', time)
    q.push(a.j)
    q.push(b.j)
    await flush()
    expect(time.timerCount).toBe(1)
    q.stop()
    expect(time.timerCount).toBe(0)
    time.advance(60_000)
    await flush()
    expect(b.calls).toEqual([])
    q.push(job('C', time).j)
    expect(q.status()).toMatchObject({ state: 'idle', pending: 0 })
    expect(q.status().message).toContain('stopped')
  })

  it('the note and the source show in the status', async () => {
    let source: 'trades' | 'seconds' | null = null
    const { time, q } = setup({ source: () => source, note: () => (source === 'seconds' ? 'from 1-second bars' : '') })
    expect(q.status().source).toBe(null)
    q.push(job('A', time).j)
    source = 'seconds'
    await flush()
    q.refresh()
    expect(q.status()).toMatchObject({ state: 'idle', source: 'seconds', message: 'history 1/1 · from 1-second bars' })
  })
})

describe('classifyRestError', () => {
  it.each([
    [limited(5_000), { kind: 'rate_limited', retryAfterMs: 5_000 }],
    [limited(), { kind: 'rate_limited', retryAfterMs: null }],
    [new PolygonRestError('http', 'x', 503), { kind: 'transient', retryAfterMs: null, reason: 'server error 503' }],
    [new PolygonRestError('http', 'x', 502, 3_000), { kind: 'transient', retryAfterMs: 3_000, reason: 'server error 502' }],
    [new PolygonRestError('network', 'x'), { kind: 'transient', retryAfterMs: null, reason: 'network error' }],
    [new PolygonRestError('http', 'HTTP 404', 404), { kind: 'fatal', reason: 'HTTP 404' }],
    [new PolygonRestError('forbidden', 'plan', 403), { kind: 'fatal', reason: 'plan' }],
    [new PolygonRestError('invalid_body', 'bad'), { kind: 'fatal', reason: 'bad' }],
    [new PolygonRestError('aborted', 'x'), { kind: 'stopped' }],
    [new TypeError('boom'), { kind: 'fatal', reason: 'boom' }],
  ])('%# %s', (e, c) => {
    expect(classifyRestError(e)).toEqual(c)
  })
})
