import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEFAULT_IMPACT_SETTINGS, type ImpactRecordV2 } from '../domain/impact'
import type { Trade } from '../domain/market'
import type { HistoryStatus } from '../domain/status'
import { mergeSpans, subtractSpans, type Span } from '../feeds/history-plan'
import { PolygonRest, PolygonRestError, type FetchLike, type HistoryPage } from '../feeds/polygon-rest'
import { ManualTime } from '../feeds/test-support'
import { createSimulator, type Simulator } from '../simulator'
import { expectedBars, fromT, subscribed, type Ev } from '../simulator/test-support'
import type { EngineOutput, EnginePrint, HistoryWindow, MinuteBarIn, SecondBarIn } from '../signals/v2/types'
import { createImpactHistoryLoader, type HistoryPlanSettings, type ImpactHistoryEngine, type ImpactHistoryRest } from './impact-history-loader'

const MIN = 60_000
const T = Date.UTC(2026, 10, 18, 15, 0, 0) // 10:00 ET

const flush = async (): Promise<void> => {
  for (let i = 0; i < 5; i++) await new Promise<void>((r) => setImmediate(r))
}

type Fed =
  | { kind: 'history'; symbol: string; from: number; to: number; prints?: readonly EnginePrint[]; secondBars?: readonly SecondBarIn[] }
  | { kind: 'minutes'; symbol: string; bars: readonly MinuteBarIn[] }

/** A recording engine: needs are the articles' windows minus what history covered (as the real one computes). */
function recordingEngine(windows: () => HistoryWindow[], now: () => number) {
  const fed: Fed[] = []
  const covered = new Map<string, Span[]>()
  const out = (symbol: string): EngineOutput => ({ impacts: [{ articleId: `a-${fed.length}`, symbol } as ImpactRecordV2], moves: [] })
  const engine: ImpactHistoryEngine = {
    historyNeeds: () =>
      windows().flatMap((w) =>
        subtractSpans([{ from: w.from, to: Math.min(w.to, now()) }], covered.get(w.symbol) ?? []).map((s) => ({ symbol: w.symbol, ...s })),
      ),
    addHistory(symbol, from, to, data) {
      fed.push({ kind: 'history', symbol, from, to, ...data })
      covered.set(symbol, mergeSpans([...(covered.get(symbol) ?? []), { from, to }]))
      return out(symbol)
    },
    addMinuteBars(symbol, bars) {
      fed.push({ kind: 'minutes', symbol, bars })
      return { impacts: [], moves: [] }
    },
    settings: () => DEFAULT_IMPACT_SETTINGS,
  }
  return { engine, fed }
}

interface Call {
  what: 'trades' | 'seconds' | 'minutes'
  symbol: string
  from: number
  to: number
  next: string | null
}

/** A REST fake: one print / bar per 10 s of the window, trades in pages of `pageSize`; `refuse` answers /v3/trades 403. */
function fakeRest(o: { refuseTrades?: boolean; pageSize?: number; fail?: (c: Call, n: number) => Error | null } = {}) {
  const calls: Call[] = []
  const pageSize = o.pageSize ?? 100
  function page<T>(c: Call, items: T[]): HistoryPage<T> {
    calls.push(c)
    const e = o.fail?.(c, calls.length) ?? null
    if (e) throw e
    const start = c.next === null ? 0 : Number(c.next)
    const end = start + pageSize
    return { items: items.slice(start, end), next: end < items.length ? String(end) : null, rejected: 0 }
  }
  const times = (from: number, to: number): number[] => {
    const out: number[] = []
    for (let t = Math.ceil(from / 10_000) * 10_000; t <= to; t += 10_000) out.push(t)
    return out
  }
  const rest: ImpactHistoryRest = {
    async tradesPage(symbol, from, to, next) {
      await Promise.resolve()
      if (o.refuseTrades) {
        calls.push({ what: 'trades', symbol, from, to, next })
        throw new PolygonRestError('forbidden', 'Polygon REST: your plan does not include tick trades (/v3/trades)', 403)
      }
      return page(
        { what: 'trades', symbol, from, to, next },
        times(from, to).map((ts, i) => ({ symbol, ts, price: 100, size: 10, conditions: [], seq: i + 1, source: 'trades' as const })),
      )
    },
    async secondBarsPage(symbol, from, to, next) {
      await Promise.resolve()
      return page({ what: 'seconds', symbol, from, to, next }, times(from, to).map((start) => ({ symbol, start, close: 100, volume: 10, trades: 1 })))
    },
    async minuteBarsPage(symbol, from, to, next) {
      await Promise.resolve()
      return page({ what: 'minutes', symbol, from, to, next }, [{ symbol, start: from, close: 1, volume: 1 }])
    },
  }
  return { rest, calls }
}

