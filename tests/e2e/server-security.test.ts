// Browser mode refuses what is not the app: a wrong or missing token (page and WebSocket), a foreign
// Origin on the WebSocket handshake, a foreign Host header. Real server, real Chromium, real `ws` client.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { request } from 'node:http'
import WebSocket from 'ws'
import type { Browser } from 'playwright-core'
import { launchChromium, removeDir, startServe, tempDataDir, type ServeHandle } from './support/harness'

let app: ServeHandle
let browser: Browser
let dataDir: string

beforeAll(async () => {
  dataDir = tempDataDir()
  app = await startServe({ dataDir, seed: 7 })
  browser = await launchChromium()
})

afterAll(async () => {
  await browser?.close()
  await app?.stop()
  if (dataDir) removeDir(dataDir)
})

/** Outcome of a WebSocket handshake: `open` or the HTTP status the server refused it with. */
function handshake(url: string, origin: string | undefined): Promise<{ open: true } | { open: false; status: number | null; error?: string }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, origin === undefined ? {} : { origin })
    ws.once('open', () => {
      ws.close()
      resolve({ open: true })
    })
    ws.once('unexpected-response', (_req, res) => {
      resolve({ open: false, status: res.statusCode ?? null })
      res.resume()
      ws.terminate()
    })
    ws.once('error', (e) => resolve({ open: false, status: null, error: e.message }))
  })
}

const wsUrl = (token: string) => `ws://127.0.0.1:${app.port}/api?token=${encodeURIComponent(token)}`

describe('browser-mode server', () => {
  it('serves the page with the right token and refuses a wrong or missing one (401) in Chromium', async () => {
    const page = await browser.newPage()
    try {
      const good = await page.goto(app.url)
      expect(good?.status()).toBe(200)
      // The app really runs on the accepted page: its WebSocket connects with the page's own Origin.
      await page.getByTestId('status-feed').waitFor()
      await expect.poll(() => page.getByTestId('status-connection').count(), { timeout: 20_000 }).toBe(0)

      const wrong = await page.goto(`${app.origin}/?token=${app.token}x&e2e=1`)
      expect(wrong?.status()).toBe(401)
      expect(await page.content()).not.toContain('id="root"')

      const missing = await page.goto(`${app.origin}/`)
      expect(missing?.status()).toBe(401)
    } finally {
      await page.close()
    }
  })

  it('accepts the WebSocket with the right token and the page Origin', async () => {
    expect(await handshake(wsUrl(app.token), app.origin)).toEqual({ open: true })
    expect(await handshake(wsUrl(app.token), `http://localhost:${app.port}`)).toEqual({ open: true })
  })

  it('refuses a WebSocket with a wrong token (401)', async () => {
    expect(await handshake(wsUrl(`${app.token}x`), app.origin)).toMatchObject({ open: false, status: 401 })
    expect(await handshake(`ws://127.0.0.1:${app.port}/api`, app.origin)).toMatchObject({ open: false, status: 401 })
  })

  it('refuses a WebSocket from a foreign Origin even with the right token (403)', async () => {
    expect(await handshake(wsUrl(app.token), 'http://evil.example')).toMatchObject({ open: false, status: 403 })
    expect(await handshake(wsUrl(app.token), `http://127.0.0.1:${app.port + 1}`)).toMatchObject({ open: false, status: 403 })
    expect(await handshake(wsUrl(app.token), undefined)).toMatchObject({ open: false, status: 403 })
  })

  it('refuses a foreign Host header (DNS rebinding) with 421', async () => {
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: app.port, path: `/?token=${app.token}`, headers: { host: `evil.example:${app.port}` } }, (res) => {
        res.resume()
        resolve(res.statusCode)
      })
      req.once('error', reject)
      req.end()
    })
    expect(status).toBe(421)
  })

  it('refuses a page on another origin opening the WebSocket, even with the token (Chromium)', async () => {
    // A page served from a different loopback port (a foreign origin) tries to talk to the app.
    const { createServer } = await import('node:http')
    const foreign = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' })
      res.end('<!doctype html><title>evil</title>')
    })
    await new Promise<void>((r) => foreign.listen(0, '127.0.0.1', () => r()))
    const addr = foreign.address()
    const port = typeof addr === 'object' && addr ? addr.port : 0
    const page = await browser.newPage()
    try {
      await page.goto(`http://127.0.0.1:${port}/`)
      const outcome = await page.evaluate(
        (url) =>
          new Promise<string>((resolve) => {
            const W = (globalThis as unknown as { WebSocket: new (u: string) => { onopen: () => void; onerror: () => void; close(): void } }).WebSocket
            const ws = new W(url)
            ws.onopen = () => {
              ws.close()
              resolve('open')
            }
            ws.onerror = () => resolve('refused')
          }),
        wsUrl(app.token),
      )
      expect(outcome).toBe('refused')
    } finally {
      await page.close()
      await new Promise<void>((r) => foreign.close(() => r()))
    }
  })
})
