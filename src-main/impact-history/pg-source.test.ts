// The pg adapter against the machine's real PostgreSQL (127.0.0.1:5432, db `test`, as the Grafana and Flink tests
// use): the table is created in a fresh schema with the history job's own DDL and filled with the job's own
// UPSERT, both read from HistoryJob.java, so the app and the job cannot drift apart silently.
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createServer, type AddressInfo, type Socket } from 'node:net'
import { resolve } from 'node:path'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { IMPACT_HISTORY_COLUMNS, createImpactHistoryService, type HistorySettings } from './impact-history'
import { createPgImpactHistorySource } from './pg-source'

const JOB = resolve(import.meta.dirname, '../../flink/src/main/java/dev/newstape/flink/history/HistoryJob.java')

/** Evaluates a `static final String NAME = "…" + OTHER + "…";` constant of a Java source (literals and constants only). */
function javaStringConstant(source: string, name: string): string {
  const m = new RegExp(`static\\s+final\\s+String\\s+${name}\\s*=`).exec(source)
  if (!m) throw new Error(`no String constant ${name}`)
  let out = ''
  let i = m.index + m[0].length
  for (;;) {
    const ch = source[i]
    if (ch === undefined) throw new Error(`unterminated constant ${name}`)
    if (ch === ';') return out
    if (ch === '+' || /\s/.test(ch)) {
      i++
    } else if (ch === '"') {
      let j = i + 1
      while (source[j] !== '"') j += source[j] === '\\' ? 2 : 1
      out += JSON.parse(source.slice(i, j + 1)) as string
      i = j + 1
    } else {
      const id = /^[A-Z_][A-Z0-9_]*(?=[\s+;])/.exec(source.slice(i))
      if (!id) throw new Error(`cannot evaluate ${source.slice(i, i + 20)} in ${name}`)
      out += javaStringConstant(source, id[0])
      i += id[0].length
    }
  }
}

/** Column names of a CREATE TABLE statement, in order (table constraints like PRIMARY KEY(…) skipped). */
function ddlColumns(ddl: string): string[] {
  const body = ddl.slice(ddl.indexOf('(') + 1, ddl.lastIndexOf(')'))
  const cols: string[] = []
  let depth = 0
  let cur = ''
  for (const ch of body) {
    if (ch === '(') depth++
    if (ch === ')') depth--
    if (ch === ',' && depth === 0) {
      cols.push(cur)
      cur = ''
    } else cur += ch
  }
  cols.push(cur)
  return cols
    .map((c) => c.trim().split(/\s+/)[0] ?? '')
    .filter((c) => c !== '' && !/^(primary|unique|constraint|check|foreign)$/i.test(c))
}

const java = readFileSync(JOB, 'utf8')
const DDL = javaStringConstant(java, 'DDL')
/** JDBC `?` placeholders → pg's `$n`. */
const UPSERT = (() => {
  let n = 0
  return javaStringConstant(java, 'UPSERT').replace(/\?/g, () => `$${++n}`)
})()

