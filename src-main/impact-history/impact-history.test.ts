import { describe, expect, it } from 'vitest'
import { impactHistoryAnswerSchema, type ImpactHistory } from '../../src-preload/contract'
import {
  IMPACT_HISTORY_COLUMNS,
  ImpactHistoryRowError,
  createImpactHistoryService,
  describeTarget,
  rowToImpactHistory,
  selectImpactHistorySql,
  unavailableMessage,
  type HistorySettings,
  type ImpactHistorySource,
} from './impact-history'

const T0 = Date.UTC(2026, 0, 5, 14, 30)
const row = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  symbol: 'AAPL',
  headlines: 42,
  ret1_n: 42,
  ret1_q1: -0.001,
  ret1_median: 0.002,
  ret1_q3: 0.004,
  ret5_n: 40,
  ret5_q1: -0.002,
  ret5_median: 0.008,
  ret5_q3: 0.011,
  ret15_n: 38,
  ret15_q1: null,
  ret15_median: null,
  ret15_q3: null,
  signals: 13,
  signal_share: 13 / 42,
  first_published: T0,
  last_published: T0 + 86_400_000,
  updated_at: T0 + 90_000_000.4,
  ...over,
})

const settings: HistorySettings = { postgresUrl: 'postgres://me:s3cret@db.local:5433/newstape', schema: 'public' }

describe('rowToImpactHistory', () => {
  it('maps every column to the model (times rounded to ms)', () => {
    const h = rowToImpactHistory(row())
    expect(h).toEqual({
      symbol: 'AAPL',
      headlines: 42,
      ret1: { n: 42, q1: -0.001, median: 0.002, q3: 0.004 },
      ret5: { n: 40, q1: -0.002, median: 0.008, q3: 0.011 },
      ret15: { n: 38, q1: null, median: null, q3: null },
      signals: 13,
      signalShare: 13 / 42,
      firstPublished: T0,
      lastPublished: T0 + 86_400_000,
      computedAt: T0 + 90_000_000,
    } satisfies ImpactHistory)
    // The model is exactly what the contract's result schema accepts.
    expect(impactHistoryAnswerSchema.safeParse({ state: 'ready', history: h }).success).toBe(true)
  })

  it.each([
    ['not an object', 'AAPL', /row/],
    ['null', null, /row/],
    ['missing column', (() => {
      const r = row()
      delete r.ret5_median
      return r
    })(), /ret5_median/],
    ['count as string (numeric type leaked)', row({ headlines: '42' }), /headlines/],
    ['negative count', row({ ret1_n: -1 }), /ret1_n/],
    ['fractional count', row({ signals: 1.5 }), /signals/],
    ['share above 1', row({ signal_share: 1.2 }), /signal_share/],
    ['NaN quartile', row({ ret5_q1: Number.NaN }), /ret5_q1/],
    ['Infinity median', row({ ret1_median: Number.POSITIVE_INFINITY }), /ret1_median/],
    ['time as Date (wrong query)', row({ updated_at: new Date(T0) }), /updated_at/],
    ['empty symbol', row({ symbol: '' }), /symbol/],
    ['signals above headlines', row({ signals: 43 }), /signals > headlines/],
  ])('rejects %s', (_name, input, message) => {
    expect(() => rowToImpactHistory(input)).toThrow(ImpactHistoryRowError)
    expect(() => rowToImpactHistory(input)).toThrow(message)
  })

  it.each([
    ['no signals', row({ signals: 0, signal_share: 0 })],
    ['all quartiles null', row({ ret1_q1: null, ret1_median: null, ret1_q3: null, ret1_n: 0 })],
    ['extra columns ignored', row({ extra: 'x' })],
  ])('accepts %s', (_name, input) => {
    expect(rowToImpactHistory(input).symbol).toBe('AAPL')
  })
})

