// Polygon (Massive) WebSocket client: auth → subscribe, subscription diffs on the live socket, reconnect with
// backoff (re-auth, resubscribe), ping/liveness, pause/resume, fatal states that never loop, gap reporting.
//
// Frames are pushed raw into a queue on 'message' and parsed later from a setImmediate drain, so a slow
// parser never stops the socket from being read (Polygon disconnects slow readers). Connection-level events
// (close, pause, resume) go through the same queue as markers, so they are handled in order with the frames
// that preceded them: an `auth_failed` frame followed by a close is seen as auth_failed, not as a drop.
//
// Stuck at auth: a server that never answers the auth (a stall that swallowed `auth_success`) is left after
// `authTimeoutMs` and reconnected with backoff; before `auth_success` only frames count as signs of life, not
// pongs (a stalled server can still pong). A server-side `auth_timeout` makes the client authenticate again at
// once, and says so. Every drop and every return to live is in the status and the log.
import type WebSocket from 'ws'
import type { Bar, Quote, Trade } from '../domain/market'
import type { FeedStatus } from '../domain/status'
import type { Channel } from '../domain/watchlist'
import { Backoff, DEFAULT_RECONNECT_POLICY, type BackoffPolicy, type Random } from '../domain/backoff'
import { GapTracker, type Gap } from './gap'
import { parsePolygonFrame, type PolygonSink, type PolygonStatusEvent } from './parse'
import {
  defaultDefer,
  defaultSocketFactory,
  systemClock,
  systemTimers,
  type Clock,
  type Defer,
  type LogFn,
  type SocketFactory,
  type TimerHandle,
  type Timers,
  type WebSocketLike,
} from './runtime'
import { initialFeedStatus, isFatal, reduceFeedStatus, type FeedEvent } from './status'

export interface PolygonSocketHandlers {
  onTrade?(t: Trade): void
  onQuote?(q: Quote): void
  onAggregate?(b: Bar): void
  onStatus?(s: FeedStatus): void
  /** A stretch of minutes the stream missed (see gap.ts for the exact policy). */
  onGap?(gap: Gap): void
  onLog?: LogFn
}

export interface PolygonSocketOptions extends PolygonSocketHandlers {
  /** Full socket URL, e.g. `wss://socket.massive.com/stocks`. */
  url: string
  key: string
  createSocket?: SocketFactory
  clock?: Clock
  timers?: Timers
  defer?: Defer
  random?: Random
  reconnect?: BackoffPolicy
  /** WS ping period (vendor Go client: 25 s). */
  pingIntervalMs?: number
  /** No inbound data or pong for this long ⇒ the connection is dead (vendor Go client: 30 s). Before
   * `auth_success` pongs do not count: only frames. */
  deadAfterMs?: number
  /** No reply (`auth_success` / `auth_failed`) this long after sending the auth ⇒ reconnect with backoff. */
  authTimeoutMs?: number
  /** A connection that stayed live this long resets the backoff (so a flapping server still backs off). */
  stableAfterMs?: number
  /** Data-time margin after the restore minute before the gap is reported. */
  gapSettleMs?: number
  /** Frames parsed per drain turn before yielding to I/O. */
  drainBatch?: number
  /** Status `rate` refresh period. */
  statsIntervalMs?: number
}

type QueueItem =
  | { gen: number; data: WebSocket.RawData | string }
  | { gen: number; mark: 'closed'; reason: string }
  | { gen: number; mark: 'paused' | 'resumed' }

const SYMBOL_RE = /^[A-Z0-9.*:-]{1,24}$/
const CHANNELS: readonly Channel[] = ['T', 'Q', 'A', 'AM']
/** Params per subscribe/unsubscribe message (keeps each control frame small). */
const PARAMS_PER_MESSAGE = 400
/** A watchdog timer this late means the thread was busy, not that the server went quiet. */
const STALL_SLACK_MS = 1_000

