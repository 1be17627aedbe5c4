// Headline material for the Guardian simulator. `{name}` is the company name. A story's variants are the
// same event told again in slightly new words (recycled headlines): every variant shares at least 60 % of
// its word set with the first one (Jaccard), which a test checks.

export interface StoryTemplate {
  /** +1 moves the stock up, −1 down, 0 moves nothing (a "null" article). */
  dir: 1 | -1 | 0
  section: 'business' | 'technology' | 'us-news' | 'money'
  variants: string[]
  trail: string
}

/** Small built-in symbol → company name map for the generator when the watchlist gives no alias. */
export const COMPANY_NAMES: Readonly<Record<string, string>> = {
  AAPL: 'Apple',
  MSFT: 'Microsoft',
  NVDA: 'Nvidia',
  TSLA: 'Tesla',
  AMZN: 'Amazon',
  GOOGL: 'Alphabet',
  GOOG: 'Alphabet',
  META: 'Meta',
  NFLX: 'Netflix',
  AMD: 'AMD',
  INTC: 'Intel',
  JPM: 'JPMorgan Chase',
  GS: 'Goldman Sachs',
  BA: 'Boeing',
  DIS: 'Disney',
  NKE: 'Nike',
  KO: 'Coca-Cola',
  PFE: 'Pfizer',
  XOM: 'ExxonMobil',
  WMT: 'Walmart',
  UBER: 'Uber',
  ORCL: 'Oracle',
  IBM: 'IBM',
  CRM: 'Salesforce',
  SPY: 'S&P 500',
}

export const STORIES: readonly StoryTemplate[] = [
  {
    dir: 1,
    section: 'business',
    variants: [
      '{name} shares soar after record quarterly profits',
      '{name} shares soar after record quarterly profits beat forecasts',
      '{name} shares soar after its record quarterly profits',
    ],
    trail: '{name} reported results well ahead of analysts’ expectations, lifting its outlook for the year.',
  },
  {
    dir: 1,
    section: 'technology',
    variants: [
      '{name} unveils new AI chip deal with major cloud providers',
      '{name} unveils AI chip deal with major cloud providers',
      '{name} unveils new AI chip deal with cloud providers',
    ],
    trail: 'The agreement could add billions of dollars to {name}’s revenue over the next three years.',
  },
  {
    dir: 1,
    section: 'us-news',
    variants: [
      'US regulators clear {name} acquisition after lengthy review',
      'US regulators clear {name} acquisition after long review',
      'Regulators in US clear {name} acquisition after lengthy review',
    ],
    trail:
      'The decision removes the last obstacle to the takeover, which investors had feared would be blocked.',
  },
  {
    dir: 1,
    section: 'money',
    variants: [
      '{name} raises dividend and announces huge share buyback',
      '{name} raises dividend and announces share buyback',
      '{name} raises its dividend and announces huge buyback of shares',
    ],
    trail: 'Shareholders will receive more cash as {name} returns profits from a strong year.',
  },
  {
    dir: 1,
    section: 'business',
    variants: [
      '{name} wins multibillion-dollar government contract',
      '{name} wins multibillion-dollar US government contract',
      'Government awards {name} multibillion-dollar contract',
    ],
    trail: 'The contract is one of the largest of its kind and runs for a decade.',
  },
  {
    dir: -1,
    section: 'business',
    variants: [
      '{name} shares slump after surprise profit warning',
      '{name} shares slump after a surprise profit warning',
      '{name} shares slump after surprise warning on profit',
    ],
    trail: '{name} said weaker demand would cut earnings this year, sending its shares sharply lower.',
  },
  {
    dir: -1,
    section: 'us-news',
    variants: [
      'US justice department sues {name} in antitrust case',
      'US justice department sues {name} in major antitrust case',
      'Justice department sues {name} in US antitrust case',
    ],
    trail: 'Prosecutors accuse {name} of abusing its dominant position to shut out rivals.',
  },
  {
    dir: -1,
    section: 'technology',
    variants: [
      '{name} recalls devices over battery fire fears',
      '{name} recalls millions of devices over battery fire fears',
      '{name} recalls devices over fears of battery fire',
    ],
    trail:
      'Regulators said the fault had caused several fires, and {name} faces a costly replacement programme.',
  },
  {
    dir: -1,
    section: 'business',
    variants: [
      '{name} chief executive steps down with immediate effect',
      '{name} chief executive steps down with immediate effect amid probe',
      'Chief executive of {name} steps down with immediate effect',
    ],
    trail: 'The board gave no reason for the abrupt departure, which rattled investors.',
  },
  {
    dir: -1,
    section: 'money',
    variants: [
      '{name} cuts outlook as customers rein in spending',
      '{name} cuts its outlook as customers rein in spending',
      '{name} cuts outlook as cautious customers rein in spending',
    ],
    trail: 'The lower forecast suggests households are still feeling the squeeze.',
  },
  {
    dir: 0,
    section: 'business',
    variants: [
      '{name} opens new office in Manchester',
      '{name} opens its new office in Manchester',
      '{name} opens new Manchester office',
    ],
    trail: 'The site will house several hundred staff by the end of next year.',
  },
  {
    dir: 0,
    section: 'technology',
    variants: [
      'What the latest {name} product launch says about big tech',
      'What the latest {name} launch says about big tech',
      'What latest {name} product launch says about big tech today',
    ],
    trail: 'A slick event, familiar promises: the industry is running out of new ideas.',
  },
  {
    dir: 0,
    section: 'money',
    variants: [
      '{name} to hold annual shareholder meeting in June',
      '{name} will hold annual shareholder meeting in June',
      '{name} to hold its annual shareholder meeting in June',
    ],
    trail: 'Investors will vote on the board and on pay at the meeting.',
  },
  {
    dir: 0,
    section: 'us-news',
    variants: [
      '{name} staff in US join national volunteering day',
      '{name} staff in US join volunteering day',
      'US {name} staff join national volunteering day',
    ],
    trail: 'Thousands of employees took part in local projects across the country.',
  },
  {
    dir: 0,
    section: 'technology',
    variants: [
      'Interview: the designers behind the {name} studio',
      'Interview: meet the designers behind the {name} studio',
      'The designers behind the {name} studio – interview',
    ],
    trail: 'A rare look inside one of the most secretive design teams in the industry.',
  },
]

