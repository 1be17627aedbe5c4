// News impact v2 and move alerts end to end, in Chromium against the real core in demo mode (docs/impact-v2.md):
// the first page of headlines shows each ticker's numbers with where they came from, and a move alert or a
// headline's signal (within a minute of the headline) shows as a toast, a timeline entry and a chart marker. The
// simulator's news shocks drive it.
//
// The demo runs in a regular session at any hour (src-main/simulator/demo-clock.ts), so this holds at night too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Locator, Page } from 'playwright-core'
import { easternMinuteOfDay } from '../../src-main/domain/eastern-time'
import { demoClockStart } from '../../src-main/simulator/demo-clock'
import { chartMarkers, launchChromium, removeDir, startServe, tempDataDir, waitFor, type ServeHandle } from './support/harness'

// A busy news stream so that a news shock (and with it a move alert or a signal) comes within minutes.
process.env.NEWSTAPE_DEMO_NEWS_PER_HOUR = '120'

/** src-renderer/src/features/charts/markers.ts */
const MOVE_COLOR = '#e3b341'
const SIGNAL_COLORS = ['#26a69a', '#ef5350', '#7fb9b3', '#d99594']

let app: ServeHandle
let browser: Browser
let page: Page
let dataDir: string
/** Uncaught errors and console errors of the page, for failure messages. */
const pageErrors: string[] = []

beforeAll(async () => {
  dataDir = tempDataDir()
  app = await startServe({ dataDir, seed: 1717 })
  browser = await launchChromium()
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } })
  page.on('pageerror', (e) => pageErrors.push(e.message))
  page.on('console', (m) => void (m.type() === 'error' && pageErrors.push(m.text())))
  await page.addInitScript(() => {
    type Node = { getAttribute(n: string): string | null; textContent: string | null; matches?(s: string): boolean; querySelectorAll?(s: string): ArrayLike<Node> }
    const g = globalThis as unknown as { __toasts: SeenToast[]; MutationObserver: new (cb: (rs: { addedNodes: ArrayLike<Node> }[]) => void) => { observe(n: unknown, o: object): void }; document: { documentElement: unknown } }
    g.__toasts = []
    new g.MutationObserver((records) => {
      const sel = '[data-testid="toast"]'
      for (const r of records)
        for (const added of Array.from(r.addedNodes))
          for (const n of added.matches?.(sel) ? [added] : Array.from(added.querySelectorAll?.(sel) ?? []))
            g.__toasts.push({ kind: n.getAttribute('data-kind'), symbol: n.getAttribute('data-symbol'), target: n.getAttribute('data-target'), title: n.textContent, at: Date.now() })
    }).observe(g.document.documentElement, { childList: true, subtree: true })
  })
  await page.goto(app.url)
})

afterAll(async () => {
  await browser?.close()
  await app?.stop()
  delete process.env.NEWSTAPE_DEMO_NEWS_PER_HOUR
  if (dataDir) removeDir(dataDir)
})

/** The demo's data clock, for failure messages. */
const sessionNote = (): string => {
  const start = demoClockStart(Date.now())
  const m = easternMinuteOfDay(start)
  const hhmm = `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')} ET`
  return `demo session started at ${new Date(start).toISOString().slice(0, 10)} ${hhmm}`
}

interface SeenToast {
  kind: string | null
  symbol: string | null
  target: string | null
  title: string | null
  at: number
}

interface RowView {
  article: string
  ageMs: number
  symbol: string
  source: string | null
  /** Why there is no price at the headline, when there is none. */
  noPrice: string | null
  cells: Record<string, { state: string | null; text: string }>
  text: string
}

