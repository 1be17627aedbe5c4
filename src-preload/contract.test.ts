import { describe, expect, it } from 'vitest'
import type {
  invokeContract,
  eventContract} from './contract';
import {
  EVENT_CHANNELS,
  INVOKE_CHANNELS,
  parseEventPayload,
  parseInvokeArg,
  parseInvokeResponse,
} from './contract'
import { applySettingsPatch, defaultSettings, loadSettings, settingsPatchSchema, settingsSchema } from './settings-schema'

const bar = { symbol: 'AAPL', start: 60_000, end: 120_000, open: 1, high: 2, low: 0.5, close: 1.5, volume: 100, vwap: 1.2, trades: 3, source: 'trades' }
const summary = { symbol: 'AAPL', last: 1.5, ref: 1, change: 0.5, changePct: 50, dayVolume: 100, lastTs: 119_000 }
const article = {
  id: 'business/2026/jan/05/apple', published: 1_000, updated: 1_000, title: 'Apple soars', url: 'https://www.theguardian.com/x',
  section: 'business', type: 'article', trailText: '', tickers: ['AAPL'], query: 'Apple', receivedAt: 2_000, stale: false,
}
const impact = {
  articleId: article.id, symbol: 'AAPL', published: 1_000, receivedAt: 2_000, asOf: 62_000, source: 'live', p0: 100, beta: 1.2,
  adjusted: true, sigma: 0.001, sigmaRealised: 0.001, sigmaFloor: 0.0008, ret1: 0.01, ret5: null, ret15: null, ar1: 0.008,
  ar5: null, ar15: null, z1: 10, z5: null, z15: null, quiet1: false, quiet5: null, quiet15: null, rvol5: null, rvolBasis: null,
  signal: null, detectedAt: null, confirmed: null, alertAt: null, move: null, latencyMs: 1_000, stale: false, final: false,
  settings: { proxy: 'SPY', z: 3, rvol: 3, zWithVolume: 2, zMove: 4 }, origin: 'app',
}
const move = {
  id: 'AAPL|50000', symbol: 'AAPL', windowStart: -10_000, detectedAt: 50_000, direction: 'up', size: 0.05, z: 9.1, sigma: 0.0055,
  beta: 1.2, adjusted: true, price: 105, headlines: [article.id], settings: { proxy: 'SPY', zMove: 4 }, origin: 'app',
}
const status = {
  paused: false,
  feed: { state: 'live', message: '', retryAt: null, attempt: 0, malformed: 0, msgsPerSec: 12, backfilledBars: 0 },
  news: { state: 'waiting', message: '', callsToday: 3, dailyBudget: 500, nextPollAt: 5_000, lastPollAt: 1_000, lastError: null },
  kafka: { state: 'disabled', message: '', spooledRecords: 0, spooledBytes: 0, droppedRecords: 0, recordsPerSec: 0, bytesPerSec: 0, lastError: null },
}

