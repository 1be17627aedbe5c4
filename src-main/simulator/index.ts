// The Polygon (Massive) simulator: one loopback HTTP + WebSocket server speaking the real
// protocols (socket /stocks, REST /v2/..., /v3/trades), driven by a deterministic market model. The tape
// runs whether or not anybody is connected; socket events, A/AM bars and REST aggregates all
// derive from it. See README.md beside this file for the behaviours chosen where the vendor
// does not document them.
import { randomUUID } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Duplex } from 'node:stream'
import { WebSocketServer, type WebSocket } from 'ws'
import type { Quote, Trade } from '../domain/market'
import { SimClock } from './clock'
import { MarketFactor } from './factor'
import { sessionOf } from './intraday'
import { type EventBuffer, SymbolMarket } from './market'
import { hashSeed, Rng } from './prng'
import { handleRest, type RestContext } from './rest'
import { parseClientMessage, parseParams, Subscriptions } from './subscriptions'
import { linearShock, newsShock, type ShockShape } from './shocks'
import { DEFAULT_UNIVERSE, SYMBOL_RE, symbolProfile } from './symbols'
import { ConditionSets } from './tape'
import type { FaultPlan, HttpHandler, MacroMove, Shock, ShockTruth, Simulator, SimulatorOptions, SimulatorStats } from './types'
import { malformedElement, statusFrame } from './wire'

export type { Simulator, SimulatorOptions, Shock, MacroMove, ShockTruth, FaultPlan, ClockMode, HttpHandler, SimulatorStats } from './types'
export { DEFAULT_UNIVERSE } from './symbols'

const MAX_EVENTS_PER_FRAME = 2000
const MAX_ACTIVE_SYMBOLS = 2000
/** Fast mode waits while a socket holds more than this unsent (when no slow-consumer fault is set). */
const FAST_BACKPRESSURE_BYTES = 4 * 1024 * 1024
/** Slow consumers: how long the server holds data back before disconnecting. */
const SLOW_CONSUMER_GRACE_MS = 1000
/** Without a slow-consumer fault, a socket that lets this much pile up is cut like the real server would. */
const HARD_BUFFER_LIMIT = 256 * 1024 * 1024
const MAX_CONNECTIONS_MESSAGE =
  'Maximum number of websocket connections exceeded. You have reached the connection limit for your account. Please contact support at https://polygon.io/contact to increase your limit.'

interface Session {
  ws: WebSocket
  authed: boolean
  /** An auth request arrived (right or wrong): no auth_timeout then. */
  authAsked: boolean
  subs: Subscriptions
  framesSent: number
  dataFrames: number
  /** Terminate after this many frames (fault); null = no drop planned. */
  dropAt: number | null
  /** Slow-consumer: wall time since the buffer has been over the limit; held-back frames. */
  slowSince: number | null
  held: string[]
  closing: boolean
  connectedAt: number
}

