// Main-side handle on the demo simulator worker: started lazily on first use, stopped on quit.
import { Worker } from 'node:worker_threads'
import type { DemoEndpoints } from '../app/ingest-config'

export interface DemoBackendOptions {
  seed?: number
  watchlist: () => { symbol: string; aliases?: string[] }[]
  intensity?: number
  /** Tests may inject a different worker; default: the sim-worker next to this module (TS via tsx in dev). */
  spawn?: (data: unknown) => Worker
}

function defaultSpawn(data: unknown): Worker {
  const here = import.meta.url
  if (here.endsWith('.ts')) {
    return new Worker(new URL('./worker-boot.mjs', here), {
      workerData: { ...(data as object), __entry: new URL('./sim-worker.ts', here).href },
    })
  }
  return new Worker(new URL('./sim-worker.js', here), { workerData: data })
}

export function createDemoBackend(opts: DemoBackendOptions) {
  let worker: Worker | null = null
  let ready: Promise<DemoEndpoints> | null = null
  const spawn = opts.spawn ?? defaultSpawn
  return {
    endpoints(): Promise<DemoEndpoints> {
      if (ready) return ready
      const w = spawn({ seed: opts.seed ?? Date.now() % 100_000, watchlist: opts.watchlist(), intensity: opts.intensity })
      worker = w
      ready = new Promise<DemoEndpoints>((resolve, reject) => {
        w.on('message', (m: { type?: string; wsBase?: string; httpBase?: string; message?: string }) => {
          if (m.type === 'ready' && m.wsBase && m.httpBase) resolve({ wsBase: m.wsBase, httpBase: m.httpBase })
          if (m.type === 'error') reject(new Error(`demo simulator failed: ${m.message ?? 'unknown'}`))
        })
        w.on('error', reject)
        w.on('exit', (code) => {
          reject(new Error(`demo simulator exited (${code})`))
          // A later call starts a fresh one.
          if (worker === w) {
            worker = null
            ready = null
          }
        })
      })
      return ready
    },
    async stop(): Promise<void> {
      const w = worker
      worker = null
      ready = null
      if (!w) return
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 3_000)
        w.on('message', (m: { type?: string }) => {
          if (m.type === 'stopped') {
            clearTimeout(t)
            resolve()
          }
        })
        w.postMessage({ type: 'stop' })
      })
      await w.terminate()
    },
  }
}
