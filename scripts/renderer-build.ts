// The built renderer (out/renderer) that browser mode, the end-to-end tests and the UI benchmarks serve:
// rebuilt with `electron-vite build` when missing or older than any source it bundles.
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

/** Everything the renderer bundle is made of (its sources, the shared contract and domain types, configs). */
const INPUTS = [
  'src-renderer',
  'src-preload',
  'src-main/domain',
  'electron.vite.config.ts',
  'package.json',
  'tsconfig.web.json',
]

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0
  const st = statSync(path)
  if (!st.isDirectory()) return st.mtimeMs
  let newest = st.mtimeMs
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules' || entry.startsWith('.')) continue
    newest = Math.max(newest, newestMtime(join(path, entry)))
  }
  return newest
}

export function rendererIsStale(repoRoot: string): { stale: boolean; reason: string } {
  const index = join(repoRoot, 'out', 'renderer', 'index.html')
  if (!existsSync(index)) return { stale: true, reason: 'no out/renderer/index.html' }
  const built = statSync(index).mtimeMs
  for (const input of INPUTS) {
    const t = newestMtime(join(repoRoot, input))
    if (t > built) return { stale: true, reason: `${input} changed after the last build` }
  }
  return { stale: false, reason: 'up to date' }
}

/** Builds the app (main, preload, renderer) when the renderer is stale; throws with the reason on failure. */
export function ensureRendererBuilt(repoRoot: string, log: (line: string) => void): void {
  const { stale, reason } = rendererIsStale(repoRoot)
  if (!stale) return
  log(`building the app (${reason}): electron-vite build`)
  const r = spawnSync(join(repoRoot, 'node_modules', '.bin', 'electron-vite'), ['build'], {
    cwd: repoRoot,
    stdio: 'inherit',
    env: process.env,
  })
  if (r.error)
    throw new Error(`electron-vite build could not start: ${r.error.message} (run \`npm install\` first)`)
  if (r.status !== 0) throw new Error(`electron-vite build failed (exit ${String(r.status)})`)
  if (!existsSync(join(repoRoot, 'out', 'renderer', 'index.html')))
    throw new Error('electron-vite build finished but out/renderer/index.html is missing')
}