type Row = [channel: string, arg: unknown, accepted: boolean]
const argTable: Row[] = [
  ['watchlist:get', undefined, true],
  ['watchlist:get', null, true],
  ['watchlist:get', 1, false],
  ['watchlist:set', [{ symbol: 'AAPL', aliases: ['Apple'] }, { symbol: 'BRK.B' }], true],
  ['watchlist:set', [{ symbol: 'aapl', aliases: [] }], false],
  ['watchlist:set', [{ symbol: 'TOOLONGSYMB', aliases: [] }], false],
  ['watchlist:set', [{ symbol: '1ABC', aliases: [] }], false],
  ['watchlist:set', [{ symbol: 'AAPL' }, { symbol: 'AAPL' }], false],
  ['watchlist:set', [{ symbol: 'AAPL', aliases: [' '] }], false],
  ['settings:update', { theme: 'light' }, true],
  ['settings:update', { theme: 'pink' }, false],
  ['settings:update', { bogus: 1 }, false],
  ['settings:update', { feed: { mode: 'custom', url: 'ws://127.0.0.1:8080/stocks' } }, true],
  ['settings:update', { feed: { mode: 'custom', url: 'http://x' } }, false],
  ['settings:update', { kafka: { enabled: true, brokers: ['localhost:9092'] } }, true],
  ['settings:update', { kafka: { enabled: true, brokers: ['localhost'] } }, false],
  ['settings:update', { thresholds: { z: 3, rvol: 3, zWithVolume: 4 } }, false],
  ['settings:update', { grafana: { url: 'javascript:alert(1)' } }, false],
  ['secrets:set', { name: 'polygon', value: 'abcdefghijkl' }, true],
  ['secrets:set', { name: 'polygon', value: 'short' }, false],
  ['secrets:set', { name: 'aws', value: 'abcdefghijkl' }, false],
  ['secrets:clear', { name: 'guardian' }, true],
  ['secrets:test', { name: 'guardian' }, true],
  ['secrets:test', { name: 'guardian', value: 'candidate-key' }, true],
  ['history:get', { symbol: 'AAPL', timeframe: '1m' }, true],
  ['history:get', { symbol: 'AAPL', timeframe: '2m', limit: 10 }, false],
  ['history:get', { symbol: 'AAPL', timeframe: '1s', limit: 0 }, false],
  ['history:get', { symbol: 'AAPL', timeframe: '1s', limit: 1.5 }, false],
  ['news:list', undefined, true],
  ['news:list', { limit: 50 }, true],
  ['news:list', { limit: -1 }, false],
  ['shell:open-external', { url: 'https://www.theguardian.com/business' }, true],
  ['shell:open-external', { url: 'http://127.0.0.1:3000/d/x' }, true],
  ['shell:open-external', { url: 'file:///etc/passwd' }, false],
  ['shell:open-external', { url: 'javascript:alert(1)' }, false],
  ['shell:open-external', { url: 'not a url' }, false],
  ['grafana:show', { bounds: { x: 0, y: 40, width: 800, height: 600 } }, true],
  ['grafana:show', { bounds: { x: -1, y: 40, width: 800, height: 600 } }, false],
  ['impact:history', { symbol: 'AAPL' }, true],
  ['impact:history', { symbol: 'BRK.B' }, true],
  ['impact:history', { symbol: 'drop table' }, false],
  ['impact:history', { symbol: 'aapl' }, false],
  ['impact:history', { symbol: '' }, false],
  ['impact:history', {}, false],
  ['impact:history', null, false],
  ['settings:update', { history: { postgresUrl: 'postgres://newstape:pw@127.0.0.1:5433/newstape', schema: 'public' } }, true],
  ['settings:update', { history: { postgresUrl: 'postgresql://127.0.0.1/test' } }, true],
  ['settings:update', { history: { postgresUrl: 'http://127.0.0.1:5432/test' } }, false],
  ['settings:update', { history: { postgresUrl: 'not a url' } }, false],
  ['settings:update', { history: { schema: 'Public; drop' } }, false],
  ['no:such', null, false],
  // Sane maxima on every array and string a caller can send.
  ['settings:update', { watchlist: { symbols: [], channels: Array.from({ length: 50_000 }, () => 'T') } }, false],
  ['settings:update', { watchlist: { symbols: [], channels: ['T', 'Q', 'A', 'AM'] } }, true],
  ['settings:update', { kafka: { enabled: true, brokers: Array.from({ length: 40_000 }, (_, i) => `h${i}:9092`) } }, false],
  ['settings:update', { kafka: { enabled: true, brokers: Array.from({ length: 20 }, (_, i) => `h${i}:9092`) } }, true],
  ['settings:update', { kafka: { enabled: true, brokers: [`${'a'.repeat(300)}:9092`] } }, false],
  ['settings:update', { feed: { mode: 'custom', url: `ws://x.test/${'a'.repeat(3000)}` } }, false],
  ['settings:update', { feed: { mode: 'custom', url: 'ws://x.test/', restBase: `http://x.test/${'a'.repeat(3000)}` } }, false],
  ['settings:update', { grafana: { url: `http://x.test/${'a'.repeat(3000)}` } }, false],
  ['settings:update', { news: { sections: Array.from({ length: 21 }, (_, i) => `s${i}`) } }, false],
  ['watchlist:set', Array.from({ length: 51 }, (_, i) => ({ symbol: `A${i}` })), false],
  ['watchlist:set', [{ symbol: 'AAPL', aliases: Array.from({ length: 21 }, (_, i) => `a${i}`) }], false],
  ['watchlist:set', [{ symbol: 'AAPL', aliases: ['x'.repeat(61)] }], false],
  ['secrets:set', { name: 'polygon', value: 'k'.repeat(201) }, false],
  ['shell:open-external', { url: `https://x.test/${'a'.repeat(5000)}` }, false],
]

