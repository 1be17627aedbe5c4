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
  /** fsync (node:fs/promises has `open`: the file, then its folder). Optional: in-memory test doubles skip it. */
  open?(path: string, flags: 'r'): Promise<{ sync(): Promise<void>; close(): Promise<void> }>
}

/** `state` is null when the file exists but can be neither read nor moved aside: then nothing may be saved. */
export type LoadResult = { state: PersistedState | null; warning: string | null }

/** Time stamp for `<file>.corrupt-<time>`, without characters file systems refuse. Pure. */
const stamp = (now: number): string => new Date(now).toISOString().replace(/[:.]/g, '-')

/**
 * Missing file → empty state. A file that cannot be parsed is moved aside to `<file>.corrupt-<time>` (never saved
 * over) and the warning names both paths. A file that cannot be read at all is left where it is: the warning says
 * so, and nothing is saved (`state` is null) until the user deals with it.
 */
export async function loadState(
  fs: StateFs,
  file: string,
  now: () => number = Date.now,
): Promise<LoadResult> {
  let text: string
  try {
    text = await fs.readFile(file, 'utf8')
  } catch (e) {
    if ((e as { code?: string }).code === 'ENOENT') return { state: emptyState(), warning: null }
    return {
      state: null,
      warning: `The news state file ${file} cannot be read (${(e as Error).message}); news state is not saved until it can be.`,
    }
  }
  const s = parseState(text)
  if (s) return { state: s, warning: null }
  const aside = `${file}.corrupt-${stamp(now())}`
  try {
    await fs.rename(file, aside)
  } catch (e) {
    return {
      state: null,
      warning: `The news state file ${file} is damaged and could not be moved aside (${(e as Error).message}); news state is not saved until it is fixed or removed.`,
    }
  }
  return {
    state: emptyState(),
    warning: `The news state file ${file} was damaged: it was moved to ${aside} and news polling starts fresh (headlines already seen may show again, and today's call count starts at 0).`,
  }
}

async function fsync(fs: StateFs, path: string): Promise<void> {
  if (!fs.open) return
  let h: { sync(): Promise<void>; close(): Promise<void> } | null = null
  try {
    h = await fs.open(path, 'r')
    await h.sync()
  } catch {
    // Folders cannot be opened for fsync on some systems.
  } finally {
    await h?.close()
  }
}

/** Atomic and durable: write a temp file, fsync, rename over, fsync the folder (old or new file, never half). */
export async function saveState(fs: StateFs, file: string, state: PersistedState): Promise<void> {
  const dir = file.replace(/[/\\][^/\\]*$/, '')
  const hasDir = dir !== file && dir !== ''
  if (hasDir) await fs.mkdir(dir, { recursive: true })
  const tmp = `${file}.tmp`
  await fs.writeFile(tmp, JSON.stringify(state), 'utf8')
  await fsync(fs, tmp)
  await fs.rename(tmp, file)
  if (hasDir) await fsync(fs, dir)
}
