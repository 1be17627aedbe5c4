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
  expands plans plan weight vaccine drug pharma app apps iphone`
    .split(/\s+/)
    .filter((w) => w !== ''),
)

/** Exchange names for `NASDAQ: AAPL`, `(NYSE:IBM)`, `NYSE American: X`. */
export const EXCHANGES = new Set(['nasdaq', 'nyse', 'amex', 'cboe', 'bats', 'nasdaqgs', 'nasdaqgm', 'nasdaqcm', 'nysearca', 'nysemkt', 'arca', 'otc', 'otcqx'])
export const EXCHANGE_QUALIFIERS = new Set(['american', 'arca', 'mkt', 'gs', 'gm', 'cm', 'global', 'market'])

/** Legal-form words dropped from a company's full name to get its usual short name. */
export const LEGAL_SUFFIXES = new Set(['inc', 'incorporated', 'corp', 'corporation', 'co', 'company', 'companies', 'plc', 'ltd', 'limited', 'holdings', 'group', 'n', 'v', 'p', 'l', 'c', 's', 'a', 'sa', 'ag', 'nv', 'llc', 'lp'])
