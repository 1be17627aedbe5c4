// Issue-2 end-to-end scenarios with real threads and real sockets:
//  - simulator sends a trade → its bar is updated in the engine, at 50,000 trades/s: p99 latency
//  - main-thread event-loop delay while the worker ingests 100,000 trades/s: p99
// The simulator, the ingest worker and the main thread each have their own event loop, as in the app.
import { Worker } from 'node:worker_threads'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { IngestConfig, WorkerEvent } from '../../src-main/host/protocol'
import { DEFAULT_IMPACT_SETTINGS } from '../../src-main/domain/impact'
import type { BenchResult, BenchScenario } from './types'

const QUICK = process.env.BENCH_QUICK === '1'
const WARM_MS = QUICK ? 3_000 : 6_000
const RUN_MS = QUICK ? 5_000 : 15_000
const SYMBOLS = 100

function spawn(file: string, workerData: unknown): Worker {
  const boot = new URL('../../src-main/host/worker-boot.mjs', import.meta.url)
  return new Worker(boot, { workerData: { ...(workerData as object), __entry: new URL(file, import.meta.url).href } })
}

function once<T>(w: Worker, type: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const on = (m: { type: string }): void => {
      if (m.type !== type) return
      w.off('message', on)
      resolve(m as T)
    }
    w.on('message', on)
    w.once('error', reject)
  })
}

/** Midday in New York on the latest weekday (a steady intraday rate; 17:00 UTC is 12:00 EST / 13:00 EDT). */
function middayNy(): number {
  const d = new Date()
  let t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), 17, 0, 0)
  while ([0, 6].includes(new Date(t).getUTCDay())) t -= 86_400_000
  return t
}

const symbols = Array.from({ length: SYMBOLS }, (_, i) => `B${String(i).padStart(3, '0')}`)

interface SimStats {
  tradesGenerated: number
  at: number
}

async function startSim(intensity: number): Promise<{ w: Worker; wsBase: string; httpBase: string; offset: number }> {
  const w = spawn('./workers/bench-sim.ts', { intensity, start: middayNy(), seed: 5 })
  const r = await once<{ wsBase: string; httpBase: string; offset: number }>(w, 'ready')
  return { w, ...r }
}

async function stopWorker(w: Worker): Promise<void> {
  w.postMessage({ type: 'stop' })
  await Promise.race([once(w, 'stopped'), new Promise((r) => setTimeout(r, 2_000))])
  await w.terminate()
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

async function rateOf(sim: Worker, ms: number): Promise<number> {
  sim.postMessage({ type: 'stats' })
  const a = await once<SimStats>(sim, 'stats')
  await sleep(ms)
  sim.postMessage({ type: 'stats' })
  const b = await once<SimStats>(sim, 'stats')
  return ((b.tradesGenerated - a.tradesGenerated) * 1000) / (b.at - a.at)
}

/** Intensity that gives `target` trades/s over all symbols: measured, not assumed. */
async function calibrate(target: number): Promise<number> {
  let intensity = 10
  for (let i = 0; i < 3; i++) {
    const sim = await startSim(intensity)
    // The tape only runs for symbols somebody subscribed: use a bare client via the ingest worker.
    const ingest = startIngest(sim, 0)
    await live(ingest)
    await sleep(1_000)
    const rate = await rateOf(sim.w, 1_500)
    await ingest.terminate()
    await stopWorker(sim.w)
    process.stderr.write(`  calibration: intensity ${intensity.toFixed(2)} → ${Math.round(rate)} trades/s\n`)
    if (rate <= 0) throw new Error('simulator generated no trades during calibration')
    const next = intensity * (target / rate)
    if (Math.abs(rate - target) / target < 0.1) return intensity
    intensity = next
  }
  return intensity
}

/** Resolves once the ingest worker's feed is live (worker start-up is not part of the measurement). */
function live(w: Worker): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('ingest worker did not go live within 60 s')), 60_000)
    const on = (ev: WorkerEvent): void => {
      if (ev.type === 'status' && ev.status.feed.state === 'live') {
        clearTimeout(t)
        w.off('message', on)
        resolve()
      }
    }
    w.on('message', on)
  })
}

