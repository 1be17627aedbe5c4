// Browser-mode harness shared by the end-to-end tests and the UI benchmarks: the real core and server
// in this process (as src-main/serve/cli.ts composes them), the built renderer, Chromium (the system's, else
// the npm package's: scripts/chromium.ts) driven by playwright-core. Nothing is mocked.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { randomBytes } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { chromium, type Browser, type Page } from 'playwright-core'
import { launchOptions, resolveChromium } from '../../../scripts/chromium'
import { createServeServer, type ServeServer } from '../../../src-main/serve/server'
import { createNodeApp } from '../../../src-main/app/compose-node'
import type { AppCore } from '../../../src-main/app/app-core'

export const REPO_ROOT = resolve(fileURLToPath(new URL('../../../', import.meta.url)))
export const RENDERER_DIR = join(REPO_ROOT, 'out', 'renderer')

export interface ServeHandle {
  server: ServeServer
  core: AppCore
  token: string
  dataDir: string
  /** Page URL with the token and the e2e hook switched on. */
  url: string
  origin: string
  port: number
  /** Lines the core logged (for diagnostics on failure). */
  logs: string[]
  stop(): Promise<void>
}

export interface ServeOptions {
  dataDir?: string
  seed?: number
  token?: string
  /** Extra URL query (e.g. nothing: `?e2e=1` is always added). */
  e2e?: boolean
}

export function tempDataDir(prefix = 'newstape-e2e-'): string {
  return mkdtempSync(join(tmpdir(), prefix))
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true })
}

/** Starts the browser-mode server and the core (demo mode) exactly as `npm run serve` does. */
export async function startServe(opts: ServeOptions = {}): Promise<ServeHandle> {
  if (!existsSync(join(RENDERER_DIR, 'index.html')))
    throw new Error(`No built renderer in ${RENDERER_DIR}: run \`npx electron-vite build\` (the e2e global setup does).`)
  const dataDir = opts.dataDir ?? tempDataDir()
  const token = opts.token ?? randomBytes(18).toString('base64url')
  const version = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version
  const logs: string[] = []
  let core: AppCore | null = null
  const server = await createServeServer({
    rendererDir: RENDERER_DIR,
    token,
    port: 0,
    handle: (channel, arg) => core!.handle(channel, arg as never) as never,
    log: (level, message) => logs.push(`server ${level} ${message}`),
  })
  core = createNodeApp({
    dataDir,
    version,
    emit: (event, payload) => server.broadcast(event, payload),
    seed: opts.seed ?? 4242,
    log: (line) => logs.push(line),
  })
  try {
    await core.start()
  } catch (e) {
    await server.close()
    throw e
  }
  const started = core
  return {
    server,
    core: started,
    token,
    dataDir,
    url: `${server.url}${opts.e2e === false ? '' : '&e2e=1'}`,
    origin: server.origin,
    port: server.port,
    logs,
    async stop() {
      await started.stop()
      await server.close()
    },
  }
}


/** The system's Chromium, else the npm package's (scripts/chromium.ts), or a loud failure saying why. */
export async function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch(launchOptions(await resolveChromium(REPO_ROOT), extraArgs))
}

/** Polls `fn` until it returns a truthy value; throws with `what` (and the last value) on timeout. */
export async function waitFor<T>(what: string, fn: () => Promise<T> | T, timeoutMs = 30_000, everyMs = 200): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs
  let last: T | undefined
  for (;;) {
    last = await fn()
    if (last) return last as NonNullable<T>
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what} (last: ${JSON.stringify(last)})`)
    await new Promise((r) => setTimeout(r, everyMs))
  }
}

export interface Candle {
  time: number
  open: number
  high: number
  low: number
  close: number
  volume: number
}

export interface Marker {
  id: string
  time: number
  color: string
  position: string
  shape: string
  text: string
  size: number
}

/** The renderer's `?e2e=1` hook (src-renderer/src/app/e2e-hook.ts), as seen from page scripts. */
export interface E2eHook {
  seriesData(symbol: string, tf: string): Candle[] | null
  seriesState(symbol: string, tf: string): 'loading' | 'ready' | 'error' | null
  visibleRange(symbol: string, tf: string): { from: number; to: number } | null
  markers(symbol: string, tf: string): Marker[] | null
  lastCandle(symbol: string, tf: string): Candle | null
  paintedCandle(symbol: string, tf: string): Candle | null
}
/** Page globals used by page scripts (the Node tsconfig has no DOM lib). */
export type PageGlobals = { __newstape?: E2eHook }

/** The open chart's candles through the `?e2e=1` hook (null: no such chart). */
export function seriesData(page: Page, symbol: string, tf = '1m'): Promise<Candle[] | null> {
  return page.evaluate(([s, t]) => (globalThis as unknown as PageGlobals).__newstape?.seriesData(s, t) ?? null, [symbol, tf] as const)
}

export function visibleRange(page: Page, symbol: string, tf = '1m'): Promise<{ from: number; to: number } | null> {
  return page.evaluate(([s, t]) => (globalThis as unknown as PageGlobals).__newstape?.visibleRange(s, t) ?? null, [symbol, tf] as const)
}

export function chartMarkers(page: Page, symbol: string, tf = '1m'): Promise<Marker[] | null> {
  return page.evaluate(([s, t]) => (globalThis as unknown as PageGlobals).__newstape?.markers(s, t) ?? null, [symbol, tf] as const)
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))
