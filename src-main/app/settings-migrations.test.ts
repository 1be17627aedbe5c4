import { describe, expect, it } from 'vitest'
import { CURRENT_SETTINGS_VERSION, migrateSettings } from './settings-migrations'
import { createSettingsStore } from './settings-store'
import type { KeyValueStore } from './secrets'

const kvOf = (init: Record<string, unknown>): KeyValueStore & { data: Map<string, unknown> } => {
  const data = new Map(Object.entries(init))
  return { data, get: (k) => data.get(k), set: (k, v) => void data.set(k, v), delete: (k) => void data.delete(k) }
}

describe('migrateSettings', () => {
  it.each([
    [
      'v1 plain watchlist array',
      { watchlist: ['aapl', ' msft ', 3] },
      undefined,
      { watchlist: { symbols: [{ symbol: 'AAPL', aliases: [] }, { symbol: 'MSFT', aliases: [] }] } },
    ],
    ['v1 feed string', { feed: 'delayed' }, 1, { feed: { mode: 'delayed' } }],
    [
      'v1 spool bytes → MB',
      { kafka: { enabled: true, spoolCapBytes: 256 * 1024 * 1024 } },
      1,
      { kafka: { enabled: true, spoolCapMb: 256, security: {} } },
    ],
    ['v1 grafanaUrl', { grafanaUrl: 'http://127.0.0.1:3001' }, 1, { grafana: { url: 'http://127.0.0.1:3001' } }],
    ['garbage becomes empty (then defaults)', 'nonsense', 1, {}],
    ['null becomes empty (then defaults)', null, undefined, {}],
  ])('%s', (_name, raw, version, expected) => {
    // Every step runs up to the current version: v2→v3 adds the (empty) history section to these too.
    expect(migrateSettings(raw, version).doc).toEqual({ history: {}, ...expected })
  })

  it.each([
    ['v2 without history gets an empty section', { theme: 'light' }, { theme: 'light', history: {} }],
    [
      'v2 hand-edited history object kept',
      { history: { postgresUrl: 'postgres://me@db:5432/x', schema: 'nt' } },
      { history: { postgresUrl: 'postgres://me@db:5432/x', schema: 'nt' } },
    ],
    ['v2 history as a bare URL string', { history: ' postgres://me@db/x ' }, { history: { postgresUrl: 'postgres://me@db/x' } }],
    ['v2 history garbage number dropped', { history: 42 }, { history: {} }],
    ['v2 history empty string dropped', { history: '' }, { history: {} }],
    ['v2 history array dropped', { history: ['x'] }, { history: {} }],
  ])('v2 → v3: %s', (_name, raw, expected) => {
    const r = migrateSettings(raw, 2)
    expect(r.doc).toEqual(expected)
    expect(r.applied).toEqual([2, 3])
  })

  it.each<[string, Record<string, unknown>, Record<string, unknown>]>([
    ['no kafka section', { theme: 'dark' }, { theme: 'dark' }],
    ['v3 kafka gets an empty security section', { kafka: { enabled: true } }, { kafka: { enabled: true, security: {} } }],
    [
      'a hand-edited sasl object becomes security, its password dropped',
      { kafka: { sasl: { mechanism: 'scram-sha-512', username: 'alice', password: 'hunter2' } } },
      { kafka: { security: { protocol: 'SASL_SSL', mechanism: 'SCRAM-SHA-512', username: 'alice' } } },
    ],
    [
      'secrets in a security section are dropped',
      { kafka: { security: { protocol: 'SSL', keyPem: '-----BEGIN', password: 'x', caFile: '/ca.pem' } } },
      { kafka: { security: { protocol: 'SSL', caFile: '/ca.pem' } } },
    ],
  ])('v3 → v4: %s', (_name, raw, expected) => {
    const r = migrateSettings(raw, 3)
    expect(r.doc).toEqual(expected)
    expect(r.applied).toEqual([3])
    expect(JSON.stringify(r.doc)).not.toMatch(/hunter2|BEGIN/)
  })

  it('a v1 store runs both steps in order', () => {
    const r = migrateSettings({ grafanaUrl: 'http://127.0.0.1:3001' }, undefined)
    expect(r.applied).toEqual([1, 2, 3])
    expect(r.doc).toEqual({ grafana: { url: 'http://127.0.0.1:3001' }, history: {} })
  })

  it('current version untouched', () => {
    expect(migrateSettings({ feed: { mode: 'realtime' } }, CURRENT_SETTINGS_VERSION)).toEqual({ doc: { feed: { mode: 'realtime' } }, applied: [] })
  })

  it('does not downgrade a newer store', () => {
    expect(migrateSettings({ future: 1 }, CURRENT_SETTINGS_VERSION + 1)).toEqual({ doc: { future: 1 }, applied: [] })
  })
})

