// Browser mode: serves the built renderer on loopback and implements `window.api` over a WebSocket
// (protocol documented in src-preload/contract.ts). Refuses a wrong token, a foreign Origin and a foreign
// Host header (DNS rebinding), and coalesces market updates for a client whose socket backs up.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { readFile, stat } from 'node:fs/promises'
import { extname, join, normalize, posix, sep } from 'node:path'
import { timingSafeEqual } from 'node:crypto'
import type { Duplex } from 'node:stream'
import { WebSocketServer, type WebSocket } from 'ws'
import {
  ERROR_CODES,
  WS_PATH,
  fail,
  parseInvokeArg,
  wsRequestSchema,
  type EventChannel,
  type EventPayload,
  type InvokeChannel,
  type Response,
} from '../../src-preload/contract'
import type { SymbolUpdate } from '../domain/market'
import { mergeUpdates } from '../host/coalesce'
import { APP_CSP } from '../domain/csp'

export interface ServeOptions {
  rendererDir: string
  token: string
  /** 0 picks a free port. */
  port?: number
  /** Always loopback; `localhost` or `127.0.0.1`. */
  host?: '127.0.0.1'
  handle: (channel: InvokeChannel, arg: unknown) => Promise<Response<unknown>>
  /** Extra origins the page may frame (the Grafana origin). */
  frameOrigins?: () => string[]
  /** Bytes buffered on a client socket past which market batches are coalesced instead of sent. */
  highWaterBytes?: number
  /**
   * A client whose socket holds more than this many unsent bytes (it does not read: replies and events pile up)
   * is cut off, so one stuck tab cannot grow the server without bound. Default 8 MiB.
   */
  maxBufferedBytes?: number
  log?: (level: 'info' | 'warn' | 'error', message: string) => void
}

export interface ServeServer {
  readonly port: number
  /** The page URL with the token: what a user opens. */
  readonly url: string
  readonly origin: string
  broadcast<E extends EventChannel>(event: E, payload: EventPayload<E>): void
  clients(): number
  /** Clients disconnected because they stopped reading (since start). */
  cutOff(): number
  close(): Promise<void>
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
}

/**
 * The request path as a file path under the renderer folder: percent-decoded once, then resolved (`.`/`..`,
 * repeated slashes, backslashes), so `/%2Findex.html` and `/assets/..%2findex.html` are `/index.html` before any
 * decision is made. Null for malformed percent-encoding or a NUL byte (answered 400). Pure.
 */
export function normalisePath(pathname: string): string | null {
  let decoded: string
  try {
    decoded = decodeURIComponent(pathname)
  } catch {
    return null
  }
  if (decoded.includes('\0')) return null
  const resolved = posix.normalize(`/${decoded.replace(/\\/g, '/')}`).replace(/\/{2,}/g, '/')
  return resolved === '/' ? '/index.html' : resolved
}

/** Requests handled at once per client before the server stops reading from it, and where it reads again. */
const MAX_PENDING = 256
const RESUME_PENDING = 64

export function tokenMatches(given: string | null, expected: string): boolean {
  if (given === null) return false
  const a = Buffer.from(given)
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}