function startIngest(sim: { wsBase: string; httpBase: string; offset: number }, _n: number): Worker {
  const dir = mkdtempSync(join(tmpdir(), 'bench-ingest-'))
  const config: IngestConfig = {
    feed: { mode: 'custom', url: `${sim.wsBase}/stocks`, restBase: sim.httpBase, key: 'bench', channels: ['T'] },
    news: { enabled: false, sections: [], tier: 'developer' },
    kafka: { enabled: false, brokers: ['127.0.0.1:9092'], topicPrefix: '', partitions: 1, spoolDir: join(dir, 'spool'), spoolCapBytes: 1e6 },
    watchlist: symbols.map((symbol) => ({ symbol, aliases: [] })),
    thresholds: DEFAULT_IMPACT_SETTINGS,
    dataDir: dir,
    historyDepth: 2_000,
    flushMs: 16,
  }
  const w = spawn('./workers/bench-ingest.ts', { config, offset: sim.offset })
  w.once('exit', () => rmSync(dir, { recursive: true, force: true }))
  // Behave like the app's host: acknowledge each batch after "handling" it.
  w.on('message', (ev: WorkerEvent) => {
    if (ev.type === 'batch') w.postMessage({ type: 'ack', seq: ev.seq })
  })
  return w
}

async function runAt(target: number): Promise<{ rate: number; p50: number; p99: number; max: number; loopP99: number; loopMax: number; ingested: number }> {
  const intensity = await calibrate(target)
  const sim = await startSim(intensity)
  const ingest = startIngest(sim, SYMBOLS)
  await live(ingest)
  await sleep(WARM_MS)
  ingest.postMessage({ type: 'record' })
  const loop = monitorEventLoopDelay({ resolution: 1 })
  loop.enable()
  const rate = await rateOf(sim.w, RUN_MS)
  loop.disable()
  ingest.postMessage({ type: 'report' })
  const rep = await once<{ trades: number; p50: number; p99: number; max: number }>(ingest, 'report')
  await ingest.terminate()
  await stopWorker(sim.w)
  return {
    rate,
    p50: rep.p50,
    p99: rep.p99,
    max: rep.max,
    ingested: (rep.trades * 1000) / RUN_MS,
    loopP99: loop.percentile(99) / 1e6,
    loopMax: loop.max / 1e6,
  }
}

export const scenarios: BenchScenario[] = [
  {
    name: 'sim→engine latency @50k trades/s',
    async run(): Promise<BenchResult[]> {
      const r = await runAt(50_000)
      const s = 'sim→engine @50k/s'
      return [
        { scenario: s, metric: 'simulator rate', value: r.rate, unit: 'trades/s', target: '≈ 50,000' },
        { scenario: s, metric: 'ingested rate', value: r.ingested, unit: 'trades/s' },
        { scenario: s, metric: 'latency p50', value: r.p50, unit: 'ms' },
        { scenario: s, metric: 'latency p99', value: r.p99, unit: 'ms', target: '≤ 20', pass: r.p99 <= 20 },
        { scenario: s, metric: 'latency max', value: r.max, unit: 'ms' },
      ]
    },
  },
  {
    name: 'main-thread event-loop delay @100k trades/s',
    async run(): Promise<BenchResult[]> {
      const r = await runAt(100_000)
      const s = 'main loop @100k/s'
      return [
        { scenario: s, metric: 'simulator rate', value: r.rate, unit: 'trades/s', target: '≈ 100,000' },
        { scenario: s, metric: 'ingested rate', value: r.ingested, unit: 'trades/s' },
        { scenario: s, metric: 'event-loop delay p99', value: r.loopP99, unit: 'ms', target: '≤ 10', pass: r.loopP99 <= 10 },
        { scenario: s, metric: 'event-loop delay max', value: r.loopMax, unit: 'ms' },
      ]
    },
  },
]
