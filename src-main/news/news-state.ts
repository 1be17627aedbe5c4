// What the poller remembers across restarts: per-query watermarks and unfinished paging, the seen ids with
// their revision, and the calls spent today. Serialised as JSON, parsed with zod on load.
import { z } from 'zod'

export type Change = 'new' | 'update' | 'seen'

/** Revision stamp of an item: a live blog's new revision moves lastModified and/or webPublicationDate. */
export const revisionOf = (it: { published: number; updated: number }): number =>
  Math.max(it.published, it.updated)

/** Seen ids → revision, bounded: the least recently touched ids go first. */
export class SeenSet {
  private readonly m = new Map<string, { rev: number; published: number }>()
  constructor(private readonly max: number) {}

  classify(id: string, rev: number): Change {
    const e = this.m.get(id)
    if (!e) return 'new'
    return rev > e.rev ? 'update' : 'seen'
  }

  remember(id: string, rev: number, published: number): void {
    this.m.delete(id) // re-insert: Map order = recency
    this.m.set(id, { rev, published })
    while (this.m.size > this.max) {
      const oldest = this.m.keys().next().value
      if (oldest === undefined) break
      this.m.delete(oldest)
    }
  }

  get size(): number {
    return this.m.size
  }

  entries(): [string, number, number][] {
    return [...this.m].map(([id, e]) => [id, e.rev, e.published])
  }
}

export interface QueryProgress {
  /** from-date floor: everything published at or after it has been seen (before the overlap). */
  watermark: number
  /** Paging left unfinished (page cap, error, pause): continue here next cycle; null when caught up. */
  resumePage: number | null
}

export interface PersistedState {
  version: 1
  queries: Record<string, QueryProgress>
  seen: [string, number, number][]
  calls: { day: number; count: number }
}

const Schema = z.object({
  version: z.literal(1),
  queries: z.record(
    z.string(),
    z.object({ watermark: z.number(), resumePage: z.number().int().positive().nullable() }),
  ),
  seen: z.array(z.tuple([z.string(), z.number(), z.number()])),
  calls: z.object({ day: z.number().int(), count: z.number().int().nonnegative() }),
})

export function parseState(text: string): PersistedState | null {
  try {
    const r = Schema.safeParse(JSON.parse(text))
    return r.success ? r.data : null
  } catch {
    return null
  }
}

export function emptyState(): PersistedState {
  return { version: 1, queries: {}, seen: [], calls: { day: 0, count: 0 } }
}

/** The file system calls the state file needs (node:fs/promises fits). */
export interface StateFs {
  readFile(path: string, encoding: 'utf8'): Promise<string>
  writeFile(path: string, data: string, encoding: 'utf8'): Promise<void>
  rename(from: string, to: string): Promise<void>
  mkdir(path: string, opts: { recursive: true }): Promise<unknown>
}

export type LoadResult = { state: PersistedState; warning: string | null }

/** Missing file → empty state; unreadable file → moved aside to `<file>.corrupt`, empty state and a warning. */
export async function loadState(fs: StateFs, file: string): Promise<LoadResult> {
  let text: string
  try {
    text = await fs.readFile(file, 'utf8')
  } catch (e) {
    if ((e as { code?: string }).code === 'ENOENT') return { state: emptyState(), warning: null }
    return { state: emptyState(), warning: `news state file unreadable: ${(e as Error).message}` }
  }
  const s = parseState(text)
  if (s) return { state: s, warning: null }
  await fs.rename(file, `${file}.corrupt`).catch(() => undefined)
  return { state: emptyState(), warning: 'news state file was corrupt; kept as .corrupt, starting fresh' }
}

/** Atomic: write a temp file next to it, then rename over (a crash leaves the old or the new file, never half). */
export async function saveState(fs: StateFs, file: string, state: PersistedState): Promise<void> {
  const dir = file.replace(/[/\\][^/\\]*$/, '')
  if (dir !== file && dir !== '') await fs.mkdir(dir, { recursive: true })
  const tmp = `${file}.tmp`
  await fs.writeFile(tmp, JSON.stringify(state), 'utf8')
  await fs.rename(tmp, file)
}
