// Guardian side: simulator search cost over a day of stories, HTTP round trips through the simulator, and
// the poller's parse + dedupe throughput on full 200-item pages. Short runs (≈ 2–3 s in all).
import { performance } from 'node:perf_hooks'
import type { BenchResult, BenchScenario } from './types'
import { search, type ApiContext } from '../../src-main/simulator/guardian/api'
import { ArticleGenerator } from '../../src-main/simulator/guardian/generator'
import { startGuardianServer } from '../../src-main/simulator/guardian/server'
import { parseSearchBody } from '../../src-main/news/guardian-response'
import { SeenSet, revisionOf } from '../../src-main/news/news-state'

const START = Date.UTC(2026, 10, 23, 0, 0, 0)
const COMPANIES = ['Apple', 'Microsoft', 'Nvidia', 'Tesla', 'Amazon', 'Alphabet', 'Meta', 'Netflix'].map(
  (name, i) => ({ symbol: `S${i}`, name }),
)
const Q = COMPANIES.map((c) => `"${c.name}"`).join(' OR ')

function corpus(hours: number): ArticleGenerator {
  const gen = new ArticleGenerator({
    seed: 5,
    start: START,
    liveFrom: START,
    companies: COMPANIES,
    articlesPerHour: 60,
    mix: { shock: 0.3, null: 0.3, recycled: 0.15, other: 0.25 },
    liveBlogs: true,
    shockDelayMs: [30_000, 90_000],
    shockPct: [0.015, 0.04],
    onShock: () => undefined,
    apiBase: 'http://bench/guardian',
  })
  gen.extendTo(START + hours * 3_600_000)
  return gen
}

export const scenarios: BenchScenario[] = [
  {
    name: 'news: simulator /search (in-process)',
    async run(): Promise<BenchResult[]> {
      const gen = corpus(72) // ~4,300 stories
      const ctx: ApiContext = {
        now: START + 72 * 3_600_000,
        items: gen.all(),
        get: (id) => gen.get(id),
        userTier: 'developer',
        apiBase: 'http://bench/guardian',
      }
      const params = new URLSearchParams({
        q: Q,
        'order-by': 'newest',
        'page-size': '50',
        'show-fields': 'trailText,lastModified',
        'from-date': '2026-11-24',
      })
      search(params, ctx) // warm-up
      const n = 100
      const t0 = performance.now()
      for (let i = 0; i < n; i++) search(params, ctx)
      const ms = (performance.now() - t0) / n
      return [
        { scenario: 'news-sim-search', metric: 'corpus', value: gen.all().length, unit: 'items' },
        {
          scenario: 'news-sim-search',
          metric: 'search latency (8-name OR query)',
          value: ms,
          unit: 'ms',
          target: '≤ 50 ms',
          pass: ms <= 50,
        },
      ]
    },
  },
  {
    name: 'news: simulator over HTTP',
    async run(): Promise<BenchResult[]> {
      const s = await startGuardianServer({
        seed: 5,
        now: () => START + 10 * 3_600_000,
        quota: null,
        articlesPerHour: 60,
        backfillMs: 10 * 3_600_000,
      })
      try {
        const url = `${s.base}/search?api-key=demo&page-size=50&show-fields=trailText,lastModified&q=${encodeURIComponent('"Apple" OR "Tesla" OR "Nvidia"')}`
        for (let i = 0; i < 20; i++) await (await fetch(url)).text()
        const lat: number[] = []
        const t0 = performance.now()
        while (performance.now() - t0 < 1000) {
          const a = performance.now()
          await (await fetch(url)).text()
          lat.push(performance.now() - a)
        }
        lat.sort((x, y) => x - y)
        const p50 = lat[Math.floor(lat.length / 2)]!
        const p99 = lat[Math.floor(lat.length * 0.99)]!
        return [
          {
            scenario: 'news-sim-http',
            metric: 'sequential requests/s',
            value: lat.length / ((performance.now() - t0) / 1000),
            unit: 'req/s',
            target: '≥ 100',
            pass: lat.length >= 100,
          },
          { scenario: 'news-sim-http', metric: 'p50 latency', value: p50, unit: 'ms' },
          {
            scenario: 'news-sim-http',
            metric: 'p99 latency',
            value: p99,
            unit: 'ms',
            target: '≤ 50 ms',
            pass: p99 <= 50,
          },
        ]
      } finally {
        await s.close()
      }
    },
  },
  {
    name: 'news: poller parse + dedupe',
    async run(): Promise<BenchResult[]> {
      const gen = corpus(24)
      const ctx: ApiContext = {
        now: START + 24 * 3_600_000,
        items: gen.all(),
        get: (id) => gen.get(id),
        userTier: 'developer',
        apiBase: 'http://bench/guardian',
      }
      const body = JSON.stringify(
        search(new URLSearchParams({ 'page-size': '200', 'show-fields': 'trailText,lastModified' }), ctx)
          .body,
      )
      const seen = new SeenSet(5000)
      let items = 0
      const t0 = performance.now()
      while (performance.now() - t0 < 700) {
        const r = parseSearchBody(body)
        if (!r.ok) throw new Error(r.error)
        for (const it of r.page.items) {
          const rev = revisionOf(it)
          if (seen.classify(it.id, rev) !== 'seen') seen.remember(it.id, rev, it.published)
          items++
        }
      }
      const perSec = items / ((performance.now() - t0) / 1000)
      return [
        {
          scenario: 'news-poller-ingest',
          metric: 'items parsed + deduped',
          value: perSec,
          unit: 'items/s',
          target: '≥ 20,000',
          pass: perSec >= 20_000,
          note: `${Math.round(body.length / 1024)} KiB page of 200`,
        },
      ]
    },
  },
]
