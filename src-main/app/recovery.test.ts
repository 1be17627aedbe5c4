// Corrupted settings, secrets and key files at start-up, through the browser-mode composition (the desktop
// app composes the same stores: createJsonFileStore + createSettingsStore + createSecretStore + startupNotices).
// What must hold: nothing is overwritten, the user is told in words with the paths, the data is kept aside.
import { afterEach, describe, expect, it } from 'vitest'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createNodeApp } from './compose-node'
import { createJsonFileStore } from './json-file-store'
import { createSettingsStore } from './settings-store'
import type { AppCore } from './app-core'

const dirs: string[] = []
const apps: AppCore[] = []
afterEach(async () => {
  for (const a of apps.splice(0)) await a.stop()
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

/** A data folder as a user has it: watchlist, a custom theme, both keys stored. */
function userData(): string {
  const dir = mkdtempSync(join(tmpdir(), 'recovery-'))
  dirs.push(dir)
  return dir
}
function open(dir: string, log: string[] = []): AppCore {
  const app = createNodeApp({ dataDir: dir, version: 't', emit: () => undefined, log: (l) => log.push(l) })
  apps.push(app)
  return app
}
async function seed(dir: string): Promise<void> {
  const app = open(dir)
  await app.handle('settings:update', { theme: 'light', watchlist: { symbols: [{ symbol: 'NVDA', aliases: [] }] } } as never)
  await app.handle('secrets:set', { name: 'polygon', value: 'POLYKEY-123456' })
  await app.handle('secrets:set', { name: 'guardian', value: 'GUARDKEY-123456' })
}
const noticeText = (app: AppCore): string => (app.status().notices ?? []).map((n) => n.text).join('\n')

describe('start-up with damaged files (browser mode composition)', () => {
  it.each([
    ['truncated', (f: string) => truncateSync(f, 40)],
    ['empty', (f: string) => writeFileSync(f, '')],
    ['not JSON', (f: string) => writeFileSync(f, '\u0000\u0000\u0000garbage')],
    ['a JSON array', (f: string) => writeFileSync(f, '[1,2]')],
  ])('settings.json %s: moved aside with its bytes, user told with both paths, nothing saved over it', async (_n, damage) => {
    const dir = userData()
    await seed(dir)
    const file = join(dir, 'settings.json')
    damage(file)
    const damaged = readFileSync(file)
    const log: string[] = []
    const app = open(dir, log)
    const aside = readdirSync(dir).find((f) => f.startsWith('settings.json.corrupt-'))
    expect(aside).toBeDefined()
    expect(readFileSync(join(dir, aside ?? ''))).toEqual(damaged)
    expect(existsSync(file)).toBe(false) // nothing written at start-up
    const text = noticeText(app)
    expect(text).toContain(`Your settings file ${file} could not be read`)
    expect(text).toContain(`It was moved to ${join(dir, aside ?? '')}`)
    expect(log.join('\n')).toContain('could not be read')
    // Stored keys went with the file: status says none is stored.
    expect(await app.handle('secrets:status', undefined as never)).toEqual({ ok: true, value: { polygon: false, guardian: false } })
  })

  it('a section with the wrong type: defaults in memory, file untouched, a copy kept before the first save', async () => {
    const dir = userData()
    await seed(dir)
    const file = join(dir, 'settings.json')
    const doc = JSON.parse(readFileSync(file, 'utf8')) as { settings: Record<string, unknown> }
    doc.settings.watchlist = { symbols: 'NVDA', channels: 7 }
    writeFileSync(file, JSON.stringify(doc))
    const before = readFileSync(file, 'utf8')
    const app = open(dir)
    expect(readFileSync(file, 'utf8')).toBe(before)
    expect(noticeText(app)).toMatch(/Some settings in .*settings\.json could not be read and use their defaults for now: watchlist/)
    expect(app.settings().theme).toBe('light')
    await app.handle('settings:update', { theme: 'dark' } as never)
    const copy = readdirSync(dir).find((f) => f.startsWith('settings.json.corrupt-'))
    expect(copy && readFileSync(join(dir, copy), 'utf8')).toBe(before)
  })

  it('settings from a newer version: read-only, never downgraded, the user is told', async () => {
    const dir = userData()
    await seed(dir)
    const file = join(dir, 'settings.json')
    const doc = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>
    doc.settingsVersion = 99
    ;(doc.settings as Record<string, unknown>).futureThing = { on: true }
    writeFileSync(file, JSON.stringify(doc))
    const before = readFileSync(file, 'utf8')
    const app = open(dir)
    expect(noticeText(app)).toMatch(/saved by a newer version of Newstape \(settings version 99/)
    const r = await app.handle('settings:update', { theme: 'dark' } as never)
    expect(r).toMatchObject({ ok: false, error: { code: 'unsupported' } })
    const w = await app.handle('watchlist:set', [{ symbol: 'AAPL', aliases: [] }] as never)
    expect(w.ok).toBe(false)
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(JSON.parse(before))
    expect(app.settings().watchlist.symbols.map((e) => e.symbol)).toEqual(['NVDA'])
  })

  it.each([
    ['truncated', (f: string) => truncateSync(f, 7)],
    ['deleted', (f: string) => unlinkSync(f)],
  ])('secret.key %s: keys reported as undecryptable (not as stored), asked for again; notice goes once re-entered', async (what, damage) => {
    const dir = userData()
    await seed(dir)
    const keyFile = join(dir, 'secret.key')
    const storedBefore = JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8')) as Record<string, unknown>
    damage(keyFile)
    const app = open(dir)
    expect(await app.handle('secrets:status', undefined as never)).toEqual({ ok: true, value: { polygon: false, guardian: false } })
    const text = noticeText(app)
    expect(text).toMatch(/The stored Polygon and Guardian API keys could not be decrypted .* enter them again/)
    if (what === 'truncated') {
      expect(text).toContain(`The key file ${keyFile} that protects your stored API keys could not be used (the key file holds 7 bytes instead of 32`)
      expect(readdirSync(dir).some((f) => f.startsWith('secret.key.corrupt-'))).toBe(true)
    }
    expect(existsSync(keyFile)).toBe(false) // no new key made behind the user's back
    const test = await app.handle('secrets:test', { name: 'polygon' } as never)
    expect(test).toMatchObject({ ok: true, value: { ok: false, message: 'No Polygon key is set.' } })
    // The undecryptable ciphertexts are kept until the user enters the keys again.
    const storedNow = JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8')) as Record<string, unknown>
    expect(storedNow['secret.polygon']).toBe(storedBefore['secret.polygon'])
    await app.handle('secrets:set', { name: 'polygon', value: 'POLYKEY-654321' })
    expect(await app.handle('secrets:status', undefined as never)).toEqual({ ok: true, value: { polygon: true, guardian: false } })
    expect(noticeText(app)).toMatch(/The stored Guardian API key could not be decrypted/)
  })

  it('a settings file that cannot be moved aside is never written', () => {
    const dir = userData()
    const file = join(dir, 'settings.json')
    writeFileSync(file, '{oops')
    // The aside name is taken by a non-empty folder: the rename fails, as on a read-only or full disk.
    const now = Date.UTC(2026, 11, 7, 3, 0, 0)
    mkdirSync(join(dir, 'settings.json.corrupt-2026-12-07T03-00-00-000Z', 'x'), { recursive: true })
    const s = createJsonFileStore(file, { now: () => now })
    expect(s.problem).toMatchObject({ aside: null, reason: expect.stringMatching(/not valid JSON/) })
    expect(() => createSettingsStore(s).update({ theme: 'light' })).toThrow(/could not be read or moved aside/)
    expect(readFileSync(file, 'utf8')).toBe('{oops')
  })
})