/** Allowed Host / Origin values: loopback names on our port only. */
export function allowedOrigins(port: number): Set<string> {
  return new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`])
}

export async function createServeServer(opts: ServeOptions): Promise<ServeServer> {
  const log = opts.log ?? (() => undefined)
  const highWater = opts.highWaterBytes ?? 256 * 1024
  const maxBuffered = opts.maxBufferedBytes ?? 8 * 1024 * 1024
  const root = normalize(opts.rendererDir).replace(/[\\/]+$/, '')
  const indexFile = join(root, 'index.html')
  let port = 0
  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 })
  const pendingMarket = new Map<WebSocket, Map<string, SymbolUpdate>>()
  // One market batch in flight per client (until the socket has written it): a page slower than the feed
  // gets fewer, fuller batches instead of a growing backlog.
  const inFlight = new Set<WebSocket>()
  let cutOff = 0
  /** Send, unless the client has stopped reading: past `maxBuffered` unsent bytes it is cut off instead. */
  const sendText = (ws: WebSocket, text: string, done?: () => void): boolean => {
    if (ws.readyState !== ws.OPEN) return false
    if (ws.bufferedAmount + text.length > maxBuffered) {
      cutOff++
      log('warn', `browser client not reading (${ws.bufferedAmount} bytes unsent): disconnected`)
      pendingMarket.delete(ws)
      inFlight.delete(ws)
      ws.terminate()
      return false
    }
    ws.send(text, done)
    return true
  }
  const sendMarket = (ws: WebSocket, payload: unknown): void => {
    inFlight.add(ws)
    if (!sendText(ws, JSON.stringify({ event: 'market:batch', payload }), () => inFlight.delete(ws))) inFlight.delete(ws)
  }

  const csp = (): string => {
    const frames = (opts.frameOrigins?.() ?? []).join(' ')
    return APP_CSP.replace("frame-ancestors 'none'", `frame-ancestors 'none'; frame-src ${frames || "'none'"}`)
  }

  const hostOk = (req: IncomingMessage): boolean => allowedOrigins(port).has(`http://${req.headers.host ?? ''}`)

  const send = (res: ServerResponse, code: number, body: string, type = 'text/plain; charset=utf-8'): void => {
    res.writeHead(code, {
      'content-type': type,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
    })
    res.end(body)
  }

  const serveStatic = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'Method not allowed')
    const path = normalisePath(url.pathname)
    if (path === null) return send(res, 400, 'Bad request')
    const file = normalize(join(root, path))
    if (!file.startsWith(root + sep)) return send(res, 403, 'Forbidden')
    // The page itself needs the token, so a stray tab on another port cannot load the app. Decided on the
    // resolved file, so no spelling of the path reaches the page without it.
    if (file.toLowerCase() === indexFile.toLowerCase() && !tokenMatches(url.searchParams.get('token'), opts.token))
      return send(res, 401, 'Missing or wrong token')
    try {
      const st = await stat(file)
      if (!st.isFile()) return send(res, 404, 'Not found')
      const body = await readFile(file)
      res.writeHead(200, {
        'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
        'content-security-policy': csp(),
        'cache-control': file === indexFile ? 'no-store' : 'max-age=3600',
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
        'cross-origin-opener-policy': 'same-origin',
      })
      res.end(req.method === 'HEAD' ? undefined : body)
    } catch {
      send(res, 404, 'Not found')
    }
  }

  const server = createServer((req, res) => {
    if (!hostOk(req)) return send(res, 421, 'Wrong host')
    let url: URL
    try {
      url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`)
    } catch {
      return send(res, 400, 'Bad request')
    }
    serveStatic(req, res, url).catch((e: unknown) => {
      log('error', `static: ${String(e)}`)
      if (!res.headersSent) send(res, 500, 'Internal error')
    })
  })

  const refuse = (socket: Duplex, code: number, text: string): void => {
    socket.write(`HTTP/1.1 ${code} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`)
    socket.destroy()
  }

  server.on('upgrade', (req, socket, head) => {
    let url: URL
    try {
      url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`)
    } catch {
      return refuse(socket, 400, 'Bad Request')
    }
    if (url.pathname !== WS_PATH) return refuse(socket, 404, 'Not Found')
    if (!hostOk(req)) return refuse(socket, 421, 'Misdirected Request')
    const origin = req.headers.origin
    if (typeof origin !== 'string' || !allowedOrigins(port).has(origin)) return refuse(socket, 403, 'Forbidden')
    if (!tokenMatches(url.searchParams.get('token'), opts.token)) return refuse(socket, 401, 'Unauthorized')
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req))
  })

  wss.on('connection', (ws: WebSocket) => {
    pendingMarket.set(ws, new Map())
    // Requests being handled for this client: past MAX_PENDING the server stops reading it until answers go out,
    // so a client that sends without waiting cannot make the server hold unbounded work either.
    let pending = 0
    const settled = (): void => {
      pending--
      if (pending === RESUME_PENDING && ws.isPaused) ws.resume()
    }
    ws.on('close', () => (pendingMarket.delete(ws), inFlight.delete(ws)))
    ws.on('error', () => (pendingMarket.delete(ws), inFlight.delete(ws)))
    ws.on('message', (data, isBinary) => {
      if (isBinary) return
      let raw: unknown
      try {
        raw = JSON.parse(data.toString())
      } catch {
        return
      }
      const frame = wsRequestSchema.safeParse(raw)
      if (!frame.success) {
        const id = (raw as { id?: unknown } | null)?.id
        if (typeof id === 'number' && Number.isInteger(id) && id > 0)
          sendText(ws, JSON.stringify({ id, response: fail(ERROR_CODES.invalidArg, 'Malformed request') }))
        return
      }
      const { id, channel, arg } = frame.data
      const parsed = parseInvokeArg(channel, arg)
      const reply = (response: Response<unknown>): void => {
        sendText(ws, JSON.stringify({ id, response }))
      }
      if (!parsed.ok) return reply({ ok: false, error: parsed.error })
      if (++pending >= MAX_PENDING && !ws.isPaused) ws.pause()
      opts
        .handle(parsed.channel, parsed.value)
        .then(reply)
        .catch((e: unknown) => reply(fail(ERROR_CODES.internal, e instanceof Error ? e.message : String(e))))
        .finally(settled)
    })
  })

  const flushPending = (): void => {
    for (const [ws, pending] of pendingMarket) {
      if (pending.size === 0 || ws.readyState !== ws.OPEN || inFlight.has(ws) || ws.bufferedAmount > highWater) continue
      sendMarket(ws, [...pending.values()])
      pending.clear()
    }
  }
  const drainTimer = setInterval(flushPending, 16)
  drainTimer.unref()

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve())
  })
  const addr = server.address()
  port = typeof addr === 'object' && addr ? addr.port : 0
  const origin = `http://127.0.0.1:${port}`
  log('info', `browser mode on ${origin}`)

  return {
    port,
    origin,
    url: `${origin}/?token=${encodeURIComponent(opts.token)}`,
    broadcast(event, payload) {
      if (event === 'market:batch') {
        for (const [ws, pending] of pendingMarket) {
          if (ws.readyState !== ws.OPEN) continue
          if (pending.size === 0 && !inFlight.has(ws) && ws.bufferedAmount <= highWater) {
            sendMarket(ws, payload)
          } else {
            mergeUpdates(pending, payload as SymbolUpdate[])
          }
        }
        return
      }
      const text = JSON.stringify({ event, payload })
      for (const ws of wss.clients) sendText(ws, text)
    },
    clients: () => wss.clients.size,
    cutOff: () => cutOff,
    async close() {
      clearInterval(drainTimer)
      for (const ws of wss.clients) ws.terminate()
      await new Promise<void>((resolve) => wss.close(() => resolve()))
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
