// API keys at rest: encrypted with the OS keychain (Electron safeStorage) and never handed to the renderer,
// which only learns whether a key is set. Stored as base64 ciphertext in a dedicated store.

export type SecretName = 'polygon' | 'guardian'
export const SECRET_NAMES: readonly SecretName[] = ['polygon', 'guardian']

export interface SafeStorageLike {
  isEncryptionAvailable(): boolean
  encryptString(plain: string): Buffer
  decryptString(cipher: Buffer): string
}

export interface KeyValueStore {
  get(key: string): unknown
  set(key: string, value: unknown): void
  delete(key: string): void
}

export interface SecretStore {
  set(name: SecretName, value: string): void
  /** Main process only: the plaintext key, for the feeds. Undefined when unset or unreadable. */
  get(name: SecretName): string | undefined
  clear(name: SecretName): void
  status(): Record<SecretName, boolean>
}

export class SecretStoreError extends Error {
  constructor(
    readonly code: 'encryption_unavailable' | 'invalid_key',
    message: string,
  ) {
    super(message)
  }
}

const KEY_SHAPE = /^[\x21-\x7e]{8,200}$/

export function createSecretStore(safe: SafeStorageLike, kv: KeyValueStore): SecretStore {
  const slot = (name: SecretName): string => `secret.${name}`
  return {
    set(name, value) {
      const trimmed = value.trim()
      if (!KEY_SHAPE.test(trimmed)) {
        throw new SecretStoreError('invalid_key', 'An API key is 8–200 printable characters without spaces.')
      }
      // Refuse plaintext at rest rather than silently weakening it.
      if (!safe.isEncryptionAvailable()) {
        throw new SecretStoreError('encryption_unavailable', 'The OS keychain is not available: the key was not saved.')
      }
      kv.set(slot(name), safe.encryptString(trimmed).toString('base64'))
    },
    get(name) {
      const stored = kv.get(slot(name))
      if (typeof stored !== 'string' || stored.length === 0) return undefined
      try {
        return safe.decryptString(Buffer.from(stored, 'base64'))
      } catch {
        return undefined
      }
    },
    clear(name) {
      kv.delete(slot(name))
    },
    status() {
      const out = {} as Record<SecretName, boolean>
      for (const n of SECRET_NAMES) {
        const stored = kv.get(slot(n))
        out[n] = typeof stored === 'string' && stored.length > 0
      }
      return out
    },
  }
}

/** Replaces any known secret inside a log line, so a key can never reach a log file. */
export function redact(line: string, secrets: readonly (string | undefined)[]): string {
  let out = line
  for (const s of secrets) {
    if (s && s.length >= 4) out = out.split(s).join('[redacted]')
  }
  // Keys in URLs (Polygon apiKey=, Guardian api-key=) are redacted whatever their value.
  return out.replace(/(api[-_]?key=)[^&\s"']+/gi, '$1[redacted]')
}
