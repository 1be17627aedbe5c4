import { beforeEach, describe, expect, it } from 'vitest'
import { article, impact, move } from '../../test/fixtures'
import { articleSignal, MAX_ARTICLES, MAX_MOVES, moveHeadlines, useNewsStore, visibleArticles, visibleEntries } from './news-store'

describe('useNewsStore', () => {
  beforeEach(() => useNewsStore.setState(useNewsStore.getInitialState(), true))

  it('orders newest first and replaces revisions by id', () => {
    const s = useNewsStore.getState()
    s.ingest({ articles: [article('a', 1_000, ['AAPL']), article('b', 3_000, ['MSFT'])], impacts: [], moves: [] })
    s.ingest({ articles: [article('c', 2_000, []), article('a', 1_000, ['AAPL'], { title: 'Revised' })], impacts: [], moves: [] })
    const st = useNewsStore.getState()
    expect(st.order).toEqual(['b', 'c', 'a'])
    expect(st.articles.a?.title).toBe('Revised')
  })

  it('replaces impacts by articleId|symbol but never a final one by a provisional one', () => {
    const s = useNewsStore.getState()
    s.ingest({ articles: [article('a', 1, ['AAPL'])], impacts: [impact('a', 'AAPL', { ret1: 0.01 })], moves: [] })
    s.ingest({ articles: [], impacts: [impact('a', 'AAPL', { ret1: 0.01, ret5: 0.02, signal: 'up', final: true })], moves: [] })
    s.ingest({ articles: [], impacts: [impact('a', 'AAPL', { ret1: 0.5 })], moves: [] })
    expect(useNewsStore.getState().impacts.a?.AAPL).toMatchObject({ ret5: 0.02, signal: 'up', final: true })
  })

  it('caps the number of articles kept, dropping the oldest', () => {
    const arts = Array.from({ length: MAX_ARTICLES + 5 }, (_, i) => article(`n${i}`, i, []))
    useNewsStore.getState().ingest({ articles: arts, impacts: [impact('n0', 'AAPL')], moves: [] })
    const st = useNewsStore.getState()
    expect(st.order).toHaveLength(MAX_ARTICLES)
    expect(st.articles.n0).toBeUndefined()
    expect(st.impacts.n0).toBeUndefined()
    expect(st.order[0]).toBe(`n${MAX_ARTICLES + 4}`)
  })

  it('filters by ticker and signal', () => {
    useNewsStore.getState().ingest({
      articles: [article('up', 3, ['AAPL']), article('down', 2, ['MSFT']), article('flat', 1, ['AAPL'])],
      impacts: [impact('up', 'AAPL', { signal: 'up' }), impact('down', 'MSFT', { signal: 'down' }), impact('flat', 'AAPL', { signal: 'none' })],
      moves: [],
    })
    const ids = (over: object) => visibleArticles({ ...useNewsStore.getState(), ...over }).map((a) => a.id)
    expect(ids({})).toEqual(['up', 'down', 'flat'])
    expect(ids({ tickerFilter: 'AAPL' })).toEqual(['up', 'flat'])
    expect(ids({ signalFilter: 'signal' })).toEqual(['up', 'down'])
    expect(ids({ signalFilter: 'down' })).toEqual(['down'])
    expect(ids({ signalFilter: 'up', tickerFilter: 'MSFT' })).toEqual([])
  })

  it('articleSignal prefers up/down over none over unknown', () => {
    expect(articleSignal(undefined)).toBeNull()
    expect(articleSignal({ A: impact('x', 'A') })).toBeNull()
    expect(articleSignal({ A: impact('x', 'A', { signal: 'none' }), B: impact('x', 'B', { signal: 'down' }) })).toBe('down')
  })

  it('never replaces an impact by one computed earlier (asOf)', () => {
    const s = useNewsStore.getState()
    s.ingest({ articles: [], impacts: [impact('a', 'AAPL', { asOf: 5_000, ar1: 0.02 })], moves: [] })
    s.ingest({ articles: [], impacts: [impact('a', 'AAPL', { asOf: 4_000, ar1: null })], moves: [] })
    expect(useNewsStore.getState().impacts.a?.AAPL?.ar1).toBe(0.02)
  })

  it('keeps move alerts by id (a re-sent move replaces), capped, oldest dropped', () => {
    const s = useNewsStore.getState()
    s.ingest({ articles: [], impacts: [], moves: [move('TSLA', 1_000)] })
    s.ingest({ articles: [], impacts: [], moves: [move('TSLA', 1_000, { headlines: ['h'] })] })
    expect(Object.values(useNewsStore.getState().moves)).toEqual([move('TSLA', 1_000, { headlines: ['h'] })])
    s.ingest({ articles: [], impacts: [], moves: Array.from({ length: MAX_MOVES + 2 }, (_, i) => move('AAPL', 10_000 + i)) })
    const ids = Object.keys(useNewsStore.getState().moves)
    expect(ids).toHaveLength(MAX_MOVES)
    expect(ids).not.toContain('TSLA|1000')
    expect(ids).not.toContain('AAPL|10000')
    expect(ids).toContain(`AAPL|${10_000 + MAX_MOVES + 1}`)
    s.reset({ articles: [], impacts: [], moves: [] })
    expect(useNewsStore.getState().moves).toEqual({})
  })

  it('interleaves move alerts (at detectedAt) with headlines (at published), newest first, under the same filters', () => {
    useNewsStore.getState().ingest({
      articles: [article('h1', 3_000, ['TSLA']), article('h2', 1_000, ['AAPL'])],
      impacts: [impact('h1', 'TSLA', { signal: 'up' })],
      moves: [move('TSLA', 2_000, { direction: 'down' }), move('AAPL', 3_000, { direction: 'up' })],
    })
    const keys = (over: object) => visibleEntries({ ...useNewsStore.getState(), ...over }).map((e) => (e.kind === 'move' ? e.move.id : e.article.id))
    expect(keys({})).toEqual(['AAPL|3000', 'h1', 'TSLA|2000', 'h2'])
    expect(keys({ tickerFilter: 'TSLA' })).toEqual(['h1', 'TSLA|2000'])
    expect(keys({ signalFilter: 'up' })).toEqual(['AAPL|3000', 'h1'])
    expect(keys({ signalFilter: 'down' })).toEqual(['TSLA|2000'])
    expect(keys({ signalFilter: 'signal' })).toEqual(['AAPL|3000', 'h1', 'TSLA|2000'])
  })

  it('finds the headlines explaining a move: its headlines and impacts naming it, known articles only, by publication', () => {
    const m = move('TSLA', 100_000, { headlines: ['late', 'gone'] })
    const st = {
      articles: { late: article('late', 150_000, ['TSLA']), early: article('early', 90_000, ['TSLA']) },
      impacts: { early: { TSLA: impact('early', 'TSLA', { move: m.id }) } },
      moves: { [m.id]: m, [move('AAPL', 1).id]: move('AAPL', 1) },
    }
    expect(Object.fromEntries(Object.entries(moveHeadlines(st)).map(([k, v]) => [k, v.map((a) => a.id)]))).toEqual({ [m.id]: ['early', 'late'] })
  })
})