function toText(data: WebSocket.RawData | string): string {
  if (typeof data === 'string') return data
  if (Buffer.isBuffer(data)) return data.toString('utf8')
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8')
  return Buffer.from(data).toString('utf8')
}

/** `T.AAPL`-style params for the given symbols × channels; symbols are upper-cased, invalid ones dropped. */
export function subscriptionParams(symbols: readonly string[], channels: readonly Channel[]): Set<string> {
  const out = new Set<string>()
  for (const ch of channels) {
    if (!CHANNELS.includes(ch)) continue
    for (const raw of symbols) {
      const sym = raw.trim().toUpperCase()
      // A comma or space would smuggle extra params into the request.
      if (SYMBOL_RE.test(sym)) out.add(`${ch}.${sym}`)
    }
  }
  return out
}

export class PolygonSocket {
  private readonly o: PolygonSocketOptions
  private readonly createSocket: SocketFactory
  private readonly clock: Clock
  private readonly timers: Timers
  private readonly defer: Defer
  private readonly backoff: Backoff
  private readonly gaps: GapTracker
  private readonly pingMs: number
  private readonly deadMs: number
  private readonly authMs: number
  private readonly stableMs: number
  private readonly batch: number
  private readonly statsMs: number

  private st: FeedStatus = initialFeedStatus()
  private ws: WebSocketLike | null = null
  private gen = 0
  private open = false
  private authed = false
  private closedGen = 0
  private started = false
  private stopped = false
  private paused = false
  private liveSince: number | null = null
  private lastInbound = 0
  private desired = new Set<string>()
  private active = new Set<string>()

  private queue: QueueItem[] = []
  private head = 0
  private drainScheduled = false
  private drainGen = 0

  private pingTimer: TimerHandle | null = null
  private deadTimer: TimerHandle | null = null
  /** Time the dead timer fired late since lastInbound = deadStallFor (not silence heard: see armDeadTimer). */
  private deadStallMs = 0
  private deadStallFor = -1
  private authTimer: TimerHandle | null = null
  /** Connections lost since the feed was last live (for the "live again" log line). */
  private dropsSinceLive = 0
  private retryTimer: TimerHandle | null = null
  private statsTimer: TimerHandle | null = null

  private malformedTotal = 0
  private eventsTotal = 0
  private unknownTotal = 0
  private connectAttempts = 0
  private statsAt = 0
  private statsEvents = 0

  private readonly sink: PolygonSink

  constructor(opts: PolygonSocketOptions) {
    this.o = opts
    this.createSocket = opts.createSocket ?? defaultSocketFactory
    this.clock = opts.clock ?? systemClock
    this.timers = opts.timers ?? systemTimers
    this.defer = opts.defer ?? defaultDefer
    this.backoff = new Backoff(opts.reconnect ?? DEFAULT_RECONNECT_POLICY, opts.random ?? Math.random)
    this.gaps = new GapTracker(opts.gapSettleMs ?? 2_000)
    this.pingMs = opts.pingIntervalMs ?? 25_000
    this.deadMs = opts.deadAfterMs ?? 30_000
    this.authMs = opts.authTimeoutMs ?? 10_000
    this.stableMs = opts.stableAfterMs ?? 10_000
    this.batch = opts.drainBatch ?? 64
    this.statsMs = opts.statsIntervalMs ?? 1_000
    const onTrade = opts.onTrade
    const onQuote = opts.onQuote
    const onAggregate = opts.onAggregate
    const gaps = this.gaps
    const gap = (g: Gap | null) => {
      if (g) this.reportGap(g)
    }
    this.sink = {
      trade: (t) => {
        gap(gaps.data(t.ts))
        onTrade?.(t)
      },
      quote: (q) => {
        gap(gaps.data(q.ts))
        onQuote?.(q)
      },
      aggregate: (b) => {
        gap(gaps.data(b.start))
        onAggregate?.(b)
      },
      status: (s) => this.onServerStatus(s),
      malformed: () => {},
    }
  }

