import { describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { parseClock } from './cli'
import { SimClock } from './clock'
import { createSimulator } from './index'
import { subscribed } from './test-support'

const START = Date.UTC(2026, 10, 18, 15, 0, 0)

describe('createSimulator', () => {
  it('is deterministic for a seed: two simulators share the same tape', async () => {
    const opts = { seed: 42, clock: { kind: 'accelerated' as const, factor: 5, start: START }, historyMs: 5 * 60_000 }
    const a = await createSimulator(opts)
    const b = await createSimulator(opts)
    const c = await createSimulator({ ...opts, seed: 43 })
    try {
      // Touch the symbols in a different order: each symbol's tape is independent of the others.
      const ta = (a.groundTruthTrades('AMZN'), a.groundTruthTrades('AAPL'))
      const tb = b.groundTruthTrades('AAPL')
      const tc = c.groundTruthTrades('AAPL')
      const cut = Math.min(ta.at(-1)!.ts, tb.at(-1)!.ts) - 1
      const upTo = (xs: typeof ta): typeof ta => xs.filter((t) => t.ts <= cut)
      expect(upTo(ta).length).toBeGreaterThan(1000)
      expect(JSON.stringify(upTo(tb))).toBe(JSON.stringify(upTo(ta)))
      expect(JSON.stringify(upTo(tc).slice(0, 100))).not.toBe(JSON.stringify(upTo(ta).slice(0, 100)))
      const qa = a.groundTruthQuotes('AAPL').filter((q) => q.ts <= cut)
      const qb = b.groundTruthQuotes('AAPL').filter((q) => q.ts <= cut)
      expect(JSON.stringify(qb)).toBe(JSON.stringify(qa))
    } finally {
      await Promise.all([a.close(), b.close(), c.close()])
    }
  })

  it('runs the tape whether or not a socket is connected (history before any subscription)', async () => {
    const sim = await createSimulator({ clock: { kind: 'accelerated', factor: 1, start: START }, historyMs: 10 * 60_000 })
    try {
      const trades = sim.groundTruthTrades('JPM')
      expect(trades[0]!.ts).toBeGreaterThanOrEqual(START - 10 * 60_000)
      expect(trades[0]!.ts).toBeLessThan(START - 9 * 60_000)
      expect(trades.at(-1)!.ts).toBeLessThanOrEqual(sim.now())
      expect(sim.activeSymbols()).toEqual(['JPM'])
      expect(trades.every((t) => t.symbol === 'JPM' && t.tape === 1)).toBe(true)
    } finally {
      await sim.close()
    }
  })

  it('keeps ground truth within maxTrades, dropping the oldest', async () => {
    const sim = await createSimulator({ clock: { kind: 'accelerated', factor: 1, start: START }, historyMs: 30 * 60_000, maxTrades: 5000, maxQuotes: 3000 })
    try {
      sim.groundTruthTrades('AAPL')
      const all = sim.groundTruthTrades('MSFT') && sim.groundTruthTrades()
      expect(all.length).toBeLessThanOrEqual(5000)
      expect(all.length).toBeGreaterThan(4000)
      expect(sim.groundTruthQuotes().length).toBeLessThanOrEqual(3000)
      // The newest are kept.
      expect(all.at(-1)!.ts).toBeGreaterThan(START - 60_000)
      expect(sim.stats().tradesGenerated).toBeGreaterThan(5000)
    } finally {
      await sim.close()
    }
  })

  it('runs an accelerated clock: simulated time outruns the wall clock by the factor', async () => {
    const sim = await createSimulator({ clock: { kind: 'accelerated', factor: 100, start: START }, historyMs: 0 })
    try {
      const wall0 = Date.now()
      const c = await subscribed(sim.wsBase, 'demo', 'T.AAPL')
      await c.until(() => c.events().some((e) => e.ev === 'T' && (e.t as number) > START + 30_000), 'a trade 30 s of simulated time in')
      const wall = Date.now() - wall0
      expect(sim.now() - START).toBeGreaterThan(wall * 50)
      c.ws.terminate()
    } finally {
      await sim.close()
    }
  })

  it('runs a fast clock that generates without waiting', async () => {
    const sim = await createSimulator({ clock: { kind: 'fast', start: START }, historyMs: 0 })
    try {
      const c = await subscribed(sim.wsBase, 'demo', 'AM.AAPL')
      // Five minutes' bars (a late TRF print can make the server send an older minute again: not counted).
      await c.until(
        () => new Set(c.events().filter((e) => e.ev === 'AM' && (e.s as number) >= START).map((e) => e.s)).size >= 5,
        '5 minute bars',
      )
      expect(sim.now()).toBeGreaterThan(START + 5 * 60_000)
      c.ws.terminate()
    } finally {
      await sim.close()
    }
  })

  it('mounts another handler under a prefix and refuses sockets on other paths', async () => {
    const sim = await createSimulator({ clock: { kind: 'accelerated', factor: 1 }, historyMs: 0 })
    try {
      sim.mount('/guardian', (_req, res, url) => {
        res.writeHead(200, { 'content-type': 'application/json' })
        res.end(JSON.stringify({ path: url.pathname, q: url.searchParams.get('q') }))
      })
      const r = await fetch(`${sim.httpBase}/guardian/search?q=apple`)
      expect(await r.json()).toEqual({ path: '/guardian/search', q: 'apple' })
      expect((await fetch(`${sim.httpBase}/guardianx`)).status).toBe(404)
      const ws = new WebSocket(`${sim.wsBase}/crypto`)
      const err = await new Promise<Error>((resolve) => ws.once('error', resolve))
      expect(err.message).toMatch(/404/)
    } finally {
      await sim.close()
    }
  })
})

describe('clock', () => {
  it('accelerated: simulated time = start + wall elapsed × factor', () => {
    let wall = 1_000
    const c = new SimClock({ kind: 'accelerated', factor: 60, start: START }, () => wall)
    expect(c.now()).toBe(START)
    wall += 1_000
    expect(c.now()).toBe(START + 60_000)
  })

  it('fast: only the generator moves it', () => {
    const c = new SimClock({ kind: 'fast', start: START }, () => 0)
    c.advance(500)
    expect(c.now()).toBe(START + 500)
  })

  it.each([
    ['realtime', { kind: 'realtime' }],
    ['fast', { kind: 'fast' }],
    ['accelerated:60', { kind: 'accelerated', factor: 60 }],
    ['accelerated', { kind: 'accelerated', factor: 10 }],
    ['warp', null],
  ])('parseClock(%s)', (text, want) => {
    expect(parseClock(text)).toEqual(want)
  })
})
