// Runs a bench file again in a fresh `node --import tsx` process (its own heap, JIT state and event loop) and
// returns what that process prints on its `RESULT <json>` line. The file decides from `env` that it is the child.
import { spawn } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..')

export function runBenchChild(fileUrl: string, env: Record<string, string>, nodeFlags: string[] = []): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeFlags, '--import', 'tsx', fileURLToPath(fileUrl)], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    let out = ''
    child.stdout.on('data', (d: Buffer) => (out += d.toString()))
    child.on('error', reject)
    child.on('close', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('RESULT '))
      if (code !== 0 || line === undefined) reject(new Error(`bench child exited ${code}: ${out.slice(-500)}`))
      else resolve(JSON.parse(line.slice(7)))
    })
  })
}

/** In the child: prints the result line the parent looks for. */
export const printResult = (result: unknown): void => {
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`)
}
