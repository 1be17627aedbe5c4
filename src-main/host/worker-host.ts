// Main-side handle on the ingest worker: spawns it, speaks the typed protocol, acknowledges batches (flow
// control), answers history requests and restarts the worker with backoff if it ever dies.
import { Worker } from 'node:worker_threads'
import type { Bar, Timeframe } from '../domain/market'
import type { WatchlistEntry } from '../domain/watchlist'
import type { IngestConfig, WorkerCommand, WorkerEvent } from './protocol'
import type { ImpactSettings } from '../domain/impact'

export interface IngestHost {
  send(cmd: Exclude<WorkerCommand, { type: 'start' | 'ack' | 'history' | 'stop' }>): void
  on(listener: (ev: WorkerEvent) => void): () => void
  history(symbol: string, timeframe: Timeframe, limit: number): Promise<Bar[]>
  /** Asks the worker to flush or spool, waits for `stopped` (bounded), then terminates it. */
  stop(): Promise<void>
  readonly restarts: number
}

export interface WorkerLike {
  postMessage(msg: unknown): void
  on(event: 'message', l: (m: unknown) => void): unknown
  on(event: 'error', l: (e: Error) => void): unknown
  on(event: 'exit', l: (code: number) => void): unknown
  terminate(): Promise<number>
}

export type WorkerFactory = () => WorkerLike

/** Picks the bundled JS worker next to the bundle, or the TS source through the tsx bootstrap in dev/test. */
export function defaultWorkerFactory(name = 'ingest-worker'): WorkerFactory {
  const here = import.meta.url
  if (here.endsWith('.ts')) {
    const entry = new URL(`./${name}.ts`, here).href
    return () => new Worker(new URL('./worker-boot.mjs', here), { workerData: { __entry: entry } })
  }
  return () => new Worker(new URL(`./${name}.js`, here))
}

export interface StartOptions {
  factory?: WorkerFactory
  stopTimeoutMs?: number
  /** Restart delay after an unexpected exit, doubled per consecutive crash, capped. */
  restartDelayMs?: number
}

export function startIngestWorker(initial: IngestConfig, opts: StartOptions = {}): IngestHost {
  const factory = opts.factory ?? defaultWorkerFactory()
  const stopTimeoutMs = opts.stopTimeoutMs ?? 10_000
  const baseDelay = opts.restartDelayMs ?? 500
  const listeners = new Set<(ev: WorkerEvent) => void>()
  const pendingHistory = new Map<number, { resolve: (b: Bar[]) => void; reject: (e: Error) => void }>()
  let config: IngestConfig = initial
  let paused = false
  let nextRequestId = 1
  let stopping = false
  let restarts = 0
  let crashStreak = 0
  let worker: WorkerLike
  let stoppedResolve: (() => void) | null = null

  const emit = (ev: WorkerEvent): void => {
    for (const l of listeners) {
      try {
        l(ev)
      } catch (err) {
        // A faulty listener must not break the stream for the others.
        emitLog('error', `listener failed: ${String(err)}`)
      }
    }
  }
  const emitLog = (level: 'info' | 'warn' | 'error', message: string): void => {
    for (const l of listeners) {
      try {
        l({ type: 'log', level, message })
      } catch {
        /* ignore */
      }
    }
  }

  const spawn = (): void => {
    const w = factory()
    worker = w
    w.on('message', (m: unknown) => {
      const ev = m as WorkerEvent
      if (!ev || typeof ev !== 'object' || typeof (ev as { type?: unknown }).type !== 'string') return
      if (ev.type === 'batch') {
        emit(ev)
        // Acknowledge after the listeners ran: the worker coalesces until then.
        w.postMessage({ type: 'ack', seq: ev.seq } satisfies WorkerCommand)
        crashStreak = 0
        return
      }
      if (ev.type === 'history') {
        const p = pendingHistory.get(ev.requestId)
        if (p) {
          pendingHistory.delete(ev.requestId)
          p.resolve(ev.bars)
        }
        return
      }
      if (ev.type === 'stopped') {
        stoppedResolve?.()
        return
      }
      emit(ev)
    })
    w.on('error', (err: Error) => emitLog('error', `ingest worker error: ${err.message}`))
    w.on('exit', (code: number) => {
      for (const [id, p] of pendingHistory) {
        p.reject(new Error('ingest worker exited'))
        pendingHistory.delete(id)
      }
      if (stopping) return
      crashStreak++
      restarts++
      const delay = Math.min(baseDelay * 2 ** (crashStreak - 1), 30_000)
      emitLog('error', `ingest worker exited with code ${code}; restarting in ${delay} ms`)
      setTimeout(() => {
        if (stopping) return
        spawn()
      }, delay).unref?.()
    })
    w.postMessage({ type: 'start', config } satisfies WorkerCommand)
    if (paused) w.postMessage({ type: 'pause' } satisfies WorkerCommand)
  }

  spawn()

  return {
    get restarts() {
      return restarts
    },
    send(cmd) {
      // Remember state the worker must get back after a restart.
      if (cmd.type === 'watchlist') config = { ...config, watchlist: cmd.watchlist as WatchlistEntry[] }
      if (cmd.type === 'thresholds') config = { ...config, thresholds: cmd.thresholds as ImpactSettings }
      if (cmd.type === 'pause') paused = true
      if (cmd.type === 'resume') paused = false
      worker.postMessage(cmd)
    },
    on(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    history(symbol, timeframe, limit) {
      const requestId = nextRequestId++
      return new Promise<Bar[]>((resolve, reject) => {
        pendingHistory.set(requestId, { resolve, reject })
        worker.postMessage({ type: 'history', requestId, symbol, timeframe, limit } satisfies WorkerCommand)
      })
    },
    async stop() {
      if (stopping) return
      stopping = true
      const w = worker
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, stopTimeoutMs)
        stoppedResolve = () => {
          clearTimeout(t)
          resolve()
        }
        w.postMessage({ type: 'stop' } satisfies WorkerCommand)
      })
      await w.terminate()
    },
  }
}