describe('selectImpactHistorySql', () => {
  it('selects every column once, times as epoch ms, symbol as a parameter', () => {
    const sql = selectImpactHistorySql('nt_hist')
    for (const c of IMPACT_HISTORY_COLUMNS) expect(sql).toMatch(new RegExp(`\\b${c}\\b`))
    expect(sql).toContain('(extract(epoch from updated_at) * 1000)::float8 AS updated_at')
    expect(sql).toContain('FROM "nt_hist".impact_history WHERE symbol = $1')
    expect(sql).not.toContain('AAPL')
  })

  it.each(['Public', 'a-b', 'x"; drop table impact_history; --', '', '1abc', 'a'.repeat(64)])('refuses schema %j', (schema) => {
    expect(() => selectImpactHistorySql(schema)).toThrow(/schema/)
  })
})

describe('unavailableMessage', () => {
  const err = (code: string, message = 'x') => Object.assign(new Error(message), { code })
  it.each([
    [err('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5433'), 'PostgreSQL is not reachable at db.local:5433/newstape'],
    [err('ENOTFOUND', 'getaddrinfo ENOTFOUND db.local'), 'PostgreSQL is not reachable at db.local:5433/newstape'],
    [new Error('timeout expired'), 'PostgreSQL is not reachable at db.local:5433/newstape'],
    [new Error('Connection terminated unexpectedly'), 'PostgreSQL is not reachable at db.local:5433/newstape'],
    [err('42P01', 'relation "public.impact_history" does not exist'), 'No impact history yet: table public.impact_history is missing on db.local:5433/newstape (run npm run history:job)'],
    [err('3F000', 'schema "x" does not exist'), 'No impact history yet: table public.impact_history is missing on db.local:5433/newstape (run npm run history:job)'],
    [err('28P01', 'password authentication failed for user "me"'), 'PostgreSQL at db.local:5433/newstape refused the login'],
    [err('3D000', 'database "newstape" does not exist'), 'PostgreSQL at db.local:5433/newstape: the database does not exist'],
    [err('57014', 'canceling statement due to statement timeout'), 'PostgreSQL at db.local:5433/newstape did not answer in time'],
    [new ImpactHistoryRowError('impact_history row does not fit: headlines: bad'), 'impact_history row does not fit: headlines: bad'],
    [err('XX000', 'odd failure near postgres://me:s3cret@db.local/x'), 'Impact history unavailable (db.local:5433/newstape): odd failure near <url>'],
    ['a string', 'Impact history unavailable (db.local:5433/newstape): a string'],
  ])('%s', (e, expected) => {
    const m = unavailableMessage(e, settings)
    expect(m).toBe(expected)
    expect(m).not.toContain('s3cret')
  })

  it.each([
    ['postgres://u:p@h:1/db', 'h:1/db'],
    ['postgres://h', 'h:5432'],
    ['not a url', 'the configured PostgreSQL'],
  ])('describeTarget(%s) = %s', (url, expected) => {
    expect(describeTarget(url)).toBe(expected)
  })
})

/** A source whose answers the test scripts; records reads, opens and closes. */
function fakeSources(answer: (symbol: string, n: number) => Promise<ImpactHistory | null>) {
  const reads: string[] = []
  const opened: HistorySettings[] = []
  let closed = 0
  const open = (s: HistorySettings): ImpactHistorySource => {
    opened.push(s)
    return {
      get: (symbol) => {
        reads.push(symbol)
        return answer(symbol, reads.length)
      },
      close: async () => void closed++,
    }
  }
  return { open, reads, opened, closed: () => closed }
}

const history = (symbol: string): ImpactHistory => rowToImpactHistory(row({ symbol }))