function setup(o: {
  windows: () => HistoryWindow[]
  plan?: Partial<HistoryPlanSettings>
  rest?: ReturnType<typeof fakeRest>
  watched?: string[]
  proxyHistory?: boolean
}) {
  const time = new ManualTime(T)
  const { engine, fed } = recordingEngine(o.windows, () => time.nowMs)
  const { rest, calls } = o.rest ?? fakeRest()
  const outputs: EngineOutput[] = []
  const statuses: HistoryStatus[] = []
  const logs: string[] = []
  const loader = createImpactHistoryLoader({
    rest,
    engine,
    clock: { ...time.clock, ...time.timers },
    plan: { callsPerMinute: 0, ticks: 'auto', ...o.plan },
    onOutput: (out) => outputs.push(out),
    onStatus: (s) => statuses.push(s),
    log: (level, m) => logs.push(`${level}: ${m}`),
    watched: () => o.watched ?? [],
    // Off unless a test is about it: the other tests count requests of the articles' symbols.
    proxyHistory: o.proxyHistory ?? false,
    random: () => 0.5,
  })
  /** Run the queue to idle on the fake clock. */
  const drain = async (): Promise<void> => {
    for (let i = 0; i < 500; i++) {
      await flush()
      const s = loader.status()
      if (s.state === 'idle') return
      if (s.retryAt !== null) time.advance(Math.max(0, s.retryAt - time.nowMs))
    }
    throw new Error('the queue did not drain')
  }
  return { time, loader, fed, calls, outputs, statuses, logs, drain }
}