describe('invoke argument schemas', () => {
  it.each(argTable)('%s %j → accepted=%s', (channel, arg, accepted) => {
    expect(parseInvokeArg(channel, arg).ok).toBe(accepted)
  })

  it('applies defaults (history limit, news limit)', () => {
    const h = parseInvokeArg('history:get', { symbol: 'MSFT', timeframe: '5m' })
    expect(h.ok && h.value).toEqual({ symbol: 'MSFT', timeframe: '5m', limit: 1000 })
    const n = parseInvokeArg('news:list', undefined)
    expect(n.ok && n.value).toEqual({ limit: 200 })
  })

  it('names the failing field in the error message', () => {
    const r = parseInvokeArg('watchlist:set', [{ symbol: 'ok' }])
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.error).toMatchObject({ code: 'invalid_arg', message: expect.stringContaining('0.symbol') })
  })
})

const pastImpact = {
  symbol: 'AAPL', headlines: 42, ret1: { n: 42, q1: -0.001, median: 0.002, q3: 0.004 }, ret5: { n: 40, q1: -0.002, median: 0.008, q3: 0.011 },
  ret15: { n: 0, q1: null, median: null, q3: null }, signals: 13, signalShare: 13 / 42, firstPublished: 1, lastPublished: 2, computedAt: 3,
}

type ResRow = [channel: keyof typeof invokeContract, value: unknown, accepted: boolean]
const resultTable: ResRow[] = [
  ['history:get', [bar], true],
  ['history:get', [{ ...bar, source: 'xx' }], false],
  ['history:get', [{ ...bar, close: 'NaN' }], false],
  ['status:get', status, true],
  ['status:get', { ...status, feed: { ...status.feed, state: 'sleepy' } }, false],
  ['news:list', { articles: [article], impacts: [impact], moves: [move] }, true],
  ['news:list', { articles: [{ ...article, id: '' }], impacts: [], moves: [] }, false],
  ['news:list', { articles: [article], impacts: [{ ...impact, quiet5: 'yes' }], moves: [] }, false],
  ['news:list', { articles: [article], impacts: [impact], moves: [{ ...move, direction: 'sideways' }] }, false],
  ['secrets:status', { polygon: true, guardian: false }, true],
  ['secrets:status', { polygon: 'abc', guardian: false }, false],
  ['streams:pause', null, true],
  ['app:info', { name: 'newstape', version: '0.1.0', mode: 'browser', platform: 'linux', demo: true }, true],
  ['app:info', { name: 'newstape', version: '0.1.0', mode: 'tv', platform: 'linux', demo: true }, false],
  ['settings:get', defaultSettings(), true],
  ['grafana:probe', { reachable: false, url: 'http://127.0.0.1:3000/d/x', message: 'ECONNREFUSED' }, true],
  ['impact:history', { state: 'ready', history: null }, true],
  ['impact:history', { state: 'ready', history: pastImpact }, true],
  ['impact:history', { state: 'ready', history: { ...pastImpact, signalShare: 1.5 } }, false],
  ['impact:history', { state: 'ready', history: { ...pastImpact, headlines: -1 } }, false],
  ['impact:history', { state: 'ready', history: { ...pastImpact, ret5: { n: 1, q1: null, median: 'x', q3: null } } }, false],
  ['impact:history', { state: 'unavailable', message: 'PostgreSQL is not reachable' }, true],
  ['impact:history', { state: 'unavailable' }, false],
  ['impact:history', { state: 'maybe', history: null }, false],
  ['impact:history', null, false],
]

