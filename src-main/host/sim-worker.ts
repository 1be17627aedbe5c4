// Demo mode: the Polygon + Guardian simulator in its own worker thread, so generating the market never
// competes with the window or the ingest worker for the same event loop.
import { parentPort, workerData } from 'node:worker_threads'
import { createSimulator } from '../simulator/index'
import { mountGuardian } from '../simulator/guardian/index'
import { demoClock } from '../simulator/demo-clock'

interface SimWorkerData {
  seed: number
  watchlist: { symbol: string; aliases?: string[] }[]
  intensity?: number
  articlesPerHour?: number
  quoteRatio?: number
  historyMs?: number
  port?: number
}

async function main(): Promise<void> {
  const port = parentPort
  if (!port) throw new Error('sim-worker must run in a worker thread')
  const data = workerData as SimWorkerData
  // In a weekday session the demo runs on the wall clock; otherwise from the latest weekday's 11:00 ET, in real
  // time (demo-clock.ts), so impact and move alerts have a session to measure at any hour.
  const { clock, clockOffsetMs } = demoClock(Date.now())
  const sim = await createSimulator({
    port: data.port ?? 0,
    seed: data.seed,
    key: 'demo',
    clock,
    // Frames every 2 ms: the real feed streams events as they happen; a coarser tick adds up to its length
    // to every trade's delay on screen (5 ms measured 12 → 8 ms trade → page at p50, 40 → 26 ms at p99).
    tickMs: 2,
    ...(data.intensity ? { intensity: data.intensity } : {}),
    ...(data.quoteRatio !== undefined ? { quoteRatio: data.quoteRatio } : {}),
    ...(data.historyMs !== undefined ? { historyMs: data.historyMs } : {}),
  })
  const guardian = mountGuardian(sim, {
    key: 'demo',
    seed: data.seed,
    watchlist: data.watchlist,
    ...(data.articlesPerHour ? { articlesPerHour: data.articlesPerHour } : {}),
  })
  port.on('message', (m: unknown) => {
    if ((m as { type?: unknown })?.type !== 'stop') return
    guardian.close()
    void sim.close().then(() => port.postMessage({ type: 'stopped' }))
  })
  port.postMessage({ type: 'ready', wsBase: sim.wsBase, httpBase: sim.httpBase, clockOffsetMs })
}

main().catch((err: unknown) => {
  parentPort?.postMessage({ type: 'error', message: err instanceof Error ? err.message : String(err) })
})
