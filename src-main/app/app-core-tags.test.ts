// Tag corrections through the app core: news:correct-tags and tagging:add-rule, kept in tag-corrections.json.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Article } from '../domain/news'
import type { WorkerCommand, WorkerEvent } from '../host/protocol'
import { createAppCore, type AppCoreDeps } from './app-core'
import { createSettingsStore } from './settings-store'
import { memoryKv, recordingHost } from './test-support'

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

function setup(dataDir = mkdtempSync(join(tmpdir(), 'newstape-tags-'))) {
  dirs.push(dataDir)
  const host = recordingHost()
  const events: { event: string; payload: unknown }[] = []
  const secrets = { get: () => null, status: () => ({}), unreadable: () => [], set: () => undefined, clear: () => undefined } as unknown as AppCoreDeps['secrets']
  const deps: AppCoreDeps = {
    mode: 'browser',
    version: '0.1.0',
    platform: 'linux',
    dataDir,
    settings: createSettingsStore(memoryKv()),
    secrets,
    startHost: host.start,
    demo: { endpoints: async () => ({ wsBase: 'ws://127.0.0.1:9', httpBase: 'http://127.0.0.1:9' }), stop: async () => undefined },
    emit: (event, payload) => void events.push({ event, payload }),
    openExternal: vi.fn(async () => undefined),
    testKey: async () => ({ ok: true, message: 'fine' }),
    probeGrafana: async () => ({ reachable: false, url: 'http://127.0.0.1:3000/d/x', message: 'down' }),
    log: () => undefined,
  }
  return { core: createAppCore(deps), sent: host.sent, configs: host.configs, events, dataDir, fire: host.fire }
}

const article = (id: string, title: string, tickers: string[], reasons: Article['tagReasons']): Article => ({
  id, published: 1, updated: 1, title, url: 'https://x', section: 'business', type: 'article', trailText: '', tickers, query: 'q', receivedAt: 2, stale: false, tagReasons: reasons,
})
const priceTarget = (id: string) =>
  article(id, 'Barclays Lowers Price Target on Walmart', ['WMT', 'TGT'], [
    { symbol: 'WMT', term: 'Walmart', rule: 'name', field: 'title' },
    { symbol: 'TGT', term: 'Target', rule: 'name-in-context', field: 'title' },
  ])
const batch = (articles: Article[]): WorkerEvent => ({ type: 'batch', seq: 1, at: 0, updates: [], articles, impacts: [], moves: [] }) as unknown as WorkerEvent

describe('tag corrections', () => {
  it('corrects an article, keeps the correction on disk, and proposes a deny phrase to confirm', async () => {
    const { core, events, dataDir, fire } = setup()
    await core.start()
    fire(batch([priceTarget('a1')]))
    const r = await core.handle('news:correct-tags', { articleId: 'a1', add: ['COST'], remove: ['TGT'] })
    expect(r.ok && r.value.article.tickers).toEqual(['WMT', 'COST'])
    expect(r.ok && r.value.article.tagEdit).toEqual({ added: ['COST'], removed: ['TGT'] })
    expect(r.ok && r.value.proposals).toEqual([{ symbol: 'TGT', kind: 'deny', phrase: 'Price Target' }])
    const last = events.filter((e) => e.event === 'news:batch').at(-1)!.payload as { articles: Article[] }
    expect(last.articles[0]!.tickers).toEqual(['WMT', 'COST'])
    const file = JSON.parse(readFileSync(join(dataDir, 'tag-corrections.json'), 'utf8')) as { edits: Record<string, unknown> }
    expect(file.edits.a1).toEqual({ added: ['COST'], removed: ['TGT'] })

    // A restart keeps it: the same article arriving again comes out corrected.
    const again = setup(dataDir)
    await again.core.start()
    again.fire(batch([priceTarget('a1')]))
    const list = await again.core.handle('news:list', { limit: 10 })
    expect(list.ok && list.value.articles[0]!.tickers).toEqual(['WMT', 'COST'])
    await again.core.stop()
    await core.stop()
  })

  it('a confirmed deny rule applies to the timeline and to later articles; an alias goes on the watchlist entry', async () => {
    const { core, sent, fire } = setup()
    await core.start()
    fire(batch([priceTarget('a1')]))
    expect((await core.handle('tagging:add-rule', { symbol: 'TGT', kind: 'deny', phrase: 'Price Target' })).ok).toBe(true)
    fire(batch([priceTarget('a2')]))
    const list = await core.handle('news:list', { limit: 10 })
    expect(list.ok && list.value.articles.map((a) => a.tickers)).toEqual([['WMT'], ['WMT']])

    await core.handle('watchlist:set', [{ symbol: 'AAPL', aliases: [] }])
    expect((await core.handle('tagging:add-rule', { symbol: 'AAPL', kind: 'alias', phrase: 'Cupertino giant' })).ok).toBe(true)
    expect(core.settings().watchlist.symbols).toEqual([{ symbol: 'AAPL', aliases: ['Cupertino giant'] }])
    expect(sent.at(-1)).toEqual({ type: 'watchlist', watchlist: [{ symbol: 'AAPL', aliases: ['Cupertino giant'] }] })
    const notWatched = await core.handle('tagging:add-rule', { symbol: 'MSFT', kind: 'alias', phrase: 'Redmond' })
    expect(notWatched.ok).toBe(false)
    expect((await core.handle('news:correct-tags', { articleId: 'gone', add: [], remove: ['X'] })).ok).toBe(false)
    await core.stop()
  })

  it('corrections reach the worker: the corrected article to re-publish, deny rules for later articles, and both at start', async () => {
    const { core, sent, fire, dataDir } = setup()
    await core.start()
    fire(batch([priceTarget('a1'), priceTarget('a2')]))
    await core.handle('news:correct-tags', { articleId: 'a1', add: ['COST'], remove: [] })
    type Correction = Extract<WorkerCommand, { type: 'tag-correction' }>
    const corrections = () => sent.filter((c): c is Correction => c.type === 'tag-correction')
    expect(corrections().map((c) => c.articles.map((a) => [a.id, a.tickers, a.tagEdit]))).toEqual([[['a1', ['WMT', 'TGT', 'COST'], { added: ['COST'], removed: [] }]]])

    await core.handle('tagging:add-rule', { symbol: 'TGT', kind: 'deny', phrase: 'Price Target' })
    const rule = { symbol: 'TGT', kind: 'deny', phrase: 'Price Target' }
    expect(sent.filter((c) => c.type === 'tag-rules').at(-1)).toEqual({ type: 'tag-rules', userTagging: { deny: [rule], edits: { a1: { added: ['COST'], removed: [] } } } })
    // Both timeline articles lost TGT: both are re-published corrected.
    expect(corrections().at(-1)!.articles.map((a) => [a.id, a.tickers])).toEqual([['a1', ['WMT', 'COST']], ['a2', ['WMT']]])
    await core.stop()

    // A restart hands the worker the kept corrections with its start config.
    const again = setup(dataDir)
    await again.core.start()
    expect(again.configs.at(-1)!.userTagging).toEqual({ deny: [rule], edits: { a1: { added: ['COST'], removed: [] } } })
    await again.core.stop()
  })
})
