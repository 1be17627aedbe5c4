// Main-side handle on the demo simulator worker: started lazily on first use, stopped on quit.
import { Worker } from 'node:worker_threads'
import type { DemoEndpoints } from '../domain/endpoints'

export interface DemoBackendOptions {
  seed?: number
  watchlist: () => { symbol: string; aliases?: string[] }[]
  intensity?: number
  /** Guardian articles per simulated hour (simulator default 12). */
  articlesPerHour?: number
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

/** A number ≥ `min` from the environment, else undefined (bad values are ignored: demo mode must start). */
function envNumber(env: NodeJS.ProcessEnv, name: string, min = Number.MIN_VALUE): number | undefined {
  const raw = env[name]
  const v = Number(raw)
  return raw !== undefined && raw.trim() !== '' && Number.isFinite(v) && v >= min ? v : undefined
}

export interface DemoEnvOverrides {
  intensity?: number
  articlesPerHour?: number
  quoteRatio?: number
  historyMs?: number
}

/**
 * Environment overrides used by the end-to-end tests and UI benchmarks: a busier market
 * (`NEWSTAPE_DEMO_INTENSITY`, multiplier on every symbol's trade rate; `NEWSTAPE_DEMO_QUOTE_RATIO`, quotes
 * per trade; `NEWSTAPE_DEMO_HISTORY_MS`, tape generated before start — keep it small at high intensity)
 * and news stream (`NEWSTAPE_DEMO_NEWS_PER_HOUR`). Options passed in code win.
 */
export function demoEnvOverrides(env: NodeJS.ProcessEnv = process.env): DemoEnvOverrides {
  const out: DemoEnvOverrides = {}
  const intensity = envNumber(env, 'NEWSTAPE_DEMO_INTENSITY')
  const articlesPerHour = envNumber(env, 'NEWSTAPE_DEMO_NEWS_PER_HOUR')
  const quoteRatio = envNumber(env, 'NEWSTAPE_DEMO_QUOTE_RATIO', 0)
  const historyMs = envNumber(env, 'NEWSTAPE_DEMO_HISTORY_MS', 0)
  if (intensity !== undefined) out.intensity = intensity
  if (articlesPerHour !== undefined) out.articlesPerHour = articlesPerHour
  if (quoteRatio !== undefined) out.quoteRatio = quoteRatio
  if (historyMs !== undefined) out.historyMs = historyMs
  return out
}

export function createDemoBackend(opts: DemoBackendOptions) {
  let worker: Worker | null = null
  let ready: Promise<DemoEndpoints> | null = null
  const spawn = opts.spawn ?? defaultSpawn
  return {
    endpoints(): Promise<DemoEndpoints> {
      if (ready) return ready
      const env = demoEnvOverrides()
      const w = spawn({
        seed: opts.seed ?? Date.now() % 100_000,
        watchlist: opts.watchlist(),
        intensity: opts.intensity ?? env.intensity,
        articlesPerHour: opts.articlesPerHour ?? env.articlesPerHour,
        quoteRatio: env.quoteRatio,
        // Two hours of tape before now, so charts open with history (REST) like on the real service.
        historyMs: env.historyMs ?? 2 * 3_600_000,
      })
      worker = w
      ready = new Promise<DemoEndpoints>((resolve, reject) => {
        w.on('message', (m: { type?: string; wsBase?: string; httpBase?: string; clockOffsetMs?: number; message?: string }) => {
          if (m.type === 'ready' && m.wsBase && m.httpBase)
            resolve({
              wsBase: m.wsBase,
              httpBase: m.httpBase,
              ...(typeof m.clockOffsetMs === 'number' && Number.isFinite(m.clockOffsetMs) ? { clockOffsetMs: m.clockOffsetMs } : {}),
            })
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
