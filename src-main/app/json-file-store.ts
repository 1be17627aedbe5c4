// The settings file (browser mode and the desktop app alike): one JSON object, replaced atomically (temp file,
// fsync, rename, fsync the folder) so a crash mid-write never leaves a half file.
// A file that cannot be read is never overwritten: it is moved aside to `<name>.corrupt-<time>` before anything
// is saved, and `problem` says so in words, with both paths, for the start-up notice. If it cannot even be
// moved, the store refuses to write (the user has to act first).
import { copyFileSync, readFileSync, renameSync } from 'node:fs'
import type { KeyValueStore } from './secrets'
import { asideStamp, fsyncDir, writeFileAtomic } from '../domain/atomic-write'
import { dirname } from 'node:path'

export interface FileProblem {
  file: string
  /** Where the unreadable original now is; null when it could not be moved (then nothing is written). */
  aside: string | null
  /** What was wrong, in words. */
  reason: string
}

export interface JsonFileStore extends KeyValueStore {
  readonly file: string
  readonly problem: FileProblem | null
  /** Copy the file as it is on disk to `<name>.corrupt-<time>` (before saving over parts of it); the copy's path. */
  keepCopy(): string | null
}

export interface JsonFileStoreOptions {
  now?: () => number
  /**
   * Keys with dots are paths into nested objects (`secret.polygon` → `{ secret: { polygon } }`), as electron-store
   * wrote them: the desktop app reads the file it kept. Browser mode's file uses flat keys.
   */
  dotPaths?: boolean
}

type Obj = Record<string, unknown>
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v)

/** get/set/delete by key, flat or as a dot path. Pure over `data` (set/delete mutate it). */
export function pathOps(dotPaths: boolean) {
  const parts = (k: string): string[] => (dotPaths ? k.split('.') : [k])
  return {
    get(data: Obj, k: string): unknown {
      let cur: unknown = data
      for (const p of parts(k)) {
        if (!isObj(cur) || !Object.hasOwn(cur, p)) return undefined
        cur = cur[p]
      }
      return cur
    },
    set(data: Obj, k: string, v: unknown): void {
      const ps = parts(k)
      let cur = data
      for (const p of ps.slice(0, -1)) {
        const next = cur[p]
        if (!isObj(next)) cur[p] = {}
        cur = cur[p] as Obj
      }
      cur[ps[ps.length - 1] as string] = v
    },
    delete(data: Obj, k: string): void {
      const ps = parts(k)
      let cur: unknown = data
      for (const p of ps.slice(0, -1)) {
        if (!isObj(cur)) return
        cur = cur[p]
      }
      if (isObj(cur)) delete cur[ps[ps.length - 1] as string]
    },
  }
}

/** Why a settings text cannot be used, or null when it is a JSON object. Pure. */
export function unreadableReason(text: string): string | null {
  if (text.trim() === '') return 'the file is empty'
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (e) {
    return `the file is not valid JSON (${e instanceof Error ? e.message.slice(0, 120) : 'parse error'})`
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return 'the file does not hold a JSON object'
  return null
}

export function createJsonFileStore(file: string, opts: JsonFileStoreOptions = {}): JsonFileStore {
  const now = opts.now ?? Date.now
  const ops = pathOps(opts.dotPaths ?? false)
  let data: Record<string, unknown> = {}
  let problem: FileProblem | null = null
  let writable = true
  const asidePath = (): string => `${file}.corrupt-${asideStamp(now())}`

  let text: string | null = null
  try {
    text = readFileSync(file, 'utf8')
  } catch (e) {
    const code = (e as { code?: string }).code
    if (code !== 'ENOENT') problem = { file, aside: null, reason: `the file cannot be read (${code ?? String(e)})` }
  }
  if (text !== null) {
    const reason = unreadableReason(text)
    if (reason === null) data = JSON.parse(text) as Record<string, unknown>
    else problem = { file, aside: null, reason }
  }
  if (problem) {
    try {
      const aside = asidePath()
      renameSync(file, aside)
      fsyncDir(dirname(file))
      problem = { ...problem, aside }
    } catch {
      writable = false
    }
  }

  const save = (): void => {
    if (!writable) {
      throw new Error(`${file} could not be read or moved aside (${problem?.reason ?? 'unknown'}): nothing is saved until it is fixed or removed`)
    }
    writeFileAtomic(file, JSON.stringify(data, null, 2))
  }
  return {
    file,
    problem,
    keepCopy() {
      try {
        const aside = asidePath()
        copyFileSync(file, aside)
        return aside
      } catch {
        return null
      }
    },
    get: (k) => ops.get(data, k),
    set: (k, v) => {
      ops.set(data, k, v)
      save()
    },
    delete: (k) => {
      ops.delete(data, k)
      save()
    },
  }
}