describe('impact history service', () => {
  it('caches a ready answer for the TTL, then reads again', async () => {
    let t = 0
    const f = fakeSources(async (s) => history(s))
    const svc = createImpactHistoryService({ open: f.open, ttlMs: 60_000, now: () => t })
    expect(await svc.get('AAPL', settings)).toEqual({ state: 'ready', history: history('AAPL') })
    t = 59_999
    await svc.get('AAPL', settings)
    expect(f.reads).toEqual(['AAPL'])
    await svc.get('MSFT', settings)
    t = 60_000
    await svc.get('AAPL', settings)
    expect(f.reads).toEqual(['AAPL', 'MSFT', 'AAPL'])
  })

  it('no row is a ready answer with null history (cached too)', async () => {
    const f = fakeSources(async () => null)
    const svc = createImpactHistoryService({ open: f.open, now: () => 0 })
    expect(await svc.get('ZZZ', settings)).toEqual({ state: 'ready', history: null })
    await svc.get('ZZZ', settings)
    expect(f.reads).toHaveLength(1)
  })

  it('a failing store gives unavailable (never a rejection), retried after the shorter TTL, and recovers', async () => {
    let t = 0
    let down = true
    const changes: (string | null)[] = []
    const f = fakeSources(async (s) => {
      if (down) throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })
      return history(s)
    })
    const svc = createImpactHistoryService({ open: f.open, unavailableTtlMs: 10_000, now: () => t, onUnavailable: (m) => void changes.push(m) })
    const a = await svc.get('AAPL', settings)
    expect(a).toEqual({ state: 'unavailable', message: 'PostgreSQL is not reachable at db.local:5433/newstape' })
    expect(impactHistoryAnswerSchema.safeParse(a).success).toBe(true)
    t = 5_000
    await svc.get('AAPL', settings)
    expect(f.reads).toHaveLength(1)
    await svc.get('MSFT', settings) // a second symbol while down: reported once
    t = 20_000
    down = false
    expect((await svc.get('AAPL', settings)).state).toBe('ready')
    expect(changes).toEqual(['PostgreSQL is not reachable at db.local:5433/newstape', null])
  })

  it('a malformed row is unavailable with the reason', async () => {
    const f = fakeSources(async () => rowToImpactHistory(row({ headlines: -3 })))
    const svc = createImpactHistoryService({ open: f.open })
    const a = await svc.get('AAPL', settings)
    expect(a.state).toBe('unavailable')
    expect(a.state === 'unavailable' && a.message).toMatch(/headlines/)
  })

  it('concurrent requests for one symbol share a single read', async () => {
    let release: () => void = () => undefined
    const gate = new Promise<void>((r) => (release = r))
    const f = fakeSources(async (s) => {
      await gate
      return history(s)
    })
    const svc = createImpactHistoryService({ open: f.open })
    const all = Promise.all([svc.get('AAPL', settings), svc.get('AAPL', settings), svc.get('NVDA', settings)])
    release()
    const [a, b, c] = await all
    expect(a).toBe(b)
    expect(c.state === 'ready' && c.history?.symbol).toBe('NVDA')
    expect(f.reads).toEqual(['AAPL', 'NVDA'])
  })

  it('new settings reopen the source, close the old one and drop the cache', async () => {
    const f = fakeSources(async (s) => history(s))
    const svc = createImpactHistoryService({ open: f.open, now: () => 0 })
    await svc.get('AAPL', settings)
    await svc.get('AAPL', { ...settings, schema: 'other' })
    expect(f.opened.map((s) => s.schema)).toEqual(['public', 'other'])
    expect(f.reads).toEqual(['AAPL', 'AAPL'])
    await svc.close()
    expect(f.closed()).toBe(2)
  })

  it('keeps at most maxEntries symbols', async () => {
    const f = fakeSources(async (s) => history(s))
    const svc = createImpactHistoryService({ open: f.open, maxEntries: 2, now: () => 0 })
    for (const s of ['A', 'B', 'C', 'A']) await svc.get(s, settings)
    // A was evicted by C, so the second A reads again.
    expect(f.reads).toEqual(['A', 'B', 'C', 'A'])
  })
})