/** General news that mentions no watchlist company (the query should not find most of it). */
export const OTHER_STORIES: readonly { section: string; title: string; trail: string }[] = [
  {
    section: 'business',
    title: 'Bank of England holds interest rates as inflation eases',
    trail: 'Policymakers voted to keep borrowing costs unchanged.',
  },
  {
    section: 'business',
    title: 'UK house prices rise for third month in a row',
    trail: 'Lenders said demand had held up despite high mortgage rates.',
  },
  {
    section: 'politics',
    title: 'Chancellor defends spending plans ahead of budget',
    trail: 'Treasury officials insisted the fiscal rules would be met.',
  },
  {
    section: 'world',
    title: 'Storms bring travel chaos across northern Europe',
    trail: 'Flights were cancelled and rail lines closed.',
  },
  {
    section: 'sport',
    title: 'Late winner keeps title race alive',
    trail: 'A stoppage-time goal settled a tense afternoon.',
  },
  {
    section: 'uk-news',
    title: 'Rail strike called off after last-minute talks',
    trail: 'Unions said a new offer would be put to members.',
  },
  {
    section: 'money',
    title: 'Savers urged to check rates as banks cut deals',
    trail: 'Easy-access accounts are paying less than a year ago.',
  },
  {
    section: 'us-news',
    title: 'Federal Reserve signals patience on rate cuts',
    trail: 'Officials want more evidence that inflation is under control.',
  },
  {
    section: 'world',
    title: 'Oil prices climb as supply worries grow',
    trail: 'Brent crude rose to its highest level in a month.',
  },
  {
    section: 'technology',
    title: 'Why your phone battery drains faster in winter',
    trail: 'Cold weather slows the chemistry inside lithium cells.',
  },
]

/** Market-wide news: +1 lifts the whole market, −1 sinks it (SPY by the move, every name by its beta). */
export const MACRO_STORIES: readonly { dir: 1 | -1; section: string; title: string; trail: string }[] = [
  {
    dir: -1,
    section: 'business',
    title: 'Wall Street falls as hot inflation data dents rate-cut hopes',
    trail: 'US consumer prices rose faster than expected, pushing Treasury yields higher.',
  },
  {
    dir: 1,
    section: 'business',
    title: 'Wall Street rallies as Federal Reserve cuts interest rates',
    trail: 'The Fed lowered borrowing costs by a quarter point and signalled more to come.',
  },
  {
    dir: -1,
    section: 'us-news',
    title: 'Federal Reserve holds rates and warns inflation fight is not over',
    trail: 'Stocks slid as the central bank pushed back against bets on early cuts.',
  },
  {
    dir: 1,
    section: 'business',
    title: 'US inflation cools more than expected in CPI report',
    trail: 'Shares jumped as the consumer price index rose less than economists forecast.',
  },
  {
    dir: -1,
    section: 'business',
    title: 'US jobs report shows hiring slump, stocks tumble',
    trail: 'Employers added far fewer jobs than expected, stoking fears of a slowdown.',
  },
  {
    dir: 1,
    section: 'business',
    title: 'Strong US jobs report lifts stocks on Wall Street',
    trail: 'Payrolls beat forecasts while wage growth eased.',
  },
  {
    dir: -1,
    section: 'business',
    title: 'Wall Street falls as bond yields surge to 16-year high',
    trail: 'Investors sold shares as the 10-year Treasury yield climbed.',
  },
]

export const BYLINES: readonly string[] = [
  'Graeme Wearden',
  'Kalyeena Makortoff',
  'Dan Milmo',
  'Jasper Jolly',
  'Richard Partington',
  'Callum Jones',
  'Alex Hern',
  'Nils Pratley',
]

export const LIVEBLOG_MACRO: readonly string[] = [
  'FTSE 100 edges higher',
  'oil prices rise',
  'UK inflation falls',
  'Wall Street opens flat',
  'pound slips against dollar',
  'gold hits record high',
  'eurozone growth stalls',
]

export const SECTION_NAMES: Readonly<Record<string, string>> = {
  business: 'Business',
  technology: 'Technology',
  'us-news': 'US news',
  money: 'Money',
  politics: 'Politics',
  world: 'World news',
  sport: 'Sport',
  'uk-news': 'UK news',
}
