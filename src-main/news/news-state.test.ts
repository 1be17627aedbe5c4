import { describe, expect, it } from 'vitest'
import { SeenSet, emptyState, loadState, parseState, revisionOf, saveState } from './news-state'
import { MemoryFs } from './test-support'

describe('SeenSet', () => {
  it('classifies new, seen and a newer revision as update', () => {
    const s = new SeenSet(10)
    expect(s.classify('a', 100)).toBe('new')
    s.remember('a', 100, 100)
    expect(s.classify('a', 100)).toBe('seen')
    expect(s.classify('a', 99)).toBe('seen')
    expect(s.classify('a', 101)).toBe('update')
  })
  it('is bounded and drops the least recently touched id first', () => {
    const s = new SeenSet(3)
    for (const id of ['a', 'b', 'c']) s.remember(id, 1, 1)
    s.remember('a', 2, 1) // touch a
    s.remember('d', 1, 1)
    expect(s.size).toBe(3)
    expect(s.classify('b', 1)).toBe('new')
    expect(s.classify('a', 2)).toBe('seen')
  })
  it('takes the later of published and lastModified as the revision', () => {
    expect(revisionOf({ published: 5, updated: 3 })).toBe(5)
    expect(revisionOf({ published: 5, updated: 9 })).toBe(9)
  })
})

describe('state file', () => {
  const state = {
    ...emptyState(),
    queries: { '"Apple"': { watermark: 1000, resumePage: 3 } },
    seen: [['x', 2, 1] as [string, number, number]],
    calls: { day: 20000, count: 17 },
  }

  it('round-trips through an atomic temp-file-then-rename write', async () => {
    const fs = new MemoryFs()
    await saveState(fs, '/data/news/state.json', state)
    expect(fs.ops).toEqual([
      'mkdir /data/news',
      'write /data/news/state.json.tmp',
      'rename /data/news/state.json.tmp → /data/news/state.json',
    ])
    expect(await loadState(fs, '/data/news/state.json')).toEqual({ state, warning: null })
  })

  it('starts fresh without warning when there is no file', async () => {
    expect(await loadState(new MemoryFs(), '/nope.json')).toEqual({ state: emptyState(), warning: null })
  })

  it.each([
    '{not json',
    '{"version":2}',
    '{"version":1,"queries":{},"seen":[["a","b",1]],"calls":{"day":1,"count":0}}',
    '',
  ])('moves a corrupt file (%j) aside and starts fresh with a warning', async (text) => {
    const fs = new MemoryFs()
    fs.files.set('/s.json', text)
    const r = await loadState(fs, '/s.json', () => Date.UTC(2026, 11, 7, 3, 4, 5))
    expect(r.state).toEqual(emptyState())
    expect(r.warning).toBe(
      'The news state file /s.json was damaged: it was moved to /s.json.corrupt-2026-12-07T03-04-05-000Z and news polling starts fresh (headlines already seen may show again, and today\'s call count starts at 0).',
    )
    expect(fs.files.get('/s.json.corrupt-2026-12-07T03-04-05-000Z')).toBe(text)
    expect(fs.files.has('/s.json')).toBe(false)
  })

  it('a file that can be neither read nor moved aside is left alone, and the state is not saved', async () => {
    const fs = new MemoryFs()
    fs.files.set('/s.json', '{bad')
    fs.rename = () => Promise.reject(new Error('EACCES'))
    const r = await loadState(fs, '/s.json')
    expect(r.state).toBeNull()
    expect(r.warning).toMatch(/^The news state file \/s.json is damaged and could not be moved aside \(EACCES\)/)
    const unreadable = new MemoryFs()
    unreadable.readFile = () => Promise.reject(Object.assign(new Error('EIO: i/o error'), { code: 'EIO' }))
    expect((await loadState(unreadable, '/t.json')).state).toBeNull()
  })

  it('saves durably with node:fs: temp file fsynced, renamed over, folder fsynced', async () => {
    const nodeFs = await import('node:fs/promises')
    const { mkdtempSync, readdirSync, rmSync } = await import('node:fs')
    const { tmpdir } = await import('node:os')
    const dir = mkdtempSync(`${tmpdir()}/news-state-`)
    const synced: string[] = []
    const fs = {
      ...nodeFs,
      open: async (p: string, f: 'r') => {
        const h = await nodeFs.open(p, f)
        return { sync: () => (synced.push(p), h.sync()), close: () => h.close() }
      },
    }
    await saveState(fs, `${dir}/state.json`, emptyState())
    expect(synced).toEqual([`${dir}/state.json.tmp`, dir])
    expect(readdirSync(dir)).toEqual(['state.json'])
    expect(parseState(await nodeFs.readFile(`${dir}/state.json`, 'utf8'))).toEqual(emptyState())
    rmSync(dir, { recursive: true, force: true })
  })

  it('parseState rejects what is not a state', () => {
    expect(parseState(JSON.stringify(state))).toEqual(state)
    expect(parseState('[]')).toBeNull()
  })
})
