// Benchmark simulator thread: a market at a fixed midday clock (steady intraday rates) with a chosen
// intensity. Reports its clock offset so the ingest side can turn trade timestamps into wall-clock latency.
import { parentPort, workerData } from 'node:worker_threads'
import { createSimulator } from '../../../src-main/simulator/index'

const d = workerData as { intensity: number; start: number; seed: number }
const sim = await createSimulator({
  port: 0,
  seed: d.seed,
  key: 'bench',
  clock: { kind: 'accelerated', factor: 1, start: d.start },
  intensity: d.intensity,
  quoteRatio: 0,
  historyMs: 0,
  // Frames every 2 ms (the demo uses 15): latency is measured from a trade's own timestamp, so the
  // simulator's batching interval would otherwise count as feed latency. The real feed streams continuously.
  tickMs: 2,
})
const port = parentPort!
port.postMessage({ type: 'ready', wsBase: sim.wsBase, httpBase: sim.httpBase, offset: sim.now() - Date.now() })
port.on('message', (m: { type: string }) => {
  if (m.type === 'stats') port.postMessage({ type: 'stats', ...sim.stats(), at: Date.now() })
  if (m.type === 'stop') void sim.close().then(() => port.postMessage({ type: 'stopped' }))
})