  // ---- public API ------------------------------------------------------------------------------------

  get status(): FeedStatus {
    return this.st
  }

  /** Connection attempts made so far (tests assert there is no reconnect storm). */
  get attempts(): number {
    return this.connectAttempts
  }

  get counters(): { events: number; malformed: number; unknown: number } {
    return { events: this.eventsTotal, malformed: this.malformedTotal, unknown: this.unknownTotal }
  }

  /** The gap still waiting to be reported (null when none): `to` stays null until data resumes. */
  get pendingGap(): { from: number; to: number | null } | null {
    return this.gaps.pending()
  }

  /** Largest data time received (trade/quote `t`, aggregate start), or null before any data. */
  get lastDataTs(): number | null {
    return this.gaps.lastDataTs
  }

  /** Params the server currently has for us (after diffs were sent). */
  get activeSubscriptions(): string[] {
    return [...this.active].sort()
  }

  /** The params subscribed symbols (for backfill): the symbols of every desired param. */
  get subscribedSymbols(): string[] {
    const s = new Set<string>()
    for (const p of this.desired) s.add(p.slice(p.indexOf('.') + 1))
    s.delete('*')
    return [...s].sort()
  }

  start(): void {
    if (this.started) return
    this.started = true
    this.statsAt = this.clock.now()
    this.scheduleStats()
    this.connect()
  }

  /** Replaces the wanted subscriptions; on a live socket only the difference is sent. */
  setSubscriptions(symbols: readonly string[], channels: readonly Channel[]): void {
    this.desired = subscriptionParams(symbols, channels)
    this.sync()
  }

  /** Unsubscribe everything but keep the connection (no reconnect churn); status `paused`. */
  pause(): void {
    if (this.paused || this.stopped) return
    this.paused = true
    this.sync()
    this.push({ gen: this.gen, mark: 'paused' })
    if (this.authed) this.emit({ type: 'paused' })
  }

  resume(): void {
    if (!this.paused || this.stopped) return
    this.paused = false
    this.sync()
    if (this.authed) {
      this.push({ gen: this.gen, mark: 'resumed' })
      this.emit({ type: 'live' })
    }
  }

  stop(): void {
    if (this.stopped) return
    // What was received before stop() is part of the session: parse it now (nothing received is dropped).
    // After this, frames still arriving on the closing socket are not: they would reach a publisher that
    // is being closed behind this feed.
    while (this.head < this.queue.length) this.drain()
    this.stopped = true
    this.clearConnTimers()
    if (this.retryTimer !== null) this.timers.clearTimeout(this.retryTimer)
    if (this.statsTimer !== null) this.timers.clearTimeout(this.statsTimer)
    this.retryTimer = null
    this.statsTimer = null
    this.closeSocket(1000, 'client stop')
    this.emit({ type: 'stopped' })
  }

  // ---- connection -------------------------------------------------------------------------------------

  private connect(): void {
    if (this.stopped || isFatal(this.st.state)) return
    this.retryTimer = null
    const gen = ++this.gen
    this.connectAttempts++
    this.open = false
    this.authed = false
    this.liveSince = null
    this.active.clear()
    this.emit({ type: 'connecting', attempt: this.backoff.attempt })
    let ws: WebSocketLike
    try {
      ws = this.createSocket(this.o.url)
    } catch (err) {
      // A URL the socket library refuses outright will never work: fatal, not a retry loop.
      this.emit({ type: 'error', message: `Cannot open feed socket: ${(err as Error).message}` })
      return
    }
    this.ws = ws
    this.lastInbound = this.clock.now()
    this.armDeadTimer()
    ws.on('open', () => {
      if (gen !== this.gen || this.stopped) return
      this.open = true
      this.lastInbound = this.clock.now()
      // Vendor clients authenticate on open without waiting for the "connected" status.
      this.sendAuth()
      this.emit({ type: 'authenticating' })
      this.schedulePing()
    })
    ws.on('message', (data) => {
      if (this.stopped) return
      this.lastInbound = this.clock.now()
      this.push({ gen, data })
    })
    ws.on('pong', () => {
      // A pong proves the TCP path, not the feed: before auth_success it does not hold off the silence timer.
      if (this.authed && gen === this.gen) this.lastInbound = this.clock.now()
    })
    ws.on('error', (err) => {
      // 'close' always follows; keep the reason for the status line.
      this.log('warn', `feed socket error: ${err.message}`)
    })
    ws.on('close', (code) => this.lost(gen, `closed ${code}`))
  }

