import { afterEach, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import type { Trade } from '../domain/market'
import type { FeedStatus } from '../domain/status'
import type { BackoffPolicy } from '../domain/backoff'
import type { Gap } from './gap'
import { PolygonSocket, subscriptionParams, type PolygonSocketOptions } from './polygon-socket'
import { ManualTime, TinyPolygonServer, settle, waitFor } from './test-support'

const KEY = 'good-key'
const NO_JITTER: BackoffPolicy = { baseMs: 1_000, capMs: 8_000, kind: 'none' }

const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!()
})

async function server(opts: ConstructorParameters<typeof TinyPolygonServer>[0] = {}) {
  const s = new TinyPolygonServer(opts)
  await s.listen()
  cleanups.push(() => s.close())
  return s
}

function client(url: string, extra: Partial<PolygonSocketOptions> = {}) {
  const time = new ManualTime()
  const statuses: FeedStatus[] = []
  const trades: Trade[] = []
  const gaps: Gap[] = []
  const logs: string[] = []
  const c = new PolygonSocket({
    url,
    key: KEY,
    clock: time.clock,
    timers: time.timers,
    reconnect: NO_JITTER,
    onStatus: (s) => statuses.push(s),
    onTrade: (t) => trades.push(t),
    onGap: (g) => gaps.push(g),
    onLog: (_l, m) => logs.push(m),
    ...extra,
  })
  cleanups.push(() => c.stop())
  return { c, time, statuses, trades, gaps, logs }
}

/** State sequence without repeats (rate/counter updates re-emit the same state). */
const transitions = (ss: FeedStatus[]) =>
  ss.map((x) => x.state).filter((st, k, a) => k === 0 || a[k - 1] !== st)

const trade = (sym: string, t: number, q: number) => ({
  ev: 'T',
  sym,
  x: 4,
  i: String(q),
  z: 3,
  p: 100,
  s: 10,
  t,
  q,
})

describe('subscriptionParams', () => {
  it('builds channel.symbol params, upper-cases, drops unsafe symbols', () => {
    expect([...subscriptionParams(['aapl', 'BRK.B', 'BAD,SYM', 'A B', ''], ['T', 'AM'])]).toEqual([
      'T.AAPL',
      'T.BRK.B',
      'AM.AAPL',
      'AM.BRK.B',
    ])
  })
})

/** A live client subscribed to T.AAPL whose frame parsing runs only when `run()` is called. */
async function liveWithManualDrain() {
  const s = await server()
  const deferred: (() => void)[] = []
  const { c, trades } = client(s.url, { defer: (fn) => deferred.push(fn) })
  c.setSubscriptions(['AAPL'], ['T'])
  c.start()
  const run = () => {
    while (deferred.length) deferred.shift()!()
  }
  await waitFor(() => (run(), c.status.state === 'live'), 'live')
  return { s, c, trades, run, deferred }
}

