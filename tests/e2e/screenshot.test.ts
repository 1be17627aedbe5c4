// The README's screenshot: the full trading screen at 1440×900 in demo mode, taken once headlines and
// candles are on screen. Written to docs/screenshot.png.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { REPO_ROOT, launchChromium, removeDir, seriesData, startServe, tempDataDir, waitFor, type ServeHandle } from './support/harness'
import { decodePng, pixelStats } from './support/png'

process.env.NEWSTAPE_DEMO_NEWS_PER_HOUR = '60'

export const SCREENSHOT = join(REPO_ROOT, 'docs', 'screenshot.png')

let app: ServeHandle
let browser: Browser
let page: Page
let dataDir: string

beforeAll(async () => {
  dataDir = tempDataDir()
  app = await startServe({ dataDir, seed: 4242 })
  browser = await launchChromium()
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } })
})

afterAll(async () => {
  await browser?.close()
  await app?.stop()
  delete process.env.NEWSTAPE_DEMO_NEWS_PER_HOUR
  if (dataDir) removeDir(dataDir)
})

const candles = async (symbol: string, tf: string) => (await seriesData(page, symbol, tf))?.length ?? 0

describe('screenshot', () => {
  it('saves the trading screen with headlines and candles to docs/screenshot.png', async () => {
    await page.goto(app.url)
    await page.getByTestId('chart-AAPL').waitFor()
    await page.getByTestId('watchlist-open-NVDA').click()
    await page.getByTestId('chart-NVDA').waitFor()
    await page.getByTestId('news-item-5').waitFor({ timeout: 60_000 })

    // A chart worth looking at: the 1-minute view when history fills it, else the 1-second view once it has filled.
    let tf = '1m'
    await waitFor('AAPL candles', async () => (await candles('AAPL', '1m')) > 0)
    if ((await candles('AAPL', '1m')) < 20) {
      tf = '1s'
      await page.getByTestId('timeframe-1s').click()
      await waitFor('40 one-second candles', async () => (await candles('AAPL', '1s')) >= 40 && (await candles('NVDA', '1s')) >= 40, 90_000)
    }
    // The pointer off the charts (no crosshair in the picture).
    await page.mouse.move(5, 895)
    await page.waitForTimeout(500)

    const png = await page.screenshot({ fullPage: false })
    const img = decodePng(png)
    expect([img.width, img.height]).toEqual([1440, 900])
    expect(pixelStats(img).distinctColors).toBeGreaterThan(100)
    mkdirSync(join(REPO_ROOT, 'docs'), { recursive: true })
    writeFileSync(SCREENSHOT, png)
    console.log(`[e2e] screenshot (${tf} charts) written to ${SCREENSHOT}`)
  })
})