export async function createSimulator(opts: SimulatorOptions = {}): Promise<Simulator> {
  const seed = opts.seed ?? 1
  const key = opts.key ?? 'demo'
  const wallNow = (): number => Date.now()
  const clock = new SimClock(opts.clock ?? { kind: 'realtime' }, wallNow)
  const historyMs = Math.max(0, opts.historyMs ?? 30 * 60_000)
  const origin = Math.floor((clock.start - historyMs) / 1000) * 1000
  const intensity = opts.intensity ?? 1
  const quoteRatio = opts.quoteRatio ?? 1
  const maxTrades = opts.maxTrades ?? 2_000_000
  const maxQuotes = opts.maxQuotes ?? 2_000_000
  const tickMs = opts.tickMs ?? 15
  const authTimeoutMs = opts.authTimeoutMs ?? 10_000
  const conds = new ConditionSets()
  const factor = new MarketFactor(seed, origin)
  const markets = new Map<string, SymbolMarket>()
  const truth: ShockTruth[] = []
  const truthIds = new Set<string>()
  /** Macro shapes, replayed on symbols activated later (the factor holds the ramps; this holds the volume surge). */
  const macroShapes: ShockShape[] = []
  const sessions = new Set<Session>()
  const mounts: { prefix: string; handler: HttpHandler }[] = []
  const stats: SimulatorStats = {
    tradesGenerated: 0,
    quotesGenerated: 0,
    eventsSent: 0,
    framesSent: 0,
    bytesSent: 0,
    activeSymbols: 0,
    connections: 0,
  }
  let faults: FaultPlan = {}
  let pendingDropForNew: number | null = null
  let stalledUntil = 0
  let malformedCounter = 0
  let closed = false

  // ---- market -------------------------------------------------------------------------------

  function activate(symbol: string): SymbolMarket | null {
    let m = markets.get(symbol)
    if (m) return m
    if (!SYMBOL_RE.test(symbol) || markets.size >= MAX_ACTIVE_SYMBOLS) return null
    m = new SymbolMarket(symbolProfile(seed, symbol), { seed, origin, intensity, quoteRatio, conds, factor })
    markets.set(symbol, m)
    // Macro news brings volume to every name, including names that start trading later.
    for (const shape of macroShapes) m.addShape({ ...shape, ramps: [], halt: null })
    stats.activeSymbols = markets.size
    // Catch up silently: the history before now was "traded" while nobody watched.
    generate(m, clock.now())
    return m
  }

  function generate(m: SymbolMarket, T: number): void {
    const t0 = m.trades.pushed
    const q0 = m.quotes.pushed
    m.advance(T)
    stats.tradesGenerated += m.trades.pushed - t0
    stats.quotesGenerated += m.quotes.pushed - q0
  }

  /** Keep ground truth within its caps, dropping the oldest in proportion per symbol. */
  function trim(): void {
    let totalT = 0
    let totalQ = 0
    for (const m of markets.values()) {
      totalT += m.trades.length
      totalQ += m.quotes.length
    }
    if (totalT > maxTrades) {
      const excess = totalT - Math.floor(maxTrades * 0.9)
      for (const m of markets.values()) m.trades.dropOldest(Math.ceil((m.trades.length / totalT) * excess))
    }
    if (totalQ > maxQuotes) {
      const excess = totalQ - Math.floor(maxQuotes * 0.9)
      for (const m of markets.values()) m.quotes.dropOldest(Math.ceil((m.quotes.length / totalQ) * excess))
    }
  }

  /** Generate every active symbol up to T, buffering events for subscribed sockets. */
  function step(T: number): Map<SymbolMarket, EventBuffer> {
    const buffers = new Map<SymbolMarket, EventBuffer>()
    for (const m of markets.values()) {
      let mask = 0
      for (const s of sessions) if (s.authed) mask |= s.subs.maskFor(m.profile.symbol)
      if (mask !== 0) {
        const buf = pending.get(m) ?? { kinds: [], json: [], mask: 0 }
        buf.mask |= mask
        m.out = buf
        m.outMask = mask
        generate(m, T)
        m.out = null
        if (buf.kinds.length > 0) buffers.set(m, buf)
      } else {
        generate(m, T)
      }
    }
    trim()
    return buffers
  }

  // Events generated outside a tick (REST, ground-truth reads) wait here for the next flush.
  const pending = new Map<SymbolMarket, EventBuffer>()

  /** Bring the tape up to simulated now (REST and ground-truth readers see the present). */
  function sync(): void {
    const buffers = step(clock.now())
    tapeTime = Math.max(tapeTime, clock.now())
    for (const [m, b] of buffers) pending.set(m, b)
  }

  // Realtime/accelerated: one tick generates at most this much simulated time, so an overloaded
  // machine makes the tape lag (and catch up later) instead of spiralling into ever longer ticks.
  const maxTickSpan = Math.max(1, tickMs * 4 * (clock.kind === 'accelerated' ? Math.max(1, (opts.clock as { factor: number }).factor) : 1))
  let tapeTime = clock.now()

  function tick(): void {
    if (closed) return
    const now = clock.now()
    tapeTime = clock.kind === 'fast' ? now : Math.min(now, tapeTime + maxTickSpan)
    const buffers = step(tapeTime)
    pending.clear()
    flush(buffers)
  }

  // ---- socket output --------------------------------------------------------------------------

  function sendRaw(s: Session, frame: string): void {
    if (s.closing || s.ws.readyState !== s.ws.OPEN) return
    s.ws.send(frame)
    s.framesSent++
    stats.framesSent++
    stats.bytesSent += frame.length
    if (s.dropAt !== null && s.framesSent >= s.dropAt) {
      s.dropAt = null
      pendingDropForNew = null
      s.closing = true
      s.ws.terminate()
    }
  }

  function sendStatus(s: Session, status: string, message?: string): void {
    if (wallNow() < stalledUntil) return
    sendRaw(s, statusFrame(status, message))
  }

  function flush(buffers: Map<SymbolMarket, EventBuffer>): void {
    const stalled = wallNow() < stalledUntil
    for (const s of sessions) {
      if (!s.authed || s.closing) continue
      if (stalled) continue
      const parts: string[] = []
      for (const [m, buf] of buffers) {
        const mask = s.subs.maskFor(m.profile.symbol)
        if (mask === 0) continue
        const { kinds, json } = buf
        if ((mask & buf.mask) === buf.mask) {
          // The socket wants every kind generated for this symbol: no per-event filter.
          for (let i = 0; i < json.length; i++) parts.push(json[i] as string)
        } else {
          for (let i = 0; i < kinds.length; i++) if ((mask & (1 << (kinds[i] ?? 0))) !== 0) parts.push(json[i] as string)
        }
      }
      if (parts.length === 0 && s.held.length === 0) continue
      const frames: string[] = []
      for (let i = 0; i < parts.length; i += MAX_EVENTS_PER_FRAME) {
        const chunk = parts.length <= MAX_EVENTS_PER_FRAME ? parts : parts.slice(i, i + MAX_EVENTS_PER_FRAME)
        stats.eventsSent += chunk.length
        s.dataFrames++
        const every = faults.malformedEvery ?? 0
        if (every > 0 && s.dataFrames % every === 0) {
          // One bad element in the middle; the rest of the frame stays valid.
          const first = buffers.keys().next().value
          chunk.splice(chunk.length >> 1, 0, malformedElement(malformedCounter++, first?.profile.symbol ?? 'AAPL', clock.now()))
        }
        frames.push(`[${chunk.join(',')}]`)
      }
      deliver(s, frames)
    }
  }

  /** Send frames, applying the slow-consumer policy: hold back while over the limit, then disconnect. */
  function deliver(s: Session, frames: string[]): void {
    const limit = faults.slowConsumerBufferBytes ?? HARD_BUFFER_LIMIT
    if (s.ws.bufferedAmount > limit) {
      const now = wallNow()
      s.slowSince ??= now
      s.held.push(...frames)
      if (now - s.slowSince >= SLOW_CONSUMER_GRACE_MS) {
        s.closing = true
        s.held = []
        s.ws.close(1008, 'Slow consumer')
        // The close frame may never get through a full buffer.
        setTimeout(() => s.ws.terminate(), 1000).unref()
      }
      return
    }
    s.slowSince = null
    const all = s.held.length > 0 ? [...s.held, ...frames] : frames
    s.held = []
    for (const f of all) sendRaw(s, f)
  }

  // ---- socket sessions ------------------------------------------------------------------------

  const wss = new WebSocketServer({ noServer: true, autoPong: false, maxPayload: 1024 * 1024 })

  wss.on('connection', (ws: WebSocket) => {
    const s: Session = {
      ws,
      authed: false,
      authAsked: false,
      subs: new Subscriptions(),
      framesSent: 0,
      dataFrames: 0,
      dropAt: pendingDropForNew,
      slowSince: null,
      held: [],
      closing: false,
      connectedAt: wallNow(),
    }
    sessions.add(s)
    stats.connections = sessions.size
    ws.on('ping', (data: Buffer) => {
      // Manual pongs so a stall can withhold them.
      if (wallNow() >= stalledUntil && ws.readyState === ws.OPEN) ws.pong(data)
    })
    ws.on('message', (data: Buffer, isBinary: boolean) => onMessage(s, isBinary ? '' : data.toString('utf8')))
    // The real servers time out a socket that never asks to authenticate.
    const authTimer = setTimeout(() => {
      if (s.authAsked || s.closing || ws.readyState !== ws.OPEN) return
      sendStatus(s, 'auth_timeout', 'No authentication request received.')
      s.closing = true
      ws.close(1008, 'auth timeout')
    }, authTimeoutMs)
    authTimer.unref()
    ws.on('close', () => {
      clearTimeout(authTimer)
      sessions.delete(s)
      stats.connections = sessions.size
    })
    ws.on('error', () => {
      clearTimeout(authTimer)
      sessions.delete(s)
      stats.connections = sessions.size
    })
    sendStatus(s, 'connected', 'Connected Successfully')
  })

  function onMessage(s: Session, raw: string): void {
    if (s.closing) return
    const msg = parseClientMessage(raw)
    if (!msg) {
      sendStatus(s, 'error', 'invalid message')
      return
    }
    if (msg.action === 'auth') {
      s.authAsked = true
      if (msg.params !== key) {
        sendStatus(s, 'auth_failed', 'authentication failed')
        s.closing = true
        s.ws.close(1008, 'authentication failed')
        return
      }
      if (!s.authed) {
        s.authed = true
        // One connection per key: the older authenticated socket is evicted.
        for (const other of sessions) if (other !== s && other.authed && !other.closing) evict(other)
      }
      sendStatus(s, 'auth_success', 'authenticated')
      return
    }
    if (!s.authed) {
      // Documented choice: answer with an error status and ignore the request; the socket stays open.
      sendStatus(s, 'error', 'not authorized')
      return
    }
    const on = msg.action === 'subscribe'
    const { ok, bad } = parseParams(msg.params)
    for (const p of ok) {
      if (on) {
        if (p.symbol === '*') for (const sym of DEFAULT_UNIVERSE) activate(sym)
        else if (!activate(p.symbol)) {
          sendStatus(s, 'error', `subscription limit reached: ${p.text}`)
          continue
        }
      }
      s.subs.apply(p, on)
      sendStatus(s, 'success', `${on ? 'subscribed' : 'unsubscribed'} to: ${p.text}`)
    }
    for (const b of bad) sendStatus(s, 'error', `invalid param: ${b}`)
  }

  function evict(s: Session): void {
    sendRaw(s, statusFrame('max_connections', MAX_CONNECTIONS_MESSAGE))
    s.closing = true
    s.ws.close(1008, 'max_connections')
  }

  // ---- HTTP -----------------------------------------------------------------------------------

  let httpBase = ''
  const rateLog: number[] = []
  const restCtx: RestContext = {
    key,
    freeTier: opts.freeTier ?? false,
    get httpBase() {
      return httpBase
    },
    wallNow,
    now: () => clock.now(),
    seed,
    market: (symbol) => {
      const m = activate(symbol)
      if (m) sync()
      return m
    },
    requestId: () => randomUUID().replace(/-/g, ''),
    rateLog,
  }

  function onRequest(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', httpBase)
    for (const m of mounts) {
      if (url.pathname === m.prefix || url.pathname.startsWith(`${m.prefix}/`)) {
        Promise.resolve()
          .then(() => m.handler(req, res, url))
          .catch(() => {
            if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' })
            res.end(JSON.stringify({ status: 'ERROR', error: 'internal error' }))
          })
        return
      }
    }
    let status = 404
    let body = JSON.stringify({ status: 'NOT_FOUND', message: 'Not Found' })
    if (req.method === 'GET' && (url.pathname.startsWith('/v2/') || url.pathname.startsWith('/v3/'))) {
      try {
        ;({ status, body } = handleRest(restCtx, url, req.headers.authorization))
      } catch {
        status = 500
        body = JSON.stringify({ status: 'ERROR', error: 'internal error' })
      }
    }
    res.writeHead(status, { 'content-type': 'application/json' })
    res.end(body)
  }

  const server = createServer(onRequest)
  // Idle keep-alive sockets stay open longer than clients keep them (undici: 4 s), as behind the vendor's load
  // balancers: a server that closes first races the client's next request on that socket (ECONNRESET), which a
  // busy event loop (generating a long tape in-process) makes likely.
  server.keepAliveTimeout = 65_000
  server.headersTimeout = 66_000
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname
    if (path !== '/stocks') {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n')
      return
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req))
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  const port = (server.address() as AddressInfo).port
  httpBase = `http://127.0.0.1:${port}`
  const wsBase = `ws://127.0.0.1:${port}`

  // ---- driving the clock ----------------------------------------------------------------------

  let timer: NodeJS.Timeout | null = null
  let fastRunning = false
  if (clock.kind === 'fast') {
    fastRunning = true
    void fastLoop()
  } else {
    timer = setInterval(tick, tickMs)
  }

  async function fastLoop(): Promise<void> {
    while (fastRunning && !closed) {
      // Step so that one iteration generates ~2000 events across symbols (or 1 s when idle).
      let ratePerMs = 0
      for (const m of markets.values()) ratePerMs += (m.profile.baseRate * intensity * (1 + quoteRatio)) / 1000
      const stepMs = ratePerMs > 0 ? Math.min(60_000, Math.max(1, Math.round(2000 / ratePerMs))) : 1000
      clock.advance(stepMs)
      tick()
      const limited = faults.slowConsumerBufferBytes === undefined
      let waitMs = 0
      if (limited) for (const s of sessions) if (s.ws.bufferedAmount > FAST_BACKPRESSURE_BYTES) waitMs = 2
      if (waitMs > 0 || sessions.size === 0) await new Promise((r) => setTimeout(r, waitMs || 1))
      else await new Promise((r) => setImmediate(r))
    }
  }

  // ---- public API -----------------------------------------------------------------------------

  function record(symbol: string | null, shape: ShockShape, articleId: string | null): void {
    const base = `${symbol ?? 'MARKET'}|${shape.start}`
    let id = base
    for (let n = 2; truthIds.has(id); n++) id = `${base}#${n}`
    truthIds.add(id)
    const from = shape.ramps.reduce((lo, r) => Math.min(lo, r.from), shape.start)
    truth.push({
      id,
      symbol,
      start: shape.start,
      end: shape.end,
      from,
      landed: shape.landed,
      direction: shape.size >= 0 ? 'up' : 'down',
      size: shape.size,
      halted: shape.halt ? { ...shape.halt } : null,
      session: sessionOf(shape.start),
      articleId,
    })
  }

  function gatherTrades(symbol?: string): Trade[] {
    // Every ticker trades: reading one starts its tape (from the origin) if nothing else has.
    if (symbol) activate(symbol)
    sync()
    const list = symbol ? [markets.get(symbol)].filter((m): m is SymbolMarket => m !== undefined) : [...markets.values()]
    const out: Trade[] = []
    for (const m of list) for (let i = 0; i < m.trades.length; i++) out.push(m.trades.trade(i))
    if (!symbol) out.sort((a, b) => a.ts - b.ts)
    return out
  }

  function gatherQuotes(symbol?: string): Quote[] {
    if (symbol) activate(symbol)
    sync()
    const list = symbol ? [markets.get(symbol)].filter((m): m is SymbolMarket => m !== undefined) : [...markets.values()]
    const out: Quote[] = []
    for (const m of list) for (let i = 0; i < m.quotes.length; i++) out.push(m.quotes.quote(i))
    if (!symbol) out.sort((a, b) => a.ts - b.ts)
    return out
  }

  const sim: Simulator = {
    port,
    wsBase,
    httpBase,
    now: () => clock.now(),
    scheduleShock(shock: Shock): void {
      const m = activate(shock.symbol)
      if (!m || !Number.isFinite(shock.at) || !Number.isFinite(shock.jumpPct) || shock.jumpPct <= -1) return
      const at = Math.max(Math.floor(shock.at), Math.floor(m.genTo) + 1)
      const log = Math.log(1 + shock.jumpPct)
      let shape: ShockShape
      if (shock.shape === 'news') {
        const rng = new Rng(hashSeed(seed, `shock:${shock.symbol}:${at}`))
        shape = newsShock(rng, { start: at, log, session: sessionOf(at), notBefore: Math.max(m.genTo, shock.leakNotBefore ?? -Infinity), volumeFactor: shock.volumeFactor ?? 4, mayHalt: true })
      } else {
        const overMs = Math.max(0, shock.overMs ?? 0)
        shape = linearShock(at, overMs, log, shock.volumeFactor ?? 1, at + (shock.volumeMs ?? Math.max(overMs, 5 * 60_000)))
      }
      m.addShape(shape)
      record(shock.symbol, shape, shock.articleId ?? null)
    },
    scheduleMacro(move: MacroMove): void {
      if (!Number.isFinite(move.at) || !Number.isFinite(move.jumpPct) || move.jumpPct <= -1) return
      // The factor is shared: the move may only start after every active tape (and the sync point) has been generated.
      let genTo = tapeTime
      for (const m of markets.values()) genTo = Math.max(genTo, m.genTo)
      const at = Math.max(Math.floor(move.at), Math.floor(genTo) + 1)
      const rng = new Rng(hashSeed(seed, `macro:${at}`))
      const shape = newsShock(rng, { start: at, log: Math.log(1 + move.jumpPct), session: sessionOf(at), notBefore: genTo, volumeFactor: 2, mayHalt: false })
      factor.addMacro(shape.ramps)
      macroShapes.push(shape)
      for (const m of markets.values()) m.addShape({ ...shape, ramps: [], halt: null })
      record(null, shape, move.articleId ?? null)
    },
    groundTruthShocks: () => [...truth].sort((a, b) => a.start - b.start || a.id.localeCompare(b.id)),
    betaOf: (symbol: string) => symbolProfile(seed, symbol).beta,
    injectFaults(plan: FaultPlan): void {
      faults = { ...faults, ...plan }
      if (plan.dropAfterFrames !== undefined) {
        const n = Math.max(1, plan.dropAfterFrames)
        for (const s of sessions) s.dropAt = s.framesSent + n
        pendingDropForNew = n
      }
      if (plan.stallMs !== undefined) stalledUntil = wallNow() + plan.stallMs
    },
    forceMaxConnections(): void {
      for (const s of sessions) if (s.authed && !s.closing) evict(s)
    },
    groundTruthTrades: gatherTrades,
    groundTruthQuotes: gatherQuotes,
    mount(prefix: string, handler: HttpHandler): void {
      const p = prefix.endsWith('/') ? prefix.slice(0, -1) : prefix
      mounts.push({ prefix: p.startsWith('/') ? p : `/${p}`, handler })
    },
    activeSymbols: () => [...markets.keys()],
    stats: () => ({ ...stats }),
    async close(): Promise<void> {
      if (closed) return
      closed = true
      fastRunning = false
      if (timer) clearInterval(timer)
      for (const s of sessions) s.ws.terminate()
      sessions.clear()
      wss.close()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
  return sim
}