describe('impact history loader', () => {
  it('fetches a headline window via /v3/trades (every page), feeds it once and whole, then minute bars for the symbol and the proxy', async () => {
    const windows = [{ symbol: 'AAPL', from: T - 30 * MIN, to: T + 15 * MIN }]
    const s = setup({ windows: () => windows, rest: fakeRest({ pageSize: 50 }) })
    s.time.advance(20 * MIN)
    s.loader.sync()
    await s.drain()
    // The whole window has passed: [t0 − 30 min, t0 + 15 min] in whole seconds.
    const to = T + 15 * MIN + 999
    const trades = s.calls.filter((c) => c.what === 'trades')
    expect(trades.map((c) => c.next)).toEqual([null, '50', '100', '150', '200', '250'])
    expect(s.fed.filter((f) => f.kind === 'history')).toEqual([
      { kind: 'history', symbol: 'AAPL', from: T - 30 * MIN, to, prints: expect.any(Array) as unknown },
    ])
    const h = s.fed[0] as Extract<Fed, { kind: 'history' }>
    expect(h.prints!.map((p) => p.ts)).toEqual(Array.from({ length: 271 }, (_, i) => T - 30 * MIN + i * 10_000))
    expect(s.fed.filter((f) => f.kind === 'minutes').map((f) => f.symbol)).toEqual(['AAPL', 'SPY'])
    expect(s.outputs).toHaveLength(1)
    expect(s.outputs[0]!.impacts[0]!.symbol).toBe('AAPL')
    expect(s.loader.status()).toMatchObject({ state: 'idle', done: 3, failed: 0, pending: 0, source: 'trades', message: 'history 3/3' })
  })

  it('auto: a refused /v3/trades means 1-second bars for that window and every later one, and the status says so', async () => {
    const windows = [
      { symbol: 'AAPL', from: T - 30 * MIN, to: T + 15 * MIN },
      { symbol: 'MSFT', from: T - 40 * MIN, to: T + 5 * MIN },
    ]
    const s = setup({ windows: () => windows, rest: fakeRest({ refuseTrades: true }) })
    s.time.advance(30 * MIN)
    expect(s.loader.status().source).toBe(null)
    s.loader.sync()
    await s.drain()
    expect(s.calls.filter((c) => c.what === 'trades')).toHaveLength(1)
    const hist = s.fed.filter((f): f is Extract<Fed, { kind: 'history' }> => f.kind === 'history')
    expect(hist.map((f) => [f.symbol, f.from, f.to, f.prints, f.secondBars?.length])).toEqual([
      ['AAPL', T - 30 * MIN, T + 15 * MIN + 999, undefined, 271],
      ['MSFT', T - 40 * MIN, T + 5 * MIN + 999, undefined, 271],
    ])
    const st = s.loader.status()
    expect(st).toMatchObject({ state: 'idle', source: 'seconds', failed: 0 })
    expect(st.message).toContain('from 1-second bars (the plan has no /v3/trades)')
    expect(s.logs.filter((l) => l.includes('/v3/trades refused'))).toHaveLength(1)
  })

  it("ticks 'trades': a refusal fails that window (reported), no fallback; 'seconds' never asks /v3/trades", async () => {
    const windows = [{ symbol: 'AAPL', from: T - 30 * MIN, to: T - 10 * MIN }]
    const forced = setup({ windows: () => windows, plan: { ticks: 'trades' }, rest: fakeRest({ refuseTrades: true }) })
    forced.loader.sync()
    await forced.drain()
    expect(forced.fed.filter((f) => f.kind === 'history')).toEqual([])
    expect(forced.loader.status()).toMatchObject({ failed: 1, done: 2, source: 'trades' })
    expect(forced.logs.some((l) => l.startsWith('warn: impact history: AAPL') && l.includes('failed'))).toBe(true)
    // Given up for good: planning again does not ask again.
    forced.loader.sync()
    await forced.drain()
    expect(forced.calls.filter((c) => c.what === 'trades')).toHaveLength(1)

    const seconds = setup({ windows: () => windows, plan: { ticks: 'seconds' } })
    seconds.loader.sync()
    await seconds.drain()
    expect(seconds.calls.map((c) => c.what).sort()).toEqual(['minutes', 'minutes', 'seconds', 'seconds'])
    expect(seconds.loader.status()).toMatchObject({ source: 'seconds', message: 'history 3/3 · from 1-second bars' })
  })

  it('asks nothing twice; a need that grows with time is asked for in one more piece once it is worth a call', async () => {
    // A headline 2 minutes ago: its window grows until t0 + 15 min.
    const windows = [{ symbol: 'AAPL', from: T - 32 * MIN, to: T + 13 * MIN }]
    const s = setup({ windows: () => windows })
    s.loader.sync()
    s.loader.sync()
    await s.drain()
    s.loader.sync()
    await s.drain()
    expect(s.calls.map((c) => [c.what, c.next])).toEqual([
      ['trades', null],
      ['trades', '100'],
      ['minutes', null],
      ['minutes', null],
    ])
    expect(s.fed[0]).toMatchObject({ from: T - 32 * MIN, to: T - 1 })
    // The recheck timer plans again by itself when the grown piece is worth a call (≥ 1 min).
    s.time.advance(61_000)
    await s.drain()
    const hist = s.fed.filter((f): f is Extract<Fed, { kind: 'history' }> => f.kind === 'history')
    expect(hist.map((f) => [f.from, f.to])).toEqual([
      [T - 32 * MIN, T - 1],
      [T, T + MIN - 1],
    ])
    // Every ms of the window so far exactly once.
    expect(mergeSpans(hist).length).toBe(1)
  })

  it('a 429 in the middle of the pages repeats only that page; the window arrives once with every print', async () => {
    const windows = [{ symbol: 'AAPL', from: T - 30 * MIN, to: T - 1 }]
    const rest = fakeRest({
      pageSize: 40,
      fail: (c, n) => (c.what === 'trades' && n === 3 ? new PolygonRestError('rate_limited', 'Polygon REST: rate limited (429)', 429, 20_000) : null),
    })
    const s = setup({ windows: () => windows, plan: { callsPerMinute: 5 }, rest })
    s.loader.sync()
    await flush()
    await flush()
    const waits: string[] = []
    for (let i = 0; i < 100 && s.loader.status().state !== 'idle'; i++) {
      const st = s.loader.status()
      if (st.state === 'waiting') waits.push(st.message)
      if (st.retryAt !== null) s.time.advance(st.retryAt - s.time.nowMs)
      await flush()
    }
    expect(waits).toContain('history 0/3 · waiting 20 s (rate limit)')
    expect(waits).toContain('history 0/3 · waiting 12 s (plan 5/min)')
    const trades = s.calls.filter((c) => c.what === 'trades')
    expect(trades.map((c) => c.next)).toEqual([null, '40', '80', '80', '120', '160'])
    const hist = s.fed.filter((f): f is Extract<Fed, { kind: 'history' }> => f.kind === 'history')
    expect(hist).toHaveLength(1)
    expect(hist[0]!.prints!.map((p) => p.seq)).toEqual(Array.from({ length: 180 }, (_, i) => i + 1))
  })

  it('the proxy’s ticks for every need up to when the loader started: merged, once, before live', async () => {
    const windows = [
      { symbol: 'AAPL', from: T - 50 * MIN, to: T - 5 * MIN },
      { symbol: 'MSFT', from: T - 40 * MIN, to: T + 5 * MIN },
      // Published after the start: the proxy is live by then.
      { symbol: 'NVDA', from: T + 10 * MIN, to: T + 55 * MIN },
      { symbol: 'SPY', from: T - 20 * MIN, to: T + 25 * MIN },
    ]
    const s = setup({ windows: () => windows, proxyHistory: true })
    s.time.advance(60 * MIN)
    s.loader.sync()
    await s.drain()
    s.loader.sync()
    await s.drain()
    const spy = s.calls.filter((c) => c.what === 'trades' && c.symbol === 'SPY' && c.next === null)
    // SPY's own need [T − 20 min, T + 25 min] and the mirrored ones up to T: one window, asked once (in two parts:
    // 75 minutes is over the 60-minute cap, the newest part first).
    expect(spy.map((c) => [c.from, c.to])).toEqual([
      [T - 35 * MIN + 1000, T + 25 * MIN + 999],
      [T - 50 * MIN, T - 35 * MIN + 999],
    ])
    expect(s.fed.filter((f) => f.kind === 'history').map((f) => f.symbol).sort()).toEqual(['AAPL', 'MSFT', 'NVDA', 'SPY', 'SPY'])
  })

  it('the watchlist gets today’s minute bars without a need; stop ends everything', async () => {
    const s = setup({ windows: () => [], watched: ['nvda'] })
    s.loader.sync()
    await s.drain()
    expect(s.fed).toEqual([{ kind: 'minutes', symbol: 'NVDA', bars: [expect.objectContaining({ symbol: 'NVDA' })] }])
    const windows = [{ symbol: 'AAPL', from: T - 30 * MIN, to: T - 1 }]
    const t = setup({ windows: () => windows, plan: { callsPerMinute: 5 } })
    t.loader.sync()
    t.loader.stop()
    await flush()
    t.time.advance(10 * MIN)
    await flush()
    t.loader.sync()
    await flush()
    expect(t.fed).toEqual([])
    expect(t.calls.length).toBeLessThanOrEqual(1)
    expect(t.loader.status()).toMatchObject({ state: 'idle', pending: 0 })
  })
})

