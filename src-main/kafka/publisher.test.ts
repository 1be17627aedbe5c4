// Publisher state machine against a scripted transport (the real broker is exercised in tests/integration).
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { Trade } from '../domain/market'
import type { KafkaConfig } from './config'
import { createPublisher, type Publisher, type PublisherTuning } from './publisher'
import type { EncodedRecord } from './records'
import type { Transport } from './transport'

const T0 = Date.UTC(2026, 10, 27, 15, 30)
const trade = (i: number): Trade => ({
  symbol: i % 2 ? 'AAPL' : 'MSFT',
  price: 100 + (i % 50) / 100,
  size: 1 + (i % 7),
  ts: T0 + i,
  exchange: 4,
  conditions: [],
  seq: i,
  id: `id-${i}`,
  tape: 3,
})
const idOf = (r: EncodedRecord): string => (JSON.parse(r.value) as Trade).id

/**
 * A broker stand-in the test scripts: up/down, fail N sends, or hold sends until released. It keeps the
 * Transport contract for overlapping sends: they reach the "broker" in call order, and once one fails every
 * later send of that connection fails too (Kafka refuses a later batch of an idempotent producer whose earlier
 * batch is missing) until connect() starts a new session.
 */
class ScriptedTransport implements Transport {
  up = true
  failSends = 0
  hold = false
  /** Every send takes this long (a broker round trip). */
  delayMs = 0
  delivered: EncodedRecord[] = []
  topics: string[] = []
  connects = 0
  sends = 0
  inFlight = 0
  maxInFlight = 0
  private held: ((fail: boolean) => void)[] = []
  private outcome: Promise<void> = Promise.resolve()
  connect(): Promise<void> {
    this.connects++
    if (!this.up) return Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:9092'))
    this.outcome = Promise.resolve()
    return Promise.resolve()
  }
  ensureTopics(topics: readonly string[]): Promise<void> {
    if (!this.up) return Promise.reject(new Error('down'))
    this.topics = [...topics]
    return Promise.resolve()
  }
  send(records: readonly EncodedRecord[]): Promise<void> {
    this.sends++
    this.inFlight++
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight)
    const earlier = this.outcome
    const mine = (async (): Promise<void> => {
      try {
        if (!this.up) throw new Error('Connection error: ECONNREFUSED')
        if (this.failSends > 0) {
          this.failSends--
          throw new Error('NOT_LEADER_OR_FOLLOWER')
        }
        if (this.hold && (await new Promise<boolean>((res) => this.held.push(res))))
          throw new Error('Connection error: ECONNRESET')
        if (this.delayMs > 0) await new Promise((res) => setTimeout(res, this.delayMs))
        await earlier
        this.delivered.push(...records)
      } finally {
        this.inFlight--
      }
    })()
    this.outcome = mine
    return mine
  }
  /** Let held sends go on; with `fail`, they fail (the connection dropped while they were in flight). */
  release(fail = false): void {
    this.hold = false
    for (const r of this.held.splice(0)) r(fail)
  }
  disconnect(): Promise<void> {
    return Promise.resolve()
  }
}

let dir: string
const pubs: Publisher[] = []
const config = (over: Partial<KafkaConfig> = {}): KafkaConfig => ({
  enabled: true,
  brokers: ['127.0.0.1:9092'],
  topicPrefix: 'test.',
  partitions: 3,
  spoolDir: join(dir, 'spool'),
  spoolCapBytes: 64 * 1024 * 1024,
  ...over,
})
const fast: Partial<PublisherTuning> = {
  lingerMs: 1,
  retry: { baseMs: 5, capMs: 20, kind: 'none' },
  batchBytes: 2048,
  closeTimeoutMs: 2000,
}
const mk = (
  t: Transport,
  over: Partial<KafkaConfig> = {},
  tuning: Partial<PublisherTuning> = {},
): Publisher => {
  const p = createPublisher(config(over), { transport: t, tuning: { ...fast, ...tuning } })
  pubs.push(p)
  return p
}
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'pub-'))
})
afterEach(async () => {
  for (const p of pubs.splice(0)) await p.close()
  rmSync(dir, { recursive: true, force: true })
})

/** First occurrence order of ids, and whether every repeat is byte-identical to its first copy. */
function dedupe(records: EncodedRecord[]): { ids: string[]; exactRepeats: boolean; dups: number } {
  const seen = new Map<string, EncodedRecord>()
  let exact = true
  let dups = 0
  for (const r of records) {
    const id = idOf(r)
    const prev = seen.get(id)
    if (prev) {
      dups++
      if (prev.key !== r.key || prev.value !== r.value || prev.topic !== r.topic) exact = false
    } else seen.set(id, r)
  }
  return { ids: [...seen.keys()], exactRepeats: exact, dups }
}
const ids = (from: number, to: number): string[] =>
  Array.from({ length: to - from }, (_, i) => `id-${from + i}`)