  /** The connection `gen` ended (close event, or declared dead). Idempotent per generation. */
  private lost(gen: number, reason: string): void {
    if (gen <= this.closedGen) return
    this.closedGen = gen
    if (gen === this.gen) {
      this.open = false
      this.authed = false
      this.active.clear()
      this.clearConnTimers()
    }
    this.push({ gen, mark: 'closed', reason })
  }

  private scheduleReconnect(reason: string): void {
    if (this.stopped || isFatal(this.st.state) || this.retryTimer !== null) return
    const now = this.clock.now()
    if (this.liveSince !== null && now - this.liveSince >= this.stableMs) this.backoff.reset()
    const attempt = this.backoff.attempt + 1
    const delay = this.backoff.next()
    this.dropsSinceLive++
    this.log('warn', `feed connection lost (${reason}); reconnecting in ${delay} ms (attempt ${attempt})`)
    this.emit({ type: 'reconnecting', retryAt: now + delay, attempt, reason })
    this.retryTimer = this.timers.setTimeout(() => this.connect(), delay)
  }

  private closeSocket(code: number, reason: string): void {
    const ws = this.ws
    if (!ws) return
    const gen = this.gen
    this.ws = null
    this.open = false
    this.authed = false
    this.closedGen = Math.max(this.closedGen, gen)
    try {
      ws.close(code, reason)
    } catch {
      ws.terminate()
    }
  }

  private clearConnTimers(): void {
    if (this.pingTimer !== null) this.timers.clearTimeout(this.pingTimer)
    if (this.deadTimer !== null) this.timers.clearTimeout(this.deadTimer)
    this.pingTimer = null
    this.deadTimer = null
    this.clearAuthTimer()
  }

  private clearAuthTimer(): void {
    if (this.authTimer !== null) this.timers.clearTimeout(this.authTimer)
    this.authTimer = null
  }

  /** Sends the auth and waits `authMs` for its answer; none ⇒ the connection is given up and retried. */
  private sendAuth(): void {
    this.sendJson({ action: 'auth', params: this.o.key })
    this.clearAuthTimer()
    const gen = this.gen
    this.authTimer = this.timers.setTimeout(() => {
      this.authTimer = null
      if (gen !== this.gen || gen <= this.closedGen || this.stopped || this.authed) return
      const ws = this.ws
      const wait = this.authMs >= 1000 ? `${Math.round(this.authMs / 1000)} s` : `${this.authMs} ms`
      this.log('warn', `feed: no reply to auth within ${wait}: reconnecting`)
      this.ws = null
      this.lost(gen, `no reply to auth in ${wait}`)
      ws?.terminate()
    }, this.authMs)
  }

  private schedulePing(): void {
    this.pingTimer = this.timers.setTimeout(() => {
      this.pingTimer = null
      if (!this.open || !this.ws) return
      try {
        this.ws.ping()
      } catch {
        // The close event reports the failure.
      }
      this.schedulePing()
    }, this.pingMs)
  }

