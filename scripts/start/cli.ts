// `npm start`: the desktop app when Electron can run here; otherwise one line saying why, then the same app
// in browser mode (demo mode by default), its URL printed and opened in the system browser when there is one.
// Ctrl-C stops everything it started. Flags: --browser, --no-download, --smoke (CI: check the first candle
// and headline in Chromium, then stop; fails within 60 s), --port N.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { ensureRendererBuilt } from '../renderer-build'
import { nextStartStep, parseStartFlags, servedUrl, systemBrowserCommand, type StartStep } from './decide'
import { downloadElectron, probeElectron } from './electron-binary'
import { smokeCheck } from './smoke'

const REPO_ROOT = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..')
const SMOKE_DEADLINE_MS = 60_000
const log = (line: string): void => console.log(`[newstape] ${line}`)
const bin = (name: string): string => join(REPO_ROOT, 'node_modules', '.bin', name)

const children = new Set<ChildProcess>()
let stopping = false

/** Each child leads its own process group, so stopping it stops what it started (tsx → node, vite → electron). */
function start(cmd: string, args: string[], extra: { stdout?: 'pipe' } = {}): ChildProcess {
  const child = spawn(cmd, args, {
    cwd: REPO_ROOT,
    stdio: ['inherit', extra.stdout ?? 'inherit', 'inherit'],
    detached: process.platform !== 'win32',
  })
  children.add(child)
  child.once('exit', () => children.delete(child))
  return child
}

function stopAll(signal: NodeJS.Signals = 'SIGTERM'): void {
  for (const c of children) {
    if (c.pid === undefined) continue
    try {
      if (process.platform === 'win32') c.kill(signal)
      else process.kill(-c.pid, signal)
    } catch {
      // already gone
    }
  }
}

function exitWhenStopped(code: number): void {
  if (children.size === 0) process.exit(code)
  const force = setTimeout(() => {
    stopAll('SIGKILL')
    process.exit(code)
  }, 15_000)
  force.unref()
  for (const c of children) c.once('exit', () => children.size === 0 && process.exit(code))
  stopAll('SIGTERM')
}

function onSignal(sig: NodeJS.Signals): void {
  if (stopping) return
  stopping = true
  log(`${sig}: stopping…`)
  exitWhenStopped(0)
}
process.on('SIGINT', onSignal)
process.on('SIGTERM', onSignal)
process.on('exit', () => stopAll('SIGKILL'))

async function decide(): Promise<StartStep> {
  const flags = parseStartFlags(process.argv.slice(2), process.env)
  let step = nextStartStep(probeElectron(REPO_ROOT), flags)
  if (step.kind === 'download') {
    const error = await downloadElectron(REPO_ROOT, log)
    step = nextStartStep(
      probeElectron(REPO_ROOT),
      flags,
      error ?? 'the download finished but the binary is not there',
    )
  }
  return step
}

function runElectron(): void {
  log('opening the desktop app (electron-vite preview builds it first)')
  const child = start(bin('electron-vite'), ['preview'])
  child.once('exit', (code) => {
    if (!stopping) process.exit(code ?? 1)
  })
}

function openInSystemBrowser(url: string): void {
  const onPath = (cmd: string): boolean =>
    spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0
  const how = systemBrowserCommand(process.platform, process.env, onPath)
  if (!how) {
    log('no system browser to open it with here: open the URL above in any browser on this machine')
    return
  }
  const p = spawn(how.cmd, how.args(url), { stdio: 'ignore', detached: true })
  p.once('error', () => log(`could not run ${how.cmd}: open the URL above yourself`))
  p.unref()
}

function runBrowserMode(smoke: boolean): void {
  ensureRendererBuilt(REPO_ROOT, log)
  const port = argValue('--port') ?? (smoke ? '0' : '4780')
  const dataDir = smoke ? mkdtempSync(join(tmpdir(), 'newstape-smoke-')) : join(REPO_ROOT, '.data', 'serve')
  if (smoke) process.on('exit', () => rmSync(dataDir, { recursive: true, force: true }))
  const t0 = Date.now()
  const server = start(
    bin('tsx'),
    [join('src-main', 'serve', 'cli.ts'), '--port', port, '--data-dir', dataDir],
    { stdout: 'pipe' },
  )
  server.once('exit', (code) => {
    if (stopping) return
    log(`the browser-mode server stopped (exit ${String(code)})`)
    process.exit(code === 0 ? 1 : (code ?? 1))
  })
  const noUrl = !smoke
    ? null
    : setTimeout(() => {
        console.error(
          `[newstape] smoke: FAILED — no page URL from the server within ${SMOKE_DEADLINE_MS / 1000} s`,
        )
        stopping = true
        exitWhenStopped(1)
      }, SMOKE_DEADLINE_MS)
  const lines = createInterface({ input: server.stdout! })
  let seen = false
  lines.on('line', (line) => {
    console.log(line)
    const url = servedUrl(line)
    if (!url || seen) return
    seen = true
    if (noUrl) clearTimeout(noUrl)
    if (!smoke) {
      openInSystemBrowser(url)
      log('Ctrl-C stops it')
      return
    }
    smokeCheck(REPO_ROOT, url, t0 + SMOKE_DEADLINE_MS, log).then(
      (r) => {
        log(
          `smoke: OK — first ${r.symbol} candle drawn ${(r.firstCandleMs / 1000).toFixed(1)} s and first headline ` +
            `${(r.firstHeadlineMs / 1000).toFixed(1)} s after the page opened (Chromium: ${r.chromium}); “${r.headline}”`,
        )
        stopping = true
        exitWhenStopped(0)
      },
      (e: unknown) => {
        console.error(`[newstape] ${e instanceof Error ? e.message : String(e)} — FAILED`)
        stopping = true
        exitWhenStopped(1)
      },
    )
  })
}

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name)
  return i >= 0 ? process.argv[i + 1] : undefined
}

const step = await decide()
if (step.kind === 'electron') runElectron()
else if (step.kind === 'browser') {
  log(`${step.reason} → browser mode (the same app, demo mode unless keys are set)`)
  runBrowserMode(parseStartFlags(process.argv.slice(2), process.env).smoke)
} else throw new Error('unreachable: the download step is resolved in decide()')
