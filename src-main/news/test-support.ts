// Test doubles for the poller's injected I/O (not used in production): virtual time, an in-memory file
// system, and a fetch answered by the Guardian simulator's own request logic (api.ts) with scripted faults.
import type { StateFs } from './news-state'
import type { FetchLike, FetchResponse, Timers } from './poller'
import { search, type ApiContext } from '../simulator/guardian/api'
import type { StoredItem } from '../simulator/guardian/generator'

export class VirtualTime implements Timers {
  private seq = 0
  private readonly q = new Map<number, { at: number; fn: () => void }>()
  constructor(public t: number) {}
  now = (): number => this.t
  setTimeout(fn: () => void, ms: number): unknown {
    const id = ++this.seq
    this.q.set(id, { at: this.t + Math.max(0, ms), fn })
    return id
  }
  clearTimeout(h: unknown): void {
    this.q.delete(h as number)
  }
  pending(): number {
    return this.q.size
  }
  /** Runs every timer due up to `until`, in order, letting promise chains settle between them. */
  async runUntil(until: number): Promise<void> {
    for (;;) {
      await settle()
      let next: [number, { at: number; fn: () => void }] | null = null
      for (const e of this.q)
        if (!next || e[1].at < next[1].at || (e[1].at === next[1].at && e[0] < next[0])) next = e
      if (!next || next[1].at > until) break
      this.q.delete(next[0])
      this.t = Math.max(this.t, next[1].at)
      next[1].fn()
    }
    this.t = Math.max(this.t, until)
    await settle()
  }
  advance(ms: number): Promise<void> {
    return this.runUntil(this.t + ms)
  }
}

export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise<void>((r) => setImmediate(r))
}

export class MemoryFs implements StateFs {
  files = new Map<string, string>()
  ops: string[] = []
  failWrites = false
  readFile(path: string): Promise<string> {
    const v = this.files.get(path)
    if (v === undefined)
      return Promise.reject(Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' }))
    return Promise.resolve(v)
  }
  writeFile(path: string, data: string): Promise<void> {
    if (this.failWrites) return Promise.reject(new Error('disk full'))
    this.ops.push(`write ${path}`)
    this.files.set(path, data)
    return Promise.resolve()
  }
  rename(from: string, to: string): Promise<void> {
    const v = this.files.get(from)
    if (v === undefined) return Promise.reject(Object.assign(new Error('ENOENT'), { code: 'ENOENT' }))
    this.ops.push(`rename ${from} → ${to}`)
    this.files.delete(from)
    this.files.set(to, v)
    return Promise.resolve()
  }
  mkdir(path: string): Promise<unknown> {
    this.ops.push(`mkdir ${path}`)
    return Promise.resolve(undefined)
  }
}

export type ScriptedAnswer =
  { status: number; body: string; headers?: Record<string, string> } | { throws: string } | { hang: true }

/** An in-memory Guardian: the simulator's search logic over a hand-made item list, plus scripted answers. */
export class FakeGuardian {
  items: StoredItem[] = []
  script: ScriptedAnswer[] = []
  calls: { at: number; url: URL }[] = []
  constructor(
    private readonly clock: () => number,
    readonly key = 'test-key',
  ) {}

  add(
    id: string,
    published: number,
    title: string,
    opts: { type?: 'article' | 'liveblog'; section?: string } = {},
  ): StoredItem {
    const it: StoredItem = {
      id,
      type: opts.type ?? 'article',
      sectionId: opts.section ?? 'business',
      sectionName: 'Business',
      pillarId: 'pillar/news',
      pillarName: 'News',
      byline: 'A Writer',
      shortId: 'abcde',
      tags: [],
      revisions: [
        {
          at: published,
          lastModified: published,
          title,
          trailText: `${title} trail`,
          body: `<p>${title}</p>`,
        },
      ],
      endsAt: null,
    }
    this.items.push(it)
    return it
  }

  revise(it: StoredItem, at: number, title: string): void {
    it.revisions.push({ at, lastModified: at, title, trailText: `${title} trail`, body: `<p>${title}</p>` })
  }

  fetch: FetchLike = (url: string, init: { signal: AbortSignal }): Promise<FetchResponse> => {
    const u = new URL(url)
    this.calls.push({ at: this.clock(), url: u })
    const s = this.script.shift()
    if (s && 'throws' in s) return Promise.reject(new Error(s.throws))
    if (s && 'hang' in s)
      return new Promise((_, reject) =>
        init.signal.addEventListener('abort', () => reject(new Error('aborted'))),
      )
    const answer: { status: number; body: string; headers?: Record<string, string> } = s ?? this.answer(u)
    const headers = new Map<string, string>(
      Object.entries(answer.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]),
    )
    return Promise.resolve({
      status: answer.status,
      headers: { get: (n: string) => headers.get(n.toLowerCase()) ?? null },
      text: () => Promise.resolve(answer.body),
    })
  }

  private answer(u: URL): { status: number; body: string } {
    if (u.searchParams.get('api-key') !== this.key) return { status: 401, body: '{"message":"Unauthorized"}' }
    const ctx: ApiContext = {
      now: this.clock(),
      items: this.items,
      get: (id) => this.items.find((i) => i.id === id),
      userTier: 'developer',
      apiBase: 'http://fake',
    }
    const r = search(u.searchParams, ctx)
    return { status: r.status, body: JSON.stringify(r.body) }
  }
}
