import { describe, expect, it } from 'vitest'
import { DEFAULT_IMPACT_SETTINGS, type ImpactRecordV2 } from '../domain/impact'
import type { HistoryStatus } from '../domain/status'
import { mergeSpans, subtractSpans, type Span } from '../feeds/history-plan'
import { PolygonRestError, type HistoryPage } from '../feeds/polygon-rest'
import { ManualTime } from '../feeds/test-support'
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
export function recordingEngine(windows: () => HistoryWindow[], now: () => number) {
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