  /**
   * One timer at lastInbound + deadMs; re-armed lazily, so inbound traffic costs only a clock read. A timer that
   * fires late means this thread was busy (a long computation, a starved machine): timers run before the socket's
   * buffered data is read, so that time is not silence heard; it is added to the deadline (deadStallMs), once per
   * stall, and the data waiting in the buffer gets read first.
   */
  private armDeadTimer(): void {
    const gen = this.gen
    if (this.deadStallFor !== this.lastInbound) {
      this.deadStallFor = this.lastInbound
      this.deadStallMs = 0
    }
    const armedAt = this.clock.now()
    const wait = Math.max(0, this.lastInbound + this.deadMs + this.deadStallMs - armedAt)
    this.deadTimer = this.timers.setTimeout(() => {
      this.deadTimer = null
      if (gen !== this.gen || gen <= this.closedGen || this.stopped) return
      const late = this.clock.now() - (armedAt + wait)
      const quietSince = this.lastInbound
      if (late > STALL_SLACK_MS && this.deadStallFor === quietSince) {
        // Plus a second for the buffered data to be read before the next look.
        this.deadStallMs += late + STALL_SLACK_MS
        this.log('warn', `feed watchdog ran ${Math.round(late / 1000)} s late (this thread was busy): listening that much longer`)
        this.armDeadTimer()
        return
      }
      if (this.clock.now() - quietSince - (this.deadStallFor === quietSince ? this.deadStallMs : 0) >= this.deadMs) {
        const ws = this.ws
        this.log('warn', `feed silent for ${this.deadMs} ms: reconnecting`)
        this.ws = null
        this.lost(gen, `no data or pong for ${Math.round(this.deadMs / 1000)} s`)
        ws?.terminate()
      } else {
        this.armDeadTimer()
      }
    }, wait)
  }

  // ---- subscriptions ----------------------------------------------------------------------------------

  /** Bring the server's subscriptions (`active`) to what is wanted now; only when authenticated. */
  private sync(): void {
    if (!this.authed || !this.open) return
    const want = this.paused ? new Set<string>() : this.desired
    const add: string[] = []
    const remove: string[] = []
    for (const p of want) if (!this.active.has(p)) add.push(p)
    for (const p of this.active) if (!want.has(p)) remove.push(p)
    this.sendParams('unsubscribe', remove)
    this.sendParams('subscribe', add)
    for (const p of remove) this.active.delete(p)
    for (const p of add) this.active.add(p)
  }

  private sendParams(action: 'subscribe' | 'unsubscribe', params: string[]): void {
    for (let k = 0; k < params.length; k += PARAMS_PER_MESSAGE) {
      this.sendJson({ action, params: params.slice(k, k + PARAMS_PER_MESSAGE).join(',') })
    }
  }

  private sendJson(msg: { action: string; params: string }): void {
    if (!this.ws || !this.open) return
    try {
      this.ws.send(JSON.stringify(msg))
    } catch (err) {
      // Never echo the message: it may be the auth frame carrying the key.
      this.log('warn', `feed send failed (${msg.action}): ${(err as Error).message}`)
    }
  }

  // ---- queue & parsing --------------------------------------------------------------------------------

  private push(item: QueueItem): void {
    this.queue.push(item)
    if (!this.drainScheduled) {
      this.drainScheduled = true
      this.defer(() => this.drain())
    }
  }

  private drain(): void {
    this.drainScheduled = false
    const q = this.queue
    const end = Math.min(q.length, this.head + this.batch)
    let events = 0
    let malformed = 0
    let unknown = 0
    while (this.head < end) {
      const item = q[this.head]!
      q[this.head++] = undefined as unknown as QueueItem
      if ('data' in item) {
        this.drainGen = item.gen
        const r = parsePolygonFrame(toText(item.data), this.sink)
        events += r.events
        malformed += r.malformed
        unknown += r.unknown
      } else {
        this.onMark(item)
      }
    }
    if (this.head === q.length) {
      q.length = 0
      this.head = 0
    } else if (this.head > 4096) {
      q.splice(0, this.head)
      this.head = 0
    }
    this.eventsTotal += events
    this.statsEvents += events
    this.unknownTotal += unknown
    if (malformed > 0) {
      this.malformedTotal += malformed
      this.emit({ type: 'malformed', total: this.malformedTotal })
    }
    if (this.head < q.length && !this.drainScheduled) {
      this.drainScheduled = true
      this.defer(() => this.drain())
    }
  }

