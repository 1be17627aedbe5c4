import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import type { WatchlistEntry } from '../../domain/watchlist'
import { SP500, canonicalSymbol, createArticleTagger, createTagger, normalizeText } from './tagger'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..')

interface Labelled {
  text: string
  /** A symbol string is shorthand for {symbol, aliases: []}. */
  watchlist: (string | WatchlistEntry)[]
  expected: string[]
}

const labelled = JSON.parse(readFileSync(join(ROOT, 'fixtures', 'tagging', 'headlines.json'), 'utf8')) as Labelled[]
const entries = (w: Labelled['watchlist']): WatchlistEntry[] => w.map((e) => (typeof e === 'string' ? { symbol: e, aliases: [] } : e))

const WL: WatchlistEntry[] = ['AAPL', 'MSFT', 'GOOGL', 'GOOG', 'META', 'TGT', 'SHEL', 'F', 'GM', 'GIS', 'T', 'ALL', 'IT', 'ON', 'CAT', 'BRK.B', 'V', 'NVDA'].map(
  (symbol) => ({ symbol, aliases: [] }),
)

describe('createTagger (table)', () => {
  const tag = createTagger(WL)
  it.each([
    ['Apple shares rise', ['AAPL']],
    ["Apple's iPhone sales slump", ['AAPL']],
    ['apple pie', []],
    ['Apple pie sales soar at farmers markets', []],
    ['Target practice for new recruits', []],
    ['Target cuts prices', ['TGT']],
    ['Retailers such as Target are struggling', ['TGT']], // mid-sentence capital: the company
    ['a shell of itself', []],
    ['Shell profits soar', ['SHEL']],
    ['we had to ford the river', []],
    ['Ford the river at dawn', []],
    ['Ford cuts jobs', ['F']],
    ['General Motors cuts jobs', ['GM']],
    ['The general manager resigned', []],
    ['General Mills raises prices', ['GIS']],
    ['Alphabet and Google and Facebook', ['GOOGL', 'GOOG', 'META']],
    ['$F, $T, $ALL, $IT, $ON and $CAT', ['F', 'T', 'ALL', 'IT', 'ON', 'CAT']],
    ['F, T, ALL, IT, ON and CAT', []],
    ['NASDAQ: NVDA', ['NVDA']],
    ['(Nasdaq: MSFT)', ['MSFT']],
    ['NYSE:CAT', ['CAT']],
    ['NYSE American: T', ['T']],
    ['nyse: cat', []], // the symbol after an exchange must be upper case
    ['$brk.b and $BRK-B and $BRK/B', ['BRK.B']],
    ['(F.N) shares', ['F']],
    ['AAPL', ['AAPL']],
    ['MSFTs', []],
    ['Microsofts', ['MSFT']], // plural of a name that is not a word
    ['Apples and oranges', []],
    ['Targets missed', []],
    ['APPLE PIE', []],
    ['APPLE SHARES SLUMP', ['AAPL']],
    ['Microsoft-backed OpenAI', ['MSFT']],
    ['Visa rules', []],
    ['Visa’s profits jump', ['V']],
    ['<p>Shares in <strong>Apple</strong></p>', ['AAPL']],
    ['AT&amp;T', ['T']],
    ['Title about nothing\nTrailtext: Apple shares', ['AAPL']],
    ['', []],
  ])('%s → %j', (text, expected) => {
    expect(tag(text)).toEqual(expected)
  })

  it('returns symbols in order of first mention, once', () => {
    expect(tag('Nvidia beats Apple; Apple and $NVDA rally')).toEqual(['NVDA', 'AAPL'])
  })

  it('uses watchlist aliases, with generic rules for aliases that are ordinary words', () => {
    const t = createTagger([
      { symbol: 'AAPL', aliases: ['Cupertino giant', 'Fruit'] },
      { symbol: 'XYZW', aliases: ['Widget Co'] },
    ])
    expect(t('Cupertino giant delays launch')).toEqual(['AAPL'])
    expect(t('Widget Co shares soar')).toEqual(['XYZW'])
    expect(t('cupertino giant')).toEqual([])
    expect(t('XYZW jumps')).toEqual(['XYZW']) // bare unknown ticker, not a word
  })

  it('only ever returns watchlist symbols', () => {
    const t = createTagger([{ symbol: 'MSFT', aliases: [] }])
    expect(t('Apple, Google and Microsoft; $AAPL; NYSE: IBM')).toEqual(['MSFT'])
    expect(createTagger([])('Apple and Microsoft')).toEqual([])
  })

  it('does not crash on odd input', () => {
    const t = createTagger(WL)
    expect(t(undefined as unknown as string)).toEqual([])
    expect(t('$'.repeat(1000) + ':'.repeat(1000))).toEqual([])
    expect(t('\u0000\uffff💥 Apple')).toEqual(['AAPL'])
  })
})

