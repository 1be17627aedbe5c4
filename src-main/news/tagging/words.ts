// Word lists behind the tagger's ambiguity rules. Lowercase.

/**
 * Tickers that are English words, common abbreviations or names: never tagged from a bare mention
 * ("ALL", "IT", "ON", "CAT", "NOW", "MPC" = the Bank of England's committee, "USB", …) — only as a cashtag
 * ($CAT), in exchange notation (NYSE: CAT) or via the company's name.
 */
export const TICKER_STOPWORDS = new Set(
  `all it on cat f t a c d k l o v j x are key low well now fast day cost mar so ed es mo hum ball peak tech has
  amp ben bro doc gen hal ice iex kim len luv met mmm mos mpc nsc peg pep pool psa pwr reg ste tap tel tkm tko txt
  uri usb wat xyz yum apa app arm awk baba carr cms coin comp coo cop cor crm dash deck dis erie exe fang fox gild
  gis hon hood iff keys lin lulu meta mgm mlm mrna nws otis para pins rio shop snap spot ups it's gm ge hp bp tm ul
  ma ms pg ba ea hd ford target apple oxy ally axon`
    .split(/\s+/)
    .filter((w) => w !== ''),
)

/**
 * Single words that are also company names or aliases: in ALL-CAPS text (where case tells nothing) such a
 * name needs business context to count.
 */
export const COMMON_WORDS = new Set(
  `apple amazon oracle ford meta alphabet intel caterpillar shell target gap visa delta fox carnival corning lilly
  arm slack vertex southwest travelers paramount robinhood kraft marshalls chevron dell hilton uber coke oxy ball
  block match snap square monster crown discover progressive southern general united american public dominion sands
  ups heinz twitch ring nike mosaic dover berkshire baxter lennox eaton gallagher mccormick waste citi jeep honda
  sony arista gilead schwab venmo marriott deere cummins trane ulta loews emerson textron xcel targa`
    .split(/\s+/)
    .filter((w) => w !== ''),
)

/** Words near an ambiguous name that say "this is the company". */
export const CUE_WORDS = new Set(
  `shares share stock stocks stake profit profits loss losses sales revenue revenues earnings results ceo boss chief
  chairman chair founder investors investor shareholders shareholder analysts quarter quarterly forecast forecasts guidance
  outlook deal deals merger bid takeover buyout acquisition acquires acquire buys buy sells sell sale stores store
  shops shoppers customers staff workers employees jobs layoffs redundancies cuts cut raises raise lowers slashes
  beats misses reports posts unveils launches announces warns sues sued fined recall recalls rises falls jumps
  slumps surges tumbles soars plunges rallies sinks dives climbs dividend valuation inc corp plc company brand
  brands ipo listing nyse nasdaq airline airlines flights flight passengers pilots fares cruise cruises bookings
  card cards payments network retailer retailers chain refinery insurer bank lender drugmaker chipmaker carmaker
  automaker factory lawsuit strike tariffs tariff downgrade upgrade buffett executive executives billion multibillion bn m
  trading traded investment invests invest contract contracts orders order hires hiring closes close closing opens
  expands plans plan weight vaccine drug pharma app apps iphone adds trims dumps stake stakes`
    .split(/\s+/)
    .filter((w) => w !== ''),
)

/** Exchange names for `NASDAQ: AAPL`, `(NYSE:IBM)`, `NYSE American: X`. */
export const EXCHANGES = new Set(['nasdaq', 'nyse', 'amex', 'cboe', 'bats', 'nasdaqgs', 'nasdaqgm', 'nasdaqcm', 'nysearca', 'nysemkt', 'arca', 'otc', 'otcqx'])
export const EXCHANGE_QUALIFIERS = new Set(['american', 'arca', 'mkt', 'gs', 'gm', 'cm', 'global', 'market'])

/** Legal-form words dropped from a company's full name to get its usual short name. */
export const LEGAL_SUFFIXES = new Set(['inc', 'incorporated', 'corp', 'corporation', 'co', 'company', 'companies', 'plc', 'ltd', 'limited', 'holdings', 'group', 'n', 'v', 'p', 'l', 'c', 's', 'a', 'sa', 'ag', 'nv', 'llc', 'lp'])

/**
 * Per-term prior: how often the surface form, capitalised, means the company in business headlines. Terms not
 * listed default to 0.99 (distinctive names: "Nvidia", "Accenture"); `generic` entries in sp500.json default to
 * 0.4, `weak` ones to 0.3. The tagger adds context evidence (case, neighbours, cues) to logit(prior).
 */