describe('invoke result schemas', () => {
  it.each(resultTable)('%s → accepted=%s', (channel, value, accepted) => {
    const r = parseInvokeResponse(channel, { ok: true, value })
    expect(r.ok).toBe(accepted)
    if (!accepted && !r.ok) expect(r.error.code).toBe('invalid_response')
  })

  it('passes host failures through and rejects malformed envelopes', () => {
    expect(parseInvokeResponse('status:get', { ok: false, error: { code: 'unavailable', message: 'worker down' } })).toEqual({
      ok: false,
      error: { code: 'unavailable', message: 'worker down' },
    })
    for (const raw of [undefined, null, 'x', { ok: 'yes' }, { ok: false }, { ok: false, error: { message: 'no code' } }]) {
      const r = parseInvokeResponse('status:get', raw)
      expect(r.ok).toBe(false)
      if (!r.ok) expect(r.error.code).toBe('invalid_response')
    }
  })
})

const eventTable: [keyof typeof eventContract, unknown, boolean][] = [
  ['market:batch', [{ symbol: 'AAPL', bars: { '1s': bar, '1m': bar }, corrected: [], summary }], true],
  ['market:batch', [{ symbol: 'AAPL', bars: {}, corrected: ['1h'], summary }], false],
  ['market:batch', [{ symbol: 'AAPL', bars: { '1s': { ...bar, open: null } }, corrected: [], summary }], false],
  ['news:batch', { articles: [article], impacts: [{ ...impact, signal: 'up', detectedAt: 40_000, alertAt: 40_000 }], moves: [] }, true],
  ['news:batch', { articles: [article], impacts: [{ ...impact, signal: 'up' }] }, false],
  ['news:batch', { articles: [article] }, false],
  ['status:changed', status, true],
  ['status:changed', { ...status, paused: 'no' }, false],
  ['signals:focus', { articleId: article.id }, true],
  ['signals:focus', { articleId: '' }, false],
  ['streams:paused', true, true],
  ['streams:paused', 'true', false],
]

describe('event schemas', () => {
  it.each(eventTable)('%s → accepted=%s', (event, payload, accepted) => {
    expect(parseEventPayload(event, payload).ok).toBe(accepted)
  })

  it('channel lists are domain:verb names', () => {
    for (const c of [...INVOKE_CHANNELS, ...EVENT_CHANNELS]) expect(c).toMatch(/^[a-z]+:[a-z-]+$/)
  })
})

describe('settings schema', () => {
  it('fills every default from an empty object', () => {
    const s = settingsSchema.parse({})
    expect(s.theme).toBe('dark')
    expect(s.grafana).toEqual({ url: 'http://127.0.0.1:3000', dashboardUid: 'newstape-market-news' })
    expect(s.feed.mode).toBe('demo')
    expect(s.kafka.enabled).toBe(false)
    expect(s.thresholds).toEqual({ z: 3, rvol: 3, zWithVolume: 2, zMove: 4, proxy: 'SPY' })
    expect(s.watchlist.symbols.length).toBeGreaterThan(0)
    expect(s.watchlist.channels).toContain('T')
    expect(s.history).toEqual({ postgresUrl: 'postgres://postgres@127.0.0.1:5432/test', schema: 'public' })
  })

  it('fills defaults inside a partial section', () => {
    expect(settingsSchema.parse({ kafka: { enabled: true } }).kafka).toEqual({
      enabled: true, brokers: ['127.0.0.1:9092'], topicPrefix: '', spoolCapMb: 2048,
      security: {
        protocol: 'PLAINTEXT', mechanism: 'SCRAM-SHA-512', username: '', caFile: '', certFile: '', servername: '',
        insecureTls: false, oauthTokenCommand: '', oauthTokenUrl: '', oauthClientId: '', oauthScope: '',
      },
    })
  })

  it('applies a patch section-wise and keeps the rest', () => {
    const cur = defaultSettings()
    const patch = settingsPatchSchema.parse({ theme: 'light' })
    const next = applySettingsPatch(cur, patch)
    expect(next.theme).toBe('light')
    expect(next.watchlist).toEqual(cur.watchlist)
  })

  it('loads damaged stored settings section by section, reporting each reset', () => {
    const { settings, problems } = loadSettings({ theme: 'light', kafka: { brokers: 'nope' }, grafana: 42 })
    expect(settings.theme).toBe('light')
    expect(settings.kafka.brokers).toEqual(['127.0.0.1:9092'])
    expect(settings.grafana.url).toBe('http://127.0.0.1:3000')
    expect(problems).toHaveLength(2)
    expect(loadSettings('garbage').settings).toEqual(defaultSettings())
    expect(loadSettings(undefined).problems).toEqual([])
  })
})
