// Benchmark ingest thread: the production ingest core (feed → parse → engine → coalesced batches), with the
// feed's trade callback wrapped to record "simulator sent → bar updated in the engine" latency.
import { parentPort, workerData } from 'node:worker_threads'
import { createHistogram } from 'node:perf_hooks'
import { createIngestCore } from '../../../src-main/host/ingest-core'
import { createPolygonFeed } from '../../../src-main/feeds/polygon-feed'
import type { IngestConfig, WorkerEvent } from '../../../src-main/host/protocol'

const d = workerData as { config: IngestConfig; offset: number }
const port = parentPort!
const hist = createHistogram()
let trades = 0
let recording = false
const core = createIngestCore({
  emit: (ev: WorkerEvent) => port.postMessage(ev),
  createFeed: (o) =>
    createPolygonFeed({
      ...o,
      onTrade: (t) => {
        o.onTrade?.(t)
        trades++
        // Trade ts is simulated time; offset maps it to this process's wall clock (factor 1).
        if (recording) hist.record(Math.max(1, Math.round((Date.now() + d.offset - t.ts) * 1000)))
      },
    }),
})
port.on('message', (m: { type: string; seq?: number }) => {
  if (m.type === 'ack') return core.handle({ type: 'ack', seq: m.seq! })
  if (m.type === 'record') {
    hist.reset()
    recording = true
    trades = 0
    return
  }
  if (m.type === 'report') {
    port.postMessage({
      type: 'report',
      trades,
      p50: hist.percentile(50) / 1000,
      p99: hist.percentile(99) / 1000,
      max: hist.max / 1000,
      count: hist.count,
    })
  }
})
core.handle({ type: 'start', config: d.config })
