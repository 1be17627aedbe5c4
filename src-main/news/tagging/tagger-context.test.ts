// Table-driven tests for the case-aware, context-scored rules (see the header of tagger.ts). Full S&P 500 watchlist.
import { describe, expect, it } from 'vitest'
import { SP500, caseMode, createArticleExplainer, createExplainingTagger, createTagger, isTitleCase } from './tagger'

const FULL = SP500.map((e) => ({ symbol: e.symbol, aliases: [] }))
const tag = createTagger(FULL)

describe('case model', () => {
  it.each([
    ['Apple shares rise after strong iPhone sales', 'sentence'],
    ['Barclays Maintains Equal-Weight on PepsiCo, Lowers Price Target to $133', 'title'],
    ['Why Is MARA Stock Falling on Thursday?', 'title'],
    ['APPLE SHARES SLUMP AS CHINA SALES FALL', 'caps'],
    ['CEO Secrets: Drone boss Henri Seydoux shares his advice', 'sentence'],
    ['Nvidia: Boss says AI at tipping point', 'sentence'],
  ])('%s → %s', (text, mode) => {
    expect(caseMode(text)).toBe(mode)
    expect(isTitleCase(text)).toBe(mode !== 'sentence')
  })
})

describe('common-word names in context', () => {
  it.each([
    // Title Case: capitals say nothing, a compound noun says "not the company"
    ['Morgan Stanley Maintains Equal-Weight on Moderna, Raises Price Target to $89', ['MRNA']],
    ['Netflix Scores Street-High Price Target On Solid Momentum', ['NFLX']],
    ['ACI Worldwide And Cognizant Say Card Software Ran Over Double Target Load', ['CTSH']],
    ['JPMorgan Growth Arm Backs Cyber Business Eye Security', ['JPM']],
    ['Walmart and Target limit self-checkout as retail giants face dilemma', ['WMT', 'TGT']],
    ['Top Stock Reports for Visa, Home Depot & Toyota Motor', ['V', 'HD', 'TM']],
    ['Why Visa Could Be A Better Investment Than Mastercard', ['V', 'MA']],
    // sentence case: a start-of-sentence name followed by a verb is the subject
    ['Shell faces questions over its windfall', ['SHEL']],
    ['Target saw weaker demand in the quarter', ['TGT']],
    ['Chase to share customer data with advertisers', ['JPM']],
    ['Cost of living: Calls for targeted help to cut energy bills', []],
    ['Police to treat shoplifting as gangs target stores', []],
    ['BBC analysis shows a wide gap between players', []],
    // a proper-noun run ("Reading, Berkshire"; "Thomas Edison") is something else
    ['Reading, Berkshire: new station opens', []],
    ['Thomas Edison museum reopens', []],
    ['Edison Stock Craters 24% In Worst Day Since 2001', ['EIX']],
    // former names and subsidiaries
    ['Cathie Wood Adds More Coinbase, Skillz, Trims Square', ['COIN', 'XYZ']],
    ['Daihatsu suspends production in Japan after safety test scandal', ['TM']],
    ['Cadbury shrinks size of Dairy Milk sharing bar', ['MDLZ']],
    ['Macron snap election leaves rivals stunned', []],
    ['Crowds gather in Times Square', []],
    // indices and digits
    ['Portfolios underperformed their MSCI EAFE benchmark', []],
    ['Net Product Revenue Of ~#38.3M', []],
    ['Salesforce, 3M share losses lead Dow’s 300-point fall', ['CRM', 'MMM']],
  ])('%s → %j', (text, expected) => {
    expect(tag(text)).toEqual(expected)
  })
})

