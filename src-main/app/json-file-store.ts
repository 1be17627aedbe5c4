// Browser mode's settings file: a JSON object written atomically (temp file + rename) so a crash mid-write
// never leaves a half file. Unreadable content starts empty (the settings loader fills defaults).
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import type { KeyValueStore } from '../shell/secrets'

export function createJsonFileStore(file: string): KeyValueStore {
  let data: Record<string, unknown> = {}
  try {
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'))
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) data = parsed as Record<string, unknown>
  } catch {
    data = {}
  }
  const save = (): void => {
    mkdirSync(dirname(file), { recursive: true })
    const tmp = `${file}.${process.pid}.tmp`
    writeFileSync(tmp, JSON.stringify(data, null, 2), { mode: 0o600 })
    renameSync(tmp, file)
  }
  return {
    get: (k) => data[k],
    set: (k, v) => {
      data[k] = v
      save()
    },
    delete: (k) => {
      delete data[k]
      save()
    },
  }
}
