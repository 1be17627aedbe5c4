import { describe, expect, it } from 'vitest'
import { createSecretStore, redact, SecretStoreError, unreadableKeysMessage, type KeyValueStore, type SafeStorageLike } from './secrets'

function memoryKv(): KeyValueStore & { data: Map<string, unknown> } {
  const data = new Map<string, unknown>()
  return { data, get: (k) => data.get(k), set: (k, v) => void data.set(k, v), delete: (k) => void data.delete(k) }
}

// A reversible stand-in for the OS keychain: the point is that what is stored is not the plaintext.
const xorSafe = (available = true): SafeStorageLike => ({
  isEncryptionAvailable: () => available,
  encryptString: (p) => Buffer.from([...Buffer.from(p, 'utf8')].map((b) => b ^ 0x5a)),
  decryptString: (c) => Buffer.from([...c].map((b) => b ^ 0x5a)).toString('utf8'),
})

describe('secret store', () => {
  it('stores ciphertext, returns plaintext to main, reports only set/unset', () => {
    const kv = memoryKv()
    const store = createSecretStore(xorSafe(), kv)
    expect(store.status()).toEqual({ polygon: false, guardian: false })
    store.set('polygon', '  PkAbCdEf12345  ')
    const raw = String(kv.data.get('secret.polygon'))
    expect(raw).not.toContain('PkAbCdEf12345')
    expect(Buffer.from(raw, 'base64').toString('utf8')).not.toContain('PkAbCdEf12345')
    expect(store.get('polygon')).toBe('PkAbCdEf12345')
    expect(store.status()).toEqual({ polygon: true, guardian: false })
    expect(JSON.stringify(store.status())).not.toContain('PkAbCdEf')
    store.clear('polygon')
    expect(store.get('polygon')).toBeUndefined()
  })

  it('refuses to store plaintext when the keychain is unavailable', () => {
    const kv = memoryKv()
    const store = createSecretStore(xorSafe(false), kv)
    expect(() => store.set('guardian', 'abcdefgh1234')).toThrow(SecretStoreError)
    expect(kv.data.size).toBe(0)
  })

  it.each(['short', 'has space inside', 'x'.repeat(201), 'tab\there1'])('rejects malformed key %j', (k) => {
    const store = createSecretStore(xorSafe(), memoryKv())
    expect(() => store.set('polygon', k)).toThrow(/8–200/)
  })

  it('treats unreadable ciphertext as unset instead of crashing', () => {
    const kv = memoryKv()
    const safe = xorSafe()
    const store = createSecretStore({ ...safe, decryptString: () => { throw new Error('bad mac') } }, kv)
    kv.set('secret.polygon', 'AAAA')
    expect(store.get('polygon')).toBeUndefined()
    // Stored but unusable: status must not claim it, and the app asks for it again.
    expect(store.status()).toEqual({ polygon: false, guardian: false })
    expect(store.unreadable()).toEqual(['polygon'])
    expect(kv.data.get('secret.polygon')).toBe('AAAA')
  })

  it.each([
    [[], null],
    [['polygon'], /^The stored Polygon API key could not be decrypted \(x\)\. It is kept .* enter it again/],
    [['polygon', 'guardian'], /^The stored Polygon and Guardian API keys could not be decrypted \(x\)\. They are kept .* enter them again/],
  ] as const)('unreadable keys message %j', (names, want) => {
    const m = unreadableKeysMessage(names, 'x')
    if (want === null) expect(m).toBeNull()
    else expect(m).toMatch(want)
  })
})

describe('redact', () => {
  it.each([
    ['connecting with key SECRETKEY123', ['SECRETKEY123'], 'connecting with key [redacted]'],
    ['GET /v2/aggs?apiKey=abc123&x=1', [], 'GET /v2/aggs?apiKey=[redacted]&x=1'],
    ['GET /search?q=x&api-key=test-key', [], 'GET /search?q=x&api-key=[redacted]'],
    ['nothing to hide', ['SECRETKEY123'], 'nothing to hide'],
  ])('%s', (line, secrets, expected) => {
    expect(redact(line, secrets)).toBe(expected)
  })
})