/** Every ticker row of the headlines visible in the timeline's viewport (the first page). */
const firstPageRows = (p: Page): Promise<RowView[]> =>
  p.evaluate(() => {
    type El = { getBoundingClientRect(): { top: number; bottom: number }; querySelector(s: string): El | null; querySelectorAll(s: string): ArrayLike<El>; getAttribute(n: string): string | null; textContent: string | null }
    const doc = (globalThis as unknown as { document: { querySelector(s: string): El | null } }).document
    const list = doc.querySelector('.news-list')
    if (!list) return []
    const box = list.getBoundingClientRect()
    const out: RowView[] = []
    for (const item of Array.from(list.querySelectorAll('[data-testid^="news-item-"]'))) {
      const r = item.getBoundingClientRect()
      if (r.bottom <= box.top || r.top >= box.bottom) continue
      const published = Date.parse(item.querySelector('time')?.getAttribute('datetime') ?? '')
      for (const row of Array.from(item.querySelectorAll('.impact'))) {
        const cells: RowView['cells'] = {}
        for (const k of ['1', '5', '15', 'rvol']) {
          const c = row.querySelector(`[data-testid="impact-${k}"]`)
          cells[k] = { state: c?.getAttribute('data-state') ?? null, text: c?.textContent ?? '' }
        }
        out.push({
          article: item.getAttribute('data-article-id') ?? '',
          ageMs: Date.now() - published,
          symbol: (row.getAttribute('data-testid') ?? '').replace('impact-', ''),
          source: row.querySelector('[data-testid="impact-source"]')?.textContent ?? null,
          noPrice: row.querySelector('[data-testid="impact-none"]')?.textContent ?? null,
          cells,
          text: row.textContent ?? '',
        })
      }
    }
    return out
  })

