import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { request } from 'node:http'
import WebSocket from 'ws'
import { createServeServer, type ServeServer } from './server'
import { mergeUpdates } from '../host/coalesce'
import type { SymbolUpdate } from '../domain/market'
import type { Bar } from '../domain/market'

const TOKEN = 'tok-123456'
let server: ServeServer
let calls: { channel: string; arg: unknown }[]
let root: string

beforeEach(async () => {
  // root/renderer is served; root/outside-secret.txt sits one level above it, for the traversal test.
  root = mkdtempSync(join(tmpdir(), 'serve-'))
  const dir = join(root, 'renderer')
  mkdirSync(join(dir, 'assets'), { recursive: true })
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Newstape</title>')
  writeFileSync(join(dir, 'assets', 'app.js'), 'console.log(1)')
  writeFileSync(join(root, 'outside-secret.txt'), 'secret')
  calls = []
  server = await createServeServer({
    rendererDir: dir,
    token: TOKEN,
    handle: async (channel, arg) => {
      calls.push({ channel, arg })
      return { ok: true, value: channel === 'status:get' ? 'pong' : null }
    },
  })
})
afterEach(async () => {
  await server.close()
  rmSync(root, { recursive: true, force: true })
})

function get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, headers }, (res) => {
      let body = ''
      res.on('data', (c: Buffer) => (body += c.toString()))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }))
    })
    req.on('error', reject)
    req.end()
  })
}

