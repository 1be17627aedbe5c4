import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { asideStamp, writeFileAtomic } from './atomic-write'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'atomic-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

describe('writeFileAtomic', () => {
  it.each([
    ['text', 'hello', Buffer.from('hello')],
    ['bytes', new Uint8Array([0, 1, 2, 255]), Buffer.from([0, 1, 2, 255])],
    ['empty', '', Buffer.alloc(0)],
  ])('writes %s, replaces the old content, leaves no temp file', (_n, data, want) => {
    const f = join(dir, 'sub', 'state.json')
    writeFileAtomic(f, 'old content')
    writeFileAtomic(f, data)
    expect(readFileSync(f)).toEqual(want)
    expect(readdirSync(join(dir, 'sub'))).toEqual(['state.json'])
    if (process.platform !== 'win32') expect(statSync(f).mode & 0o777).toBe(0o600)
  })

  it('a failed rename leaves the target as it was and removes the temp file', () => {
    const target = join(dir, 'is-a-folder')
    mkdirSync(join(target, 'child'), { recursive: true })
    expect(() => writeFileAtomic(target, 'x')).toThrow()
    expect(readdirSync(dir)).toEqual(['is-a-folder'])
  })
})

it('asideStamp has no characters file systems refuse', () => {
  expect(asideStamp(Date.UTC(2026, 11, 7, 3, 4, 5, 6))).toBe('2026-12-07T03-04-05-006Z')
})