describe('news impact v2 and move alerts (demo data, Chromium)', () => {
  it('the first page of headlines shows each ticker’s numbers with their source within 10 s', async () => {
    // When the first headline arrives depends on the news poller's schedule, not on this feature: the 10 s run
    // from the moment the timeline shows headlines.
    await page.getByTestId('news-item-0').waitFor({ timeout: 90_000 })
    let last: RowView[] = []
    // A headline published overnight has no price by definition and says so; every other one is measured.
    const measured = (r: RowView) =>
      (r.source !== null && (r.cells['1']!.state === 'value' || r.cells['1']!.state === 'none')) || /outside market hours/.test(r.noPrice ?? '')
    try {
      await waitFor(
        'first-page headlines with numbers and a source label',
        async () => {
          last = await firstPageRows(page)
          // Headlines a minute old or more have passed +1 m: each ticker reads a number (or "no trades since the
          // headline") and where it came from; at least one real number on the page.
          const due = last.filter((r) => r.ageMs >= 65_000)
          return due.length > 0 && due.every(measured) && last.some((r) => r.cells['1']!.state === 'value') ? due : null
        },
        10_000,
      )
    } catch (e) {
      const history = (await page.getByTestId('status-history').allTextContents()).join(' ')
      throw new Error(`${(e as Error).message}\n${sessionNote()}\nhistory: ${history}\nfirst page: ${JSON.stringify(last.slice(0, 8), null, 1)}`)
    }
    for (const r of last.filter((x) => measured(x) && x.source !== null)) {
      expect(['live', 'from REST trades', 'from 1-s bars']).toContain(r.source)
      // Never a made-up 0 %: a horizon without trades says so.
      for (const k of ['1', '5', '15']) if (r.cells[k]!.state === 'none') expect(r.cells[k]!.text).toMatch(/no trades since the headline/)
    }
  }, 150_000)

  /** Every toast the page has shown so far (they go after 12 s; an observer installed before load keeps them). */
  const seenToasts = (): Promise<SeenToast[]> =>
    page.evaluate(() => (globalThis as unknown as { __toasts?: SeenToast[] }).__toasts ?? [])

  /** Clicks the toast, then waits for the symbol's chart and the entry's marker on it. */
  const openChartFromToast = async (toast: Locator, kind: string, symbol: string, target: string, title: string): Promise<{ color: string; size: number }> => {
    await toast.locator('.toast-body').click()
    await page
      .getByTestId(`chart-${symbol}`)
      .waitFor({ timeout: 15_000 })
      .catch(async (e: unknown) => {
        const charts = await page.locator('[data-testid^="chart-"]').evaluateAll((els) => els.map((el) => el.getAttribute('data-testid')))
        const watched = await page.locator('[data-testid^="watchlist-row-"]').evaluateAll((els) => els.map((el) => el.getAttribute('data-testid')))
        throw new Error(`${(e as Error).message}\n${kind} toast for ${symbol} (target ${target}, "${title}"); charts ${charts.join(', ')}; watchlist ${watched.join(', ')}; page errors: ${pageErrors.slice(-5).join(' | ')}`)
      })
    return waitFor(`the ${kind} marker on ${symbol}`, async () => (await chartMarkers(page, symbol))?.find((m) => m.id === target) ?? null)
  }

  it('a move alert appears at once as a toast, a timeline entry and a chart marker', async () => {
    const toast = page.locator('[data-testid="toast"][data-kind="move"]').first()
    try {
      await toast.waitFor({ timeout: 420_000 })
    } catch (e) {
      const rows = await firstPageRows(page)
      throw new Error(`no move alert toast: ${(e as Error).message}\n${sessionNote()}\ntoasts seen: ${JSON.stringify(await seenToasts())}\nfirst page: ${JSON.stringify(rows.slice(0, 4))}`)
    }
    const symbol = (await toast.getAttribute('data-symbol'))!
    const target = (await toast.getAttribute('data-target'))!
    const title = (await toast.textContent()) ?? ''
    // "TSLA −5.7 % in 40 s, 8.0σ …"
    expect(title).toMatch(new RegExp(`${symbol} [+−]\\d+\\.\\d % in \\d+ s, \\d+(\\.\\d)?σ`))
    const entry = page.locator(`[data-testid="move-item"][data-move-id="${target}"]`)
    await entry.waitFor()
    expect(await entry.getByTestId('move-title').textContent()).toMatch(new RegExp(`^${symbol} `))
    // A click focuses the entry and opens the symbol's chart, where the marker is, highlighted.
    const marker = await openChartFromToast(toast, 'move', symbol, target, title)
    expect(marker.color).toBe(MOVE_COLOR)
    expect(marker.size).toBe(2)
    expect(await page.locator(`[data-move-id="${target}"]`).getAttribute('class')).toContain('selected')
  }, 480_000)

  it('a news shock’s headline signals within a minute of its publication: toast, timeline row and a coloured marker', async () => {
    // The demo's shock stories move their stock from publication; the headline reaches the app with the poller's
    // real latency, and the signal's toast comes when both are there (alertAt).
    const toast = page.locator('[data-testid="toast"][data-kind="signal"]').first()
    try {
      await toast.waitFor({ timeout: 420_000 })
    } catch (e) {
      throw new Error(`no signal toast: ${(e as Error).message}\n${sessionNote()}\ntoasts seen: ${JSON.stringify(await seenToasts())}`)
    }
    const symbol = (await toast.getAttribute('data-symbol'))!
    const target = (await toast.getAttribute('data-target'))!
    const title = (await toast.textContent()) ?? ''
    const after = /(\d+) s after the headline/.exec(title)
    expect(after, title).not.toBeNull()
    expect(Number(after![1]), `signal ${title}`).toBeLessThanOrEqual(60)
    const row = page.locator(`[data-article-id="${target}"] [data-testid="impact-${symbol}"]`)
    await row.waitFor()
    expect(await row.getByTestId('impact-signal').textContent()).toMatch(new RegExp(`^(▲ up|▼ down) ${after![1]} s after the headline`))
    const marker = await openChartFromToast(toast, 'signal', symbol, target, title)
    // The headline's marker took the signal's colour when it fired.
    expect(SIGNAL_COLORS).toContain(marker.color)
    expect(marker.size).toBe(2)
    expect(await page.locator(`[data-article-id="${target}"]`).getAttribute('class')).toContain('selected')
  }, 480_000)
})
