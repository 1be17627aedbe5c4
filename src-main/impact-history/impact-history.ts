// The per-symbol news-impact history the app shows beside the timeline: PostgreSQL `impact_history`, written by
// the Flink history job (flink/HISTORY.md). Pure parts (row → model, SQL, error wording) and the caching service
// behind `impact:history`; the PostgreSQL adapter is pg-source.ts.
import { z } from 'zod'
import type { ImpactHistory, ImpactHistoryAnswer } from '../../src-preload/contract'
import type { Settings } from '../../src-preload/settings-schema'

export type HistorySettings = Settings['history']

/** Reads one symbol's row. Resolves null when the symbol has none; rejects when the store cannot answer. */
export interface ImpactHistorySource {
  get(symbol: string): Promise<ImpactHistory | null>
  close(): Promise<void>
}

/**
 * The columns of `impact_history` the app reads, in the job's DDL order (HistoryJob.DDL). The pg adapter's test
 * compares this list with the DDL in HistoryJob.java, so a column added or renamed there fails here.
 */
export const IMPACT_HISTORY_COLUMNS = [
  'symbol',
  'headlines',
  'ret1_n',
  'ret1_q1',
  'ret1_median',
  'ret1_q3',
  'ret5_n',
  'ret5_q1',
  'ret5_median',
  'ret5_q3',
  'ret15_n',
  'ret15_q1',
  'ret15_median',
  'ret15_q3',
  'signals',
  'signal_share',
  'first_published',
  'last_published',
  'updated_at',
] as const

const TIME_COLUMNS = new Set<string>(['first_published', 'last_published', 'updated_at'])

export const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/

/** The parametrised query (symbol is `$1`); times come back as epoch-ms doubles so no Date parsing is involved. */
export function selectImpactHistorySql(schema: string): string {
  if (!SCHEMA_NAME.test(schema)) throw new Error(`bad schema name ${JSON.stringify(schema).slice(0, 80)}`)
  const cols = IMPACT_HISTORY_COLUMNS.map((c) => (TIME_COLUMNS.has(c) ? `(extract(epoch from ${c}) * 1000)::float8 AS ${c}` : c))
  return `SELECT ${cols.join(', ')} FROM "${schema}".impact_history WHERE symbol = $1`
}

const count = z.number().int().min(0)
const ret = z.number().finite().nullable()
const ms = z.number().finite()

/** A row as node-postgres returns it for `selectImpactHistorySql` (integer and float8 columns are JS numbers). */
export const impactHistoryRowSchema = z.object({
  symbol: z.string().min(1),
  headlines: count,
  ret1_n: count,
  ret1_q1: ret,
  ret1_median: ret,
  ret1_q3: ret,
  ret5_n: count,
  ret5_q1: ret,
  ret5_median: ret,
  ret5_q3: ret,
  ret15_n: count,
  ret15_q1: ret,
  ret15_median: ret,
  ret15_q3: ret,
  signals: count,
  signal_share: z.number().min(0).max(1),
  first_published: ms,
  last_published: ms,
  updated_at: ms,
})

export class ImpactHistoryRowError extends Error {}

/** Row → model. Throws ImpactHistoryRowError (with the first issues) when the row does not fit. */
export function rowToImpactHistory(row: unknown): ImpactHistory {
  const r = impactHistoryRowSchema.safeParse(row)
  if (!r.success) {
    const issues = r.error.issues
      .slice(0, 3)
      .map((i) => `${i.path.join('.') || 'row'}: ${i.message}`)
      .join('; ')
    throw new ImpactHistoryRowError(`impact_history row does not fit: ${issues}`)
  }
  const x = r.data
  if (x.signals > x.headlines) throw new ImpactHistoryRowError('impact_history row does not fit: signals > headlines')
  return {
    symbol: x.symbol,
    headlines: x.headlines,
    ret1: { n: x.ret1_n, q1: x.ret1_q1, median: x.ret1_median, q3: x.ret1_q3 },
    ret5: { n: x.ret5_n, q1: x.ret5_q1, median: x.ret5_median, q3: x.ret5_q3 },
    ret15: { n: x.ret15_n, q1: x.ret15_q1, median: x.ret15_median, q3: x.ret15_q3 },
    signals: x.signals,
    signalShare: x.signal_share,
    firstPublished: Math.round(x.first_published),
    lastPublished: Math.round(x.last_published),
    computedAt: Math.round(x.updated_at),
  }
}

/** host:port/database of a postgres:// URL, without user or password (for messages and logs). */
export function describeTarget(postgresUrl: string): string {
  try {
    const u = new URL(postgresUrl)
    return `${u.hostname || 'localhost'}:${u.port || '5432'}${u.pathname.length > 1 ? u.pathname : ''}`
  } catch {
    return 'the configured PostgreSQL'
  }
}

const NOT_REACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'ECONNRESET', 'EAI_AGAIN', 'EPIPE'])

