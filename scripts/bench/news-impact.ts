// Benchmarks for ticker tagging and the online news-impact tracker (short runs: the build machine is shared).
import { createTagger, SP500 } from '../../src-main/news/tagging/tagger'
import { computeImpact } from '../../src-main/signals/impact'
import type { ImpactTrade } from '../../src-main/signals/impact'
import { createImpactTracker } from '../../src-main/signals/tracker'
import type { BenchResult, BenchScenario } from './types'

const HEADLINES = [
  'Walmart and Target slash prices on back-to-school items as shoppers pull back',
  'Apple shares rise after strong iPhone sales in China',
  'Inflation target missed again as prices rise 3.8%',
  'Microsoft Corp (Nasdaq: MSFT) and Nvidia (NASDAQ:NVDA) expand partnership',
  '<p>Shares in <strong>Shell</strong> fell after the oil major cut its buyback</p>',
  'A general strike brings France to a standstill',
]

function trades(n: number, symbols: string[], start: number): ImpactTrade[] {
  const out: ImpactTrade[] = []
  let p = 100
  for (let i = 0; i < n; i++) {
    p *= 1 + (((i * 7919) % 13) - 6) / 20_000
    out.push({ symbol: symbols[i % symbols.length]!, ts: start + i * 20, price: Math.round(p * 100) / 100, size: 100, conditions: i % 10 === 0 ? [37] : [], seq: i })
  }
  return out
}

export const scenarios: BenchScenario[] = [
  {
    name: 'tagging',
    async run(): Promise<BenchResult[]> {
      let t = performance.now()
      const tag = createTagger(SP500.map((e) => ({ symbol: e.symbol, aliases: [] })))
      const compileMs = performance.now() - t
      const n = 30_000
      let found = 0
      t = performance.now()
      for (let i = 0; i < n; i++) found += tag(HEADLINES[i % HEADLINES.length]!).length
      const secs = (performance.now() - t) / 1000
      return [
        { scenario: 'tagging', metric: 'compile, full S&P 500 watchlist', value: Math.round(compileMs), unit: 'ms' },
        { scenario: 'tagging', metric: 'headlines tagged (full S&P 500 watchlist)', value: Math.round(n / secs), unit: 'headlines/s', target: '≥ 10,000', pass: n / secs >= 10_000, note: `${found} tags` },
      ]
    },
  },
  {
    name: 'impact-tracker',
    async run(): Promise<BenchResult[]> {
      const start = Date.UTC(2026, 10, 24, 14, 30)
      const symbols = Array.from({ length: 50 }, (_, i) => `S${i}`)
      const feed = trades(1_000_000, symbols, start) // 20 ms apart: ~5.5 h of tape
      const tracker = createImpactTracker({ clock: { now: () => start } })
      let emitted = 0
      const t = performance.now()
      feed.forEach((tr, i) => {
        emitted += tracker.onTrade(tr).length
        if (i % 20_000 === 0) {
          emitted += tracker.onArticle({ id: `a/${i}`, published: tr.ts - 30_000, receivedAt: tr.ts, title: `Story ${i}`, tickers: [tr.symbol, symbols[(i + 1) % 50]!] }).length
        }
      })
      const secs = (performance.now() - t) / 1000
      const batch = feed.filter((x) => x.symbol === 'S0')
      const t2 = performance.now()
      const reps = 50
      for (let i = 0; i < reps; i++) computeImpact({ article: { id: 'x', published: start + 3_600_000 * 2, receivedAt: start + 3_600_000 * 2, title: 'x' }, symbol: 'S0', trades: batch, asOf: start + 3_600_000 * 3 })
      const perRecord = (performance.now() - t2) / reps
      return [
        { scenario: 'impact-tracker', metric: 'trades ingested (50 symbols, articles every 20k trades)', value: Math.round(feed.length / secs), unit: 'trades/s', target: '≥ 200,000', pass: feed.length / secs >= 200_000, note: `${emitted} records` },
        { scenario: 'impact-tracker', metric: 'series entries held at end (bounded by retention)', value: tracker.stats().entries, unit: 'entries' },
        { scenario: 'impact-tracker', metric: `computeImpact over ${batch.length} trades`, value: Number(perRecord.toFixed(2)), unit: 'ms/record' },
      ]
    },
  },
]
