// Global setup of the e2e project: Chromium must exist, and the renderer is built once
// (`npx electron-vite build`) when out/renderer is missing or older than any source it bundles.
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { spawnSync } from 'node:child_process'
import { CHROMIUM_PATH, REPO_ROOT, RENDERER_DIR } from './support/harness'

/** Everything the renderer bundle is made of (its sources, the shared contract and domain types, configs). */
const INPUTS = [
  'src-renderer',
  'src-preload',
  'src-main/domain',
  'src-main/host/protocol.ts',
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

export function rendererIsStale(): { stale: boolean; reason: string } {
  const index = join(RENDERER_DIR, 'index.html')
  if (!existsSync(index)) return { stale: true, reason: 'no out/renderer/index.html' }
  const built = statSync(index).mtimeMs
  for (const input of INPUTS) {
    const t = newestMtime(join(REPO_ROOT, input))
    if (t > built) return { stale: true, reason: `${input} changed after the last build` }
  }
  return { stale: false, reason: 'up to date' }
}

export default function setup(): void {
  if (!existsSync(CHROMIUM_PATH))
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}: the end-to-end tests need it — run \`apt-get install chromium\` (or set CHROMIUM_PATH).`)
  const { stale, reason } = rendererIsStale()
  if (!stale) return
  console.log(`[e2e] building the renderer (${reason}): npx electron-vite build`)
  const r = spawnSync('npx', ['electron-vite', 'build'], { cwd: REPO_ROOT, stdio: 'inherit', env: process.env })
  if (r.error) throw new Error(`electron-vite build could not start: ${r.error.message}`)
  if (r.status !== 0) throw new Error(`electron-vite build failed (exit ${r.status}): fix the build, then re-run the e2e tests.`)
  if (!existsSync(join(RENDERER_DIR, 'index.html'))) throw new Error(`electron-vite build finished but ${RENDERER_DIR}/index.html is missing`)
}