/**
 * A short, user-facing reason why the history cannot be read. Never includes the password (only host:port/db).
 * `e` is whatever pg threw: an Error with a SQLSTATE `code`, a Node socket error, or anything else.
 */
export function unavailableMessage(e: unknown, settings: HistorySettings): string {
  const target = describeTarget(settings.postgresUrl)
  if (e instanceof ImpactHistoryRowError) return e.message
  const code = typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : ''
  const text = e instanceof Error ? e.message : String(e)
  if (code === '42P01' || code === '3F000')
    return `No impact history yet: table ${settings.schema}.impact_history is missing on ${target} (run npm run history:job)`
  if (code === '28P01' || code === '28000') return `PostgreSQL at ${target} refused the login`
  if (code === '3D000') return `PostgreSQL at ${target}: the database does not exist`
  if (code === '57014') return `PostgreSQL at ${target} did not answer in time`
  if (NOT_REACHABLE.has(code) || /timeout|terminated|ECONNREFUSED|connect/i.test(text)) return `PostgreSQL is not reachable at ${target}`
  return `Impact history unavailable (${target}): ${text.replace(/postgres(ql)?:\/\/\S+/gi, '<url>').slice(0, 160)}`
}

export interface ImpactHistoryServiceOptions {
  /** Opens a source for the given settings (the pg adapter in the app, a fake in tests). */
  open: (settings: HistorySettings) => ImpactHistorySource
  /** How long an answer is reused. */
  ttlMs?: number
  /** How long an `unavailable` answer is reused (shorter: the database may come up). */
  unavailableTtlMs?: number
  /** Bound on cached symbols. */
  maxEntries?: number
  now?: () => number
  /** Called when the state changes between available and unavailable (not on every request). */
  onUnavailable?: (message: string | null) => void
}

export interface ImpactHistoryService {
  /** Never rejects: a store that cannot answer gives `{ state: 'unavailable' }`. */
  get(symbol: string, settings: HistorySettings): Promise<ImpactHistoryAnswer>
  close(): Promise<void>
}

/**
 * Caches answers per symbol (60 s; 10 s for `unavailable`), shares one in-flight read per symbol, and reopens the
 * source when the settings change (closing the old one).
 */
export function createImpactHistoryService(opts: ImpactHistoryServiceOptions): ImpactHistoryService {
  const ttl = opts.ttlMs ?? 60_000
  const unavailableTtl = opts.unavailableTtlMs ?? 10_000
  const maxEntries = opts.maxEntries ?? 200
  const now = opts.now ?? Date.now
  const cache = new Map<string, { at: number; answer: ImpactHistoryAnswer }>()
  const inflight = new Map<string, Promise<ImpactHistoryAnswer>>()
  let source: { key: string; settings: HistorySettings; src: ImpactHistorySource } | null = null
  let lastProblem: string | null = null
  let closing: Promise<void> = Promise.resolve()

  const closeSource = (): void => {
    const old = source
    source = null
    if (old) closing = closing.then(() => old.src.close()).catch(() => undefined)
  }

  const current = (settings: HistorySettings): ImpactHistorySource => {
    const key = JSON.stringify([settings.postgresUrl, settings.schema])
    if (source?.key !== key) {
      closeSource()
      cache.clear()
      inflight.clear()
      source = { key, settings, src: opts.open(settings) }
    }
    return source.src
  }

  const note = (problem: string | null): void => {
    if (problem === lastProblem) return
    lastProblem = problem
    opts.onUnavailable?.(problem)
  }

  const read = async (src: ImpactHistorySource, symbol: string, settings: HistorySettings): Promise<ImpactHistoryAnswer> => {
    let answer: ImpactHistoryAnswer
    try {
      answer = { state: 'ready', history: await src.get(symbol) }
      note(null)
    } catch (e) {
      answer = { state: 'unavailable', message: unavailableMessage(e, settings) }
      note(answer.message)
    }
    return answer
  }

  return {
    async get(symbol, settings) {
      let src: ImpactHistorySource
      try {
        src = current(settings)
      } catch (e) {
        return { state: 'unavailable', message: unavailableMessage(e, settings) }
      }
      const hit = cache.get(symbol)
      if (hit && now() - hit.at < (hit.answer.state === 'ready' ? ttl : unavailableTtl)) return hit.answer
      const pending = inflight.get(symbol)
      if (pending) return pending
      const p = read(src, symbol, settings).then((answer) => {
        // Settings may have changed while this read ran: only the current source's answers are kept.
        if (source?.src === src) {
          cache.delete(symbol)
          cache.set(symbol, { at: now(), answer })
          while (cache.size > maxEntries) cache.delete(cache.keys().next().value as string)
          inflight.delete(symbol)
        }
        return answer
      })
      inflight.set(symbol, p)
      return p
    },
    async close() {
      closeSource()
      cache.clear()
      inflight.clear()
      await closing
    },
  }
}