describe('settings store', () => {
  it('loads a v1 store, fills defaults, and writes nothing until a setting changes (then the current version)', () => {
    const kv = kvOf({ settings: { watchlist: ['NVDA'], feed: 'demo' } })
    const s = createSettingsStore(kv)
    expect(s.get().watchlist.symbols).toEqual([{ symbol: 'NVDA', aliases: [] }])
    expect(s.get().theme).toBe('dark')
    expect(s.get().history).toEqual({ postgresUrl: 'postgres://postgres@127.0.0.1:5432/test', schema: 'public' })
    expect(kv.data.get('settingsVersion')).toBeUndefined()
    expect(kv.data.get('settings')).toEqual({ watchlist: ['NVDA'], feed: 'demo' })
    s.update({ theme: 'light' })
    expect(kv.data.get('settingsVersion')).toBe(CURRENT_SETTINGS_VERSION)
  })

  it('a broken section is kept: a copy of the file is made before the first save over it', () => {
    const kv = kvOf({ settings: { theme: 'light', feed: { mode: 'custom', url: 'not a url' } }, settingsVersion: 3 })
    const copies: string[] = []
    const s = createSettingsStore(kv, { keepCopy: () => (copies.push('copy'), '/data/settings.json.corrupt-x') })
    expect(kv.data.get('settings')).toEqual({ theme: 'light', feed: { mode: 'custom', url: 'not a url' } })
    expect(copies).toEqual([])
    s.update({ theme: 'dark' })
    s.update({ theme: 'light' })
    expect(copies).toEqual(['copy'])
    expect(s.keptCopy()).toBe('/data/settings.json.corrupt-x')
  })

  it('settings from a newer version are read-only: never rewritten, never downgraded', () => {
    const doc = { theme: 'light', futureSection: { x: 1 }, watchlist: { symbols: [{ symbol: 'TSLA', aliases: [] }] } }
    const kv = kvOf({ settings: doc, settingsVersion: 99 })
    const s = createSettingsStore(kv)
    expect(s.readOnly).toContain(`newer version of Newstape (settings version 99; this version reads up to ${CURRENT_SETTINGS_VERSION})`)
    expect(s.readOnly).toContain('read-only')
    expect(s.get().theme).toBe('light')
    expect(s.get().watchlist.symbols.map((e) => e.symbol)).toEqual(['TSLA'])
    expect(() => s.update({ theme: 'dark' })).toThrow(/read-only/)
    expect(kv.data.get('settings')).toEqual(doc)
    expect(kv.data.get('settingsVersion')).toBe(99)
  })

  it('resets only a broken section and reports it', () => {
    const kv = kvOf({ settings: { theme: 'light', feed: { mode: 'custom', url: 'not a url' } }, settingsVersion: 2 })
    const s = createSettingsStore(kv)
    expect(s.get().theme).toBe('light')
    expect(s.get().feed.mode).toBe('demo')
    expect(s.problems.join()).toMatch(/feed/)
  })

  it('persists updates across a reload', () => {
    const kv = kvOf({})
    createSettingsStore(kv).update({ theme: 'light' })
    expect(createSettingsStore(kv).get().theme).toBe('light')
  })

  it('rejects an invalid patch without saving it', () => {
    const kv = kvOf({})
    const s = createSettingsStore(kv)
    expect(() => s.update({ thresholds: { z: -1, rvol: 3, zWithVolume: 2, zMove: 4, proxy: 'SPY' } })).toThrow()
    expect(createSettingsStore(kv).get().thresholds.z).toBe(3)
  })
})