describe('publisher', () => {
  it('publishes in order with keys, schema headers and prefixed topics, and creates every topic', async () => {
    const t = new ScriptedTransport()
    const p = mk(t)
    for (let i = 0; i < 500; i++) expect(p.publish('market.trades', trade(i))).toBe(true)
    await p.flush()
    expect(t.delivered.map(idOf)).toEqual(ids(0, 500))
    expect(t.delivered[1]).toMatchObject({ topic: 'test.market.trades', key: 'AAPL', schema: 'trade/v2' })
    expect(t.topics).toEqual([
      'test.market.trades',
      'test.market.bars.1s',
      'test.market.bars.1m',
      'test.market.quotes',
      'test.news.articles',
      'test.signals.news-impact',
      'test.signals.moves',
    ])
    expect(p.status()).toMatchObject({ state: 'connected', spooledRecords: 0, droppedRecords: 0 })
    expect(p.metrics()).toMatchObject({ acked: 500, rejected: 0, spooled: 0 })
  })

  it('rejects malformed records with a counted error and keeps publishing', async () => {
    const t = new ScriptedTransport()
    const p = mk(t)
    const bad: [unknown, unknown][] = [
      ['market.trades', null],
      ['market.trades', { ...trade(1), price: 'NaN' }],
      ['market.trades', { ...trade(1), ts: undefined }],
      ['market.nope', trade(1)],
      [42, trade(1)],
      ['news.articles', trade(1)],
      ['market.trades', JSON.parse('{"__proto__":{"x":1}}')],
    ]
    p.publish('market.trades', trade(0))
    for (const [topic, rec] of bad) expect(p.publishUnknown(topic, rec)).toBe(false)
    p.publish('market.trades', trade(1))
    await p.flush()
    expect(t.delivered.map(idOf)).toEqual(['id-0', 'id-1'])
    expect(p.metrics().rejected).toBe(bad.length)
    expect(p.status().rejectedRecords).toBe(bad.length)
    expect(p.status().lastError).toMatch(/invalid/)
  })

  it('spools while the broker is unreachable and replays in order before live records when it returns', async () => {
    const t = new ScriptedTransport()
    t.up = false
    const p = mk(t)
    for (let i = 0; i < 300; i++) p.publish('market.trades', trade(i))
    await p.flush()
    expect(t.delivered).toEqual([])
    expect(p.status()).toMatchObject({ state: 'spooling', spooledRecords: 300 })
    expect(p.status().message).toMatch(/spooling 300 records/)
    t.up = true
    for (let i = 300; i < 400; i++) p.publish('market.trades', trade(i))
    await vi.waitFor(() => expect(p.metrics().acked).toBe(400), { timeout: 5000, interval: 10 })
    expect(t.delivered.map(idOf)).toEqual(ids(0, 400))
    await p.flush()
    expect(p.status()).toMatchObject({ state: 'connected', spooledRecords: 0 })
  })

  it('after an outage a steady stream still gets back to live (the last spooled batch hands over to the queue)', async () => {
    const t = new ScriptedTransport()
    t.up = false
    t.delayMs = 5
    const p = mk(t, {}, { batchBytes: 64 * 1024 })
    for (let i = 0; i < 200; i++) p.publish('market.trades', trade(i))
    await p.flush()
    expect(p.metrics().mode).toBe('spool')
    t.up = true
    // One record per millisecond while each replay round trip takes 5 ms: the spool is never empty between
    // two replays, so waiting for it to be empty would spool forever.
    let i = 200
    let liveAt: number | null = null
    while (i < 700) {
      p.publish('market.trades', trade(i++))
      if (liveAt === null && p.metrics().mode === 'live') liveAt = i
      await new Promise((r) => setTimeout(r, 1))
    }
    expect(liveAt).not.toBeNull()
    await p.flush()
    const d = dedupe(t.delivered)
    expect(d.ids).toEqual(ids(0, 700))
    expect(d.dups).toBe(0)
    expect(p.status()).toMatchObject({ state: 'connected', spooledRecords: 0 })
  })

  it('the last spooled batch failing puts the records queued behind it back into the spool, in order', async () => {
    const t = new ScriptedTransport()
    t.up = false
    const p = mk(t, {}, { batchBytes: 64 * 1024 })
    for (let i = 0; i < 20; i++) p.publish('market.trades', trade(i))
    await p.flush()
    t.hold = true
    t.up = true
    // The replay of the one spooled batch is held: live again, the next records queue in memory behind it.
    await vi.waitFor(() => expect(p.metrics().mode).toBe('live'), { timeout: 5000, interval: 5 })
    for (let i = 20; i < 40; i++) p.publish('market.trades', trade(i))
    expect(p.metrics().queued).toBe(20)
    t.up = false
    t.release(true)
    await vi.waitFor(() => expect(p.status().state).toBe('spooling'), { timeout: 5000, interval: 5 })
    expect(p.status().spooledRecords).toBe(40)
    t.up = true
    await vi.waitFor(() => expect(p.metrics()).toMatchObject({ mode: 'live', acked: 40 }), {
      timeout: 5000,
      interval: 10,
    })
    expect(dedupe(t.delivered).ids).toEqual(ids(0, 40))
  })

  it('a failed send puts that batch ahead of the queue in the spool: nothing missing, order kept', async () => {
    const t = new ScriptedTransport()
    const p = mk(t)
    for (let i = 0; i < 100; i++) p.publish('market.trades', trade(i))
    await p.flush()
    t.failSends = 3
    for (let i = 100; i < 1000; i++) p.publish('market.trades', trade(i))
    await vi.waitFor(() => expect(p.metrics().acked).toBe(1000), { timeout: 5000, interval: 10 })
    const d = dedupe(t.delivered)
    expect(d.ids).toEqual(ids(0, 1000))
    expect(d.dups).toBe(0)
    expect(p.metrics().spooled).toBeGreaterThan(0)
  })

  it('keeps up to maxInFlight batches in flight and settles their acks in send order', async () => {
    const t = new ScriptedTransport()
    let clock = 0
    const acks: number[][] = []
    const p = createPublisher(config(), {
      transport: t,
      tuning: { ...fast, batchBytes: 1024, maxInFlight: 3 },
      now: () => clock++,
      onAcked: (enq) => acks.push([...enq]),
    })
    pubs.push(p)
    p.publish('market.trades', trade(0))
    await p.flush()
    t.hold = true
    for (let i = 1; i < 200; i++) p.publish('market.trades', trade(i))
    await vi.waitFor(() => expect(t.inFlight).toBe(3), { timeout: 5000, interval: 5 })
    expect(p.metrics().acked).toBe(1)
    t.release()
    await p.flush()
    expect(t.maxInFlight).toBe(3)
    expect(t.delivered.map(idOf)).toEqual(ids(0, 200))
    expect(p.metrics()).toMatchObject({ acked: 200, spooled: 0 })
    // onAcked reports each batch's own records, batch after batch in publish order.
    const flat = acks.flat()
    expect(flat).toHaveLength(200)
    expect(flat).toEqual([...flat].sort((a, b) => a - b))
  })

  it('a failed batch with later batches in flight: all of them go to the spool in order, nothing missing', async () => {
    const t = new ScriptedTransport()
    const p = mk(t, {}, { batchBytes: 1024, maxInFlight: 5 })
    for (let i = 0; i < 20; i++) p.publish('market.trades', trade(i))
    await p.flush()
    t.hold = true
    t.failSends = 1
    for (let i = 20; i < 300; i++) p.publish('market.trades', trade(i))
    await vi.waitFor(() => expect(p.status().state).toBe('spooling'), { timeout: 5000, interval: 5 })
    t.release()
    await vi.waitFor(() => expect(p.metrics()).toMatchObject({ mode: 'live', queued: 0 }), {
      timeout: 5000,
      interval: 10,
    })
    await p.flush()
    const d = dedupe(t.delivered)
    expect(d.ids).toEqual(ids(0, 300))
    expect(d.exactRepeats).toBe(true)
    expect(p.metrics().spooled).toBeGreaterThan(0)
    expect(p.metrics().replayed).toBe(p.metrics().spooled)
  })

  it('a slow broker sends records to the spool; a late ack only causes exact repeats', async () => {
    const t = new ScriptedTransport()
    const p = mk(t, {}, { slowSendMs: 20 })
    t.hold = true
    for (let i = 0; i < 50; i++) p.publish('market.trades', trade(i))
    await vi.waitFor(() => expect(p.status().state).toBe('spooling'), { timeout: 5000, interval: 5 })
    for (let i = 50; i < 120; i++) p.publish('market.trades', trade(i))
    expect(p.status().spooledRecords).toBeGreaterThanOrEqual(70)
    t.release()
    await vi.waitFor(() => expect(p.metrics().mode).toBe('live'), { timeout: 5000, interval: 10 })
    await p.flush()
    const d = dedupe(t.delivered)
    expect(d.ids).toEqual(ids(0, 120))
    expect(d.exactRepeats).toBe(true)
    expect(d.dups).toBeGreaterThan(0)
  })

  it('past the spool cap it says spool_full and counts every record not kept', async () => {
    const t = new ScriptedTransport()
    t.up = false
    const p = mk(t, { spoolCapBytes: 4096 })
    for (let i = 0; i < 200; i++) p.publish('market.trades', trade(i))
    await p.flush()
    const s = p.status()
    expect(s.state).toBe('spool_full')
    expect(s.droppedRecords).toBeGreaterThan(0)
    expect(s.spooledRecords + s.droppedRecords).toBe(200)
    expect(s.spooledBytes).toBeLessThanOrEqual(4096)
    // Once spooling, publish() tells the caller a record could not be kept.
    expect(p.publish('market.trades', trade(200))).toBe(false)
    expect(p.status().droppedRecords).toBe(s.droppedRecords + 1)
  })

  it('close() with the broker away spools everything; the next start replays it before new records', async () => {
    const t1 = new ScriptedTransport()
    t1.up = false
    const p1 = createPublisher(config(), { transport: t1, tuning: fast })
    for (let i = 0; i < 250; i++) p1.publish('market.trades', trade(i))
    await p1.close()
    expect(p1.publish('market.trades', trade(999))).toBe(false)

    const t2 = new ScriptedTransport()
    const p2 = mk(t2)
    for (let i = 250; i < 300; i++) p2.publish('market.trades', trade(i))
    await vi.waitFor(() => expect(p2.metrics().acked).toBe(300), { timeout: 5000, interval: 10 })
    expect(t2.delivered.map(idOf)).toEqual(ids(0, 300))
    // Records published while the old spool replays queue up behind it in the spool, keeping order.
    expect(p2.metrics().replayed).toBe(300)
  })

  it('a bit flipped in the spool while the app was away costs one record; the status and the log say so', async () => {
    const t1 = new ScriptedTransport()
    t1.up = false
    const p1 = createPublisher(config(), { transport: t1, tuning: fast })
    for (let i = 0; i < 266; i++) p1.publish('market.trades', trade(i))
    await p1.close()
    const segDir = join(dir, 'spool')
    const seg = readdirSync(segDir).find((f) => f.endsWith('.seg')) ?? ''
    const buf = readFileSync(join(segDir, seg))
    buf[Math.floor(buf.length / 2)] = (buf[Math.floor(buf.length / 2)] ?? 0) ^ 0x10
    writeFileSync(join(segDir, seg), buf)

    const lines: string[] = []
    const t2 = new ScriptedTransport()
    const p2 = createPublisher(config(), { transport: t2, tuning: fast, log: (level, m) => lines.push(`${level} ${m}`) })
    pubs.push(p2)
    await vi.waitFor(() => expect(p2.metrics().acked).toBe(265), { timeout: 5000, interval: 10 })
    expect(new Set(t2.delivered.map(idOf)).size).toBe(265)
    const st = p2.status()
    expect(st.damagedRecords).toBe(1)
    expect(st.spoolNotice).toMatch(/^spool: 1 record damaged, 265 recovered; damaged bytes \(\d+\) kept in .*quarantine$/)
    expect(lines.filter((l) => l.includes('1 record damaged, 265 recovered'))).toHaveLength(1)
    expect(lines.find((l) => l.includes('record damaged'))).toMatch(/^warn kafka: spool:/)
  })

  it('close() with a live broker delivers everything queued', async () => {
    const t = new ScriptedTransport()
    const p = createPublisher(config(), { transport: t, tuning: { ...fast, lingerMs: 10_000 } })
    for (let i = 0; i < 10; i++) p.publish('market.trades', trade(i))
    await p.close()
    expect(t.delivered.map(idOf)).toEqual(ids(0, 10))
  })

  it('status walks connecting → retrying/spooling → connected', async () => {
    const t = new ScriptedTransport()
    t.up = false
    const p = mk(t)
    expect(p.status().state).toBe('connecting')
    p.publish('market.trades', trade(1))
    await p.flush()
    expect(p.status().state).toBe('spooling')
    expect(p.status().lastError).toMatch(/ECONNREFUSED/)
    t.up = true
    await vi.waitFor(() => expect(p.status().state).toBe('connected'), { timeout: 5000, interval: 10 })
  })

  it('an unusable spool folder is an error state with a reason, and live publishing still works', async () => {
    const t = new ScriptedTransport()
    // A regular file where the spool folder should be: mkdir fails with ENOTDIR.
    const file = join(dir, 'not-a-dir')
    writeFileSync(file, 'x')
    const p = mk(t, { spoolDir: join(file, 'spool') })
    expect(p.status().state).toBe('error')
    expect(p.status().message).toMatch(/spool unavailable/)
    p.publish('market.trades', trade(1))
    await p.flush()
    expect(t.delivered.map(idOf)).toEqual(['id-1'])
  })

  it('disabled: publishes nothing and says so', () => {
    const t = new ScriptedTransport()
    const p = mk(t, { enabled: false })
    expect(p.publish('market.trades', trade(1))).toBe(false)
    expect(p.status().state).toBe('disabled')
    expect(t.connects).toBe(0)
  })
})
