// Simulator throughput: trades generated and pushed through one real socket (T.* over the
// default universe), in fast mode and in realtime mode with a scaled intensity. The reading
// client runs in a worker thread so it does not share the simulator's event loop.
import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'
import { createSimulator } from '../../src-main/simulator/index'
import type { ClockMode } from '../../src-main/simulator/types'
import type { BenchResult, BenchScenario } from './types'

const RUN_MS = Number(process.env.BENCH_SIM_MS ?? 4000)

// Plain CommonJS for an eval worker. Counts trade elements without a full parse.
const CLIENT = `
const { parentPort, workerData } = require('node:worker_threads')
const WebSocket = require(workerData.wsPath)
const ws = new WebSocket(workerData.url)
let trades = 0, frames = 0, bytes = 0, live = false
ws.on('open', () => ws.send(JSON.stringify({ action: 'auth', params: workerData.key })))
ws.on('message', (data) => {
  const text = data.toString('utf8')
  if (!live) {
    if (text.includes('auth_success')) ws.send(JSON.stringify({ action: 'subscribe', params: 'T.*' }))
    if (text.includes('subscribed to: T.*')) { live = true; parentPort.postMessage({ type: 'live' }) }
    return
  }
  frames++
  bytes += data.length
  for (let i = text.indexOf('{"ev":"T"'); i >= 0; i = text.indexOf('{"ev":"T"', i + 9)) trades++
})
parentPort.on('message', (m) => {
  if (m === 'mark') parentPort.postMessage({ type: 'count', trades, frames, bytes })
  if (m === 'stop') { ws.terminate(); parentPort.close() }
})
`

function ask(worker: Worker): Promise<{ trades: number; frames: number; bytes: number }> {
  return new Promise((resolve) => {
    const on = (m: { type: string; trades: number; frames: number; bytes: number }): void => {
      if (m.type !== 'count') return
      worker.off('message', on)
      resolve(m)
    }
    worker.on('message', on)
    worker.postMessage('mark')
  })
}

async function measure(name: string, clock: ClockMode, intensity: number, target: number): Promise<BenchResult[]> {
  // Quotes are generated (ground truth) but not subscribed; a lower ratio leaves the CPU to trades.
  const sim = await createSimulator({ seed: 1, key: 'bench', clock, intensity, historyMs: 0, quoteRatio: 0.25 })
  const worker = new Worker(CLIENT, {
    eval: true,
    workerData: { url: `${sim.wsBase}/stocks`, key: 'bench', wsPath: createRequire(import.meta.url).resolve('ws') },
  })
  await new Promise<void>((resolve, reject) => {
    worker.on('message', (m: { type: string }) => m.type === 'live' && resolve())
    worker.once('error', reject)
  })
  const gen0 = sim.stats().tradesGenerated
  const a = await ask(worker)
  const t0 = performance.now()
  await new Promise((r) => setTimeout(r, RUN_MS))
  const b = await ask(worker)
  const secs = (performance.now() - t0) / 1000
  const generated = sim.stats().tradesGenerated - gen0
  worker.postMessage('stop')
  await sim.close()
  const rate = (b.trades - a.trades) / secs
  return [
    { scenario: name, metric: 'trades received through the socket', value: Math.round(rate), unit: 'trades/s', target: `≥ ${target.toLocaleString('en-US')}`, pass: rate >= target },
    { scenario: name, metric: 'frames', value: Math.round((b.frames - a.frames) / secs), unit: 'frames/s' },
    { scenario: name, metric: 'socket bytes', value: Math.round((b.bytes - a.bytes) / secs / 1024), unit: 'KiB/s' },
    { scenario: name, metric: 'trades generated (tape)', value: Math.round(generated / secs), unit: 'trades/s' },
  ]
}

const MIDDAY = Date.UTC(2026, 10, 18, 17)
export const scenarios: BenchScenario[] = [
  { name: 'simulator-fast', run: () => measure('simulator-fast', { kind: 'fast', start: MIDDAY }, 20, 100_000) },
  {
    name: 'simulator-realtime-100k',
    // The default universe trades ≈ 130/s at intensity 1 midday: ×770 ≈ 100,000 trades/s.
    run: () => measure('simulator-realtime-100k', { kind: 'accelerated', factor: 1, start: MIDDAY }, 770, 100_000),
  },
]

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop() ?? '-')) {
  for (const s of scenarios) console.table(await s.run())
}