// ---- against the real simulator ------------------------------------------------------------------------------

/** A response the simulator did not send (an injected 429, a plan refusal). */
function reply(status: number, body: string, headers: Record<string, string> = {}): Awaited<ReturnType<FetchLike>> {
  return { status, headers: { get: (n) => headers[n.toLowerCase()] ?? null }, text: () => Promise.resolve(body) }
}

const realFetch: FetchLike = (u, init) => fetch(u, init)

/** Prints as the engine takes them, from the simulator's tape (the trades its socket sends). */
const asPrints = (trades: readonly Trade[]): EnginePrint[] =>
  trades.map((t) => ({ symbol: t.symbol, ts: t.ts, price: t.price, size: t.size, conditions: t.conditions, seq: t.seq, source: 'trades' }))

function simSetup(sim: Simulator, o: { windows: HistoryWindow[]; plan: HistoryPlanSettings; fetch?: FetchLike }) {
  // Timers run on a fake clock that starts a little after the simulator's now (the windows are settled past, not
  // still growing): waits cost no real time; REST calls are real.
  const time = new ManualTime(sim.now() + 2 * MIN)
  const { engine, fed } = recordingEngine(() => o.windows, () => time.nowMs)
  const rest = new PolygonRest({ base: sim.httpBase, key: 'k', fetch: o.fetch ?? realFetch })
  const statuses: HistoryStatus[] = []
  const loader = createImpactHistoryLoader({
    rest,
    engine,
    clock: { ...time.clock, ...time.timers },
    plan: o.plan,
    onOutput: () => {},
    onStatus: (s) => statuses.push(s),
    proxyHistory: false,
    random: () => 0.5,
  })
  const run = async (): Promise<void> => {
    loader.sync()
    for (let i = 0; i < 20_000; i++) {
      const s = loader.status()
      if (s.state === 'idle') return
      if (s.state !== 'loading' && s.retryAt !== null) time.advance(Math.max(0, s.retryAt - time.nowMs))
      else await new Promise((r) => setTimeout(r, 2))
    }
    throw new Error(`the loader did not finish: ${loader.status().message}`)
  }
  const history = () => fed.filter((f): f is Extract<Fed, { kind: 'history' }> => f.kind === 'history')
  return { time, loader, fed, statuses, run, history }
}

