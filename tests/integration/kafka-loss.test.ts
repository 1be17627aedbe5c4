// Nothing lost: the simulator's trade tape flows through the real Polygon feed client into the publisher and a
// real Kafka broker (its own, on a free port, so it can be SIGKILLed without disturbing anyone). The broker is
// killed for ~30 s mid-stream and restarted; Kafka's own Java consumer then reads the topic back and it is compared with the
// simulator's ground truth.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { startBroker, type BrokerHandle } from '../../scripts/kafka/broker'
import type { Trade } from '../../src-main/domain/market'
import { createPolygonFeed, type PolygonFeed } from '../../src-main/feeds/polygon-feed'
import { createPublisher, type Publisher } from '../../src-main/kafka/publisher'
import type { KafkaState } from '../../src-main/domain/status'
import { createSimulator, type Simulator } from '../../src-main/simulator/index'
import { consumeTopic, uniquePrefix } from './kafka-helpers'

const SYMBOLS = ['AAPL', 'MSFT', 'NVDA', 'TSLA']
/** A Friday, 10:00 New York: the simulated market is open. */
const SESSION = Date.UTC(2026, 10, 27, 15, 0)
const OUTAGE_MS = 30_000

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))
const ident = (t: Pick<Trade, 'symbol' | 'seq' | 'id'>): string => `${t.symbol}|${t.seq}|${t.id}`

let dir: string
let broker: BrokerHandle
let sim: Simulator

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kafka-loss-'))
  broker = await startBroker({ dataDir: join(dir, 'broker'), heapMb: 384 })
  sim = await createSimulator({ seed: 20261127, clock: { kind: 'accelerated', factor: 10, start: SESSION } })
}, 180_000)

afterAll(async () => {
  await sim?.close()
  await broker?.stop()
  rmSync(dir, { recursive: true, force: true })
}, 60_000)

/**
 * The stream under test. stop() ends it for the test: PolygonFeed.stop() closes the socket, but frames already
 * on the wire (or queued for parsing) can still be delivered for a moment afterwards; those trades are not part
 * of the run (the publisher may be closed by then), so they are counted apart and never handed over.
 */
function session(
  prefix: string,
  onTrade: (t: Trade, pub: Publisher) => void,
): { pub: Publisher; feed: PolygonFeed; states: Set<KafkaState>; stop: () => void; late: () => number } {
  const pub = createPublisher(
    {
      enabled: true,
      brokers: [broker.brokers],
      topicPrefix: prefix,
      partitions: 3,
      spoolDir: join(dir, `spool-${prefix}`),
      spoolCapBytes: 2 * 1024 * 1024 * 1024,
    },
    // kafkajs' own connection errors during the outage are noise here; the publisher's state changes are not.
    {
      log: (level, m) =>
        level !== 'debug' && !m.startsWith('kafkajs:') && console.log(`[publisher ${level}] ${m}`),
    },
  )
  const states = new Set<KafkaState>()
  let stopped = false
  let late = 0
  const feed = createPolygonFeed({
    url: `${sim.wsBase}/stocks`,
    restBase: sim.httpBase,
    key: 'demo',
    onTrade: (t) => {
      if (stopped) {
        late++
        return
      }
      onTrade(t, pub)
      states.add(pub.status().state)
    },
  })
  feed.start()
  feed.setSubscriptions(SYMBOLS, ['T'])
  const stop = (): void => {
    stopped = true
    feed.stop()
  }
  return { pub, feed, states, stop, late: () => late }
}