  private onMark(item: Exclude<QueueItem, { data: unknown }>): void {
    if (item.mark === 'closed') {
      this.gaps.interrupt()
      if (item.gen === this.gen) this.scheduleReconnect(item.reason)
    } else if (item.mark === 'paused') {
      this.gaps.interrupt()
    } else {
      this.gaps.restored()
    }
  }

  private onServerStatus(s: PolygonStatusEvent): void {
    // Status from a connection we already left (frames drained late) must not steer the current one.
    if (this.drainGen !== this.gen || this.stopped) return
    switch (s.status) {
      case 'connected':
        return
      case 'auth_success':
        this.authed = true
        this.clearAuthTimer()
        // From here pongs count as liveness too: restart the silence clock.
        this.lastInbound = this.clock.now()
        this.liveSince = this.clock.now()
        if (this.dropsSinceLive > 0) {
          this.log('info', `feed live again after ${this.dropsSinceLive} lost connection(s)`)
          this.dropsSinceLive = 0
        }
        this.sync()
        if (this.paused) {
          this.emit({ type: 'paused' })
        } else {
          // Subscribed again: the next data ends any gap (in-order with this frame, so no marker needed).
          this.gaps.restored()
          this.emit({ type: 'live' })
        }
        return
      case 'auth_failed':
        this.clearAuthTimer()
        this.fatal({ type: 'auth_failed', message: s.message })
        return
      case 'auth_timeout':
        // The server did not see our auth in time (lost, or sent too late): send it again now, and say so.
        this.log('warn', `feed: server reports auth_timeout${s.message ? ` (${s.message})` : ''}; re-authenticating`)
        this.emit({ type: 'note', message: 'Server timed out waiting for authentication; re-authenticating' })
        if (this.open && !this.authed) this.sendAuth()
        // Should it close the socket instead, the next connection goes out after the shortest delay.
        this.backoff.reset()
        return
      case 'max_connections':
        this.fatal({ type: 'max_connections', message: s.message })
        return
      case 'success':
        return
      default:
        this.log('info', `feed status ${s.status}${s.message ? `: ${s.message}` : ''}`)
    }
  }

  private fatal(e: FeedEvent): void {
    this.emit(e)
    this.clearConnTimers()
    if (this.retryTimer !== null) this.timers.clearTimeout(this.retryTimer)
    this.retryTimer = null
    this.closeSocket(1000, 'fatal')
  }

  private reportGap(g: Gap): void {
    try {
      this.o.onGap?.(g)
    } catch (err) {
      this.log('error', `gap handler failed: ${(err as Error).message}`)
    }
  }

  // ---- status -----------------------------------------------------------------------------------------

  private scheduleStats(): void {
    this.statsTimer = this.timers.setTimeout(() => {
      this.statsTimer = null
      if (this.stopped) return
      const now = this.clock.now()
      const dt = now - this.statsAt
      if (dt > 0) {
        const rate = Math.round((this.statsEvents * 1000) / dt)
        this.statsAt = now
        this.statsEvents = 0
        this.emit({ type: 'rate', msgsPerSec: rate })
      }
      this.scheduleStats()
    }, this.statsMs)
  }

  /** Outside additions to the status line (backfill results, REST errors). */
  note(e: FeedEvent): void {
    this.emit(e)
  }

  private emit(e: FeedEvent): void {
    const next = reduceFeedStatus(this.st, e)
    if (next === this.st) return
    this.st = next
    this.o.onStatus?.(next)
  }

  private log(level: 'debug' | 'info' | 'warn' | 'error', message: string): void {
    this.o.onLog?.(level, message)
  }
}
