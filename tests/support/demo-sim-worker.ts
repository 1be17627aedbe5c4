// The demo start's simulator in its own worker thread, as the app runs it (src-main/host/sim-worker.ts), but on a
// chosen simulated day (an accelerated clock at factor 1 from `start`) so the headlines fall in trading hours.
// Started through src-main/host/worker-boot.mjs by detection-session.ts. Messages: `ready` (endpoints and the
// clock's offset), then on request the eligible print times of symbols and the count of headlines before a time.
import { parentPort, workerData } from 'node:worker_threads'
import { z } from 'zod'
import { conditionFlags, NO_LAST } from '../../src-main/market/conditions'
import { mountGuardian } from '../../src-main/simulator/guardian/index'
import { createSimulator } from '../../src-main/simulator/index'
import { sessionOf } from '../../src-main/simulator/intraday'

const Data = z.object({
  seed: z.number(),
  start: z.number(),
  historyMs: z.number(),
  intensity: z.number(),
  articlesPerHour: z.number(),
  watchlist: z.array(z.object({ symbol: z.string(), aliases: z.array(z.string()) })),
  symbols: z.array(z.string()),
})

const Request = z.discriminatedUnion('type', [
  z.object({ type: z.literal('truth'), symbols: z.array(z.string()), before: z.number() }),
  z.object({ type: z.literal('stop') }),
])

async function main(): Promise<void> {
  const port = parentPort
  if (!port) throw new Error('demo-sim-worker must run in a worker thread')
  const d = Data.parse(workerData)
  const sim = await createSimulator({
    seed: d.seed,
    key: 'demo',
    clock: { kind: 'accelerated', factor: 1, start: d.start },
    intensity: d.intensity,
    historyMs: d.historyMs,
    tickMs: 2,
  })
  // The tapes before the start are generated now, not while the app starts (the demo's worker has them warm too).
  for (const s of d.symbols) sim.groundTruthTrades(s)
  const guardian = mountGuardian(sim, {
    key: 'demo',
    seed: d.seed,
    watchlist: d.watchlist,
    articlesPerHour: d.articlesPerHour,
    backfillMs: d.historyMs,
    liveBlogs: false,
  })
  port.on('message', (raw: unknown) => {
    const m = Request.safeParse(raw)
    if (!m.success) return
    if (m.data.type === 'stop') {
      guardian.close()
      void sim.close().then(() => port.postMessage({ type: 'stopped' }))
      return
    }
    const eligible: Record<string, number[]> = {}
    for (const s of m.data.symbols)
      eligible[s] = sim
        .groundTruthTrades(s)
        .filter(
          (t) =>
            sessionOf(t.ts) !== 'none' &&
            (conditionFlags(t.conditions.filter((c) => c !== 12)) & NO_LAST) === 0,
        )
        .map((t) => t.ts)
    const before = m.data.before
    const headlines = guardian
      .groundTruth()
      .filter((e) => e.published < before && e.kind !== 'liveblog').length
    port.postMessage({ type: 'truth', eligible, headlines })
  })
  port.postMessage({
    type: 'ready',
    wsBase: sim.wsBase,
    httpBase: sim.httpBase,
    simNow: sim.now(),
    wallNow: Date.now(),
  })
}

main().catch((err: unknown) => {
  parentPort?.postMessage({ type: 'error', message: err instanceof Error ? err.message : String(err) })
})
