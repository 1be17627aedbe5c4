// The trading screen end to end, in Chromium against the real core in demo mode (simulated Polygon +
// Guardian on loopback): a symbol is added, its candles appear, grow and are drawn; headlines and their
// markers appear; clicking a headline moves the chart; pausing stops updates and resuming restarts them.
// The tests run in order on one page, like a user's session.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import {
  chartMarkers,
  launchChromium,
  removeDir,
  seriesData,
  sleep,
  startServe,
  tempDataDir,
  visibleRange,
  waitFor,
  type Candle,
  type PageGlobals,
  type ServeHandle,
} from './support/harness'
import { countColor, decodePng, pixelStats } from './support/png'

// A livelier news stream than the default 12 an hour, so the simulator's backfill holds headlines for every symbol.
process.env.NEWSTAPE_DEMO_NEWS_PER_HOUR = '60'

const CANDLE_UP = '#26a69a'
const CANDLE_DOWN = '#ef5350'
/** lightweight-charts' default crosshair line colour. */
const CROSSHAIR = '#9598a1'

let app: ServeHandle
let browser: Browser
let page: Page
let dataDir: string

beforeAll(async () => {
  dataDir = tempDataDir()
  app = await startServe({ dataDir, seed: 4242 })
  browser = await launchChromium()
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } })
  await page.goto(app.url)
})

afterAll(async () => {
  await browser?.close()
  await app?.stop()
  delete process.env.NEWSTAPE_DEMO_NEWS_PER_HOUR
  if (dataDir) removeDir(dataDir)
})

const last = (c: Candle[] | null): Candle | null => (c && c.length > 0 ? c[c.length - 1]! : null)
const sameSeries = (a: Candle[] | null, b: Candle[] | null) => JSON.stringify(a) === JSON.stringify(b)

/** Waits until the series differs from `before` (a new candle or the last one updated). */
const waitForChange = (symbol: string, before: Candle[] | null, what: string) =>
  waitFor(what, async () => {
    const now = await seriesData(page, symbol)
    return now && now.length > 0 && !sameSeries(now, before) ? now : null
  })

