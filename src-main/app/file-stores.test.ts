import { afterEach, describe, expect, it } from 'vitest'
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createJsonFileStore } from './json-file-store'
import { createFileSafeStorage } from './file-safe-storage'
import { createSecretStore } from './secrets'

const dirs: string[] = []
function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  dirs.push(dir)
  return dir
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

describe('json file store', () => {
  it('persists across instances and survives a corrupt file', () => {
    const dir = tempDir('kv-')
    const file = join(dir, 'settings.json')
    createJsonFileStore(file).set('a', { b: 1 })
    expect(createJsonFileStore(file).get('a')).toEqual({ b: 1 })
    writeFileSync(file, '{not json')
    const s = createJsonFileStore(file)
    expect(s.get('a')).toBeUndefined()
    s.set('x', 1)
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ x: 1 })
  })
})

describe('file safe storage', () => {
  it('round-trips, keeps the key file private and the plaintext out of the store', () => {
    const dir = tempDir('sec-')
    const keyFile = join(dir, 'secret.key')
    const kvFile = join(dir, 'settings.json')
    const store = createSecretStore(createFileSafeStorage(keyFile), createJsonFileStore(kvFile))
    store.set('polygon', 'PLAINKEY-987654')
    expect(readFileSync(kvFile, 'utf8')).not.toContain('PLAINKEY')
    expect(statSync(keyFile).mode & 0o077).toBe(0)
    const again = createSecretStore(createFileSafeStorage(keyFile), createJsonFileStore(kvFile))
    expect(again.get('polygon')).toBe('PLAINKEY-987654')
  })

  it('a tampered ciphertext reads as unset, not as a crash', () => {
    const dir = tempDir('sec-')
    const kv = createJsonFileStore(join(dir, 's.json'))
    const store = createSecretStore(createFileSafeStorage(join(dir, 'k')), kv)
    store.set('guardian', 'GUARDKEY-1234')
    const raw = Buffer.from(String(kv.get('secret.guardian')), 'base64')
    raw[raw.length - 1]! ^= 0xff
    kv.set('secret.guardian', raw.toString('base64'))
    expect(store.get('guardian')).toBeUndefined()
  })
})

describe('json file store: the desktop app reads electron-store\'s file', () => {
  it('dot paths read and write nested objects as electron-store did; flat mode keeps dotted keys flat', () => {
    const dir = tempDir('kv-')
    const file = join(dir, 'newstape.json')
    writeFileSync(file, JSON.stringify({ settings: { theme: 'light' }, secret: { polygon: 'CIPHER1', guardian: 'CIPHER2' }, window: { x: 1 } }))
    const s = createJsonFileStore(file, { dotPaths: true })
    expect(s.get('secret.polygon')).toBe('CIPHER1')
    expect(s.get('settings')).toEqual({ theme: 'light' })
    expect(s.get('secret.nothing')).toBeUndefined()
    expect(s.get('settings.theme.deeper')).toBeUndefined()
    s.delete('secret.polygon')
    s.set('secret.guardian', 'CIPHER3')
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ settings: { theme: 'light' }, secret: { guardian: 'CIPHER3' }, window: { x: 1 } })
    const flat = createJsonFileStore(join(dir, 'settings.json'))
    flat.set('secret.polygon', 'C')
    expect(JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8'))).toEqual({ 'secret.polygon': 'C' })
  })
})