describe('createArticleTagger', () => {
  it('tags title and trailText as separate segments (an ALL-CAPS title does not make the trail shout)', () => {
    const t = createArticleTagger(WL)
    expect(t({ title: 'MARKETS LIVE', trailText: '<p>Target cuts prices; Apple pie sales up</p>' })).toEqual(['TGT'])
    expect(t({ title: 'Apple shares rise' })).toEqual(['AAPL'])
  })
})

describe('helpers', () => {
  it('canonicalSymbol', () => {
    expect(['brk-b', 'BRK/B', ' BRK.B '].map(canonicalSymbol)).toEqual(['BRK.B', 'BRK.B', 'BRK.B'])
  })
  it('normalizeText', () => {
    expect(normalizeText('<p>McDonald’s &amp; Co&#39;s</p>')).toBe(" McDonald's & Co's ")
  })
})

describe('sp500.json', () => {
  it('lists at least the S&P 500 with unique symbols and names', () => {
    expect(SP500.filter((e) => e.sp500 !== false).length).toBeGreaterThanOrEqual(500)
    const syms = SP500.map((e) => e.symbol)
    expect(new Set(syms).size).toBe(syms.length)
    for (const e of SP500) {
      expect(e.symbol).toMatch(/^[A-Z]{1,5}(\.[A-Z])?$/)
      expect(e.name.length).toBeGreaterThan(1)
      expect(Array.isArray(e.aliases)).toBe(true)
      for (const g of [...(e.generic ?? []), ...(e.weak ?? [])]) expect(e.aliases).toContain(g)
    }
  })
  it('every company is found by its first alias with the whole list watched', () => {
    const tag = createTagger(SP500.map((e) => ({ symbol: e.symbol, aliases: [] })))
    const missed: string[] = []
    for (const e of SP500) {
      const a = e.aliases[0]
      if (!a) continue
      const got = tag(`Mid-sentence mention: shares of ${a} rose`)
      if (!got.includes(e.symbol)) missed.push(`${e.symbol}:${a}`)
    }
    expect(missed).toEqual([])
  })
})

describe('labelled headlines (fixtures/tagging/headlines.json)', () => {
  it('has at least 200 labelled headlines', () => {
    expect(labelled.length).toBeGreaterThanOrEqual(200)
  })

  it('precision ≥ 0.95 and recall ≥ 0.90', () => {
    let tp = 0
    let fp = 0
    let fn = 0
    const errors: string[] = []
    for (const c of labelled) {
      const got = createTagger(entries(c.watchlist))(c.text)
      const want = new Set(c.expected)
      for (const s of got) {
        if (want.has(s)) tp++
        else {
          fp++
          errors.push(`FP ${s}: ${c.text}`)
        }
      }
      for (const s of want) {
        if (!got.includes(s)) {
          fn++
          errors.push(`FN ${s}: ${c.text}`)
        }
      }
    }
    const precision = tp / (tp + fp)
    const recall = tp / (tp + fn)
    console.log(
      `tagging: ${labelled.length} headlines, tp=${tp} fp=${fp} fn=${fn}, precision=${precision.toFixed(4)} recall=${recall.toFixed(4)}` +
        (errors.length ? `\n  ${errors.join('\n  ')}` : ''),
    )
    expect(precision).toBeGreaterThanOrEqual(0.95)
    expect(recall).toBeGreaterThanOrEqual(0.9)
  })
})