describe('impact history loader against the simulator', () => {
  let sim: Simulator
  const SYMBOLS = ['AAPL', 'MSFT', 'NVDA', 'AMD']
  // Windows ending 30 minutes or more before the start: every late TRF report of them has reached the tape (≤ 15 min).
  const windows = SYMBOLS.map((symbol, i) => ({ symbol, from: T - (40 - i) * MIN + 250, to: T - (36 - i) * MIN - 250 }))
  const whole = (w: HistoryWindow) => ({ from: Math.floor(w.from / 1000) * 1000, to: Math.ceil((w.to + 1) / 1000) * 1000 - 1 })
  beforeAll(async () => {
    sim = await createSimulator({ seed: 7, key: 'k', clock: { kind: 'accelerated', factor: 20, start: T }, historyMs: 45 * MIN })
  })
  afterAll(async () => {
    await sim.close()
  })

  it('a window fetched via /v3/trades is exactly what the socket sent for it', async () => {
    const c = await subscribed(sim.wsBase, 'k', 'T.AAPL')
    let sent: Ev[]
    try {
      const trades = (): Ev[] => c.events().filter((e) => e.ev === 'T')
      await c.until(() => {
        const t = trades()
        return t.length > 0 && (t[t.length - 1]!.t as number) - (t[0]!.t as number) > 8_000
      }, '8 s of AAPL trades')
      sent = trades()
    } finally {
      c.ws.terminate()
    }
    const first = sent[0]!.t as number
    const last = sent[sent.length - 1]!.t as number
    // Whole seconds strictly inside what the socket covered.
    const from = Math.ceil((first + 1) / 1000) * 1000
    const to = Math.floor(last / 1000) * 1000 - 1
    const s = simSetup(sim, { windows: [{ symbol: 'AAPL', from, to }], plan: { callsPerMinute: 0, ticks: 'auto' } })
    await s.run()
    const want = sent.map(fromT).filter((t) => t.ts >= from && t.ts <= to)
    expect(want.length).toBeGreaterThan(10)
    expect(s.history()).toHaveLength(1)
    const got = s.history()[0]!
    expect([got.from, got.to]).toEqual([from, to])
    expect(got.prints).toEqual(
      want.map((t) => ({ symbol: 'AAPL', ts: t.ts, price: t.price, size: t.size, conditions: [...t.conditions], seq: t.seq, source: 'trades' })),
    )
    expect(s.loader.status()).toMatchObject({ state: 'idle', source: 'trades', failed: 0 })
  })

  it('at the plan’s rate the free tier never answers 429; too fast for it, the queue waits, says so, and nothing is lost or asked twice', async () => {
    // The simulator's free tier counts wall time; this limiter is the same rule (5 calls in any 60 s) on the test's
    // fake clock, in front of the real simulator.
    const limited = (time: () => number) => {
      const log: number[] = []
      const calls: { at: number; status: number }[] = []
      const f: FetchLike = async (u, init) => {
        const now = time()
        while (log.length > 0 && log[0]! <= now - 60_000) log.shift()
        if (log.length >= 5) {
          calls.push({ at: now, status: 429 })
          return reply(429, JSON.stringify({ status: 'ERROR', request_id: 'x', error: "You've exceeded the maximum requests per minute" }))
        }
        log.push(now)
        calls.push({ at: now, status: 200 })
        return realFetch(u, init)
      }
      return { f, calls }
    }
    for (const callsPerMinute of [5, 10]) {
      let clock = (): number => 0
      const lim = limited(() => clock())
      const s = simSetup(sim, { windows, plan: { callsPerMinute, ticks: 'auto' }, fetch: lim.f })
      clock = () => s.time.nowMs
      await s.run()
      const ok = lim.calls.filter((c) => c.status === 200).length
      const refused = lim.calls.filter((c) => c.status === 429).length
      // 4 windows and minute bars for 4 symbols and the proxy (one day).
      expect(ok).toBe(4 + 5)
      // Every window arrived exactly once, whole, equal to the tape.
      expect(s.history().map((h) => [h.symbol, h.from, h.to]).sort()).toEqual(windows.map((w) => [w.symbol, whole(w).from, whole(w).to]).sort())
      for (const h of s.history()) {
        const tape = sim.groundTruthTrades(h.symbol).filter((t) => t.ts >= h.from && t.ts <= h.to)
        expect(h.prints, h.symbol).toEqual(asPrints(tape))
      }
      expect(s.fed.filter((f) => f.kind === 'minutes')).toHaveLength(5)
      expect(s.loader.status()).toMatchObject({ state: 'idle', done: 9, failed: 0, pending: 0 })
      // Never two calls within a second of each other: one retry per wait, no storm.
      const gaps = lim.calls.slice(1).map((c, i) => c.at - lim.calls[i]!.at)
      expect(Math.min(...gaps)).toBeGreaterThanOrEqual(1_000)
      if (callsPerMinute === 5) {
        expect(refused).toBe(0)
        expect(gaps.every((g) => g >= 12_000)).toBe(true)
        expect(s.statuses.some((st) => /^history \d+\/9 · waiting 12 s \(plan 5\/min\)$/.test(st.message))).toBe(true)
      } else {
        expect(refused).toBeGreaterThan(0)
        // Bounded: each refusal costs one call and the waits grow; far fewer than the successful calls twice over.
        expect(refused).toBeLessThanOrEqual(2 * ok)
        expect(s.statuses.some((st) => st.state === 'waiting' && /waiting \d+ s \(rate limit\)/.test(st.message))).toBe(true)
      }
    }
  })

  it('a 429 with Retry-After is waited out exactly, then the same call is made once', async () => {
    let n = 0
    const seen: { at: number; url: string }[] = []
    let clock = (): number => 0
    const f: FetchLike = async (u, init) => {
      seen.push({ at: clock(), url: u.replace(/apiKey=[^&]+/, '') })
      if (++n === 2) return reply(429, '{"status":"ERROR","error":"too many"}', { 'retry-after': '30' })
      return realFetch(u, init)
    }
    const s = simSetup(sim, { windows: windows.slice(0, 2), plan: { callsPerMinute: 0, ticks: 'auto' }, fetch: f })
    clock = () => s.time.nowMs
    await s.run()
    expect(seen[2]!.url).toBe(seen[1]!.url)
    expect(seen[2]!.at - seen[1]!.at).toBe(30_000)
    expect(s.statuses.some((st) => st.message.includes('waiting 30 s (rate limit)') && st.retryAt === seen[1]!.at + 30_000)).toBe(true)
    expect(s.history()).toHaveLength(2)
  })

  it('with /v3/trades refused by the plan, 1-second bars are used (equal to the tape) and the status says so', async () => {
    const refusal = readFileSync(new URL('../../fixtures/polygon/rest-not-authorized.json', import.meta.url), 'utf8')
    const paths: string[] = []
    const f: FetchLike = async (u, init) => {
      paths.push(new URL(u).pathname)
      return new URL(u).pathname.startsWith('/v3/trades/') ? reply(403, refusal) : realFetch(u, init)
    }
    const s = simSetup(sim, { windows, plan: { callsPerMinute: 0, ticks: 'auto' }, fetch: f })
    await s.run()
    expect(paths.filter((p) => p.startsWith('/v3/trades/'))).toHaveLength(1)
    expect(s.history().map((h) => h.symbol).sort()).toEqual([...SYMBOLS].sort())
    for (const h of s.history()) {
      expect(h.prints).toBeUndefined()
      // Pre-market: the simulator's aggregates count Form T (12) prints like Polygon's extended-hours bars
      // (src-main/simulator/tape.ts), so the recomputation leaves the 12 out of the conditions.
      // Only prints that can land in the window: a print is placed at its time or, reported late, up to 15 min earlier.
      const tape = sim
        .groundTruthTrades(h.symbol)
        .filter((t) => t.ts >= h.from && t.ts <= h.to + 15 * MIN)
        .map((t) => ({ ...t, conditions: t.conditions.filter((c) => c !== 12) }))
      const want = expectedBars(tape, 1000).filter((b) => b.s >= h.from && b.s <= h.to)
      expect(want.length).toBeGreaterThan(100)
      expect(h.secondBars, h.symbol).toEqual(want.map((b) => ({ symbol: h.symbol, start: b.s, close: b.c, volume: b.v, trades: b.n })))
    }
    const st = s.loader.status()
    expect(st).toMatchObject({ state: 'idle', source: 'seconds', failed: 0, done: 9 })
    expect(st.message).toContain('from 1-second bars (the plan has no /v3/trades)')
  })
})
