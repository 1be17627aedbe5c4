import { beforeEach, describe, expect, it } from 'vitest'
import { article, impact } from '../../test/fixtures'
import { articleSignal, MAX_ARTICLES, useNewsStore, visibleArticles } from './news-store'

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
})
