import { describe, expect, it, vi } from 'vitest'
import { createAppCore, type AppCoreDeps } from './app-core'
import { createSettingsStore } from './settings-store'
import { createSecretStore, type KeyValueStore, type SafeStorageLike } from '../shell/secrets'
import type { IngestConfig, WorkerCommand, WorkerEvent } from '../host/protocol'
import type { IngestHost } from '../host/worker-host'
import type { ImpactRecord, Article } from '../domain/news'
import { initialStatus } from './initial-status'

const kv = (): KeyValueStore => {
  const m = new Map<string, unknown>()
  return { get: (k) => m.get(k), set: (k, v) => void m.set(k, v), delete: (k) => void m.delete(k) }
}
const safe: SafeStorageLike = {
  isEncryptionAvailable: () => true,
  encryptString: (p) => Buffer.from(p, 'utf8').reverse(),
  decryptString: (c) => Buffer.from(c).reverse().toString('utf8'),
}

/** A recording stand-in for the worker at the process boundary (the real one is tested in host/). */
function fakeHost() {
  const sent: WorkerCommand[] = []
  const configs: IngestConfig[] = []
  let listener: ((ev: WorkerEvent) => void) | null = null
  let stops = 0
  const start = (config: IngestConfig): IngestHost => {
    configs.push(config)
    return {
      restarts: 0,
      send: (c) => void sent.push(c as WorkerCommand),
      on: (l) => {
        listener = l
        return () => (listener = null)
      },
      history: async (symbol) => [{ symbol, start: 0, end: 60_000, open: 1, high: 1, low: 1, close: 1, volume: 1, vwap: 1, trades: 1, source: 'trades' }],
      stop: async () => void stops++,
    }
  }
  return { start, sent, configs, fire: (ev: WorkerEvent) => listener?.(ev), stops: () => stops }
}

function setup(over: Partial<AppCoreDeps> = {}) {
  const host = fakeHost()
  const events: { event: string; payload: unknown }[] = []
  const logs: string[] = []
  const secrets = createSecretStore(safe, kv())
  const deps: AppCoreDeps = {
    mode: 'browser',
    version: '0.1.0',
    platform: 'linux',
    dataDir: '/tmp/newstape-test',
    settings: createSettingsStore(kv()),
    secrets,
    startHost: host.start,
    demo: { endpoints: async () => ({ wsBase: 'ws://127.0.0.1:9', httpBase: 'http://127.0.0.1:9' }), stop: async () => undefined },
    emit: (event, payload) => void events.push({ event, payload }),
    openExternal: vi.fn(async () => undefined),
    testKey: async () => ({ ok: true, message: 'fine' }),
    probeGrafana: async () => ({ reachable: false, url: 'http://127.0.0.1:3000/d/x', message: 'down' }),
    log: (_l, m) => void logs.push(m),
    ...over,
  }
  return { core: createAppCore(deps), host, events, logs, secrets }
}

const article = (id: string): Article => ({
  id, published: 1, updated: 1, title: 't', url: 'https://x', section: 'business', type: 'article', trailText: '',
  tickers: ['AAPL'], query: 'q', receivedAt: 2, stale: false,
})
const impact = (articleId: string, signal: ImpactRecord['signal'], final = false): ImpactRecord => ({
  articleId, symbol: 'AAPL', published: 1, p0: 1, ret1: 0, ret5: 0.05, ret15: null, sigma: 0.001, z1: 0, z5: 9, z15: null,
  rvol5: 1, signal, latencyMs: 1, stale: false, origin: 'app', final,
})

