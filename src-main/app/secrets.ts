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
  /** True only for keys that are stored and can be decrypted: never claims a key the app cannot use. */
  status(): Record<SecretName, boolean>
  /** Keys that are stored but cannot be decrypted (key file or OS keychain changed): to be entered again. */
  unreadable(): SecretName[]
}

/** The notice for keys that are stored but cannot be decrypted, or null. Pure. */
export function unreadableKeysMessage(names: readonly SecretName[], where: string): string | null {
  if (names.length === 0) return null
  const label = (n: SecretName): string => (n === 'polygon' ? 'Polygon' : 'Guardian')
  const list = names.map(label).join(' and ')
  return `The stored ${list} API key${names.length > 1 ? 's' : ''} could not be decrypted (${where}). ${names.length > 1 ? 'They are' : 'It is'} kept as stored but cannot be used: enter ${names.length > 1 ? 'them' : 'it'} again in Settings → API keys.`
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

/** The secret stored (base64 ciphertext) under `slot`, decrypted; undefined when absent or undecryptable. */
export function readEncrypted(safe: SafeStorageLike, kv: KeyValueStore, slot: string): string | undefined {
  const stored = kv.get(slot)
  if (typeof stored !== 'string' || stored.length === 0) return undefined
  try {
    return safe.decryptString(Buffer.from(stored, 'base64'))
  } catch {
    return undefined
  }
}

export function createSecretStore(safe: SafeStorageLike, kv: KeyValueStore): SecretStore {
  const slot = (name: SecretName): string => `secret.${name}`
  const decrypt = (name: SecretName): string | undefined => readEncrypted(safe, kv, slot(name))
  const isStored = (name: SecretName): boolean => {
    const stored = kv.get(slot(name))
    return typeof stored === 'string' && stored.length > 0
  }
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
    get: decrypt,
    clear(name) {
      kv.delete(slot(name))
    },
    status() {
      const out = {} as Record<SecretName, boolean>
      for (const n of SECRET_NAMES) out[n] = decrypt(n) !== undefined
      return out
    },
    unreadable: () => SECRET_NAMES.filter((n) => isStored(n) && decrypt(n) === undefined),
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
