// Browser mode has no OS keychain (that is Electron's safeStorage). Keys are encrypted with AES-256-GCM
// under a random key kept in a 0600 file beside the data: it keeps keys out of plain sight in the settings
// file and out of backups of it, but anyone who can read both files can decrypt. The desktop app uses
// safeStorage instead.
// A damaged key file (wrong size, unreadable) is moved aside to `secret.key.corrupt-<time>` and reported; a new
// key file is made only when the user stores a key again (encrypt), never just to read (decrypt fails instead,
// and the secret store reports the stored keys as unreadable).
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { readFileSync, renameSync } from 'node:fs'
import { dirname } from 'node:path'
import type { SafeStorageLike } from './secrets'
import type { FileProblem } from './json-file-store'
import { asideStamp, fsyncDir, writeFileAtomic } from '../domain/atomic-write'

export interface FileSafeStorage extends SafeStorageLike {
  /** What was wrong with the key file at start, or null. */
  readonly problem: FileProblem | null
}

export function createFileSafeStorage(keyFile: string, opts: { now?: () => number } = {}): FileSafeStorage {
  const now = opts.now ?? Date.now
  let key: Buffer | null = null
  let problem: FileProblem | null = null
  try {
    const k = readFileSync(keyFile)
    if (k.length === 32) key = k
    else problem = { file: keyFile, aside: null, reason: `the key file holds ${k.length} bytes instead of 32 (truncated or overwritten)` }
  } catch (e) {
    const code = (e as { code?: string }).code
    if (code !== 'ENOENT') problem = { file: keyFile, aside: null, reason: `the key file cannot be read (${code ?? String(e)})` }
  }
  if (problem) {
    try {
      const aside = `${keyFile}.corrupt-${asideStamp(now())}`
      renameSync(keyFile, aside)
      fsyncDir(dirname(keyFile))
      problem = { ...problem, aside }
    } catch {
      // Left where it is; a new key file is still only written when the user stores a key.
    }
  }
  const forEncrypt = (): Buffer => {
    if (key) return key
    const k = randomBytes(32)
    writeFileAtomic(keyFile, k, 0o600)
    return (key = k)
  }
  const forDecrypt = (): Buffer => {
    if (key) return key
    throw new Error('no usable key file: stored keys cannot be decrypted')
  }
  return {
    problem,
    isEncryptionAvailable: () => true,
    encryptString(plain) {
      const iv = randomBytes(12)
      const c = createCipheriv('aes-256-gcm', forEncrypt(), iv)
      const body = Buffer.concat([c.update(plain, 'utf8'), c.final()])
      return Buffer.concat([iv, c.getAuthTag(), body])
    },
    decryptString(cipher) {
      const d = createDecipheriv('aes-256-gcm', forDecrypt(), cipher.subarray(0, 12))
      d.setAuthTag(cipher.subarray(12, 28))
      return Buffer.concat([d.update(cipher.subarray(28)), d.final()]).toString('utf8')
    },
  }
}
