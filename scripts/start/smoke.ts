// `npm start -- --smoke`: the started app, checked as a user would see it, in Chromium: a chart draws its
// first candle and the news timeline shows its first headline. CI runs it; it fails within its deadline with
// what was missing.
import { chromium } from 'playwright-core'
import { describeChromium, launchOptions, resolveChromium } from '../chromium'

interface SmokeHook {
  paintedCandle(symbol: string, tf: string): { time: number; close: number } | null
}

export interface SmokeResult {
  chromium: string
  symbol: string
  firstCandleMs: number
  firstHeadlineMs: number
  headline: string
}

export async function smokeCheck(
  repoRoot: string,
  url: string,
  deadline: number,
  log: (l: string) => void,
): Promise<SmokeResult> {
  const choice = await resolveChromium(repoRoot)
  log(describeChromium(choice))
  const browser = await chromium.launch(launchOptions(choice))
  const t0 = Date.now()
  const left = (): number => Math.max(1, deadline - Date.now())
  let stage = 'the page to load'
  try {
    const page = await browser.newPage()
    await page.goto(`${url}&e2e=1`, { timeout: left() })
    stage = 'a chart'
    const chart = page.locator('[data-testid^="chart-"][data-state]').first()
    await chart.waitFor({ timeout: left() })
    const symbol = ((await chart.getAttribute('data-testid')) ?? '').replace(/^chart-/, '')
    stage = `the first ${symbol} candle to be drawn`
    await page.waitForFunction(
      (s) => (globalThis as unknown as { __newstape?: SmokeHook }).__newstape?.paintedCandle(s, '1m') != null,
      symbol,
      { timeout: left(), polling: 100 },
    )
    const firstCandleMs = Date.now() - t0
    stage = 'the first headline'
    const item = page.getByTestId('news-item-0')
    await item.waitFor({ timeout: left() })
    const firstHeadlineMs = Date.now() - t0
    const headline = (await item.innerText())
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .join(' · ')
      .slice(0, 160)
    return { chromium: choice.source, symbol, firstCandleMs, firstHeadlineMs, headline }
  } catch (e) {
    throw new Error(
      `smoke: timed out waiting for ${stage} (${e instanceof Error ? e.message.split('\n')[0] : String(e)})`,
    )
  } finally {
    await browser.close()
  }
}
