import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createSimulator, DEFAULT_UNIVERSE, type Simulator } from './index'
import { connect, subscribed, type RecordingClient } from './test-support'

const START = Date.UTC(2026, 10, 18, 15, 0, 0) // 10:00 ET, a Wednesday

describe('Polygon socket protocol', () => {
  let sim: Simulator
  const clients: RecordingClient[] = []
  beforeEach(async () => {
    sim = await createSimulator({ seed: 7, key: 'k1', clock: { kind: 'accelerated', factor: 20, start: START }, historyMs: 0 })
  })
  afterEach(async () => {
    for (const c of clients.splice(0)) c.ws.terminate()
    await sim.close()
  })
  const track = (c: RecordingClient): RecordingClient => {
    clients.push(c)
    return c
  }

  it('sends connected on open, auth_success on the right key, one status frame per subscribed param', async () => {
    const c = track(await connect(`${sim.wsBase}/stocks`))
    await c.until(() => c.frames.length >= 1, 'connected')
    expect(c.frames[0]).toEqual([{ ev: 'status', status: 'connected', message: 'Connected Successfully' }])
    c.send({ action: 'auth', params: 'k1' })
    await c.until(() => c.frames.length >= 2, 'auth answer')
    expect(c.frames[1]).toEqual([{ ev: 'status', status: 'auth_success', message: 'authenticated' }])
    c.send({ action: 'subscribe', params: 'T.AAPL, AM.MSFT' })
    await c.until(() => c.frames.length >= 4, 'two status frames')
    expect(c.frames[2]).toEqual([{ ev: 'status', status: 'success', message: 'subscribed to: T.AAPL' }])
    expect(c.frames[3]).toEqual([{ ev: 'status', status: 'success', message: 'subscribed to: AM.MSFT' }])
    // Data follows, as arrays, only for what was asked.
    await c.until(() => c.events().some((e) => e.ev === 'T'), 'a trade')
    const data = c.events().filter((e) => e.ev !== 'status')
    expect(data.every((e) => (e.ev === 'T' && e.sym === 'AAPL') || (e.ev === 'AM' && e.sym === 'MSFT'))).toBe(true)
    for (const f of c.frames) expect(Array.isArray(f)).toBe(true)
  })

  it('times out a socket that never asks to authenticate: auth_timeout, then close', async () => {
    const quick = await createSimulator({ seed: 7, key: 'k1', clock: { kind: 'accelerated', factor: 20, start: START }, historyMs: 0, authTimeoutMs: 100 })
    try {
      const c = track(await connect(`${quick.wsBase}/stocks`))
      const code = await c.closed
      expect(c.statuses()).toEqual([
        { ev: 'status', status: 'connected', message: 'Connected Successfully' },
        { ev: 'status', status: 'auth_timeout', message: 'No authentication request received.' },
      ])
      expect(code).toBe(1008)
      // A client that authenticates in time is never timed out.
      const d = track(await connect(`${quick.wsBase}/stocks`))
      d.send({ action: 'auth', params: 'k1' })
      d.send({ action: 'subscribe', params: 'T.AAPL' })
      await d.until(() => d.events().filter((e) => e.ev === 'T').length >= 5, 'trades well past the timeout')
      expect(d.statuses().map((x) => x.status)).not.toContain('auth_timeout')
    } finally {
      await quick.close()
    }
  })

  it('speaks the 2026 wire: pt, ds, TRF fields, fractional trades, quotes in shares with i arrays, the servers’ key order', async () => {
    const c = track(await subscribed(sim.wsBase, 'k1', 'T.AAPL,T.NVDA,T.TSLA,Q.AAPL'))
    await c.until(
      () => c.events().some((e) => e.ev === 'T' && e.s === 1 && Number(e.ds) < 1) && c.events().filter((e) => e.ev === 'Q').length >= 20,
      'a fractional trade and 20 quotes',
      60_000,
    )
    const trades = c.events().filter((e) => e.ev === 'T')
    const quotes = c.events().filter((e) => e.ev === 'Q')
    // Key order as in fixtures/polygon (captured): ev, sym, i, x, p, s, [c], t, pt, q, z, [trfi, trft], ds.
    for (const t of trades) {
      const keys = Object.keys(t).filter((k) => k !== 'c' && k !== 'trfi' && k !== 'trft')
      expect(keys).toEqual(['ev', 'sym', 'i', 'x', 'p', 's', 't', 'pt', 'q', 'z', 'ds'])
      expect(typeof t.ds).toBe('string')
      expect(t.pt as number).toBeLessThanOrEqual(t.t as number)
      if (t.x === 4) {
        expect([201, 202, 203]).toContain(t.trfi)
        expect(t.trft).toBe(t.t)
      } else expect('trfi' in t).toBe(false)
      const ds = Number(t.ds)
      expect(t.s).toBe(ds >= 1 ? Math.floor(ds) : 1)
    }
    expect(trades.some((t) => t.x === 4)).toBe(true)
    for (const q of quotes) {
      expect(Object.keys(q)).toEqual(['ev', 'sym', 'i', 'bx', 'ax', 'bp', 'ap', 'bs', 'as', 't', 'pt', 'q', 'z'])
      expect(q.i).toEqual([604])
      // Shares: the model quotes whole round lots, so multiples of 100.
      expect((q.bs as number) % 100).toBe(0)
      expect(q.bs as number).toBeGreaterThanOrEqual(100)
    }
  })

  it('answers a wrong key with auth_failed and closes the socket', async () => {
    const c = track(await connect(`${sim.wsBase}/stocks`))
    c.send({ action: 'auth', params: 'wrong' })
    const code = await c.closed
    expect(c.statuses().map((s) => s.status)).toEqual(['connected', 'auth_failed'])
    expect(c.statuses()[1]).toEqual({ ev: 'status', status: 'auth_failed', message: 'authentication failed' })
    expect(code).toBe(1008)
  })

  it('ignores a subscribe before auth with an error status and keeps the socket usable', async () => {
    const c = track(await connect(`${sim.wsBase}/stocks`))
    c.send({ action: 'subscribe', params: 'T.AAPL' })
    await c.until(() => c.statuses().some((s) => s.status === 'error'), 'error status')
    expect(c.statuses()[1]).toEqual({ ev: 'status', status: 'error', message: 'not authorized' })
    c.send({ action: 'auth', params: 'k1' })
    c.send({ action: 'subscribe', params: 'T.MSFT' })
    await c.until(() => c.events().some((e) => e.ev === 'T'), 'a trade after auth')
    // The pre-auth subscription never took effect.
    expect(c.events().some((e) => e.ev === 'T' && e.sym === 'AAPL')).toBe(false)
  })

  it('unsubscribes with "unsubscribed to:" and stops that stream', async () => {
    const c = track(await subscribed(sim.wsBase, 'k1', 'T.AAPL,T.MSFT'))
    await c.until(() => c.events().some((e) => e.ev === 'T' && e.sym === 'AAPL'), 'AAPL trade')
    c.send({ action: 'unsubscribe', params: 'T.AAPL' })
    const idx = await c.until(
      () => {
        const i = c.frames.findIndex((f) => f[0]?.message === 'unsubscribed to: T.AAPL')
        return i >= 0 ? i + 1 : undefined
      },
      'unsubscribe status',
    )
    expect(c.frames[idx - 1]).toEqual([{ ev: 'status', status: 'success', message: 'unsubscribed to: T.AAPL' }])
    // Wait for plenty of MSFT frames after the unsubscribe: none of them may carry AAPL.
    await c.until(() => c.frames.slice(idx).filter((f) => f.some((e) => e.sym === 'MSFT')).length >= 10, 'MSFT frames')
    expect(c.frames.slice(idx).flat().some((e) => e.sym === 'AAPL')).toBe(false)
  })

  it('T.* streams trades of the default universe', async () => {
    const c = track(await subscribed(sim.wsBase, 'k1', 'T.*'))
    expect(c.statuses().some((s) => s.message === 'subscribed to: T.*')).toBe(true)
    const syms = await c.until(() => {
      const s = new Set(c.events().filter((e) => e.ev === 'T').map((e) => e.sym as string))
      return s.size >= 15 ? s : undefined
    }, '15 symbols')
    for (const s of syms) expect(DEFAULT_UNIVERSE).toContain(s)
    expect(c.events().every((e) => e.ev === 'status' || e.ev === 'T')).toBe(true)
  })

  it('evicts the OLDER connection of a key with max_connections and code 1008', async () => {
    const older = track(await subscribed(sim.wsBase, 'k1', 'T.AAPL'))
    const newer = track(await connect(`${sim.wsBase}/stocks`))
    newer.send({ action: 'auth', params: 'k1' })
    const code = await older.closed
    expect(code).toBe(1008)
    const last = older.statuses().at(-1)
    expect(last?.status).toBe('max_connections')
    expect(String(last?.message)).toMatch(/^Maximum number of websocket connections exceeded/)
    // The newer socket lives on.
    newer.send({ action: 'subscribe', params: 'T.AAPL' })
    await newer.until(() => newer.events().some((e) => e.ev === 'T'), 'trades on the newer socket')
    expect(newer.statuses().some((s) => s.status === 'max_connections')).toBe(false)
  })

  it('forceMaxConnections evicts the live connection on demand', async () => {
    const c = track(await subscribed(sim.wsBase, 'k1', 'T.AAPL'))
    sim.forceMaxConnections()
    expect(await c.closed).toBe(1008)
    expect(c.statuses().at(-1)?.status).toBe('max_connections')
  })

  it('batches events of mixed types in one array', async () => {
    const c = track(await subscribed(sim.wsBase, 'k1', 'T.AAPL,Q.AAPL,A.AAPL'))
    const mixed = await c.until(() => c.frames.find((f) => new Set(f.map((e) => e.ev)).size >= 3), 'a T+Q+A frame')
    expect(new Set(mixed.map((e) => e.ev))).toEqual(new Set(['T', 'Q', 'A']))
    for (const e of mixed) expect(e.sym).toBe('AAPL')
  })

  it('answers garbage and invalid params with error statuses and keeps serving', async () => {
    const c = track(await connect(`${sim.wsBase}/stocks`))
    c.ws.send('{not json')
    c.ws.send(Buffer.from([1, 2, 3]), { binary: true })
    c.send({ action: 'dance', params: 'x' })
    await c.until(() => c.statuses().filter((s) => s.status === 'error').length >= 3, 'three errors')
    c.send({ action: 'auth', params: 'k1' })
    c.send({ action: 'subscribe', params: 'T.AAPL,X.Y,T.bad symbol' })
    await c.until(() => c.statuses().filter((s) => s.status === 'error').length >= 5, 'param errors')
    expect(c.statuses().filter((s) => s.status === 'error').slice(3).map((s) => s.message)).toEqual([
      'invalid param: X.Y',
      'invalid param: T.bad symbol',
    ])
    await c.until(() => c.events().some((e) => e.ev === 'T' && e.sym === 'AAPL'), 'trades for the valid param')
  })

  it('answers WebSocket pings with pongs', async () => {
    const c = track(await connect(`${sim.wsBase}/stocks`))
    const pong = new Promise<string>((resolve) => c.ws.once('pong', (d: Buffer) => resolve(d.toString())))
    c.ws.ping('hello')
    expect(await pong).toBe('hello')
  })

  it('sends well-formed T and Q events', async () => {
    const c = track(await subscribed(sim.wsBase, 'k1', 'T.NVDA,Q.NVDA'))
    await c.until(() => c.events().filter((e) => e.ev === 'T').length >= 50, '50 trades')
    const trades = c.events().filter((e) => e.ev === 'T')
    let lastQ = 0
    for (const t of trades) {
      expect(t.sym).toBe('NVDA')
      expect(typeof t.i).toBe('string')
      expect(Number.isInteger(t.x)).toBe(true)
      expect(t.z).toBe(3)
      expect(Math.round((t.p as number) * 100) / 100).toBe(t.p)
      expect(Number.isInteger(t.s) && (t.s as number) > 0).toBe(true)
      expect(Number.isInteger(t.t)).toBe(true)
      expect(t.q as number).toBeGreaterThan(lastQ)
      lastQ = t.q as number
      if ((t.s as number) < 100) expect(t.c).toContain(37)
      if (t.x === 4) expect(typeof t.trfi === 'number' && typeof t.trft === 'number').toBe(true)
    }
    const quotes = c.events().filter((e) => e.ev === 'Q')
    expect(quotes.length).toBeGreaterThan(0)
    for (const q of quotes) {
      expect(q.ap as number).toBeGreaterThan(q.bp as number)
      expect(Number.isInteger(q.bs) && Number.isInteger(q.as)).toBe(true)
    }
  })
})
