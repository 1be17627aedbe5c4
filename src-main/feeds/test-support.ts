// Test helpers for the feed clients: a tiny scripted Polygon-like socket server on 127.0.0.1 and a manual
// clock/timer pair. Imported by tests only.
import { WebSocketServer, type WebSocket } from 'ws'
import type { Clock, Timers } from './runtime'

export interface ServerConn {
  ws: WebSocket
  /** Parsed client messages, in order. */
  received: { action: string; params: string }[]
  authed: boolean
}

export interface TinyPolygonServerOptions {
  key?: string
  /** Reply to WS pings (false simulates a stalled server). */
  autoPong?: boolean
  /** Close every new connection right away (before `connected`). */
  refuse?: boolean
  /** Evict the older authenticated connection when a new one authenticates (Polygon's one-socket rule). */
  evictOlder?: boolean
}

export class TinyPolygonServer {
  readonly conns: ServerConn[] = []
  /** While true, auth requests get no answer at all (a stall that swallows `auth_success`). */
  stallAuth = false
  /** Auth requests swallowed so far. */
  swallowedAuths = 0
  private wss!: WebSocketServer
  port = 0
  constructor(readonly opts: TinyPolygonServerOptions = {}) {}

  get url(): string {
    return `ws://127.0.0.1:${this.port}/stocks`
  }

  async listen(): Promise<void> {
    this.wss = new WebSocketServer({ host: '127.0.0.1', port: 0, autoPong: this.opts.autoPong ?? true })
    await new Promise<void>((resolve) => this.wss.once('listening', () => resolve()))
    this.port = (this.wss.address() as { port: number }).port
    this.wss.on('connection', (ws) => {
      const conn: ServerConn = { ws, received: [], authed: false }
      this.conns.push(conn)
      if (this.opts.refuse) {
        ws.terminate()
        return
      }
      ws.send(JSON.stringify([{ ev: 'status', status: 'connected', message: 'Connected Successfully' }]))
      ws.on('message', (raw: Buffer) => {
        const msg = JSON.parse(raw.toString()) as { action: string; params: string }
        conn.received.push(msg)
        if (msg.action === 'auth') {
          if (this.stallAuth) {
            this.swallowedAuths++
            return
          }
          if (msg.params !== (this.opts.key ?? 'good-key')) {
            ws.send(
              JSON.stringify([{ ev: 'status', status: 'auth_failed', message: 'authentication failed' }]),
            )
            ws.close()
            return
          }
          if (this.opts.evictOlder ?? true) {
            for (const other of this.conns) {
              if (other !== conn && other.authed && other.ws.readyState === other.ws.OPEN) {
                other.ws.send(
                  JSON.stringify([
                    {
                      ev: 'status',
                      status: 'max_connections',
                      message: 'Maximum number of websocket connections exceeded.',
                    },
                  ]),
                )
                other.ws.close(1008)
                other.authed = false
              }
            }
          }
          conn.authed = true
          ws.send(JSON.stringify([{ ev: 'status', status: 'auth_success', message: 'authenticated' }]))
        } else if (msg.action === 'subscribe' || msg.action === 'unsubscribe') {
          const word = msg.action === 'subscribe' ? 'subscribed to' : 'unsubscribed to'
          ws.send(
            JSON.stringify(
              msg.params
                .split(',')
                .map((p) => ({ ev: 'status', status: 'success', message: `${word}: ${p}` })),
            ),
          )
        }
      })
    })
  }

  /** The newest connection. */
  get last(): ServerConn {
    const c = this.conns[this.conns.length - 1]
    if (!c) throw new Error('no connection yet')
    return c
  }

  send(frame: unknown, conn: ServerConn = this.last): void {
    conn.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame))
  }

  async close(): Promise<void> {
    for (const c of this.conns) c.ws.terminate()
    await new Promise<void>((resolve) => this.wss.close(() => resolve()))
  }
}

/** A clock and timers that only move when the test says so. */
export class ManualTime {
  nowMs: number
  private seq = 0
  private pending = new Map<number, { at: number; fn: () => void; order: number }>()
  constructor(start = 1_700_000_000_000) {
    this.nowMs = start
  }
  readonly clock: Clock = { now: () => this.nowMs }
  readonly timers: Timers = {
    setTimeout: (fn, ms) => {
      const id = ++this.seq
      this.pending.set(id, { at: this.nowMs + Math.max(0, ms), fn, order: id })
      return id
    },
    clearTimeout: (h) => {
      this.pending.delete(h as number)
    },
  }
  get timerCount(): number {
    return this.pending.size
  }
  /** Moves time forward, firing due timers in time order (timers they set are honoured too). */
  advance(ms: number): void {
    const target = this.nowMs + ms
    for (;;) {
      let best: [number, { at: number; fn: () => void; order: number }] | null = null
      for (const e of this.pending) {
        if (
          e[1].at <= target &&
          (!best || e[1].at < best[1].at || (e[1].at === best[1].at && e[1].order < best[1].order))
        )
          best = e
      }
      if (!best) break
      this.pending.delete(best[0])
      this.nowMs = Math.max(this.nowMs, best[1].at)
      best[1].fn()
    }
    this.nowMs = target
  }
}

/** Polls `cond` until true (real time). Not a timing assertion: it fails only if the condition never holds. */
export async function waitFor(cond: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs
  while (!cond()) {
    if (Date.now() > until) throw new Error(`timed out waiting for: ${what}`)
    await new Promise((r) => setTimeout(r, 5))
  }
}

/** Lets pending I/O and setImmediate callbacks run. */
export async function settle(ms = 50): Promise<void> {
  await new Promise((r) => setTimeout(r, ms))
}
