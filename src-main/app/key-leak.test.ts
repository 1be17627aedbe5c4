// A stored key must never reach a host the user did not confirm. The trap is a local HTTP + WebSocket server
// that speaks just enough Polygon to get a key (connected → auth) and records every request line, header and
// socket message. The app core runs with the real settings and secret stores, the real "Test key" (real fetch)
// and the real ingest worker (real socket client): the renderer's moves are `settings:update` + `secrets:test`.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createServer, type Server } from 'node:http'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { WebSocketServer } from 'ws'
import { createAppCore, type AppCore, type AppCoreDeps } from './app-core'
import { createSettingsStore } from './settings-store'
import { createSecretStore } from './secrets'
import { memoryKv, reversingSafe } from './test-support'
import { testKey } from './key-check'
import { startIngestWorker } from '../host/worker-host'
import type { IngestConfig } from '../host/protocol'
import { createKeyHostApprovals, keyDestination } from './key-hosts'
import { createKeyHostConfirm, type DialogLike } from '../shell/key-host-dialog'

const KEY = 'TRAPCANARY-7f3a9c'

interface Trap {
  origin: string
  wsUrl: string
  /** Everything the trap received, as text. */
  seen: string[]
  sawKey(key?: string): boolean
  connections: number
  close(): Promise<void>
}

async function startTrap(): Promise<Trap> {
  const seen: string[] = []
  let connections = 0
  const server: Server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url} ${JSON.stringify(req.headers)}`)
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end('{"status":"OK","results":[]}')
  })
  const wss = new WebSocketServer({ server })
  wss.on('connection', (ws, req) => {
    connections++
    seen.push(`WS ${req.url} ${JSON.stringify(req.headers)}`)
    ws.send(JSON.stringify([{ ev: 'status', status: 'connected', message: 'Connected Successfully' }]))
    ws.on('message', (data) => {
      const text = String(data)
      seen.push(`MSG ${text}`)
      if (text.includes('"auth"')) ws.send(JSON.stringify([{ ev: 'status', status: 'auth_success', message: 'authenticated' }]))
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
  const addr = server.address()
  const port = typeof addr === 'object' && addr ? addr.port : 0
  return {
    origin: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}/stocks`,
    seen,
    sawKey: (key = KEY) => seen.some((s) => s.includes(key)),
    get connections() {
      return connections
    },
    async close() {
      for (const c of wss.clients) c.terminate()
      await new Promise<void>((r) => wss.close(() => r()))
      await new Promise<void>((r) => server.close(() => r()))
    },
  }
}

const safe = reversingSafe

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

/** The app as the composition roots build it, with the real worker; `dialog` present = the desktop app. */
async function appWithTrap(dialog?: DialogLike) {
  const trap = await startTrap()
  cleanups.push(() => trap.close())
  const dir = mkdtempSync(join(tmpdir(), 'key-leak-'))
  cleanups.push(async () => rmSync(dir, { recursive: true, force: true }))
  const kv = memoryKv()
  const secrets = createSecretStore(safe, kv)
  secrets.set('polygon', KEY)
  secrets.set('guardian', KEY.replace('TRAP', 'GUARD'))
  const configs: IngestConfig[] = []
  const logs: string[] = []
  const deps: AppCoreDeps = {
    mode: dialog ? 'electron' : 'browser',
    version: 't',
    platform: 'linux',
    dataDir: dir,
    settings: createSettingsStore(kv),
    secrets,
    startHost: (config) => {
      configs.push(structuredClone(config))
      return startIngestWorker(config)
    },
    demo: { endpoints: async () => ({ wsBase: 'ws://127.0.0.1:1', httpBase: 'http://127.0.0.1:1' }), stop: async () => undefined },
    emit: () => undefined,
    openExternal: async () => undefined,
    testKey: (name, key, s) => testKey(name, key, s, { fetch: globalThis.fetch as never, demo: null, timeoutMs: 5_000 }),
    probeGrafana: async () => ({ reachable: false, url: '', message: '' }),
    log: (_l, m) => void logs.push(m),
    keyApprovals: createKeyHostApprovals(kv),
    ...(dialog ? { confirmKeyHost: createKeyHostConfirm(dialog) } : {}),
  }
  const core: AppCore = createAppCore(deps)
  cleanups.push(() => core.stop())
  await core.start()
  return { core, trap, configs, logs }
}

/** What a compromised renderer (or a leaked browser-mode token) does: point the feed at its host, then test. */
async function attack(core: AppCore, trap: Trap): Promise<{ test: unknown }> {
  const r = await core.handle('settings:update', { feed: { mode: 'custom', url: trap.wsUrl, restBase: trap.origin } } as never)
  expect(r.ok).toBe(true)
  const test = await core.handle('secrets:test', { name: 'polygon' } as never)
  return { test }
}

/** Tally for docs/reliability.md. */
const tally = { attacks: 0, keysReceivedByTrap: 0 }

