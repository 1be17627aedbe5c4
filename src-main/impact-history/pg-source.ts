// PostgreSQL adapter of ImpactHistorySource: a small pg pool, one parametrised SELECT per symbol, the row parsed
// with zod. Short timeouts, so an absent database answers "unavailable" quickly instead of hanging the UI.
import pg from 'pg'
import type { ImpactHistory } from '../../src-preload/contract'
import { rowToImpactHistory, selectImpactHistorySql, type HistorySettings, type ImpactHistorySource } from './impact-history'

export interface PgSourceOptions {
  /** Time to get a connection (ms). */
  connectTimeoutMs?: number
  /** Server-side statement timeout (ms). */
  statementTimeoutMs?: number
  /** Idle pool connections are dropped after this (ms). */
  idleMs?: number
  log?: (message: string) => void
}

export function createPgImpactHistorySource(settings: HistorySettings, opts: PgSourceOptions = {}): ImpactHistorySource {
  const sql = selectImpactHistorySql(settings.schema)
  const pool = new pg.Pool({
    connectionString: settings.postgresUrl,
    max: 2,
    connectionTimeoutMillis: opts.connectTimeoutMs ?? 3_000,
    idleTimeoutMillis: opts.idleMs ?? 10_000,
    statement_timeout: opts.statementTimeoutMs ?? 5_000,
    query_timeout: (opts.statementTimeoutMs ?? 5_000) + 1_000,
    allowExitOnIdle: true,
    application_name: 'newstape-app',
  })
  // An idle connection that breaks (server restart) is reported here; without a listener it would crash main.
  pool.on('error', (e) => opts.log?.(`impact history pool: ${e.message}`))
  let closed = false
  return {
    async get(symbol: string): Promise<ImpactHistory | null> {
      if (closed) throw new Error('impact history source closed')
      const r = await pool.query<Record<string, unknown>>({ text: sql, values: [symbol] })
      const row: unknown = r.rows[0]
      return row === undefined ? null : rowToImpactHistory(row)
    },
    async close() {
      if (closed) return
      closed = true
      await pool.end()
    },
  }
}