describe('app core', () => {
  it('starts the worker in demo mode against the simulator with the demo key', async () => {
    const { core, host } = setup()
    await core.start()
    expect(host.configs[0]!.feed).toMatchObject({ mode: 'demo', url: 'ws://127.0.0.1:9/stocks', key: 'demo' })
    expect(host.configs[0]!.news.base).toBe('http://127.0.0.1:9/guardian')
  })

  it('real feed: the stored key goes to the worker, never into the log', async () => {
    const { core, host, logs, secrets } = setup()
    secrets.set('polygon', 'REALKEY-123456')
    await core.start()
    await core.handle('settings:update', { feed: { mode: 'delayed', url: '', restBase: '' } })
    const cfg = host.configs.at(-1)!
    expect(cfg.feed).toMatchObject({ mode: 'delayed', url: 'wss://delayed.massive.com/stocks', key: 'REALKEY-123456' })
    expect(logs.join('\n')).not.toContain('REALKEY-123456')
    expect(host.stops()).toBe(1)
  })

  it('watchlist changes go to the live worker without a restart', async () => {
    const { core, host } = setup()
    await core.start()
    const r = await core.handle('watchlist:set', [{ symbol: 'AMD', aliases: ['Advanced Micro Devices'] }])
    expect(r).toEqual({ ok: true, value: [{ symbol: 'AMD', aliases: ['Advanced Micro Devices'] }] })
    expect(host.sent).toContainEqual({ type: 'watchlist', watchlist: [{ symbol: 'AMD', aliases: ['Advanced Micro Devices'] }] })
    expect(host.configs).toHaveLength(1)
  })

  it('pause and resume reach the worker and are broadcast', async () => {
    const { core, host, events } = setup()
    await core.start()
    await core.handle('streams:pause', null)
    expect(core.isPaused()).toBe(true)
    expect(host.sent).toContainEqual({ type: 'pause' })
    expect(events).toContainEqual({ event: 'streams:paused', payload: true })
    host.fire({ type: 'status', status: { ...initialStatus(), paused: false } })
    // The core's paused flag wins over a stale worker snapshot: tray and window agree.
    expect(core.status().paused).toBe(true)
    await core.handle('streams:resume', null)
    expect(host.sent).toContainEqual({ type: 'resume' })
    expect(core.status().paused).toBe(false)
  })

  it('forwards batches as events, remembers news and notifies each signal once', async () => {
    const signals: string[] = []
    const { core, host, events } = setup({ onSignal: (r) => void signals.push(`${r.articleId}:${r.signal}`) })
    await core.start()
    host.fire({ type: 'batch', seq: 1, at: 0, updates: [], articles: [article('a1')], impacts: [impact('a1', 'up')] })
    host.fire({ type: 'batch', seq: 2, at: 0, updates: [], articles: [], impacts: [impact('a1', 'up', true)] })
    expect(signals).toEqual(['a1:up'])
    expect(events.filter((e) => e.event === 'news:batch')).toHaveLength(2)
    const list = await core.handle('news:list', { limit: 10 })
    expect(list.ok && list.value.articles.map((a) => a.id)).toEqual(['a1'])
    expect(list.ok && list.value.impacts[0]!.final).toBe(true)
  })

  it('a secret is stored but its value never comes back through the contract', async () => {
    const { core } = setup()
    const r = await core.handle('secrets:set', { name: 'guardian', value: 'guardian-key-1' })
    expect(r).toEqual({ ok: true, value: { polygon: false, guardian: true } })
    for (const ch of ['secrets:status', 'settings:get', 'app:info'] as const) {
      const res = await core.handle(ch, null)
      expect(JSON.stringify(res)).not.toContain('guardian-key-1')
    }
  })

  it('failures come back as error envelopes, never exceptions', async () => {
    const { core } = setup({ openExternal: async () => { throw new Error('no browser') } })
    const r = await core.handle('shell:open-external', { url: 'https://example.com' })
    expect(r).toEqual({ ok: false, error: { code: 'internal', message: 'no browser' } })
    const g = await core.handle('grafana:show', { bounds: { x: 0, y: 0, width: 1, height: 1 } })
    expect(g.ok).toBe(false)
  })

  it('history before start is unavailable, after start comes from the worker', async () => {
    const { core } = setup()
    expect((await core.handle('history:get', { symbol: 'AAPL', timeframe: '1m', limit: 10 })).ok).toBe(false)
    await core.start()
    const h = await core.handle('history:get', { symbol: 'AAPL', timeframe: '1m', limit: 10 })
    expect(h.ok && h.value[0]!.symbol).toBe('AAPL')
  })

  it('stop stops the worker and the simulator', async () => {
    const stopDemo = vi.fn(async () => undefined)
    const { core, host } = setup({ demo: { endpoints: async () => ({ wsBase: 'ws://x', httpBase: 'http://x' }), stop: stopDemo } })
    await core.start()
    await core.stop()
    expect(host.stops()).toBe(1)
    expect(stopDemo).toHaveBeenCalled()
  })
})
