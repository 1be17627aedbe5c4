// Runs a bench file again in a fresh `node --import tsx` process (its own heap, JIT state and event loop) and
// returns the result that process writes. The file decides from `env` that it is the child.
// The result goes through a file, not stdout: the child's stdout is shared with whatever the app core and its
// workers log, and a result of a few hundred kB (every frame and probe sample) arrived interleaved with it.
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const RESULT_FILE_ENV = 'BENCH_CHILD_RESULT_FILE'

export function runBenchChild(fileUrl: string, env: Record<string, string>, nodeFlags: string[] = []): Promise<unknown> {
  const dir = mkdtempSync(join(tmpdir(), 'newstape-bench-child-'))
  const resultFile = join(dir, 'result.json')
  return new Promise<unknown>((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeFlags, '--import', 'tsx', fileURLToPath(fileUrl)], {
      cwd: ROOT,
      env: { ...process.env, ...env, [RESULT_FILE_ENV]: resultFile },
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    let out = ''
    child.stdout.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-4000)))
    child.on('error', reject)
    child.on('close', (code) => {
      let text: string | null = null
      try {
        text = readFileSync(resultFile, 'utf8')
      } catch {
        // no result written: reported below with the child's last output
      }
      if (code !== 0 || text === null) reject(new Error(`bench child exited ${code} without a result: ${out.slice(-500)}`))
      else resolve(JSON.parse(text))
    })
  }).finally(() => rmSync(dir, { recursive: true, force: true }))
}

/** In the child: writes the result where the parent reads it. */
export const printResult = (result: unknown): void => {
  const file = process.env[RESULT_FILE_ENV]
  if (!file) throw new Error(`${RESULT_FILE_ENV} is not set: run this file through runBenchChild`)
  writeFileSync(file, JSON.stringify(result))
}