describe('HistoryJob.java ↔ the app', () => {
  it('reads the job’s DDL and UPSERT', () => {
    expect(DDL).toMatch(/^CREATE TABLE IF NOT EXISTS impact_history \(/)
    expect(UPSERT).toMatch(/^INSERT INTO impact_history \(/)
    expect(UPSERT).toContain('to_timestamp($17::bigint / 1000.0)')
  })

  it('the app reads exactly the columns the job creates, in order', () => {
    expect(ddlColumns(DDL)).toEqual([...IMPACT_HISTORY_COLUMNS])
  })

  it.each([
    ['a renamed column', DDL.replace('ret5_median', 'ret5_p50')],
    ['an extra column', DDL.replace(' signals integer NOT NULL,', ' signals integer NOT NULL, spare integer,')],
    ['a dropped column', DDL.replace(' ret15_q3 double precision,', '')],
  ])('the comparison fails for %s', (_name, changed) => {
    expect(changed).not.toBe(DDL)
    expect(ddlColumns(changed)).not.toEqual([...IMPACT_HISTORY_COLUMNS])
  })

  it('evaluates constant concatenation and refuses what it cannot read', () => {
    const src = 'static final String A = "x(" + B + ")";\nstatic final String B = "y, \\"q\\"";\nstatic final String C = "a" + f();\n'
    expect(javaStringConstant(src, 'A')).toBe('x(y, "q")')
    expect(() => javaStringConstant(src, 'C')).toThrow(/cannot evaluate/)
    expect(() => javaStringConstant(src, 'D')).toThrow(/no String constant/)
  })
})

const PG = { host: process.env.PG_HOST ?? '127.0.0.1', port: Number(process.env.PG_PORT ?? 5432), database: process.env.PG_DATABASE ?? 'test' }

async function connect(): Promise<{ client: pg.Client; user: string }> {
  const users = process.env.PG_USER ? [process.env.PG_USER] : ['postgres', 'root']
  const errors: string[] = []
  for (const user of users) {
    const c = new pg.Client({ ...PG, user, password: process.env.PG_PASSWORD })
    try {
      await c.connect()
      return { client: c, user }
    } catch (e) {
      errors.push(`${user}: ${e instanceof Error ? e.message : String(e)}`)
      await c.end().catch(() => undefined)
    }
  }
  throw new Error(`no PostgreSQL at ${PG.host}:${PG.port}/${PG.database} (${errors.join('; ')}): start the machine's PostgreSQL or set PG_HOST/PG_USER`)
}

describe('pg impact history source (real PostgreSQL)', () => {
  const schema = `nt_hist_${randomBytes(4).toString('hex')}`
  let client: pg.Client
  let settings: HistorySettings
  const t0 = Date.UTC(2026, 0, 5, 14, 30, 0, 123)

  beforeAll(async () => {
    const c = await connect()
    client = c.client
    const pw = process.env.PG_PASSWORD ? `:${encodeURIComponent(process.env.PG_PASSWORD)}` : ''
    settings = { postgresUrl: `postgres://${encodeURIComponent(c.user)}${pw}@${PG.host}:${PG.port}/${PG.database}`, schema }
    await client.query(`CREATE SCHEMA ${schema}`)
    await client.query(`SET search_path TO ${schema}`)
    await client.query(DDL)
    // Rows as the job writes them (HistoryJob.ROW binds these 18 values in this order).
    await client.query(UPSERT, ['AAPL', 42, 42, -0.001, 0.002, 0.004, 40, -0.002, 0.008, 0.011, 38, -0.003, 0.005, 0.02, 13, 13 / 42, t0, t0 + 3_600_000])
    await client.query(UPSERT, ['BRK.B', 3, 3, null, null, null, 0, null, null, null, 0, null, null, null, 0, 0, t0, t0])
    // Re-running the job replaces the row (upsert), it does not add one.
    await client.query(UPSERT, ['MSFT', 1, 1, 0.1, 0.1, 0.1, 1, 0.1, 0.1, 0.1, 1, 0.1, 0.1, 0.1, 1, 1, t0, t0])
    await client.query(UPSERT, ['MSFT', 2, 2, 0.01, 0.015, 0.02, 2, -0.01, -0.005, 0, 2, 0.03, 0.035, 0.04, 1, 0.5, t0, t0 + 60_000])
  })

  afterAll(async () => {
    await client?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined)
    await client?.end()
  })

  it('reads a row back with every value the job wrote', async () => {
    const src = createPgImpactHistorySource(settings)
    try {
      const before = Date.now()
      const h = await src.get('AAPL')
      expect(h).toMatchObject({
        symbol: 'AAPL',
        headlines: 42,
        ret1: { n: 42, q1: -0.001, median: 0.002, q3: 0.004 },
        ret5: { n: 40, q1: -0.002, median: 0.008, q3: 0.011 },
        ret15: { n: 38, q1: -0.003, median: 0.005, q3: 0.02 },
        signals: 13,
        signalShare: 13 / 42,
        firstPublished: t0,
        lastPublished: t0 + 3_600_000,
      })
      // updated_at DEFAULT now() at insert: shortly before this read, on the same clock.
      expect(h!.computedAt).toBeLessThanOrEqual(before + 5_000)
      expect(h!.computedAt).toBeGreaterThan(before - 600_000)
    } finally {
      await src.close()
    }
  })

  it('null quartiles, the last upsert, and no row', async () => {
    const src = createPgImpactHistorySource(settings)
    try {
      expect(await src.get('BRK.B')).toMatchObject({ headlines: 3, ret5: { n: 0, q1: null, median: null, q3: null }, signalShare: 0 })
      expect(await src.get('MSFT')).toMatchObject({ headlines: 2, ret5: { n: 2, median: -0.005 }, signals: 1, signalShare: 0.5, lastPublished: t0 + 60_000 })
      expect(await src.get('NVDA')).toBeNull()
      // The symbol is a bound parameter, never SQL.
      expect(await src.get("AAPL' OR '1'='1")).toBeNull()
    } finally {
      await src.close()
    }
  })

  it('a schema without the table answers unavailable with the reason', async () => {
    const empty = `nt_hist_empty_${randomBytes(4).toString('hex')}`
    await client.query(`CREATE SCHEMA ${empty}`)
    const svc = createImpactHistoryService({ open: (s) => createPgImpactHistorySource(s) })
    try {
      const a = await svc.get('AAPL', { ...settings, schema: empty })
      expect(a).toEqual({ state: 'unavailable', message: expect.stringMatching(new RegExp(`^No impact history yet: table ${empty}\\.impact_history is missing`)) as unknown })
      // A schema that does not exist at all reads the same.
      const b = await svc.get('AAPL', { ...settings, schema: 'nt_hist_never_created' })
      expect(b.state).toBe('unavailable')
    } finally {
      await svc.close()
      await client.query(`DROP SCHEMA ${empty} CASCADE`)
    }
  })

  it('an unreachable database answers unavailable quickly, without an unhandled rejection', async () => {
    // A port that was free a moment ago: connection refused.
    const port = await new Promise<number>((res) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as AddressInfo).port
        s.close(() => res(p))
      })
    })
    const svc = createImpactHistoryService({ open: (s) => createPgImpactHistorySource(s, { connectTimeoutMs: 1_000 }) })
    try {
      const a = await svc.get('AAPL', { postgresUrl: `postgres://postgres:pw@127.0.0.1:${port}/test`, schema: 'public' })
      expect(a).toEqual({ state: 'unavailable', message: `PostgreSQL is not reachable at 127.0.0.1:${port}/test` })
    } finally {
      await svc.close()
    }
  })

  it('a server that accepts but never answers times out as unavailable', async () => {
    const sockets: Socket[] = []
    const silent = createServer((s) => void sockets.push(s))
    const port = await new Promise<number>((res) => silent.listen(0, '127.0.0.1', () => res((silent.address() as AddressInfo).port)))
    const svc = createImpactHistoryService({ open: (s) => createPgImpactHistorySource(s, { connectTimeoutMs: 300 }) })
    try {
      const a = await svc.get('AAPL', { postgresUrl: `postgres://postgres@127.0.0.1:${port}/test`, schema: 'public' })
      expect(a).toEqual({ state: 'unavailable', message: `PostgreSQL is not reachable at 127.0.0.1:${port}/test` })
    } finally {
      await svc.close()
      for (const s of sockets) s.destroy()
      await new Promise<void>((r) => silent.close(() => r()))
    }
  })
})
