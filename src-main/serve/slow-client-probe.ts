// Measures the real browser-mode server (`src-main/serve/cli.ts`, demo streams running) against a client that
// sends 60,000 requests and never reads: resident memory (VmRSS) before, at the peak, and after the server cut
// the client off. `npx tsx src-main/serve/slow-client-probe.ts` (needs a built renderer: `npm run build`).
// The CI test is slow-client.test.ts (in-process heap); this is the same fault seen from outside the process.
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import WebSocket from 'ws'

const REQUESTS = 60_000
const MB = 1024 * 1024
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))
const rssOf = (pid: number): number => {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
  return m ? Number(m[1]) * 1024 : NaN
}
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'probe-serve-'))
  const token = 'probe-token-123456'
  const child = spawn(process.execPath, ['--import', 'tsx', 'src-main/serve/cli.ts', '--port', '0', '--token', token, '--data-dir', dataDir], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const url = await new Promise<string>((resolve, reject) => {
    let out = ''
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString()
      const m = /open (http:\/\/\S+)/.exec(out)
      if (m?.[1]) resolve(m[1])
    })
    child.once('exit', (c) => reject(new Error(`server exited ${c}`)))
  })
  const pid = child.pid ?? 0
  const origin = new URL(url).origin
  const sample = async (ms: number): Promise<number> => {
    const xs: number[] = []
    for (let t = 0; t < ms; t += 250) {
      xs.push(rssOf(pid))
      await sleep(250)
    }
    return median(xs)
  }
  await sleep(10_000) // demo streams up and steady
  const baseline = await sample(5_000)

  const ws = new WebSocket(`${origin.replace('http', 'ws')}/api?token=${token}`, { origin })
  await new Promise<void>((r, j) => (ws.once('open', () => r()), ws.once('error', j)))
  const sock = (ws as unknown as { _socket: { pause(): void; resume(): void } })._socket
  sock.pause()
  let peak = 0
  let answered = 0
  ws.on('message', () => answered++)
  ws.on('error', () => undefined)
  const closed = new Promise<void>((r) => ws.once('close', () => r()))
  const peakTimer = setInterval(() => (peak = Math.max(peak, rssOf(pid))), 50)
  for (let i = 1; i <= REQUESTS; i++) ws.send(JSON.stringify({ id: i, channel: 'status:get', arg: null }))
  await sleep(20_000) // the server answers into a socket nobody reads
  clearInterval(peakTimer)
  // Read again: a cut-off client finds fewer answers than requests, then the end of the connection.
  sock.resume()
  const ended = await Promise.race([closed.then(() => true), sleep(30_000).then(() => false)])
  const cut = ended && answered < REQUESTS
  if (!ended) ws.terminate()
  await sleep(10_000)
  const after = await sample(5_000)
  child.kill('SIGTERM')
  await new Promise((r) => child.once('exit', r))
  rmSync(dataDir, { recursive: true, force: true })
  console.log(
    `serve process RSS: baseline ${(baseline / MB).toFixed(1)} MB, peak ${(peak / MB).toFixed(1)} MB, ` +
      `after ${(after / MB).toFixed(1)} MB (${(((after - baseline) / baseline) * 100).toFixed(1)} %); ` +
      `client ${cut ? `cut off by the server after ${answered} of ${REQUESTS} answers` : `NOT cut off (${answered} answers)`}`,
  )
}

main().catch((e: unknown) => {
  console.error(e)
  process.exit(1)
})