describe('stored keys and unconfirmed hosts (trap server)', () => {
  it('browser mode: the key is never sent; the user is told to type it again', async () => {
    const { core, trap, configs } = await appWithTrap()
    const { test } = await attack(core, trap)
    tally.attacks++
    expect(test).toMatchObject({ ok: true, value: { ok: false, message: expect.stringMatching(/The stored Polygon key was not sent to http:\/\/127\.0\.0\.1:\d+.*type the key again/) } })
    const last = configs[configs.length - 1]
    expect(last?.feed).toMatchObject({ mode: 'custom', url: trap.wsUrl })
    expect(last?.feed.key).toBeUndefined()
    expect((core.status().notices ?? []).map((n) => n.text).join()).toMatch(/The stored Polygon key was not sent to ws:\/\/127\.0\.0\.1/)
    if (trap.sawKey()) tally.keysReceivedByTrap++
    expect(trap.sawKey()).toBe(false)
  }, 120_000)

  it('desktop app: the main-process dialog names the host; "Don\'t send" means never', async () => {
    const asked: string[] = []
    const dialog: DialogLike = {
      showMessageBox: async (o) => {
        asked.push(o.message)
        return { response: 0 }
      },
    }
    const { core, trap, configs } = await appWithTrap(dialog)
    const { test } = await attack(core, trap)
    tally.attacks++
    expect(asked.some((m) => m.includes(`Send your stored Polygon API key to ${trap.wsUrl.replace('/stocks', '')}?`))).toBe(true)
    expect(test).toMatchObject({ value: { ok: false } })
    expect(configs[configs.length - 1]?.feed.key).toBeUndefined()
    if (trap.sawKey()) tally.keysReceivedByTrap++
    expect(trap.sawKey()).toBe(false)
  }, 120_000)

  it('control: once the user confirms the host, the trap does get the key (the trap works)', async () => {
    const dialog: DialogLike = { showMessageBox: async () => ({ response: 1 }) }
    const { core, trap } = await appWithTrap(dialog)
    await attack(core, trap)
    // Both ways a key leaves: the REST "Test key" (Bearer header) and the worker's socket auth.
    expect(trap.seen.some((s) => s.startsWith('GET') && s.includes(`Bearer ${KEY}`))).toBe(true)
    await vi.waitFor(() => expect(trap.seen.some((s) => s.startsWith('MSG') && s.includes(`"params":"${KEY}"`))).toBe(true), {
      timeout: 60_000,
      interval: 50,
    })
  }, 120_000)

  it('browser mode: typing the key again is the confirmation, for that key and that host only', async () => {
    const { core, trap } = await appWithTrap()
    await attack(core, trap)
    expect(trap.sawKey()).toBe(false)
    const other = 'SOMEOTHERKEY-123'
    // A caller that types a key of its own gets nothing it did not have, and approves nothing for the stored key.
    await core.handle('secrets:test', { name: 'polygon', value: other } as never)
    expect(trap.sawKey(other)).toBe(true)
    const again = await core.handle('secrets:test', { name: 'polygon' } as never)
    expect(again).toMatchObject({ value: { ok: false } })
    expect(trap.sawKey()).toBe(false)
    // The user types the stored key: now the host may have it.
    await core.handle('secrets:test', { name: 'polygon', value: KEY } as never)
    expect(trap.sawKey()).toBe(true)
  }, 120_000)

  it('summary (for docs/reliability.md)', () => {
    console.log(`key to unconfirmed host: ${JSON.stringify(tally)}`)
    expect(tally.attacks).toBe(2)
    expect(tally.keysReceivedByTrap).toBe(0)
  })
})

describe('keyDestination', () => {
  const demo = { wsBase: 'ws://127.0.0.1:4100', httpBase: 'http://127.0.0.1:4100' }
  it.each([
    ['polygon', 'wss://socket.massive.com/stocks', 'official'],
    ['polygon', 'wss://socket.polygon.io/stocks', 'official'],
    ['polygon', 'wss://delayed.massive.com/stocks', 'official'],
    ['polygon', 'wss://delayed.polygon.io/stocks', 'official'],
    ['polygon', 'https://api.massive.com', 'official'],
    ['polygon', 'https://API.POLYGON.IO/v2', 'official'],
    ['guardian', 'https://content.guardianapis.com/search', 'official'],
    ['polygon', 'ws://socket.massive.com/stocks', 'other'], // no TLS
    ['polygon', 'wss://socket.massive.com:8443/stocks', 'other'], // another port
    ['polygon', 'https://content.guardianapis.com', 'other'], // the other service's host
    ['polygon', 'wss://socket.massive.com.evil.test/stocks', 'other'],
    ['polygon', 'https://api.massive.com@evil.test/', 'other'],
    ['polygon', 'ws://127.0.0.1:4100/stocks', 'simulator'],
    ['guardian', 'http://127.0.0.1:4100/guardian', 'simulator'],
    ['polygon', 'ws://127.0.0.1:4101/stocks', 'other'], // loopback, but not the built-in simulator
    ['polygon', 'not a url', 'other'],
  ] as const)('%s → %s is %s', (name, url, kind) => {
    expect(keyDestination(name, url, demo).kind).toBe(kind)
  })
})