function connect(opts: { token?: string; origin?: string } = {}): Promise<WebSocket> {
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api?token=${opts.token ?? TOKEN}`, {
    origin: opts.origin ?? server.origin,
  })
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws))
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)))
    ws.once('error', reject)
  })
}

function nextFrame(ws: WebSocket): Promise<unknown> {
  return new Promise((resolve) => ws.once('message', (d) => resolve(JSON.parse(d.toString()))))
}

describe('browser-mode server', () => {
  it('binds to loopback and serves the page only with the token, with a strict CSP', async () => {
    expect(server.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect((await get('/')).status).toBe(401)
    expect((await get('/?token=wrong-token')).status).toBe(401)
    const ok = await get(`/?token=${TOKEN}`)
    expect(ok.status).toBe(200)
    expect(ok.body).toContain('Newstape')
    expect(String(ok.headers['content-security-policy'])).toContain("script-src 'self'")
    expect((await get('/assets/app.js')).status).toBe(200)
  })

  it('refuses path traversal and foreign Host headers', async () => {
    expect((await get('/../outside-secret.txt')).status).not.toBe(200)
    expect((await get('/%2e%2e/outside-secret.txt')).status).not.toBe(200)
    // Resolved against the renderer folder's root first: `..` cannot climb out of it (404, never the file).
    const up = await get('/..%2foutside-secret.txt')
    expect(up.status).toBe(404)
    expect(up.body).not.toContain('secret')
    expect((await get(`/?token=${TOKEN}`, { host: 'evil.example:80' })).status).toBe(421)
  })

  it.each([
    '/%2Findex.html',
    '/%2findex.html',
    '/assets/..%2findex.html',
    '/assets/%2e%2e/index.html',
    '/assets/..%5cindex.html',
    '//index.html',
    '/./index.html',
    '/INDEX.HTML',
    '/assets/../index.html',
  ])('never serves the page without the token, however the path is spelled: %s', async (path) => {
    const r = await get(path)
    expect(r.status).not.toBe(200)
    expect(r.body).not.toContain('Newstape')
    expect((await get(`${path}?token=${TOKEN}`)).status).not.toBe(500)
  })

  it.each(['/%E0%A4%A', '/%zz', '/assets/%', '/index.html%00', '/%00'])('answers 400 to malformed encoding: %s', async (path) => {
    expect((await get(path)).status).toBe(400)
  })

  it('still serves assets and the page with the token after normalising', async () => {
    expect((await get('/assets/./app.js')).status).toBe(200)
    expect((await get(`/assets/..%2findex.html?token=${TOKEN}`)).status).toBe(200)
  })

  it('refuses a wrong token and a foreign Origin on the API socket', async () => {
    await expect(connect({ token: 'nope' })).rejects.toThrow(/401/)
    await expect(connect({ origin: 'http://evil.example' })).rejects.toThrow(/403/)
    await expect(connect({ origin: 'http://127.0.0.1:1' })).rejects.toThrow(/403/)
    expect(calls).toHaveLength(0)
  })

  it('answers requests, rejects bad arguments and unknown channels with invalid_arg', async () => {
    const ws = await connect()
    ws.send(JSON.stringify({ id: 1, channel: 'status:get', arg: null }))
    expect(await nextFrame(ws)).toEqual({ id: 1, response: { ok: true, value: 'pong' } })
    ws.send(JSON.stringify({ id: 2, channel: 'history:get', arg: { symbol: 'not a symbol', timeframe: '1m' } }))
    const bad = (await nextFrame(ws)) as { id: number; response: { ok: boolean; error: { code: string } } }
    expect(bad.id).toBe(2)
    expect(bad.response.ok).toBe(false)
    expect(bad.response.error.code).toBe('invalid_arg')
    ws.send(JSON.stringify({ id: 3, channel: 'fs:readFile', arg: '/etc/passwd' }))
    const unknown = (await nextFrame(ws)) as { response: { error: { code: string } } }
    expect(unknown.response.error.code).toBe('invalid_arg')
    ws.send('not json at all')
    ws.send(JSON.stringify({ id: 4, channel: 'status:get', arg: null }))
    expect(await nextFrame(ws)).toMatchObject({ id: 4 })
    expect(calls.map((c) => c.channel)).toEqual(['status:get', 'status:get'])
    ws.close()
  })

  it('serves impact:history over the socket and refuses a symbol that is not a ticker', async () => {
    const ws = await connect()
    ws.send(JSON.stringify({ id: 1, channel: 'impact:history', arg: { symbol: 'drop table' } }))
    expect(await nextFrame(ws)).toMatchObject({ id: 1, response: { ok: false, error: { code: 'invalid_arg' } } })
    ws.send(JSON.stringify({ id: 2, channel: 'impact:history', arg: { symbol: 'NVDA' } }))
    expect(await nextFrame(ws)).toEqual({ id: 2, response: { ok: true, value: null } })
    expect(calls).toEqual([{ channel: 'impact:history', arg: { symbol: 'NVDA' } }])
    ws.close()
  })

  it('pushes events to every client', async () => {
    const a = await connect()
    const b = await connect()
    const pa = nextFrame(a)
    const pb = nextFrame(b)
    server.broadcast('streams:paused', true)
    expect(await pa).toEqual({ event: 'streams:paused', payload: true })
    expect(await pb).toEqual({ event: 'streams:paused', payload: true })
    a.close()
    b.close()
  })
})

const bar = (start: number, close: number): Bar => ({
  symbol: 'AAPL', start, end: start + 60_000, open: 1, high: 2, low: 0.5, close, volume: 10, vwap: 1, trades: 1, source: 'trades',
})
const upd = (bars: SymbolUpdate['bars']): SymbolUpdate => ({
  symbol: 'AAPL', bars, corrected: [],
  summary: { symbol: 'AAPL', last: 1, ref: 1, change: 0, changePct: 0, dayVolume: 1, lastTs: 1 },
})

describe('mergeUpdates', () => {
  it('keeps the latest bar per timeframe and flags a skipped bar boundary as corrected', () => {
    const pending = new Map<string, SymbolUpdate>()
    mergeUpdates(pending, [upd({ '1m': bar(0, 1), '5m': bar(0, 1) })])
    mergeUpdates(pending, [upd({ '1m': bar(0, 2) })])
    expect(pending.get('AAPL')!.bars['1m']!.close).toBe(2)
    expect(pending.get('AAPL')!.corrected).toEqual([])
    mergeUpdates(pending, [upd({ '1m': bar(60_000, 3) })])
    expect(pending.get('AAPL')!.bars['1m']!.start).toBe(60_000)
    expect(pending.get('AAPL')!.corrected).toEqual(['1m'])
    expect(pending.get('AAPL')!.bars['5m']!.close).toBe(1)
  })

  it('does not ask for a reload when the closed bar travelled with the update', () => {
    const pending = new Map<string, SymbolUpdate>()
    mergeUpdates(pending, [upd({ '1m': bar(0, 1) })])
    mergeUpdates(pending, [{ ...upd({ '1m': bar(60_000, 3) }), closed: { '1m': [bar(0, 2)] } }])
    expect(pending.get('AAPL')!.corrected).toEqual([])
    expect(pending.get('AAPL')!.closed!['1m']!.map((b) => b.close)).toEqual([2])
  })
})
