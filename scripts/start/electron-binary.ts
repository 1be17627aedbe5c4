// Electron's binary on disk: where it is, and fetching it with Electron's own install script (the package's
// install script does not run at `npm install`: package.json's allowScripts denies it, so an offline machine
// installs cleanly; the root postinstall and `npm start` fetch it instead, and say so when they cannot).
import { spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { downloadFailureReason, type ElectronProbe } from './decide'

const electronDir = (repoRoot: string): string => join(repoRoot, 'node_modules', 'electron')

/** What is installed of Electron, and whether a window could open here. */
export function probeElectron(
  repoRoot: string,
  env: Record<string, string | undefined> = process.env,
): ElectronProbe {
  const dir = electronDir(repoRoot)
  let packageVersion: string | null = null
  try {
    packageVersion = (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string })
      .version
  } catch {
    packageVersion = null
  }
  let binaryPath: string | null = null
  try {
    const rel = readFileSync(join(dir, 'path.txt'), 'utf8').trim()
    const version = readFileSync(join(dir, 'dist', 'version'), 'utf8')
      .trim()
      .replace(/^v/, '')
    const full = join(dir, 'dist', rel)
    if (version === packageVersion && existsSync(full)) binaryPath = full
  } catch {
    binaryPath = null
  }
  const display = process.platform !== 'linux' || Boolean(env.DISPLAY || env.WAYLAND_DISPLAY)
  return { packageVersion, binaryPath, display }
}

/**
 * Runs node_modules/electron/install.js (it downloads through @electron/get, which shows its progress on a
 * terminal). Resolves with null on success, else the failure in one line.
 */
export function downloadElectron(
  repoRoot: string,
  log: (line: string) => void,
  timeoutMs = 10 * 60_000,
): Promise<string | null> {
  const script = join(electronDir(repoRoot), 'install.js')
  if (!existsSync(script)) return Promise.resolve('node_modules/electron/install.js is missing')
  log('downloading Electron’s binary (about 100 MB, once)…')
  const env = { ...process.env }
  delete env.ELECTRON_SKIP_BINARY_DOWNLOAD
  // On a terminal @electron/get draws its progress bar on stderr, which needs the terminal itself: the error (if
  // any) is then printed above and named so; elsewhere stderr is read for the one-line reason.
  const tty = process.stderr.isTTY === true
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [script], {
      cwd: electronDir(repoRoot),
      env,
      stdio: ['ignore', 'inherit', tty ? 'inherit' : 'pipe'],
    })
    let stderr = tty ? 'the error printed above' : ''
    const timer = setTimeout(() => {
      stderr += `\nError: no result after ${Math.round(timeoutMs / 1000)} s`
      p.kill('SIGKILL')
    }, timeoutMs)
    p.stderr?.on('data', (b: Buffer) => {
      stderr += b.toString()
      if (stderr.length > 64_000) stderr = stderr.slice(-32_000)
    })
    p.once('error', (e) => {
      clearTimeout(timer)
      resolve(e.message)
    })
    p.once('exit', (code) => {
      clearTimeout(timer)
      resolve(code === 0 ? null : downloadFailureReason(stderr, code))
    })
  })
}