describe('trading screen (demo data, Chromium)', () => {
  it('starts in demo mode with a live feed and the default watchlist', async () => {
    await page.getByTestId('demo-badge').waitFor()
    await waitFor('feed live', async () => /live/.test((await page.getByTestId('status-feed').textContent()) ?? ''))
    for (const s of ['AAPL', 'MSFT', 'NVDA', 'TSLA']) await page.getByTestId(`watchlist-row-${s}`).waitFor()
    // One chart opens by itself: the first watchlist symbol.
    await page.getByTestId('chart-AAPL').waitFor()
  })

  it('refuses an invalid symbol with an inline error', async () => {
    await page.getByTestId('watchlist-add-input').fill('1BAD')
    await page.getByTestId('watchlist-add-button').click()
    await expect.poll(() => page.getByTestId('watchlist-add-error').textContent()).toMatch(/ticker/i)
    expect(await page.getByTestId('watchlist-row-1BAD').count()).toBe(0)
  })

  it('adds a symbol: its chart opens, candles appear and grow, and the canvas is drawn', async () => {
    const input = page.getByTestId('watchlist-add-input')
    await input.fill('')
    await input.type('amd') // upper-cased as typed
    await input.press('Enter')
    await page.getByTestId('watchlist-row-AMD').waitFor()
    expect(await page.getByTestId('watchlist-add-error').count()).toBe(0)
    // The row shows a live last price once trades flow for the new subscription.
    await waitFor('AMD last price', async () => /\d/.test((await page.getByTestId('watchlist-last-AMD').textContent()) ?? ''))

    await page.getByTestId('watchlist-open-AMD').click()
    const chart = page.getByTestId('chart-AMD')
    await chart.waitFor()
    await waitFor('AMD chart ready', async () => (await chart.getAttribute('data-state')) === 'ready')

    const first = await waitFor('AMD candles', async () => {
      const d = await seriesData(page, 'AMD')
      return d && d.length > 0 ? d : null
    })
    for (const c of first) {
      expect(c.low).toBeLessThanOrEqual(Math.min(c.open, c.close))
      expect(c.high).toBeGreaterThanOrEqual(Math.max(c.open, c.close))
      expect(c.volume).toBeGreaterThan(0)
    }
    // Candles grow: the last one takes more volume, or a new minute opens.
    const grown = await waitForChange('AMD', first, 'AMD candles to grow')
    const a = last(first)!
    const b = last(grown)!
    expect(b.time > a.time || (b.time === a.time && b.volume > a.volume)).toBe(true)

    // What is on screen: the candle colours are painted, the canvas is not a flat background.
    const img = decodePng(await chart.locator('.chart-canvas').screenshot())
    const stats = pixelStats(img)
    expect(stats.distinctColors).toBeGreaterThan(20)
    expect(stats.lumaStdDev).toBeGreaterThan(2)
    expect(countColor(img, CANDLE_UP) + countColor(img, CANDLE_DOWN)).toBeGreaterThan(8)
  })

  it('shows headlines and their markers on the chart', async () => {
    await page.getByTestId('news-item-0').waitFor({ timeout: 60_000 })
    // Headlines about AAPL (the open chart) carry its ticker chip; each is a marker on its chart.
    const aaplIds = await waitFor('an AAPL headline', async () => {
      const ids = await page.locator('[data-testid^="news-item-"]:has([data-testid="impact-AAPL"])').evaluateAll((els) =>
        els.map((e) => (e as unknown as { dataset: { articleId: string } }).dataset.articleId),
      )
      return ids.length > 0 ? ids : null
    }, 60_000)
    const markers = await waitFor('AAPL markers', async () => {
      const m = await chartMarkers(page, 'AAPL')
      return m && m.length > 0 ? m : null
    })
    const markerIds = new Set(markers.map((m) => m.id))
    for (const id of aaplIds) expect(markerIds.has(id)).toBe(true)
    for (const item of await page.locator('[data-testid^="news-item-"]').all()) {
      expect(['up', 'down', 'none', 'pending']).toContain(await item.getAttribute('data-signal'))
    }
  })

  it('a live chart with markers repaints on each tick without resizing its canvases', async () => {
    // lightweight-charts asks a canvas for its client rects (a forced layout) whenever it resizes it; a tick
    // must only repaint. The price axis used to follow its labels' width back and forth, resizing them all.
    await page.evaluate(() => {
      type Proto = { getClientRects: (this: unknown) => unknown }
      const g = globalThis as unknown as { __rects: number; HTMLCanvasElement: { prototype: Proto } }
      g.__rects = 0
      const proto = g.HTMLCanvasElement.prototype
      const orig = proto.getClientRects
      proto.getClientRects = function (this: unknown) {
        g.__rects++
        return orig.call(this)
      }
    })
    const painted = () =>
      page.evaluate(() => {
        const c = (globalThis as unknown as PageGlobals).__newstape?.paintedCandle('AAPL', '1m')
        return c ? `${c.time}|${c.volume}` : null
      })
    const canvases = await page.getByTestId('chart-AAPL').locator('canvas').count()
    const seen = new Set<string>()
    const t0 = Date.now()
    while (Date.now() - t0 < 4_000) {
      const p = await painted()
      if (p) seen.add(p)
      await sleep(50)
    }
    const rects = await page.evaluate(() => (globalThis as unknown as { __rects: number }).__rects)
    expect((await chartMarkers(page, 'AAPL'))!.length).toBeGreaterThan(0)
    // The chart drew new ticks all along...
    expect(seen.size).toBeGreaterThanOrEqual(5)
    // ...and resized its canvases at most once (the price axis growing to a new widest), not tick after tick.
    expect(rects).toBeLessThanOrEqual(canvases)
  })

  it('the crosshair follows the mouse and is wiped when the mouse leaves', async () => {
    // The top-layer canvases skip clears while blank (quiet-canvas.ts): a drawn crosshair must still go.
    const canvas = page.getByTestId('chart-AAPL').locator('.chart-canvas')
    const box = (await canvas.boundingBox())!
    const crosshairPixels = async () => countColor(decodePng(await canvas.screenshot()), CROSSHAIR, 8)
    // Other things share the colour a little (axis text edges): count against the chart without a crosshair.
    const before = await crosshairPixels()
    await page.mouse.move(box.x + box.width * 0.4, box.y + box.height * 0.4)
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5)
    await sleep(300)
    const shown = await crosshairPixels()
    await page.mouse.move(box.x + box.width / 2, Math.max(0, box.y - 40)) // off the chart
    await sleep(300)
    const gone = await crosshairPixels()
    // A crosshair across the pane and its two axis labels: hundreds of pixels; after leaving, none of them.
    expect(shown - before).toBeGreaterThan(300)
    expect(Math.abs(gone - before)).toBeLessThan((shown - before) / 5)
  })

  it('clicking a headline moves the chart to its time and highlights its marker', async () => {
    const candles = (await seriesData(page, 'AAPL'))!
    const markers = (await chartMarkers(page, 'AAPL'))!
    const first = candles[0]!.time
    const newest = last(candles)!.time
    // A headline inside the chart's history but well before its latest bars, so showing it is a real move.
    const ids = await page
      .locator('[data-testid^="news-item-"]:has([data-testid="impact-AAPL"])')
      .evaluateAll((els) => els.map((e) => (e as unknown as { dataset: { articleId: string } }).dataset.articleId))
    const inside = markers.filter((m) => ids.includes(m.id) && m.time >= first + 60 && m.time <= newest - 300).sort((a, b) => a.time - b.time)
    expect(
      inside.length,
      `an AAPL headline inside the chart's history (candles ${new Date(first * 1000).toISOString()} … ${new Date(newest * 1000).toISOString()}, ${candles.length} bars): is history loaded when a chart opens?`,
    ).toBeGreaterThan(0)
    const marker = inside[0]!
    expect(marker.size).toBe(1)

    // Zoom in on the latest bars (mouse wheel over the chart) until the headline's bar is out of view.
    const canvas = page.getByTestId('chart-AAPL').locator('.chart-canvas')
    const box = (await canvas.boundingBox())!
    await page.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.4)
    const before = await waitFor('the headline out of view', async () => {
      const r = await visibleRange(page, 'AAPL')
      if (r && r.from > marker.time) return r
      await page.mouse.wheel(0, -400)
      return null
    })

    const item = page.locator(`[data-article-id="${marker.id}"]`)
    await item.click()
    await expect.poll(() => item.getAttribute('class')).toMatch(/\bselected\b/)
    const range = await waitFor('the AAPL chart to show the headline', async () => {
      const r = await visibleRange(page, 'AAPL')
      return r && r.from <= marker.time && r.to >= marker.time ? r : null
    })
    expect(range.from).toBeLessThan(before.from)
    // The marker is highlighted: bigger and labelled with the headline; the others are not.
    const after = await waitFor('the highlighted marker', async () => (await chartMarkers(page, 'AAPL'))?.find((m) => m.id === marker.id && m.size > 1))
    expect(after.text.length).toBeGreaterThan(0)
    for (const m of (await chartMarkers(page, 'AAPL'))!.filter((x) => x.id !== marker.id)) expect(m.size).toBe(1)
  })

  it('pausing (button, then space) stops updates and resuming restarts them', async () => {
    const pause = page.getByTestId('pause-button')
    const check = async (how: () => Promise<void>, resume: () => Promise<void>) => {
      // Live before pausing.
      await waitForChange('AAPL', await seriesData(page, 'AAPL'), 'AAPL updates before pausing')
      await how()
      await page.getByTestId('status-paused').waitFor()
      expect(await pause.getAttribute('aria-pressed')).toBe('true')
      await waitFor('feed paused', async () => /paused/.test((await page.getByTestId('status-feed').textContent()) ?? ''))
      // What was received before the pause still lands (a batch in flight waits for the page's ack; on a loaded
      // CI machine that took seconds): wait until the chart has been still for 3 s, then it must stay so.
      let frozen = await seriesData(page, 'AAPL')
      for (let stillSince = Date.now(), until = Date.now() + 30_000; Date.now() - stillSince < 3_000; ) {
        if (Date.now() > until) throw new Error('AAPL kept changing for 30 s after the pause')
        await sleep(250)
        const now = await seriesData(page, 'AAPL')
        if (!sameSeries(now, frozen)) {
          frozen = now
          stillSince = Date.now()
        }
      }
      const frozenLast = await page.getByTestId('watchlist-last-AAPL').textContent()
      await sleep(2_500)
      const after = await seriesData(page, 'AAPL')
      expect(sameSeries(after, frozen)).toBe(true)
      expect(await page.getByTestId('watchlist-last-AAPL').textContent()).toBe(frozenLast)

      await resume()
      await waitFor('status-paused to go', async () => (await page.getByTestId('status-paused').count()) === 0)
      expect(await pause.getAttribute('aria-pressed')).toBe('false')
      await waitForChange('AAPL', frozen, 'AAPL updates after resuming')
    }
    await check(
      () => pause.click(),
      () => pause.click(),
    )
    // Space toggles too (focus outside any input).
    await page.locator('.brand').click()
    await check(
      () => page.keyboard.press('Space'),
      () => page.keyboard.press('Space'),
    )
  })
})
