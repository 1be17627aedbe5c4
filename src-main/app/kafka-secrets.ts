// Kafka credentials at rest: the SASL password, the client's private key (mTLS) and the OAuth client secret,
// encrypted with the same backend as the API keys (Electron safeStorage, or the browser mode's key file) and
// kept in the same store under their own slots. Never in the settings document, never sent to the renderer
// (which learns only whether each one is set), never logged (the composition roots redact them).
import type { KafkaSecurityConfig } from '../kafka/security'
import { readEncrypted, SecretStoreError, type KeyValueStore, type SafeStorageLike } from './secrets'

export type KafkaSecretName = 'password' | 'clientKey' | 'oauthClientSecret'
export const KAFKA_SECRET_NAMES: readonly KafkaSecretName[] = ['password', 'clientKey', 'oauthClientSecret']

export interface KafkaSecretStore {
  set(name: KafkaSecretName, value: string): void
  get(name: KafkaSecretName): string | undefined
  clear(name: KafkaSecretName): void
  status(): Record<KafkaSecretName, boolean>
}

/** What a value must look like, per secret; null = fine. Pure. */
export function kafkaSecretProblem(name: KafkaSecretName, value: string): string | null {
  if (name === 'clientKey') {
    if (value.length > 64 * 1024) return 'The client key is too long'
    if (!/-----BEGIN (RSA |EC |ENCRYPTED )?PRIVATE KEY-----[\s\S]+-----END (RSA |EC |ENCRYPTED )?PRIVATE KEY-----/.test(value))
      return 'The client key must be a PEM private key (-----BEGIN PRIVATE KEY----- …)'
    return null
  }
  if (value.length === 0) return 'Empty'
  if (value.length > 4000) return 'Too long'
  if (/[\r\n\0]/.test(value)) return 'No line breaks'
  return null
}

export function createKafkaSecretStore(safe: SafeStorageLike, kv: KeyValueStore): KafkaSecretStore {
  const slot = (name: KafkaSecretName): string => `secret.kafka.${name}`
  const get = (name: KafkaSecretName): string | undefined => readEncrypted(safe, kv, slot(name))
  return {
    set(name, value) {
      const problem = kafkaSecretProblem(name, value)
      if (problem) throw new SecretStoreError('invalid_key', problem)
      if (!safe.isEncryptionAvailable())
        throw new SecretStoreError('encryption_unavailable', 'The OS keychain is not available: Kafka credentials cannot be stored safely')
      kv.set(slot(name), safe.encryptString(value).toString('base64'))
    },
    get,
    clear: (name) => kv.delete(slot(name)),
    status: () => ({
      password: get('password') !== undefined,
      clientKey: get('clientKey') !== undefined,
      oauthClientSecret: get('oauthClientSecret') !== undefined,
    }),
  }
}

/** The settings' security part with the stored secrets filled in (main process only, for the worker). Pure. */
export function withKafkaSecrets(
  s: Omit<KafkaSecurityConfig, 'password' | 'keyPem'>,
  get: (name: KafkaSecretName) => string | undefined,
): KafkaSecurityConfig {
  const out: KafkaSecurityConfig = { ...s }
  const password = get('password')
  const key = get('clientKey')
  if (password !== undefined) out.password = password
  if (key !== undefined) out.keyPem = key
  if (s.oauth) {
    const secret = get('oauthClientSecret')
    out.oauth = { ...s.oauth, ...(secret !== undefined ? { clientSecret: secret } : {}) }
  }
  return out
}