describe('banks as analysts are not the news', () => {
  it.each([
    ['Citigroup Maintains Neutral on Super Micro Computer, Raises Price Target to $39', ['SMCI']],
    ['AMD, TER Stocks Jump After Goldman Sachs Lifts Price Targets', ['AMD', 'TER']],
    ['Nebius Q2 Outlook: Will Goldman’s $35.5 Billion Revenue Forecast Overpower the Sell Call?', []],
    ['Ether Could Avoid Designation as a Security, JPMorgan Says', []],
    ['Treasury buyback blitz may drive yields higher, warns JPMorgan', []],
    ['NVDA Stock Jumps On $12 Trillion Valuation Call From Raymond James', ['NVDA']],
    ['Barclays turned more bullish on the telehealth company', []],
    ['JPMorgan Says Its AI Cashflow Tool Cut Human Work Almost 90%', ['JPM']],
    ['Goldman Sachs Posts Upbeat Q2 Earnings', ['GS']],
    ['Goldman Sachs boss David Solomon set to DJ Lollapalooza', ['GS']],
  ])('%s → %j', (text, expected) => {
    expect(tag(text)).toEqual(expected)
  })
})

describe('bare tickers and acronym collisions', () => {
  it.each([
    ['From NVDA to BA: Portfolio manager names her top stocks', ['NVDA', 'BA']],
    ['4 stocks to watch on Friday: SWAV on JNJ deal, NFLX and more', ['JNJ', 'NFLX']],
    ['Why Did IMAX, JPM, CSX Stocks Surge To 52-Week Highs?', ['JPM', 'CSX']],
    ['PM backs calls for ferry boss to resign', []],
    ['France’s ADP posts record passenger traffic', []],
    ['AFL-CIO backs the strike', []],
    ['Automatic Data Processing (ADP) beats estimates', ['ADP']],
    ['Australian Taxation Office (ATO) chases unpaid tax', []],
    ['New ETNs Bring Leverage To Gold Miners', []],
    ['SHAREHOLDER ALERT: CAT AND DOG FOOD RECALL', []],
  ])('%s → %j', (text, expected) => {
    expect(tag(text)).toEqual(expected)
  })
})

describe('reasons', () => {
  it('records the matched term, the rule and the field', () => {
    const t = createExplainingTagger(FULL)
    expect(t('Walmart and Target limit self-checkout; $NVDA and NYSE: CAT').reasons).toEqual([
      { symbol: 'WMT', term: 'Walmart', rule: 'name', field: 'title' },
      { symbol: 'TGT', term: 'Target', rule: 'name-in-context', field: 'title' },
      { symbol: 'NVDA', term: '$NVDA', rule: 'cashtag', field: 'title' },
      { symbol: 'CAT', term: 'NYSE: CAT', rule: 'exchange', field: 'title' },
    ])
  })

  it('tags from the trailText and the Guardian keyword tags, each with its field', () => {
    const t = createArticleExplainer(FULL)
    const r = t({
      title: 'Markets live: stocks drift',
      trailText: '<p>Shares in <strong>Tesla</strong> fell</p>',
      tags: [{ id: 'technology/apple', type: 'keyword', webTitle: 'Apple' }, { id: 'business/target', type: 'keyword' }, { id: 'tone/news', type: 'tone', webTitle: 'News' }, 'technology/nvidia'],
    })
    expect(r.reasons).toEqual([
      { symbol: 'TSLA', term: 'Tesla', rule: 'name', field: 'trail' },
      { symbol: 'AAPL', term: 'Apple', rule: 'guardian-tag', field: 'tags' },
      { symbol: 'TGT', term: 'target', rule: 'guardian-tag', field: 'tags' },
      { symbol: 'NVDA', term: 'nvidia', rule: 'guardian-tag', field: 'tags' },
    ])
  })

  it('marks user aliases and honours the user’s deny phrases', () => {
    const t = createExplainingTagger([{ symbol: 'AAPL', aliases: ['Cupertino giant'] }, { symbol: 'TGT', aliases: [] }], undefined, { deny: { TGT: ['Target Field'] } })
    expect(t('Cupertino giant delays launch').reasons).toEqual([{ symbol: 'AAPL', term: 'Cupertino giant', rule: 'user-alias', field: 'title' }])
    expect(t('Crowds at Target Field; Target cuts prices').symbols).toEqual(['TGT'])
    expect(t('Crowds at Target Field tonight').symbols).toEqual([])
  })
})
