// Browser-mode transport: `window.api` over a WebSocket to the Node server (protocol documented in
// src-preload/contract.ts). Requests made while connecting are queued; a dropped connection fails the
// requests in flight (createApi turns that into `{ok:false, code:'transport'}`) and reconnects with backoff.
import type { Transport } from '@contract/api'
import { WS_CLOSE_UNAUTHORIZED, WS_PATH } from '@contract/contract'

export type ConnectionState = 'connecting' | 'open' | 'closed' | 'unauthorized'

/** The part of the browser WebSocket we use (jsdom's and the `ws` package's satisfy it too). */
export interface WebSocketLike {
  readonly readyState: number
  send(data: string): void
  close(code?: number, reason?: string): void
  addEventListener(type: 'open', l: () => void): void
  addEventListener(type: 'message', l: (e: { data: unknown }) => void): void
  addEventListener(type: 'close', l: (e: { code: number }) => void): void
  addEventListener(type: 'error', l: () => void): void
}

export interface WsTransportOptions {
  url: string
  createSocket?: (url: string) => WebSocketLike
  /** Delay before reconnect attempt n (1-based). */
  backoffMs?: (attempt: number) => number
  setTimer?: (cb: () => void, ms: number) => unknown
  onState?: (state: ConnectionState) => void
}

export interface WsTransport extends Transport {
  state(): ConnectionState
  /** Called after every successful (re)connection after the first: re-fetch state then. */
  onReconnect(cb: () => void): () => void
  close(): void
}

const OPEN = 1
export const defaultBackoff = (attempt: number): number => Math.min(30_000, 500 * 2 ** Math.min(attempt - 1, 6))

/** `ws(s)://<host>/api?token=<token>` from the page location (the token is in the page's query). */
export const wsUrlFromLocation = (loc: { protocol: string; host: string; search: string }): string => {
  const token = new URLSearchParams(loc.search).get('token') ?? ''
  return `${loc.protocol === 'https:' ? 'wss' : 'ws'}://${loc.host}${WS_PATH}?token=${encodeURIComponent(token)}`
}

export const createWsTransport = (opts: WsTransportOptions): WsTransport => {
  const createSocket = opts.createSocket ?? ((url: string) => new WebSocket(url) as unknown as WebSocketLike)
  const backoff = opts.backoffMs ?? defaultBackoff
  const setTimer = opts.setTimer ?? ((cb: () => void, ms: number) => setTimeout(cb, ms))
  type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void }
  const inFlight = new Map<number, Pending>()
  const queued: { frame: string; id: number; p: Pending }[] = []
  const listeners = new Map<string, Set<(p: unknown) => void>>()
  const reconnectListeners = new Set<() => void>()
  let nextId = 1
  let socket: WebSocketLike | null = null
  let state: ConnectionState = 'connecting'
  let attempt = 0
  let everOpened = false
  let closedByUser = false

  const setState = (s: ConnectionState) => {
    state = s
    opts.onState?.(s)
  }

  const failAll = (why: string) => {
    for (const [, p] of inFlight) p.reject(new Error(why))
    inFlight.clear()
    for (const q of queued.splice(0)) q.p.reject(new Error(why))
  }

  const onMessage = (data: unknown) => {
    if (typeof data !== 'string') return
    let msg: unknown
    try {
      msg = JSON.parse(data)
    } catch {
      return // A garbled frame is ignored; createApi would reject its content anyway.
    }
    if (msg === null || typeof msg !== 'object') return
    const m = msg as Record<string, unknown>
    if (typeof m.id === 'number') {
      const p = inFlight.get(m.id)
      if (!p) return
      inFlight.delete(m.id)
      p.resolve(m.response)
    } else if (typeof m.event === 'string') {
      const set = listeners.get(m.event)
      if (set) for (const l of [...set]) l(m.payload)
    }
  }

  const connect = () => {
    setState('connecting')
    let s: WebSocketLike
    try {
      s = createSocket(opts.url)
    } catch (e) {
      failAll(`cannot connect: ${e instanceof Error ? e.message : String(e)}`)
      scheduleReconnect()
      return
    }
    socket = s
    s.addEventListener('open', () => {
      if (socket !== s) return
      attempt = 0
      setState('open')
      for (const q of queued.splice(0)) {
        inFlight.set(q.id, q.p)
        s.send(q.frame)
      }
      if (everOpened) for (const cb of [...reconnectListeners]) cb()
      everOpened = true
    })
    s.addEventListener('message', (e) => {
      if (socket === s) onMessage(e.data)
    })
    s.addEventListener('error', () => {
      /* a close event always follows */
    })
    s.addEventListener('close', (e) => {
      if (socket !== s) return
      socket = null
      if (e.code === WS_CLOSE_UNAUTHORIZED) {
        failAll('the server refused the token (reload the page with the URL the server printed)')
        setState('unauthorized')
        return
      }
      failAll('connection closed')
      if (closedByUser) return setState('closed')
      scheduleReconnect()
    })
  }

  const scheduleReconnect = () => {
    setState('closed')
    attempt++
    setTimer(() => {
      if (!closedByUser) connect()
    }, backoff(attempt))
  }

  connect()

  return {
    invoke: (channel, arg) =>
      new Promise((resolve, reject) => {
        if (state === 'unauthorized') return reject(new Error('not authorized'))
        if (closedByUser) return reject(new Error('transport closed'))
        const id = nextId++
        const frame = JSON.stringify({ id, channel, arg: arg ?? null })
        const p = { resolve, reject }
        if (socket && socket.readyState === OPEN) {
          inFlight.set(id, p)
          socket.send(frame)
        } else queued.push({ frame, id, p })
      }),
    on: (channel, listener) => {
      const set = listeners.get(channel) ?? new Set()
      set.add(listener)
      listeners.set(channel, set)
      return () => {
        set.delete(listener)
      }
    },
    state: () => state,
    onReconnect: (cb) => {
      reconnectListeners.add(cb)
      return () => {
        reconnectListeners.delete(cb)
      }
    },
    close: () => {
      closedByUser = true
      failAll('transport closed')
      socket?.close(1000, 'bye')
      setState('closed')
    },
  }
}
