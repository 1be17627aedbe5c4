// Test support: feeds a golden vector of impact v2 (fixtures/news-impact/v2/) into an engine the way the app
// is fed (fixtures/news-impact/v2/README.md "Feeding an implementation"). Used by golden.test.ts and
// engine.test.ts.
import type { GoldenFile } from '../../../scripts/golden-v2/format'
import { createImpactEngine } from './engine'
import type { ImpactEngine } from './types'

type Event = { at: number; order: number; run: (e: ImpactEngine) => void }

/** Feeds `g` into `engine` (a fresh one by default) and returns it at asOf. */
export function feedGolden(g: GoldenFile, engine: ImpactEngine = createImpactEngine({ settings: g.settings })): ImpactEngine {
  const bySymbol = new Map<string, GoldenFile['minuteBars']>()
  for (const b of g.minuteBars) bySymbol.set(b.symbol, [...(bySymbol.get(b.symbol) ?? []), b])
  for (const [symbol, bars] of bySymbol) engine.addMinuteBars(symbol, bars)

  const inSpan = (ts: number, s: { from: number; to: number }): boolean => ts >= s.from && ts <= s.to
  const events: Event[] = []
  for (const [symbol, spans] of Object.entries(g.coverage)) {
    for (const span of spans) {
      if (span.source === 'live') {
        events.push({ at: span.from, order: 0, run: (e) => e.liveStarted(symbol, span.from) })
        if (span.to <= g.asOf) events.push({ at: span.to, order: 3, run: (e) => e.liveStopped(symbol, span.to) })
        continue
      }
      if (span.source === 'trades') {
        const prints = g.prints.filter((p) => p.symbol === symbol && p.source === 'trades' && inSpan(p.ts, span))
        engine.addHistory(symbol, span.from, span.to, { prints })
      } else {
        const secondBars = g.secondBars.filter((b) => b.symbol === symbol && inSpan(b.start, span))
        engine.addHistory(symbol, span.from, span.to, { secondBars })
      }
    }
  }
  const live = g.prints
    .filter((p) => p.source === 'live' && p.ts <= g.asOf)
    .sort((a, b) => a.ts - b.ts || a.seq - b.seq)
  for (const p of live) events.push({ at: p.ts, order: 1, run: (e) => e.onTrade(p) })
  for (const a of g.articles) {
    events.push({
      at: a.receivedAt,
      order: 2,
      run: (e) => {
        e.advance(a.receivedAt)
        e.onArticle(a)
      },
    })
  }
  // A stable sort keeps the live prints' (ts, seq) order among equal times.
  events.sort((x, y) => x.at - y.at || x.order - y.order)
  for (const ev of events) ev.run(engine)
  engine.advance(g.asOf)
  return engine
}

