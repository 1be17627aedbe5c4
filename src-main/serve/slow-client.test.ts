// A browser client that sends and never reads: 60,000 requests whose replies pile up on the server. The server
// must cut it off at a bounded buffer, and its memory must come back to the baseline once the client is gone.
// Measured in this process (server and client share it): V8 heap + external memory (socket buffers live there)
// after full GCs. The numbers for docs/reliability.md are printed by the test.
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it, vi } from 'vitest'
import WebSocket from 'ws'
import { createServeServer, type ServeServer } from './server'

setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void

const TOKEN = 'slow-client-token'
const REQUESTS = 60_000
/** A reply the size of a status snapshot. */
const REPLY = { text: 'x'.repeat(1_000) }
const MB = 1024 * 1024

const root = mkdtempSync(join(tmpdir(), 'slow-client-'))
writeFileSync(join(root, 'index.html'), '<!doctype html>')
afterAll(() => rmSync(root, { recursive: true, force: true }))

async function settleGc(): Promise<number> {
  for (let i = 0; i < 4; i++) {
    await new Promise((r) => setImmediate(r))
    gc()
  }
  const m = process.memoryUsage()
  return m.heapUsed + m.external
}

/** A well-behaved client first, so what the server allocates on first use is in the baseline. */
async function warmUp(server: ServeServer): Promise<void> {
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api?token=${TOKEN}`, { origin: server.origin })
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve())
    ws.once('error', reject)
  })
  let answered = 0
  const all = new Promise<void>((r) => ws.on('message', () => ++answered === 200 && r()))
  for (let i = 1; i <= 200; i++) ws.send(JSON.stringify({ id: i, channel: 'status:get', arg: null }))
  await all
  const closed = new Promise<void>((r) => ws.once('close', () => r()))
  ws.close()
  await closed
}

/** Connect, stop reading at the TCP level, fire the requests; resolves when the server has stopped talking to us. */
async function slowClient(server: ServeServer, onSent: () => Promise<void>): Promise<{ answered: boolean }> {
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api?token=${TOKEN}`, { origin: server.origin })
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve())
    ws.once('error', reject)
  })
  const sock = (ws as unknown as { _socket: { pause(): void } })._socket
  sock.pause() // never read again
  for (let i = 1; i <= REQUESTS; i++) ws.send(JSON.stringify({ id: i, channel: 'status:get', arg: null }))
  await onSent()
  const closed = new Promise<void>((r) => ws.once('close', () => r()))
  ws.terminate()
  await closed
  return { answered: true }
}

describe('slow-reading browser client', () => {
  it(`${REQUESTS.toLocaleString('en-US')} requests, never read: cut off at a bounded buffer; memory back to baseline`, async () => {
    let handled = 0
    const server = await createServeServer({
      rendererDir: root,
      token: TOKEN,
      maxBufferedBytes: 8 * MB,
      handle: async () => {
        handled++
        return { ok: true, value: REPLY }
      },
    })
    await warmUp(server)
    await vi.waitFor(() => expect(server.clients()).toBe(0), { timeout: 10_000, interval: 20 })
    handled = 0
    const baseline = await settleGc()
    let peak = 0
    const sample = setInterval(() => {
      const m = process.memoryUsage()
      peak = Math.max(peak, m.heapUsed + m.external)
    }, 5)
    await slowClient(server, async () => {
      await vi.waitFor(() => expect(server.cutOff()).toBe(1), { timeout: 60_000, interval: 20 })
    })
    await vi.waitFor(() => expect(server.clients()).toBe(0), { timeout: 10_000, interval: 20 })
    clearInterval(sample)
    const after = await settleGc()
    await server.close()
    const growth = (after - baseline) / baseline
    console.log(
      `slow client: requests=${REQUESTS} handledBeforeCut=${handled} cutOff=${server.cutOff()} ` +
        `baseline=${(baseline / MB).toFixed(1)}MB peak=${(peak / MB).toFixed(1)}MB after=${(after / MB).toFixed(1)}MB ` +
        `growth=${(growth * 100).toFixed(1)}% rss=${(process.memoryUsage().rss / MB).toFixed(0)}MB`,
    )
    expect(server.cutOff()).toBe(1)
    expect(growth).toBeLessThan(0.1)
  }, 120_000)

  it('the same client without the limit keeps the server holding its replies (what the limit prevents)', async () => {
    const server = await createServeServer({
      rendererDir: root,
      token: TOKEN,
      maxBufferedBytes: Number.POSITIVE_INFINITY,
      handle: async () => ({ ok: true, value: REPLY }),
    })
    const baseline = await settleGc()
    let held = 0
    await slowClient(server, async () => {
      // Every reply is produced and queued on the socket: the server now holds them all.
      await vi.waitFor(
        async () => {
          const m = process.memoryUsage()
          held = m.heapUsed + m.external - baseline
          expect(held).toBeGreaterThan(20 * MB)
        },
        { timeout: 60_000, interval: 50 },
      )
    })
    await server.close()
    console.log(`slow client without limit: server held at least ${(held / MB).toFixed(1)}MB of unsent replies`)
    expect(server.cutOff()).toBe(0)
  }, 120_000)
})
