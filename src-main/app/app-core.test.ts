import { describe, expect, it, vi } from 'vitest'
import { createAppCore, type AppCoreDeps } from './app-core'
import { createSettingsStore } from './settings-store'
import { createSecretStore } from './secrets'
import { memoryKv, recordingHost, reversingSafe } from './test-support'
import type { ImpactRecord, Article } from '../domain/news'
import { initialStatus } from './initial-status'
import { createKafkaSecretStore } from './kafka-secrets'
import { defaultSettings } from '../../src-preload/settings-schema'
import { blankImpactRecord, DEFAULT_IMPACT_SETTINGS, type MoveAlert } from '../domain/impact'

/** v2 fields a test does not care about (every number null), for its literal to override. */
const BLANK_IMPACT = blankImpactRecord({ articleId: 'x', symbol: 'AAPL', published: 1_764_000_000_000, receivedAt: 1_764_000_000_000, asOf: 1_764_000_000_000, settings: DEFAULT_IMPACT_SETTINGS, origin: 'app' })

const kv = memoryKv
const safe = reversingSafe
/** A recording stand-in for the worker at the process boundary (the real one is tested in host/). */
const fakeHost = () =>
  recordingHost((symbol) => [{ symbol, start: 0, end: 60_000, open: 1, high: 1, low: 1, close: 1, volume: 1, vwap: 1, trades: 1, source: 'trades' }])

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
const impact = (articleId: string, signal: ImpactRecord['signal'], final = false): ImpactRecord => ({ ...BLANK_IMPACT,
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

  it('has the worker batch market updates no faster than one per 60 Hz frame', async () => {
    const { core, host } = setup()
    await core.start()
    // Main sends at most one update per symbol per flush, so fewer than 60 a second. (Arrival jitter can still land
    // two in one frame; the charts then paint once, as lightweight-charts coalesces its paints per frame.)
    expect(host.configs[0]!.flushMs).toBeGreaterThanOrEqual(1000 / 60)
  })

  it('real feed: the stored key goes to the worker, never into the log', async () => {
    const { core, host, logs, secrets } = setup()
    secrets.set('polygon', 'REALKEY-123456')
    await core.start()
    expect(host.configs.at(-1)!.restCallsPerMinute).toBeUndefined() // demo: the simulator has no REST limit
    await core.handle('settings:update', { feed: { mode: 'delayed', url: '', restBase: '', restCallsPerMinute: 5 } })
    const cfg = host.configs.at(-1)!
    expect(cfg.restCallsPerMinute).toBe(5)
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
    const { core, host, events } = setup({ onSignal: (r) => void signals.push(`${r.articleId}:${r.signal}`), now: () => 1_000 })
    await core.start()
    host.fire({ type: 'batch', seq: 1, at: 0, updates: [], articles: [article('a1')], impacts: [{ ...impact('a1', 'up'), detectedAt: 900, alertAt: 900 }], moves: [] })
    host.fire({ type: 'batch', seq: 2, at: 0, updates: [], articles: [], impacts: [{ ...impact('a1', 'up', true), detectedAt: 900, alertAt: 900 }], moves: [] })
    expect(signals).toEqual(['a1:up'])
    expect(events.filter((e) => e.event === 'news:batch')).toHaveLength(2)
    const list = await core.handle('news:list', { limit: 10 })
    expect(list.ok && list.value.articles.map((a) => a.id)).toEqual(['a1'])
    expect(list.ok && list.value.impacts[0]!.final).toBe(true)
  })

  it('notifies moves and signals while they are news, on the data clock (the demo may run in another session)', async () => {
    const told: string[] = []
    const MIN = 60_000
    const wall = 100 * MIN
    const offset = -30 * MIN
    const now = wall + offset
    const { core, host } = setup({ onSignal: (r) => void told.push(`signal ${r.articleId}`), onMove: (m) => void told.push(`move ${m.id}`), now: () => wall })
    await core.start()
    host.fire({ type: 'status', status: { ...initialStatus(), paused: false, clockOffsetMs: offset } })
    const mv = (id: string, detectedAt: number): MoveAlert => ({
      id, symbol: 'AAPL', windowStart: detectedAt - MIN, detectedAt, direction: 'up', size: 0.03, z: 6, sigma: 0.005, beta: 1,
      adjusted: true, price: 100, headlines: [], settings: { proxy: 'SPY', zMove: 4 }, origin: 'app',
    })
    const sig = (id: string, detectedAt: number, alertAt: number): ImpactRecord => ({ ...impact(id, 'up'), detectedAt, alertAt })
    host.fire({
      type: 'batch', seq: 1, at: 0, updates: [], articles: ['live', 'late', 'backlog', 'replay'].map(article), moves: [mv('fresh', now - 5_000), mv('history', now - 40 * MIN)],
      impacts: [
        sig('live', now - 2_000, now - 2_000),
        // Fired 3 s after the headline; the poller delivered it 95 s later: news now.
        sig('late', now - 95_000, now),
        // The start-up backlog: computed now from history, about a move 40 minutes ago.
        sig('backlog', now - 40 * MIN, now),
        sig('replay', now - 5 * MIN, now - 5 * MIN),
      ],
    })
    expect(told.sort()).toEqual(['move fresh', 'signal late', 'signal live'])
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

  it('Kafka credentials: stored in the keychain store, never in settings or answers; the worker gets them', async () => {
    const store = kv()
    const kafkaSecrets = createKafkaSecretStore(safe, store)
    const { core, host } = setup({ kafkaSecrets })
    await core.handle('settings:update', {
      kafka: {
        ...defaultSettings().kafka,
        enabled: true,
        security: { ...defaultSettings().kafka.security, protocol: 'SASL_SSL', mechanism: 'SCRAM-SHA-512', username: 'alice' },
      },
    })
    const r = await core.handle('kafka:secret-set', { name: 'password', value: 'kafka-pw-123' })
    expect(r).toEqual({ ok: true, value: { password: true, clientKey: false, oauthClientSecret: false } })
    for (const ch of ['kafka:secrets-status', 'settings:get', 'secrets:status'] as const) {
      expect(JSON.stringify(await core.handle(ch, null))).not.toContain('kafka-pw-123')
    }
    await core.start()
    expect(host.configs.at(-1)?.kafka.security).toMatchObject({ protocol: 'SASL_SSL', username: 'alice', password: 'kafka-pw-123' })
  })

  it('Kafka test connection says which step failed, with a candidate password never stored', async () => {
    const kafkaSecrets = createKafkaSecretStore(safe, kv())
    const { core } = setup({ kafkaSecrets })
    const kafka = {
      ...defaultSettings().kafka,
      brokers: ['127.0.0.1:1'],
      security: { ...defaultSettings().kafka.security, protocol: 'SASL_PLAINTEXT' as const, mechanism: 'PLAIN' as const, username: 'u' },
    }
    const noPw = await core.handle('kafka:test-connection', { kafka })
    expect(noPw.ok && noPw.value.steps).toEqual([
      { step: 'config', label: 'Settings', ok: false, detail: 'PLAIN needs a password (none is stored)' },
    ])
    const r = await core.handle('kafka:test-connection', { kafka, password: 'candidate' })
    expect(r.ok && r.value.steps.at(-1)).toMatchObject({ step: 'tcp', ok: false, detail: expect.stringMatching(/connection refused/) })
    expect(kafkaSecrets.status().password).toBe(false)
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

  it('impact:history reads the configured store through a short cache and closes it on stop', async () => {
    const opened: string[] = []
    const reads: string[] = []
    let closed = 0
    const { core } = setup({
      openImpactHistory: (h) => {
        opened.push(`${h.postgresUrl}|${h.schema}`)
        return {
          get: async (symbol) => {
            reads.push(symbol)
            return symbol === 'AAPL'
              ? { symbol, headlines: 42, ret1: { n: 42, q1: 0, median: 0.001, q3: 0.002 }, ret5: { n: 42, q1: 0, median: 0.008, q3: 0.01 }, ret15: { n: 0, q1: null, median: null, q3: null }, signals: 13, signalShare: 13 / 42, firstPublished: 1, lastPublished: 2, computedAt: 3 }
              : null
          },
          close: async () => void closed++,
        }
      },
    })
    const a = await core.handle('impact:history', { symbol: 'AAPL' })
    expect(a.ok && a.value.state === 'ready' && a.value.history?.headlines).toBe(42)
    await core.handle('impact:history', { symbol: 'AAPL' })
    expect(await core.handle('impact:history', { symbol: 'NVDA' })).toEqual({ ok: true, value: { state: 'ready', history: null } })
    expect(reads).toEqual(['AAPL', 'NVDA'])
    expect(opened).toEqual(['postgres://postgres@127.0.0.1:5432/test|public'])
    // New settings: a new store, read again.
    await core.handle('settings:update', { history: { postgresUrl: 'postgres://newstape@127.0.0.1:5433/newstape', schema: 'public' } })
    await core.handle('impact:history', { symbol: 'AAPL' })
    expect(opened).toHaveLength(2)
    expect(reads).toEqual(['AAPL', 'NVDA', 'AAPL'])
    await core.stop()
    expect(closed).toBe(2)
  })

  it('impact:history: a store that fails answers ok/unavailable and is logged once', async () => {
    const { core, logs } = setup({
      openImpactHistory: () => ({
        get: async () => {
          throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })
        },
        close: async () => undefined,
      }),
    })
    for (const symbol of ['AAPL', 'MSFT']) {
      expect(await core.handle('impact:history', { symbol })).toEqual({
        ok: true,
        value: { state: 'unavailable', message: 'PostgreSQL is not reachable at 127.0.0.1:5432/test' },
      })
    }
    expect(logs.filter((l) => l.includes('impact history'))).toEqual(['impact history: PostgreSQL is not reachable at 127.0.0.1:5432/test'])
  })

  it('impact:history without a store (no adapter in this mode) is unavailable, not an error', async () => {
    const { core } = setup()
    const r = await core.handle('impact:history', { symbol: 'AAPL' })
    expect(r.ok && r.value.state).toBe('unavailable')
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
