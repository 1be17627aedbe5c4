// Settings survive a restart: changed in the page, saved by the core to the data dir, read back by a new
// server process-equivalent (fresh core + server) on the same data dir, in a fresh browser page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { launchChromium, removeDir, startServe, tempDataDir, waitFor, type ServeHandle } from './support/harness'

let browser: Browser
let dataDir: string
let app: ServeHandle | null = null

beforeAll(async () => {
  dataDir = tempDataDir()
  browser = await launchChromium()
})

afterAll(async () => {
  await browser?.close()
  await app?.stop()
  if (dataDir) removeDir(dataDir)
})

const theme = (page: Page) => page.evaluate(() => (globalThis as unknown as { document: { documentElement: { dataset: { theme?: string } } } }).document.documentElement.dataset.theme)

async function openSettings(page: Page, url: string): Promise<void> {
  await page.goto(url)
  await page.getByTestId('settings-tab').click()
  await page.getByTestId('settings-page').waitFor()
}

describe('settings persistence', () => {
  it('keeps the theme, a signal threshold and the watchlist across a server restart', async () => {
    app = await startServe({ dataDir, seed: 11 })
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
    await openSettings(page, app.url)
    expect(await theme(page)).toBe('dark')
    expect(await page.getByTestId('settings-theme').inputValue()).toBe('dark')
    expect(await page.getByTestId('settings-threshold-z').inputValue()).toBe('3')

    await page.getByTestId('settings-theme').selectOption('light')
    await page.getByTestId('settings-threshold-z').fill('4.5')
    await page.getByTestId('settings-save').click()
    await expect.poll(() => page.getByTestId('settings-result').textContent()).toBe('Saved.')
    await waitFor('light theme applied', async () => (await theme(page)) === 'light')

    // A watchlist edit on the trade screen is a setting too.
    await page.getByTestId('trade-tab').click()
    await page.getByTestId('watchlist-remove-TSLA').click()
    await waitFor('TSLA removed', async () => (await page.getByTestId('watchlist-row-TSLA').count()) === 0)
    await page.close()

    await app.stop()
    app = null
    // Same data dir, new core, new server (new port and token), new page.
    app = await startServe({ dataDir, seed: 11 })
    const again = await browser.newPage({ viewport: { width: 1280, height: 800 } })
    await again.goto(app.url)
    await again.getByTestId('watchlist-row-AAPL').waitFor()
    await waitFor('theme restored', async () => (await theme(again)) === 'light')
    expect(await again.getByTestId('watchlist-row-TSLA').count()).toBe(0)
    await again.getByTestId('settings-tab').click()
    await again.getByTestId('settings-page').waitFor()
    expect(await again.getByTestId('settings-theme').inputValue()).toBe('light')
    expect(await again.getByTestId('settings-threshold-z').inputValue()).toBe('4.5')
    await again.close()
  })

  it('refuses an invalid threshold inline and does not save it', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
    await openSettings(page, app!.url)
    await page.getByTestId('settings-threshold-z').fill('-1')
    await page.getByTestId('settings-error-thresholds.z').waitFor()
    expect(await page.getByTestId('settings-save').isDisabled()).toBe(true)
    // Nothing reached the core: a fresh page still shows the saved value.
    const other = await browser.newPage()
    await openSettings(other, app!.url)
    expect(await other.getByTestId('settings-threshold-z').inputValue()).toBe('4.5')
    await other.close()
    await page.close()
  })
})
