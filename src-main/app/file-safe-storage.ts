// Browser mode has no OS keychain (that is Electron's safeStorage). Keys are encrypted with AES-256-GCM
// under a random key kept in a 0600 file beside the data: it keeps keys out of plain sight in the settings
// file and out of backups of it, but anyone who can read both files can decrypt. The desktop app uses
// safeStorage instead.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import type { SafeStorageLike } from '../shell/secrets'

export function createFileSafeStorage(keyFile: string): SafeStorageLike {
  let key: Buffer | null = null
  const load = (): Buffer => {
    if (key) return key
    if (existsSync(keyFile)) {
      const k = readFileSync(keyFile)
      if (k.length === 32) return (key = k)
    }
    mkdirSync(dirname(keyFile), { recursive: true })
    const k = randomBytes(32)
    writeFileSync(keyFile, k, { mode: 0o600 })
    chmodSync(keyFile, 0o600)
    return (key = k)
  }
  return {
    isEncryptionAvailable: () => true,
    encryptString(plain) {
      const iv = randomBytes(12)
      const c = createCipheriv('aes-256-gcm', load(), iv)
      const body = Buffer.concat([c.update(plain, 'utf8'), c.final()])
      return Buffer.concat([iv, c.getAuthTag(), body])
    },
    decryptString(cipher) {
      const d = createDecipheriv('aes-256-gcm', load(), cipher.subarray(0, 12))
      d.setAuthTag(cipher.subarray(12, 28))
      return Buffer.concat([d.update(cipher.subarray(28)), d.final()]).toString('utf8')
    },
  }
}
