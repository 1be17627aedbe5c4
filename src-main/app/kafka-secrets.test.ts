import { describe, expect, it } from 'vitest'
import { createKafkaSecretStore, kafkaSecretProblem, withKafkaSecrets, type KafkaSecretName } from './kafka-secrets'
import type { KeyValueStore, SafeStorageLike } from './secrets'

const safe: SafeStorageLike = {
  isEncryptionAvailable: () => true,
  encryptString: (s) => Buffer.from(`enc:${s}`),
  decryptString: (b) => {
    const s = b.toString()
    if (!s.startsWith('enc:')) throw new Error('bad')
    return s.slice(4)
  },
}
const memory = (): KeyValueStore & { data: Map<string, unknown> } => {
  const data = new Map<string, unknown>()
  return { data, get: (k) => data.get(k), set: (k, v) => void data.set(k, v), delete: (k) => void data.delete(k) }
}

describe('Kafka secrets', () => {
  it('are stored encrypted, readable in main, reported only as set/unset', () => {
    const kv = memory()
    const s = createKafkaSecretStore(safe, kv)
    s.set('password', 'hunter2 with spaces')
    expect(kv.data.get('secret.kafka.password')).toBe(Buffer.from('enc:hunter2 with spaces').toString('base64'))
    expect([...kv.data.values()].join()).not.toContain('hunter2')
    expect(s.get('password')).toBe('hunter2 with spaces')
    expect(s.status()).toEqual({ password: true, clientKey: false, oauthClientSecret: false })
    s.clear('password')
    expect(s.status().password).toBe(false)
  })

  it('refuses to store when the keychain is unavailable', () => {
    const s = createKafkaSecretStore({ ...safe, isEncryptionAvailable: () => false }, memory())
    expect(() => s.set('password', 'x')).toThrow(/keychain/)
  })

  it.each<[KafkaSecretName, string, boolean]>([
    ['password', 'p', true],
    ['password', 'two\nlines', false],
    ['password', '', false],
    ['clientKey', '-----BEGIN PRIVATE KEY-----\nMII\n-----END PRIVATE KEY-----\n', true],
    ['clientKey', 'not a key', false],
  ])('%s %j valid: %s', (name, v, ok) => expect(kafkaSecretProblem(name, v) === null).toBe(ok))

  it('fills the secrets into the security config', () => {
    const got = withKafkaSecrets(
      { protocol: 'SASL_SSL', mechanism: 'OAUTHBEARER', oauth: { url: 'https://idp/token', clientId: 'app' } },
      (n) => (n === 'oauthClientSecret' ? 's3' : n === 'password' ? 'pw' : undefined),
    )
    expect(got).toEqual({
      protocol: 'SASL_SSL',
      mechanism: 'OAUTHBEARER',
      password: 'pw',
      oauth: { url: 'https://idp/token', clientId: 'app', clientSecret: 's3' },
    })
  })
})
