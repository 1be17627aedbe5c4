// Browser mode: serves the built renderer on loopback and implements `window.api` over a WebSocket
// (protocol documented in src-preload/contract.ts). Refuses a wrong token, a foreign Origin and a foreign
// Host header (DNS rebinding), and coalesces market updates for a client whose socket backs up.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { readFile, stat } from 'node:fs/promises'
import { extname, join, normalize, sep } from 'node:path'
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
import type { SymbolUpdate } from '../host/protocol'
import { mergeUpdates } from '../host/coalesce'
import { APP_CSP } from '../shell/window-options'

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
  log?: (level: 'info' | 'warn' | 'error', message: string) => void
}

export interface ServeServer {
  readonly port: number
  /** The page URL with the token: what a user opens. */
  readonly url: string
  readonly origin: string
  broadcast<E extends EventChannel>(event: E, payload: EventPayload<E>): void
  clients(): number
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
  const root = normalize(opts.rendererDir)
  let port = 0
  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 })
  const pendingMarket = new Map<WebSocket, Map<string, SymbolUpdate>>()
  // One market batch in flight per client (until the socket has written it): a page slower than the feed
  // gets fewer, fuller batches instead of a growing backlog.
  const inFlight = new Set<WebSocket>()
  const sendMarket = (ws: WebSocket, payload: unknown): void => {
    inFlight.add(ws)
    ws.send(JSON.stringify({ event: 'market:batch', payload }), () => inFlight.delete(ws))
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
    let path = decodeURIComponent(url.pathname)
    if (path === '/' || path === '/index.html') {
      // The page itself needs the token, so a stray tab on another port cannot load the app.
      if (!tokenMatches(url.searchParams.get('token'), opts.token)) return send(res, 401, 'Missing or wrong token')
      path = '/index.html'
    }
    const file = normalize(join(root, path))
    if (!file.startsWith(root + sep)) return send(res, 403, 'Forbidden')
    try {
      const st = await stat(file)
      if (!st.isFile()) return send(res, 404, 'Not found')
      const body = await readFile(file)
      res.writeHead(200, {
        'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
        'content-security-policy': csp(),
        'cache-control': path === '/index.html' ? 'no-store' : 'max-age=3600',
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
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`)
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
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`)
    if (url.pathname !== WS_PATH) return refuse(socket, 404, 'Not Found')
    if (!hostOk(req)) return refuse(socket, 421, 'Misdirected Request')
    const origin = req.headers.origin
    if (typeof origin !== 'string' || !allowedOrigins(port).has(origin)) return refuse(socket, 403, 'Forbidden')
    if (!tokenMatches(url.searchParams.get('token'), opts.token)) return refuse(socket, 401, 'Unauthorized')
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req))
  })

  wss.on('connection', (ws: WebSocket) => {
    pendingMarket.set(ws, new Map())
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
          ws.send(JSON.stringify({ id, response: fail(ERROR_CODES.invalidArg, 'Malformed request') }))
        return
      }
      const { id, channel, arg } = frame.data
      const parsed = parseInvokeArg(channel, arg)
      const reply = (response: Response<unknown>): void => {
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ id, response }))
      }
      if (!parsed.ok) return reply({ ok: false, error: parsed.error })
      opts
        .handle(parsed.channel, parsed.value)
        .then(reply)
        .catch((e: unknown) => reply(fail(ERROR_CODES.internal, e instanceof Error ? e.message : String(e))))
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
      for (const ws of wss.clients) if (ws.readyState === ws.OPEN) ws.send(text)
    },
    clients: () => wss.clients.size,
    async close() {
      clearInterval(drainTimer)
      for (const ws of wss.clients) ws.terminate()
      await new Promise<void>((resolve) => wss.close(() => resolve()))
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