export const TERM_PRIORS: ReadonlyMap<string, number> = new Map(
  Object.entries({
    apple: 0.93, amazon: 0.9, oracle: 0.8, ford: 0.75, meta: 0.85, alphabet: 0.85, intel: 0.9, caterpillar: 0.85,
    shell: 0.45, target: 0.25, visa: 0.5, delta: 0.35, fox: 0.3, carnival: 0.4, corning: 0.5, lilly: 0.5, arm: 0.2,
    slack: 0.3, vertex: 0.4, southwest: 0.4, travelers: 0.3, paramount: 0.5, robinhood: 0.6, kraft: 0.6,
    marshalls: 0.5, hilton: 0.6, coke: 0.6, oxy: 0.6, chase: 0.35, square: 0.2, snap: 0.3, gap: 0.15, ball: 0.15,
    block: 0.2, match: 0.2, discover: 0.3, crown: 0.2, progressive: 0.3, dominion: 0.3, sands: 0.3, twitch: 0.5,
    ring: 0.2, mosaic: 0.4, dover: 0.3, berkshire: 0.45, baxter: 0.3, lennox: 0.3, eaton: 0.3, gallagher: 0.3,
    abbott: 0.5, anthem: 0.3, workday: 0.5, tinder: 0.5, cadillac: 0.6, chrysler: 0.9, lowes: 0.7, hershey: 0.7,
    stryker: 0.7, caesars: 0.6, chipotle: 0.8, adobe: 0.8, expeditors: 0.4, occidental: 0.6, colgate: 0.8,
    deckers: 0.6, cummins: 0.6, loews: 0.6, emerson: 0.5, aon: 0.6, gartner: 0.7, jeep: 0.8, citi: 0.8,
    goldman: 0.9, schwab: 0.8, hubbell: 0.7, synchrony: 0.7, kleenex: 0.8, heinz: 0.7, marriott: 0.8, nike: 0.9,
    targa: 0.6, uber: 0.95, sony: 0.95, honda: 0.9, gilead: 0.95, venmo: 0.95, ulta: 0.9, textron: 0.95, xcel: 0.9,
    arista: 0.7, novo: 0.6, edison: 0.4, mccormick: 0.6, deere: 0.85, trane: 0.8, dell: 0.85, chevron: 0.9,
  }),
)

/**
 * Words that may stand right before a company name in a Title Case headline without making the name part of a
 * longer proper noun: articles, prepositions, question words and the verbs headlines put before an object.
 * Any other capitalised word there ("Price Target", "Budget Gap", "Growth Arm") reads as a compound noun.
 */
export const NAME_LEFT_OK = new Set(
  `a an the of in on at to for from by with as vs versus than like into about over after before behind and or nor
  but if while since why how what when where who which whose is are was were will would can could should does do
  did has have had be been being it its this that these those here there new more most top best buy sell says
  said sees saw forget beats beat joins join sues sued buys bought adds added trims trimmed upgrades downgrades
  maintains initiates reiterates highlights highlight include includes including named names picks pick backs
  backed acquire acquires acquired acquiring challenges challenge targets targeted hit hits rival rivals called
  dubbed
  against between amid among per via inside outside without exclusive report reports breaking update watch
  stocks stock shares share`
    .split(/\s+/)
    .filter((w) => w !== ''),
)

/** Verbs (and verb-like words) that, right after a name at the start of a headline, show the name is the subject. */
export const SUBJECT_VERBS = new Set(
  `to will is was has had says said sees saw faces faced seeks sought cuts cut raises raised lowers lowered
  reports reported posts posted beats beat misses missed plans planned warns warned launches launched opens
  opened closes closed sues sued hires hired buys bought sells sold adds added drops dropped jumps jumped
  falls fell rises rose slides slid sinks sank soars soared surges surged tumbles tumbled plunges plunged
  climbs climbed gains gained loses lost agrees agreed announces announced unveils unveiled confirms
  confirmed reconsiders considers weighs shrinks shrank withdraws withdrew limits limited scraps scrapped
  abandons abandoned bows names named picks picked promotes promoted pays paid wins won takes took
  makes made gets got expands expanded delays delayed halts halted stops stopped ends ended settles
  settled completes completed invests invested bets decelerates wants wanted nears neared issues issued
  expects expected recalls recalled shares stock stocks`
    .split(/\s+/)
    .filter((w) => w !== ''),
)

/** Banks and brokers: when they act as analysts or commentators ("Citi Maintains Buy on X") they are not the news. */
export const BROKER_SYMBOLS = new Set(['GS', 'MS', 'JPM', 'C', 'BAC', 'WFC', 'BCS', 'HSBC', 'RJF', 'SF', 'SCHW'])

/** A broker name followed by one of these is an analyst action (with a price target or rating nearby for the ambiguous ones). */
export const BROKER_RATING_VERBS = new Set(
  `maintains maintained upgrades upgraded downgrades downgraded initiates initiated reiterates reiterated reinstates
  resumes assumes chooses rates`
    .split(/\s+/)
    .filter((w) => w !== ''),
)
export const BROKER_TARGET_VERBS = new Set(['raises', 'lowers', 'cuts', 'boosts', 'lifts', 'trims', 'hikes', 'sets', 'keeps', 'raised', 'lowered', 'cut', 'boosted', 'lifted'])
export const BROKER_OPINION_VERBS = new Set(['says', 'said', 'sees', 'thinks', 'expects', 'predicts', 'forecasts', 'warns', 'believes', 'likes', 'prefers', 'bets', 'estimates'])
export const BROKER_ROLE_NOUNS = new Set(
  `analyst analysts strategist strategists economist economists forecast forecasts target targets rating ratings
  call calls view views outlook note notes conference research estimate estimates`
    .split(/\s+/)
    .filter((w) => w !== ''),
)
