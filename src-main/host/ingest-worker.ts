// Worker-thread entry of the ingest pipeline. Every command is parsed (zod) before it reaches the core:
// the message port is a boundary like any other.
import { parentPort } from 'node:worker_threads'
import { createIngestCore } from './ingest-core'
import { parseWorkerCommand } from './protocol-schema'
import { defaultIngestDeps } from './ingest-deps'
import type { WorkerEvent } from './protocol'

const port = parentPort
if (!port) throw new Error('ingest-worker must run in a worker thread')

const core = createIngestCore({ ...defaultIngestDeps(), emit: (ev: WorkerEvent) => port.postMessage(ev) })

port.on('message', (raw: unknown) => {
  const cmd = parseWorkerCommand(raw)
  if (!cmd.ok) {
    port.postMessage({ type: 'log', level: 'warn', message: `rejected command: ${cmd.error.slice(0, 300)}` } satisfies WorkerEvent)
    return
  }
  core.handle(cmd.value)
})

// Nothing may kill the pipeline silently: report, and let the host restart us if the state is broken.
process.on('uncaughtException', (err) => {
  port.postMessage({ type: 'log', level: 'error', message: `uncaught: ${err.stack ?? err.message}` } satisfies WorkerEvent)
})
process.on('unhandledRejection', (err) => {
  port.postMessage({ type: 'log', level: 'error', message: `unhandled rejection: ${String(err)}` } satisfies WorkerEvent)
})
