// Real sockets: a `ws` server on 127.0.0.1 speaking the protocol documented in src-preload/contract.ts.
import { afterEach, describe, expect, it } from 'vitest'
import { WebSocketServer, WebSocket as NodeWebSocket } from 'ws'
import { createApi } from '@contract/api'
import { WS_CLOSE_UNAUTHORIZED } from '@contract/contract'
import { createWsTransport, wsUrlFromLocation, type WebSocketLike, type WsTransport } from './ws-transport'

const servers: WebSocketServer[] = []
const transports: WsTransport[] = []
afterEach(async () => {
  transports.splice(0).forEach((t) => t.close())
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))))
})

const startServer = async (onConnection: (ws: NodeWebSocket, url: string) => void) => {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 })
  servers.push(wss)
  await new Promise((r) => wss.once('listening', r))
  wss.on('connection', (ws, req) => onConnection(ws, req.url ?? ''))
  const { port } = wss.address() as { port: number }
  return { wss, url: `ws://127.0.0.1:${port}/api?token=t0k` }
}

const connect = (url: string, extra: Partial<Parameters<typeof createWsTransport>[0]> = {}) => {
  const t = createWsTransport({ url, createSocket: (u) => new NodeWebSocket(u) as unknown as WebSocketLike, backoffMs: () => 10, ...extra })
  transports.push(t)
  return t
}
const until = async (cond: () => boolean) => {
  for (let i = 0; i < 500 && !cond(); i++) await new Promise((r) => setTimeout(r, 5))
  expect(cond()).toBe(true)
}

/** Minimal server side of the protocol: answers status:get, echoes app:info, can push events. */
const echoHost = (ws: NodeWebSocket) => {
  ws.on('message', (data) => {
    const msg = JSON.parse(String(data)) as { id: number; channel: string; arg: unknown }
    const response =
      msg.channel === 'streams:pause'
        ? { ok: true, value: null }
        : msg.channel === 'secrets:status'
          ? { ok: true, value: { polygon: false, guardian: true } }
          : { ok: false, error: { code: 'invalid_arg', message: `unknown ${msg.channel}` } }
    ws.send(JSON.stringify({ id: msg.id, response }))
  })
}

describe('ws transport', () => {
  it('builds the /api URL with the page token', () => {
    expect(wsUrlFromLocation({ protocol: 'http:', host: '127.0.0.1:4173', search: '?token=a%2Bb&e2e=1' })).toBe('ws://127.0.0.1:4173/api?token=a%2Bb')
    expect(wsUrlFromLocation({ protocol: 'https:', host: 'h', search: '' })).toBe('wss://h/api?token=')
  })

  it('round-trips requests (queued before open) and delivers events', async () => {
    let serverUrl = ''
    let serverSocket: NodeWebSocket | null = null
    const { url } = await startServer((ws, u) => {
      serverUrl = u
      serverSocket = ws
      echoHost(ws)
    })
    const t = connect(url)
    const api = createApi(t)
    // Sent before the socket opens: queued, then answered.
    const [a, b] = await Promise.all([api.invoke('secrets:status'), api.invoke('streams:pause')])
    expect(a).toEqual({ ok: true, value: { polygon: false, guardian: true } })
    expect(b).toEqual({ ok: true, value: null })
    expect(serverUrl).toBe('/api?token=t0k')

    const paused: boolean[] = []
    const off = api.on('streams:paused', (p) => paused.push(p))
    serverSocket!.send(JSON.stringify({ event: 'streams:paused', payload: true }))
    serverSocket!.send('not json')
    serverSocket!.send(JSON.stringify({ event: 'streams:paused', payload: 'garbage' }))
    serverSocket!.send(JSON.stringify({ event: 'streams:paused', payload: false }))
    await until(() => paused.length === 2)
    expect(paused).toEqual([true, false])
    off()
  })

  it('fails in-flight requests when the connection drops, reconnects and reports it', async () => {
    let conns = 0
    const { url } = await startServer((ws) => {
      conns++
      ws.on('message', () => {
        if (conns === 1) ws.terminate() // drop instead of answering
        else echoHost(ws)
      })
      if (conns > 1) echoHost(ws)
    })
    const states: string[] = []
    const t = connect(url, { onState: (s) => states.push(s) })
    let reconnected = 0
    t.onReconnect(() => reconnected++)
    const api = createApi(t)
    const r = await api.invoke('secrets:status')
    expect(r).toMatchObject({ ok: false, error: { code: 'transport' } })
    await until(() => reconnected === 1)
    await expect(api.invoke('streams:pause')).resolves.toEqual({ ok: true, value: null })
    expect(states).toContain('closed')
    expect(t.state()).toBe('open')
  })

  it('stops on an unauthorized close and fails requests', async () => {
    const { url } = await startServer((ws) => ws.close(WS_CLOSE_UNAUTHORIZED, 'bad token'))
    const t = connect(url)
    const api = createApi(t)
    const r = await api.invoke('secrets:status')
    expect(r).toMatchObject({ ok: false, error: { code: 'transport', message: expect.stringContaining('refused the token') } })
    expect(t.state()).toBe('unauthorized')
    await expect(api.invoke('streams:pause')).resolves.toMatchObject({ ok: false, error: { code: 'transport' } })
  })
})
