// The real worker thread, the real simulator, real sockets on 127.0.0.1.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createSimulator, type Simulator } from '../simulator/index'
import { startIngestWorker, type IngestHost } from './worker-host'
import type { IngestConfig, WorkerEvent } from './protocol'
import { DEFAULT_IMPACT_SETTINGS } from '../domain/impact'
import { demoClock } from '../simulator/demo-clock'

let sim: Simulator
let host: IngestHost
let dir: string | undefined
const events: WorkerEvent[] = []

const waitFor = async (pred: () => boolean, what: string, ms = 20_000): Promise<void> => {
  const until = Date.now() + ms
  while (!pred()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}
const batches = () => events.filter((e): e is Extract<WorkerEvent, { type: 'batch' }> => e.type === 'batch')

beforeAll(async () => {
  // A regular session whatever the hour (outside it only thin Form T prints trade, and they make no bars).
  const { clock, clockOffsetMs } = demoClock(Date.now(), 20)
  sim = await createSimulator({ port: 0, seed: 11, key: 'demo', clock, intensity: 5 })
  dir = mkdtempSync(join(tmpdir(), 'ingest-'))
  const config: IngestConfig = {
    feed: { mode: 'demo', url: `${sim.wsBase}/stocks`, restBase: sim.httpBase, key: 'demo', channels: ['T', 'AM'] },
    news: { enabled: false, sections: [], tier: 'developer' },
    kafka: { enabled: false, brokers: ['127.0.0.1:9092'], topicPrefix: '', partitions: 1, spoolDir: join(dir, 'spool'), spoolCapBytes: 1e6 },
    watchlist: [{ symbol: 'AAPL', aliases: [] }, { symbol: 'MSFT', aliases: [] }],
    thresholds: DEFAULT_IMPACT_SETTINGS,
    dataDir: dir,
    historyDepth: 500,
    flushMs: 16,
    clockOffsetMs,
  }
  host = startIngestWorker(config)
  host.on((ev) => void events.push(ev))
})

afterAll(async () => {
  await host?.stop()
  await sim?.close()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

describe('ingest worker (real thread, real simulator)', () => {
  it('goes live and streams coalesced updates for the watchlist', async () => {
    await waitFor(() => batches().some((b) => b.updates.length > 0), 'a batch with updates')
    await waitFor(
      () => events.some((e) => e.type === 'status' && e.status.feed.state === 'live'),
      'live status',
    )
    for (const b of batches()) {
      const symbols = b.updates.map((u) => u.symbol)
      expect(new Set(symbols).size).toBe(symbols.length)
      for (const s of symbols) expect(['AAPL', 'MSFT']).toContain(s)
    }
  })

  it('answers history requests with bars that agree with the updates', async () => {
    await waitFor(() => batches().length > 5, 'several batches')
    const bars = await host.history('AAPL', '1s', 50)
    expect(bars.length).toBeGreaterThan(0)
    for (const b of bars) {
      expect(b.low).toBeLessThanOrEqual(Math.min(b.open, b.close))
      expect(b.high).toBeGreaterThanOrEqual(Math.max(b.open, b.close))
    }
    expect(bars.map((b) => b.start)).toEqual([...bars.map((b) => b.start)].sort((a, b) => a - b))
  })

  it('pausing stops updates and unsubscribes; resuming restarts them', async () => {
    host.send({ type: 'pause' })
    await waitFor(() => events.some((e) => e.type === 'status' && e.status.paused && e.status.feed.state === 'paused'), 'paused status')
    // Let anything already in flight drain, then no new trade updates may arrive.
    await new Promise((r) => setTimeout(r, 300))
    const mark = batches().length
    await new Promise((r) => setTimeout(r, 800))
    expect(batches().slice(mark).filter((b) => b.updates.length > 0)).toEqual([])
    host.send({ type: 'resume' })
    await waitFor(() => batches().slice(mark).some((b) => b.updates.length > 0), 'updates after resume')
  })

  it('a malformed command is rejected with a log event, and the worker keeps going', async () => {
    const before = batches().length
    ;(host as unknown as { send(c: unknown): void }).send({ type: 'watchlist', watchlist: [{ symbol: 'bad symbol!', aliases: [] }] })
    await waitFor(() => events.some((e) => e.type === 'log' && e.message.includes('rejected command')), 'rejection log')
    await waitFor(() => batches().length > before + 2, 'more batches')
  })
})