describe('kafka loss (real broker, SIGKILL)', () => {
  it(
    'a 30 s broker outage mid-stream loses nothing; duplicates are exact repeats only',
    { timeout: 300_000 },
    async () => {
      const prefix = uniquePrefix('loss')
      const first = new Map<string, number>()
      const last = new Map<string, number>()
      const handed = new Set<string>()
      const refused: string[] = []
      const { pub, states, stop, late } = session(prefix, (t, p) => {
        if (!first.has(t.symbol)) first.set(t.symbol, t.seq)
        last.set(t.symbol, t.seq)
        handed.add(ident(t))
        if (!p.publish('market.trades', t)) refused.push(ident(t))
      })

      await vi.waitFor(() => expect(pub.metrics().acked).toBeGreaterThan(3000), {
        timeout: 60_000,
        interval: 100,
      })
      const ackedBeforeKill = pub.metrics().acked
      await broker.kill()
      await vi.waitFor(() => expect(pub.status().state).toBe('spooling'), { timeout: 30_000, interval: 50 })
      await sleep(OUTAGE_MS)
      const spooledDuringOutage = pub.status().spooledRecords
      expect(spooledDuringOutage).toBeGreaterThan(1000)
      const t0 = Date.now()
      await broker.restart()
      const restartMs = Date.now() - t0
      // Live again once the spool has been replayed, then a little more live traffic.
      await vi.waitFor(() => expect(pub.metrics().mode).toBe('live'), { timeout: 240_000, interval: 100 })
      const catchUpMs = Date.now() - t0 - restartMs
      await sleep(3000)
      stop()
      await pub.flush()
      const m = pub.metrics()
      const status = pub.status()
      await pub.close()
      // Every trade of the run was accepted by the publisher (none refused, none dropped at the spool cap).
      expect(refused).toEqual([])
      expect(status).toMatchObject({ state: 'connected', spooledRecords: 0, droppedRecords: 0 })
      expect(states.has('spooling')).toBe(true)

      const records = await consumeTopic(broker.brokers, `${prefix}market.trades`)
      const firstCopy = new Map<string, { key: string | null; payload: string | null }>()
      let duplicates = 0
      let inexact = 0
      for (const r of records) {
        expect(r.headers).toEqual(['schema', 'trade/v2'])
        const t = JSON.parse(r.payload ?? 'null') as Trade
        expect(r.key).toBe(t.symbol)
        const id = ident(t)
        const prev = firstCopy.get(id)
        if (prev) {
          duplicates++
          if (prev.key !== r.key || prev.payload !== r.payload) inexact++
        } else firstCopy.set(id, { key: r.key, payload: r.payload })
      }

      // Ground truth: the simulator's full tape, per symbol, between the first and the last trade the feed saw.
      const truth: Trade[] = []
      for (const s of SYMBOLS) {
        const lo = first.get(s)
        const hi = last.get(s)
        if (lo === undefined || hi === undefined) continue
        truth.push(...sim.groundTruthTrades(s).filter((t) => t.seq >= lo && t.seq <= hi))
      }
      const missingTruth = truth.filter((t) => !firstCopy.has(ident(t)))
      const missingHanded = [...handed].filter((id) => !firstCopy.has(id))
      const mismatched = truth.filter((t) => {
        const got = firstCopy.get(ident(t))
        if (!got?.payload) return false
        const k = JSON.parse(got.payload) as Trade
        return k.price !== t.price || k.size !== t.size || k.ts !== t.ts
      })

      console.log(
        `[kafka-loss] truth=${truth.length} handed=${handed.size} inKafka=${records.length} unique=${firstCopy.size} ` +
          `duplicates=${duplicates} (inexact ${inexact}) ackedBeforeKill=${ackedBeforeKill} spooledDuringOutage=${spooledDuringOutage} ` +
          `spooledTotal=${m.spooled} replayed=${m.replayed} acked=${m.acked} restartMs=${restartMs} catchUpMs=${catchUpMs} ` +
          `missingTruth=${missingTruth.length} missingHanded=${missingHanded.length} afterStop=${late()}`,
      )
      expect(truth.length).toBeGreaterThan(5000)
      expect(missingHanded).toEqual([])
      expect(missingTruth.map(ident).slice(0, 20)).toEqual([])
      expect(mismatched.map(ident).slice(0, 20)).toEqual([])
      expect(inexact).toBe(0)
    },
  )

  it('the publisher survives malformed records from the worker: counted, never published, the stream goes on', async () => {
    const prefix = uniquePrefix('malformed')
    let valid = 0
    let junk = 0
    const { pub, stop } = session(prefix, (t, p) => {
      if (valid % 50 === 0) {
        const bad: unknown[] = [
          { ...t, price: Number.NaN },
          { ...t, ts: String(t.ts) },
          { ...t, symbol: undefined },
          null,
          'not a record',
          { ...t, conditions: 'x' },
        ]
        for (const b of bad) {
          junk++
          expect(p.publishUnknown('market.trades', b)).toBe(false)
        }
      }
      if (p.publish('market.trades', t)) valid++
    })
    await vi.waitFor(() => expect(pub.metrics().acked).toBeGreaterThan(2000), {
      timeout: 60_000,
      interval: 100,
    })
    stop()
    await pub.flush()
    const status = pub.status()
    const m = pub.metrics()
    await pub.close()
    expect(m.rejected).toBe(junk)
    expect(status.rejectedRecords).toBe(junk)
    expect(status.lastError).toMatch(/invalid market\.trades record/)
    expect(status.state).toBe('connected')
    const records = await consumeTopic(broker.brokers, `${prefix}market.trades`)
    expect(records.length).toBe(valid)
    for (const r of records) {
      const t = JSON.parse(r.payload ?? 'null') as Trade
      expect(Number.isFinite(t.price) && typeof t.ts === 'number' && typeof t.symbol === 'string').toBe(true)
    }
  }, 180_000)
})
