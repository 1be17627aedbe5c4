import { describe, expect, it } from 'vitest'
import type { SymbolUpdate } from '../domain/market'
import type { Article, ImpactRecord } from '../domain/news'
import { createBatcher, type Batch } from './batcher'

const update = (symbol: string, close: number): SymbolUpdate => ({
  symbol,
  bars: { '1m': { symbol, start: 0, end: 60_000, open: close, high: close, low: close, close, volume: 1, vwap: close, trades: 1, source: 'trades' } },
  corrected: [],
  summary: { symbol, last: close, ref: null, change: null, changePct: null, dayVolume: 1, lastTs: 0 },
})
const article = (id: string, title: string): Article => ({ id, title }) as unknown as Article
const impact = (articleId: string, symbol: string, ret5: number): ImpactRecord => ({ articleId, symbol, ret5 }) as unknown as ImpactRecord

type Op = ['u', string, number] | ['a', string, string] | ['i', string, string, number] | ['take'] | ['ack', number] | ['release']
const brief = (b: Batch | null): string | null =>
  b &&
  `#${b.seq} u[${b.updates.map((u) => `${u.symbol}:${u.bars['1m']!.close}`).join(',')}] a[${b.articles.map((a) => `${a.id}:${a.title}`).join(',')}] i[${b.impacts.map((r) => `${r.articleId}|${r.symbol}:${(r as unknown as { ret5: number }).ret5}`).join(',')}]`

describe('batcher (one batch in flight, coalescing meanwhile)', () => {
  const cases: [string, Op[], (string | null)[]][] = [
    ['nothing pending: no batch', [['take']], [null]],
    ['a batch takes everything pending', [['u', 'AAPL', 1], ['a', 'x', 'A'], ['i', 'x', 'AAPL', 0.1], ['take']], ['#1 u[AAPL:1] a[x:A] i[x|AAPL:0.1]']],
    [
      'until acknowledged, nothing else goes out; meanwhile the latest per symbol, article and key wins',
      [['u', 'AAPL', 1], ['take'], ['u', 'AAPL', 2], ['u', 'AAPL', 3], ['a', 'x', 'A'], ['a', 'x', 'A2'], ['i', 'x', 'AAPL', 0.1], ['i', 'x', 'AAPL', 0.2], ['take'], ['ack', 1], ['take']],
      ['#1 u[AAPL:1] a[] i[]', null, '#2 u[AAPL:3] a[x:A2] i[x|AAPL:0.2]'],
    ],
    ['a stale acknowledgement does not release the batch in flight', [['u', 'AAPL', 1], ['take'], ['u', 'MSFT', 1], ['ack', 7], ['take']], ['#1 u[AAPL:1] a[] i[]', null]],
    ['release (shutting down) sends what is pending at once', [['u', 'AAPL', 1], ['take'], ['u', 'MSFT', 2], ['release'], ['take']], ['#1 u[AAPL:1] a[] i[]', '#2 u[MSFT:2] a[] i[]']],
    ['after an acknowledgement with nothing pending: no empty batch', [['u', 'AAPL', 1], ['take'], ['ack', 1], ['take']], ['#1 u[AAPL:1] a[] i[]', null]],
  ]
  it.each(cases)('%s', (_name, ops, expected) => {
    const b = createBatcher()
    const out: (string | null)[] = []
    for (const op of ops) {
      if (op[0] === 'u') b.addUpdates([update(op[1], op[2])])
      else if (op[0] === 'a') b.addArticle(article(op[1], op[2]))
      else if (op[0] === 'i') b.addImpact(impact(op[1], op[2], op[3]))
      else if (op[0] === 'take') out.push(brief(b.take()))
      else if (op[0] === 'ack') b.ack(op[1])
      else b.release()
    }
    expect(out).toEqual(expected)
  })
})