describe('PolygonSocket', () => {
  it('authenticates, then subscribes once; status connecting → authenticating → live', async () => {
    const s = await server()
    const { c, statuses } = client(s.url)
    c.setSubscriptions(['AAPL', 'MSFT'], ['T'])
    c.start()
    await waitFor(() => c.status.state === 'live', 'live')
    await waitFor(() => s.last.received.length >= 2, 'subscribe')
    expect(s.last.received).toEqual([
      { action: 'auth', params: KEY },
      { action: 'subscribe', params: 'T.AAPL,T.MSFT' },
    ])
    expect(transitions(statuses)).toEqual(['connecting', 'authenticating', 'live'])
    expect(c.activeSubscriptions).toEqual(['T.AAPL', 'T.MSFT'])
  })

  it('sends subscription diffs on the live socket, never a second connection', async () => {
    const s = await server()
    const { c } = client(s.url)
    c.setSubscriptions(['AAPL', 'MSFT'], ['T'])
    c.start()
    await waitFor(() => c.status.state === 'live', 'live')
    c.setSubscriptions(['MSFT', 'NVDA'], ['T', 'Q'])
    c.setSubscriptions(['MSFT', 'NVDA'], ['T', 'Q']) // no-op
    await waitFor(() => s.last.received.length >= 4, 'diff')
    await settle()
    expect(s.last.received.slice(2)).toEqual([
      { action: 'unsubscribe', params: 'T.AAPL' },
      { action: 'subscribe', params: 'T.NVDA,Q.MSFT,Q.NVDA' },
    ])
    expect(s.conns).toHaveLength(1)
    expect(c.attempts).toBe(1)
  })

  it('delivers trades from every element and counts malformed ones into the status', async () => {
    const s = await server()
    const { c, trades } = client(s.url)
    c.setSubscriptions(['AAPL'], ['T'])
    c.start()
    await waitFor(() => c.status.state === 'live', 'live')
    s.send([
      trade('AAPL', 1_700_000_000_100, 1),
      { ev: 'T', sym: 'AAPL', p: 'x' },
      trade('AAPL', 1_700_000_000_200, 2),
    ])
    s.send('not json at all')
    s.send({ ev: 'T' })
    s.send([{ ev: 'XYZ' }, trade('AAPL', 1_700_000_000_300, 3)])
    // The subscribe ack may arrive before or after the data frames: wait for all six events.
    await waitFor(
      () => trades.length === 3 && c.status.malformed === 3 && c.counters.events === 6,
      'trades + malformed + acks',
    )
    expect(trades.map((t) => t.seq)).toEqual([1, 2, 3])
    expect(c.counters).toEqual({
      events: 3 + 3 /* connected, auth_success, success */,
      malformed: 3,
      unknown: 1,
    })
    expect(c.status.state).toBe('live')
  })

  it('queues raw frames on message and parses them later (parser never blocks reads)', async () => {
    const { s, trades, run, deferred } = await liveWithManualDrain()
    for (let k = 1; k <= 5; k++) s.send([trade('AAPL', 1_700_000_000_000 + k, k)])
    await settle(100)
    // Frames have arrived (the socket was read) but nothing is parsed until the drain runs.
    expect(trades).toHaveLength(0)
    expect(deferred.length).toBeGreaterThan(0)
    run()
    expect(trades.map((t) => t.seq)).toEqual([1, 2, 3, 4, 5])
  })

  it('stop() hands over every frame already received, and nothing that arrives after it', async () => {
    const { s, c, trades, run } = await liveWithManualDrain()
    for (let k = 1; k <= 3; k++) s.send([trade('AAPL', 1_700_000_000_000 + k, k)])
    await settle(100)
    expect(trades).toHaveLength(0) // read, not parsed yet
    const conn = s.last
    c.stop()
    expect(trades.map((t) => t.seq)).toEqual([1, 2, 3])
    // A frame still in flight on the closing socket is not part of the session.
    try {
      conn.ws.send(JSON.stringify([trade('AAPL', 1_700_000_000_004, 4)]))
    } catch {
      /* already closed: fine */
    }
    await settle(100)
    run()
    expect(trades.map((t) => t.seq)).toEqual([1, 2, 3])
  })

  it('reconnects after a drop with backoff, re-authenticates and resubscribes', async () => {
    const s = await server()
    const { c, time, statuses } = client(s.url)
    c.setSubscriptions(['AAPL'], ['T', 'AM'])
    c.start()
    await waitFor(() => c.status.state === 'live', 'live')
    s.last.ws.terminate()
    await waitFor(() => c.status.state === 'reconnecting', 'reconnecting')
    expect(c.status.retryAt).toBe(time.nowMs + 1_000)
    expect(c.status.attempt).toBe(1)
    time.advance(999)
    await settle()
    expect(s.conns).toHaveLength(1)
    time.advance(1)
    await waitFor(() => c.status.state === 'live' && s.conns.length === 2, 'live again')
    await waitFor(() => s.last.received.length >= 2, 'resubscribe')
    expect(s.last.received).toEqual([
      { action: 'auth', params: KEY },
      { action: 'subscribe', params: 'T.AAPL,AM.AAPL' },
    ])
    expect(transitions(statuses)).toEqual([
      'connecting',
      'authenticating',
      'live',
      'reconnecting',
      'connecting',
      'authenticating',
      'live',
    ])
  })

  it('backs off exponentially while the server refuses, capped', async () => {
    const s = await server({ refuse: true })
    const { c, time } = client(s.url)
    c.start()
    const delays: number[] = []
    for (let k = 0; k < 6; k++) {
      await waitFor(() => c.status.state === 'reconnecting' && c.status.attempt === k + 1, `attempt ${k + 1}`)
      delays.push(c.status.retryAt! - time.nowMs)
      time.advance(c.status.retryAt! - time.nowMs)
    }
    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000, 8_000, 8_000])
    expect(c.attempts).toBe(7)
  })

  it('a connection that stayed live resets the backoff; a flapping one does not', async () => {
    const s = await server()
    const { c, time } = client(s.url, { stableAfterMs: 10_000 })
    c.start()
    await waitFor(() => c.status.state === 'live', 'live')
    s.last.ws.terminate() // flap right after going live
    await waitFor(() => c.status.state === 'reconnecting', 'r1')
    expect(c.status.retryAt! - time.nowMs).toBe(1_000)
    time.advance(1_000)
    await waitFor(() => c.status.state === 'live' && s.conns.length === 2, 'live 2')
    s.last.ws.terminate()
    await waitFor(() => c.status.state === 'reconnecting', 'r2')
    expect(c.status.retryAt! - time.nowMs).toBe(2_000)
    time.advance(2_000)
    await waitFor(() => c.status.state === 'live' && s.conns.length === 3, 'live 3')
    time.advance(10_000) // stable now (pings go out, pongs come back)
    await settle()
    s.last.ws.terminate()
    await waitFor(() => c.status.state === 'reconnecting', 'r3')
    expect(c.status.retryAt! - time.nowMs).toBe(1_000)
  })

  it.each([
    ['data waiting in the buffer is read, the socket stays', true],
    ['still nothing after the stall, the socket is dead', false],
  ])('a busy thread is not a silent server (watchdog fires 15 s late): %s', async (_, dataWaiting) => {
    const s = await server({ autoPong: false })
    const { c, time, logs } = client(s.url)
    c.start()
    await waitFor(() => c.status.state === 'live', 'live')
    // The thread is busy for 45 s: no timer runs; then the overdue ones fire late, before any socket data is read.
    time.nowMs += 45_000
    time.advance(0)
    expect(c.status.state).toBe('live')
    expect(logs.some((l) => /watchdog ran 15 s late/.test(l))).toBe(true)
    if (dataWaiting) {
      s.send([{ ev: 'status', status: 'success', message: 'still here' }])
      await settle()
    }
    time.advance(1_000)
    await settle()
    if (dataWaiting) {
      expect(c.status.state).toBe('live')
      // Silence is counted again from the data (a second ago): 30 s of it is dead.
      time.advance(28_999)
      await settle()
      expect(c.status.state).toBe('live')
      time.advance(1)
    }
    await waitFor(() => c.status.state === 'reconnecting', 'dead ⇒ reconnecting')
    expect(c.status.message).toMatch(/no data or pong for 30 s/)
  })

  it('pings every 25 s and declares the socket dead after 30 s without data or pong', async () => {
    const s = await server({ autoPong: false })
    const { c, time } = client(s.url)
    let pings = 0
    c.start()
    await waitFor(() => c.status.state === 'live', 'live')
    s.last.ws.on('ping', () => pings++)
    time.advance(25_000)
    await waitFor(() => pings === 1, 'first ping')
    time.advance(4_999)
    await settle()
    expect(c.status.state).toBe('live')
    time.advance(1)
    await waitFor(() => c.status.state === 'reconnecting', 'dead ⇒ reconnecting')
    expect(c.status.message).toMatch(/no data or pong for 30 s/)
    time.advance(1_000)
    await waitFor(() => s.conns.length === 2 && c.status.state === 'live', 'reconnected')
  })

  it('inbound data or pongs keep a connection alive', async () => {
    const s = await server({ autoPong: true })
    let pongs = 0
    const { c, time } = client(s.url, {
      createSocket: (url) => {
        const ws = new WebSocket(url)
        ws.on('pong', () => pongs++)
        return ws
      },
    })
    c.setSubscriptions(['AAPL'], ['T'])
    c.start()
    await waitFor(() => c.status.state === 'live', 'live')
    for (let k = 0; k < 8; k++) {
      time.advance(25_000) // a ping goes out; the server pongs
      await waitFor(() => pongs === k + 1, `pong ${k + 1}`)
      if (k % 2 === 1) s.send([trade('AAPL', 1_700_000_000_000 + k, k)]) // data counts as liveness too
      await settle(20)
    }
    expect(c.status.state).toBe('live')
    expect(c.attempts).toBe(1)
  })

  it('a 40 s stall at auth (auth_success swallowed, pongs still coming): live again within 60 s of its end', async () => {
    const s = await server({ autoPong: true })
    const { c, time, logs, statuses } = client(s.url)
    c.setSubscriptions(['AAPL'], ['T'])
    s.stallAuth = true
    const stallStart = time.nowMs
    c.start()
    // Walk the stall one second at a time (pings go out and are ponged; auths are swallowed).
    while (time.nowMs - stallStart < 40_000) {
      time.advance(1_000)
      await settle(5)
    }
    expect(s.swallowedAuths).toBeGreaterThanOrEqual(3) // it gave up on each silent server and tried again
    expect(c.status.state).not.toBe('live')
    s.stallAuth = false
    const stallEnd = time.nowMs
    while (c.status.state !== 'live' && time.nowMs - stallEnd < 60_000) {
      time.advance(1_000)
      await settle(5)
    }
    expect(c.status.state).toBe('live')
    expect(time.nowMs - stallEnd).toBeLessThanOrEqual(60_000)
    await waitFor(() => s.last.received.some((m) => m.action === 'subscribe'), 'resubscribed')
    // The drops and the return were visible: status went through reconnecting with the reason, and the log.
    expect(statuses.some((x) => x.state === 'reconnecting' && /no reply to auth in 10 s/.test(x.message))).toBe(true)
    expect(logs.some((m) => /no reply to auth within 10 s/.test(m))).toBe(true)
    expect(logs.some((m) => /feed connection lost \(no reply to auth in 10 s\); reconnecting in \d+ ms/.test(m))).toBe(true)
    expect(logs.some((m) => /feed live again after \d+ lost connection/.test(m))).toBe(true)
  })

  it('before auth_success pongs are no sign of life: silence ends the connection even while pongs come', async () => {
    const s = await server({ autoPong: true })
    let pongs = 0
    const { c, time, statuses } = client(s.url, {
      authTimeoutMs: 10 * 60_000, // out of the way: the silence rule alone
      createSocket: (url) => {
        const ws = new WebSocket(url)
        ws.on('pong', () => pongs++)
        return ws
      },
    })
    s.stallAuth = true
    c.start()
    await waitFor(() => c.status.state === 'authenticating' && s.swallowedAuths === 1, 'auth swallowed')
    time.advance(25_000)
    await waitFor(() => pongs === 1, 'a pong')
    time.advance(5_000)
    await waitFor(() => c.status.state === 'reconnecting', 'declared dead despite the pong')
    expect(statuses.at(-1)?.message).toMatch(/no data or pong for 30 s/)
  })

  it('auth_timeout from the server: the client authenticates again at once and says so', async () => {
    const s = await server()
    const { c, logs } = client(s.url)
    s.stallAuth = true
    c.start()
    await waitFor(() => s.swallowedAuths === 1, 'first auth swallowed')
    s.stallAuth = false
    s.send([{ ev: 'status', status: 'auth_timeout', message: 'No authentication request received.' }])
    await waitFor(() => c.status.state === 'live', 'live after re-auth')
    expect(s.conns).toHaveLength(1)
    expect(s.last.received.filter((m) => m.action === 'auth')).toHaveLength(2)
    expect(logs.some((m) => /auth_timeout.*re-authenticating/.test(m))).toBe(true)
  })

  it('a drop is in the log with its reason, and so is the return to live', async () => {
    const s = await server()
    const { c, time, logs } = client(s.url)
    c.start()
    await waitFor(() => c.status.state === 'live', 'live')
    s.last.ws.terminate()
    await waitFor(() => c.status.state === 'reconnecting', 'reconnecting')
    expect(c.status.message).toMatch(/Connection lost \(closed 1006\); reconnecting/)
    expect(logs.some((m) => /feed connection lost \(closed 1006\); reconnecting in 1000 ms \(attempt 1\)/.test(m))).toBe(true)
    time.advance(1_000)
    await waitFor(() => c.status.state === 'live', 'live again')
    expect(logs.some((m) => m === 'feed live again after 1 lost connection(s)')).toBe(true)
  })

  it('a rejected key ends in auth_failed with no reconnect storm', async () => {
    const s = await server({ key: 'other' })
    const { c, time, statuses } = client(s.url)
    c.start()
    await waitFor(() => c.status.state === 'auth_failed', 'auth_failed')
    for (let k = 0; k < 20; k++) {
      time.advance(60_000)
      await settle(5)
    }
    await settle()
    expect(c.attempts).toBe(1)
    expect(s.conns).toHaveLength(1)
    expect(c.status.state).toBe('auth_failed')
    expect(c.status.message).toContain('authentication failed')
    expect(transitions(statuses)).toEqual(['connecting', 'authenticating', 'auth_failed'])
  })

  it('a second connection with the same key ends the first with max_connections (no ping-pong)', async () => {
    const s = await server()
    const a = client(s.url)
    a.c.setSubscriptions(['AAPL'], ['T'])
    a.c.start()
    await waitFor(() => a.c.status.state === 'live', 'a live')
    const b = client(s.url)
    b.c.start()
    await waitFor(() => a.c.status.state === 'max_connections', 'a evicted')
    await waitFor(() => b.c.status.state === 'live', 'b live')
    for (let k = 0; k < 10; k++) {
      a.time.advance(60_000)
      await settle(5)
    }
    expect(a.c.attempts).toBe(1)
    expect(s.conns).toHaveLength(2)
    expect(b.c.status.state).toBe('live')
    expect(a.c.status.message).toMatch(/another connection/i)
  })

  it('pause unsubscribes everything and stays connected; resume resubscribes', async () => {
    const s = await server()
    const { c, statuses } = client(s.url)
    c.setSubscriptions(['AAPL', 'MSFT'], ['T'])
    c.start()
    await waitFor(() => c.status.state === 'live', 'live')
    c.pause()
    expect(c.status.state).toBe('paused')
    expect(c.activeSubscriptions).toEqual([])
    c.setSubscriptions(['AAPL'], ['T']) // changes while paused are remembered, not sent
    c.resume()
    await waitFor(() => s.last.received.length >= 4, 'resume')
    expect(s.last.received.slice(1)).toEqual([
      { action: 'subscribe', params: 'T.AAPL,T.MSFT' },
      { action: 'unsubscribe', params: 'T.AAPL,T.MSFT' },
      { action: 'subscribe', params: 'T.AAPL' },
    ])
    expect(s.conns).toHaveLength(1)
    expect(transitions(statuses).slice(-2)).toEqual(['paused', 'live'])
  })

  it('reports the missed minutes after a reconnect, in data time', async () => {
    const s = await server()
    const { c, time, gaps } = client(s.url, { gapSettleMs: 0 })
    c.setSubscriptions(['AAPL'], ['T'])
    c.start()
    await waitFor(() => c.status.state === 'live', 'live')
    const M = 60_000
    const T0 = 1_700_000_040_000
    s.send([trade('AAPL', T0 + 5_000, 1), trade('AAPL', T0 + M + 10_000, 2)])
    await waitFor(() => c.counters.events >= 5, 'first trades')
    s.last.ws.terminate()
    await waitFor(() => c.status.state === 'reconnecting', 'reconnecting')
    time.advance(1_000)
    await waitFor(() => c.status.state === 'live' && s.conns.length === 2, 'live again')
    s.send([trade('AAPL', T0 + 4 * M + 1_000, 9)])
    await settle()
    expect(gaps).toEqual([])
    s.send([trade('AAPL', T0 + 5 * M, 10)])
    await waitFor(() => gaps.length === 1, 'gap')
    expect(gaps).toEqual([{ from: T0 + M, to: T0 + 4 * M }])
  })

  it('never logs or reports the key', async () => {
    const s = await server({ key: 'other' })
    const secret = 'good-key'
    const { c, logs, statuses } = client(s.url)
    c.start()
    await waitFor(() => c.status.state === 'auth_failed', 'auth_failed')
    const all = JSON.stringify({ logs, statuses })
    expect(all).not.toContain(secret)
  })

  it('an unusable URL is a visible error, not a retry loop', async () => {
    const { c, time } = client('not a url')
    c.start()
    time.advance(120_000)
    await settle()
    expect(c.status.state).toBe('error')
    expect(c.status.message).toMatch(/Cannot open feed socket/)
    expect(c.attempts).toBe(1)
  })
})
