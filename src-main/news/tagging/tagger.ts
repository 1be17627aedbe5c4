// Ticker tagging: maps an article's text (title, trailText, Guardian tags) to watchlist symbols, and says why.
// Pure and precompiled: createTagger builds a token-indexed lexicon once; each call tokenizes and does map lookups.
//
// Two passes per text segment (title, trail: each its own segment, so an ALL-CAPS title does not make the trail
// shout):
//  1. Candidates: cashtags `$S`, exchange notation `NYSE: S`, Reuters RICs `(S.O)`, bare upper-case tickers, and
//     lexicon terms (company names, short names, brands, subsidiaries, former names, the user's aliases), longest
//     phrase first, compared case-insensitively and then checked for shape (a capitalised name must be
//     capitalised in the text, an acronym must be upper case; "iPhone" may be "IPhone").
//  2. Decisions. Unambiguous evidence (cashtag, exchange, RIC) always counts. A lexicon term is scored:
//     logit(prior of the term) + context evidence, and counts when the score is > 0. The prior says how often the
//     word means the company (0.99 for "Nvidia", 0.25 for "Target", see TERM_PRIORS). Evidence is case-aware:
//       - sentence case: a capitalised word mid-sentence is a proper noun (+3); at a sentence start it says nothing;
//       - Title Case and ALL CAPS: capitals say nothing (ALL CAPS slightly less than nothing);
//       - both sides: possessive "X's" (+2.5), a business cue word within 3 words before / 4 after (+2), a list
//         of companies around it ("Walmart and Target", "Visa, Home Depot") (+2.5), a subject verb right after
//         ("Shell faces", "Target to close") (+1.5), another company tagged in the article (+0.7);
//       - a capitalised word right before that is not an article, preposition or headline verb makes the name
//         part of a longer noun ("Price Target", "Budget Gap", "Growth Arm", "Big Apple") (−2.5);
//       - an acronym after "Somewhere's" or before "-XYZ" names something else ("France's ADP", "AFL-CIO") (−3).
//     Deny phrases (per company, and the user's own) veto a term outright.
//  Bare tickers: 4+ letters and not a word count on their own (not in ALL-CAPS text); 3 letters need a hint
//  (the company's name in the segment, a list of tickers, "Stock"/"Shares" after, a cue word); 1–2 letters and
//  ticker-words (ALL, IT, ON, CAT…) need the company's name nearby or a list with an unambiguous ticker
//  ("From NVDA to BA").
//  Banks acting as analysts ("Citigroup Maintains Neutral on X", "…, JPMorgan Says", "Goldman's forecast") are
//  not the news and are not tagged.
import type { TagReason, TagRule } from '../../domain/news'
import type { WatchlistEntry } from '../../domain/watchlist'
import sp500 from './sp500.json'
import {
  BROKER_OPINION_VERBS,
  BROKER_RATING_VERBS,
  BROKER_ROLE_NOUNS,
  BROKER_SYMBOLS,
  BROKER_TARGET_VERBS,
  COMMON_WORDS,
  CUE_WORDS,
  EXCHANGES,
  EXCHANGE_QUALIFIERS,
  LEGAL_SUFFIXES,
  NAME_LEFT_OK,
  SUBJECT_VERBS,
  TERM_PRIORS,
  TICKER_STOPWORDS,
} from './words'

export interface NameEntry {
  symbol: string
  /** Full company name, e.g. "Apple Inc.". */
  name: string
  /** Short names, brands, subsidiaries and former names, in their usual case. */
  aliases: string[]
  /** Aliases that are ordinary words (default prior 0.4 unless TERM_PRIORS says otherwise). */
  generic?: string[]
  /** Aliases that are usually something else (default prior 0.3). */
  weak?: string[]
  /** Phrases (any case) in which a name does not mean the company. */
  deny?: string[]
  /** false for popular non-members shipped in the same file. */
  sp500?: boolean
}

export type NameMap = readonly NameEntry[]
export type Tagger = (text: string) => string[]

/** Where in the article. */
export type TagField = Exclude<TagReason['field'], 'user'>
export type { TagReason, TagRule }

export interface TagResult {
  /** Symbols in order of first mention, once each. */
  symbols: string[]
  /** The first reason per symbol. */
  reasons: TagReason[]
}

export interface TaggerOptions {
  /** The user's own deny phrases per symbol: any of them overlapping a match for that symbol vetoes it. */
  deny?: Readonly<Record<string, readonly string[]>>
}

export interface ArticleText {
  title: string
  trailText?: string
  /** Guardian tags (keyword tags' titles or ids, e.g. "Apple" or "technology/apple"). */
  tags?: readonly (string | { id?: string; webTitle?: string; type?: string })[]
}

export const SP500: NameMap = sp500 as NameEntry[]

interface Token {
  text: string
  lower: string
  start: number
  end: number
  word: boolean
}

type Shape = 'cap' | 'acro' | 'any'

interface Term {
  tokens: string[]
  shapes: Shape[]
  symbols: string[]
  logit: number
  user: boolean
  /** Single upper-case token ("ADP", "IBM"): subject to the acronym-collision tests. */
  acronym: boolean
  /** The other reading is a proper noun too ("Berkshire" the county, "Eaton" the school): capitals prove nothing. */
  properAlt: boolean
}

type Mode = 'sentence' | 'title' | 'caps'

interface Candidate {
  start: number
  end: number
  symbols: readonly string[]
  term: string
  /** Name/alias term (scored), or an unambiguous form (accepted), or a bare ticker (hinted). */
  kind: 'term' | 'sure' | 'ticker'
  rule: TagRule
  t?: Term
  tickerClass?: 'plain' | 'short'
  accepted: boolean
}

const SENTENCE_END = new Set(['.', '!', '?', ':', ';', '—', '–', '|', '\n'])
const OPENERS = new Set(["'", '"', '(', '[', '‘', '“'])
const ABBREVIATIONS = new Set(['vs', 'inc', 'corp', 'co', 'ltd', 'jr', 'sr', 'st', 'mr', 'ms', 'dr', 'no', 'u', 's', 'p', 'j', 'bros', 'cl'])
const LIST_WORDS = new Set(['and', 'or', 'vs', 'versus', '&', ',', '/'])
const SMALL_WORDS = new Set(
  'a an the and or nor but of in on at to for from by with as vs via per into onto over up out off is are was be it its'.split(' '),
)
const STOCK_WORDS = new Set(['stock', 'stocks', 'shares', 'share'])
const CUE_AFTER = 4
const CUE_BEFORE = 3
const STRONG_PRIOR = 0.99

export function tokenize(text: string): Token[] {
  // Hand-rolled scanner: runs of [A-Za-z0-9] are words, every other non-space character is its own token.
  const out: Token[] = []
  const n = text.length
  let i = 0
  while (i < n) {
    const c = text.charCodeAt(i)
    if (isAlnum(c)) {
      let j = i + 1
      while (j < n && isAlnum(text.charCodeAt(j))) j++
      const t = text.slice(i, j)
      out.push({ text: t, lower: t.toLowerCase(), start: i, end: j, word: true })
      i = j
    } else {
      if (!isSpace(c)) {
        // Keep surrogate pairs together so emoji stay one token.
        const w = c >= 0xd800 && c <= 0xdbff && i + 1 < n ? 2 : 1
        const t = text.slice(i, i + w)
        out.push({ text: t, lower: t, start: i, end: i + w, word: false })
        i += w
      } else i++
    }
  }
  return out
}

function isAlnum(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57)
}

function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0x2028 || c === 0x2029 || c === 0xfeff || (c >= 0x2000 && c <= 0x200a) || c === 0x3000
}

const NEEDS_NORMALIZING = /[<&’‘ʼ′“”\u00a0]/

/** Strip HTML (trailText carries <p>, <strong>), decode common entities, straighten quotes. */
export function normalizeText(raw: string): string {
  if (!NEEDS_NORMALIZING.test(raw)) return raw
  return raw
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(amp|#38|#x26);/gi, '&')
    .replace(/&(quot|#34|#x22);/gi, '"')
    .replace(/&(#39|#x27|apos|rsquo|lsquo);/gi, "'")
    .replace(/&(nbsp|#160);/gi, ' ')
    .replace(/&(mdash|ndash);/gi, '—')
    .replace(/[’‘ʼ′]/g, "'")
    .replace(/[“”]/g, '"')
    .replace(/\u00a0/g, ' ')
}

/** Canonical form of a symbol: upper case, class separator '.' (BRK-B, BRK/B → BRK.B). */
export function canonicalSymbol(s: string): string {
  return s.trim().toUpperCase().replace(/[-/]/g, '.')
}

function phraseTokens(s: string): string[] {
  return tokenize(normalizeText(s)).map((t) => t.text)
}

/** The usual short name from a full legal name: "Ford Motor Company" → "Ford Motor"; null when it would be one word. */
function shortName(full: string): string[] | null {
  let toks = phraseTokens(full.replace(/\(.*?\)/g, ' '))
  if (toks[0]?.toLowerCase() === 'the') toks = toks.slice(1)
  while (toks.length > 0) {
    const last = toks[toks.length - 1]!
    if (last === '.' || last === ',' || LEGAL_SUFFIXES.has(last.toLowerCase())) toks = toks.slice(0, -1)
    else break
  }
  if (toks.length > 0 && toks[toks.length - 1] === '&') toks = toks.slice(0, -1)
  return toks.filter((t) => /[A-Za-z0-9]/.test(t)).length >= 2 ? toks : null
}

function shapeOf(tok: string): Shape {
  if (!/[A-Za-z]/.test(tok)) return 'any'
  const letters = tok.replace(/[^A-Za-z]/g, '')
  if (letters.length >= 2 && letters === letters.toUpperCase()) return 'acro'
  if (/^[0-9]*[A-Z]/.test(tok)) return letters.length === 1 && /[0-9]/.test(tok) ? 'acro' : 'cap'
  return 'any' // "of", "iPhone", "eBay": any case
}

function shapeFits(shape: Shape, text: string): boolean {
  if (shape === 'any') return true
  if (shape === 'acro') return text === text.toUpperCase()
  // 'cap': first letter upper case
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c >= 65 && c <= 90) return true
    if (c >= 97 && c <= 122) return false
  }
  return true
}

function logit(p: number): number {
  return Math.log(p / (1 - p))
}

/** Title Case: most content words (not counting sentence starts) begin with a capital. */
export function caseMode(segment: string): Mode {
  return modeOf(tokenize(normalizeText(segment)), segment)
}

/** True when a headline is written in Title Case (or ALL CAPS). */
export function isTitleCase(text: string): boolean {
  return caseMode(text) !== 'sentence'
}

function modeOf(toks: readonly Token[], segment: string): Mode {
  if (isAllCaps(segment)) return 'caps'
  let eligible = 0
  let upper = 0
  let prevEnd = true
  for (const t of toks) {
    if (!t.word) {
      if (SENTENCE_END.has(t.text)) prevEnd = true
      continue
    }
    const first = t.text.charCodeAt(0)
    const isLetter = (first >= 65 && first <= 90) || (first >= 97 && first <= 122)
    if (prevEnd || !isLetter || SMALL_WORDS.has(t.lower)) {
      prevEnd = false
      continue
    }
    eligible++
    if (first >= 65 && first <= 90) upper++
  }
  return eligible >= 2 && upper >= 0.6 * eligible ? 'title' : 'sentence'
}

function isAllCaps(segment: string): boolean {
  let upper = 0
  let lower = 0
  for (let i = 0; i < segment.length; i++) {
    const c = segment.charCodeAt(i)
    if (c >= 65 && c <= 90) upper++
    else if (c >= 97 && c <= 122) lower++
  }
  return upper >= 6 && lower <= upper * 0.1
}

interface Compiled {
  index: Map<string, Term[]>
  deny: Map<string, { toks: string[]; symbol: string | null }[]>
  watch: Map<string, string>
  /** Canonical symbol → its name terms exist (for "the company's own name is in the segment"). */
  hasBare: Set<string>
}

function compile(watchlist: readonly WatchlistEntry[], names: NameMap, opts: TaggerOptions): Compiled {
  const bySymbol = new Map<string, NameEntry>()
  for (const e of names) bySymbol.set(canonicalSymbol(e.symbol), e)

  const watch = new Map<string, string>() // canonical → symbol as the user wrote it
  const userAliases = new Map<string, string[]>()
  for (const w of watchlist) {
    if (typeof w?.symbol !== 'string' || w.symbol.trim() === '') continue
    const canon = canonicalSymbol(w.symbol)
    watch.set(canon, w.symbol.trim().toUpperCase())
    userAliases.set(canon, [...(userAliases.get(canon) ?? []), ...(Array.isArray(w.aliases) ? w.aliases.filter((a) => typeof a === 'string') : [])])
  }

  const index = new Map<string, Term[]>()
  const byKey = new Map<string, Term>()
  const deny = new Map<string, { toks: string[]; symbol: string | null }[]>()

  const addTerm = (tokens: string[], symbol: string, prior: number, user: boolean, properAlt = false): void => {
    if (tokens.length === 0 || !tokens.some((t) => /[A-Za-z0-9]/.test(t))) return
    const lower = tokens.map((t) => t.toLowerCase())
    const shapes = tokens.map(shapeOf)
    const key = lower.join('\u0000') + '\u0001' + shapes.join(',')
    const existing = byKey.get(key)
    if (existing) {
      if (!existing.symbols.includes(symbol)) existing.symbols.push(symbol)
      // The safest reading wins when two sources disagree.
      existing.logit = Math.min(existing.logit, logit(prior))
      existing.user ||= user
      existing.properAlt ||= properAlt
      return
    }
    const t: Term = {
      tokens: lower,
      shapes,
      symbols: [symbol],
      logit: logit(prior),
      user,
      acronym: tokens.length === 1 && shapes[0] === 'acro',
      properAlt,
    }
    byKey.set(key, t)
    const list = index.get(lower[0]!) ?? []
    list.push(t)
    index.set(lower[0]!, list)
  }

  const priorOf = (alias: string, tier: 'strong' | 'generic' | 'weak'): number => {
    const known = TERM_PRIORS.get(alias.toLowerCase())
    if (known !== undefined) return known
    // An upper-case acronym ("ADP", "IBM", "BP") is also somebody else's acronym now and then.
    if (/^[A-Z0-9]{2,5}$/.test(alias)) return 0.9
    if (tier === 'weak') return 0.3
    if (tier === 'generic') return 0.4
    if (/^[A-Za-z]+$/.test(alias) && COMMON_WORDS.has(alias.toLowerCase())) return 0.5
    return STRONG_PRIOR
  }

  const addName = (raw: string, symbol: string, prior: number, user: boolean, properAlt = false): void => {
    const tokens = phraseTokens(raw)
    if (tokens.length === 0) return
    addTerm(tokens, symbol, prior, user, properAlt)
    // Plural ("Teslas", "iPhones") only for distinctive names that are not words.
    const last = tokens[tokens.length - 1]!
    if (prior >= STRONG_PRIOR && /^[A-Za-z]*[a-z]$/.test(last) && !last.endsWith('s') && !COMMON_WORDS.has(last.toLowerCase())) {
      addTerm([...tokens.slice(0, -1), last + 's'], symbol, prior, user)
    }
  }

  const addDeny = (phrase: string, symbol: string | null): void => {
    const toks = phraseTokens(phrase).map((t) => t.toLowerCase())
    if (toks.length === 0) return
    const list = deny.get(toks[0]!) ?? []
    list.push({ toks, symbol })
    deny.set(toks[0]!, list)
  }

  for (const [canon, symbol] of watch) {
    const entry = bySymbol.get(canon)
    if (entry) {
      const generic = new Set(entry.generic ?? [])
      const weak = new Set(entry.weak ?? [])
      const full = phraseTokens(entry.name.replace(/\(.*?\)/g, ' ').replace(/^The\s+/, '').replace(/[.,\s]+$/, ''))
      if (full.filter((t) => /[A-Za-z0-9]/.test(t)).length >= 2) addTerm(full, symbol, STRONG_PRIOR, false)
      const short = shortName(entry.name)
      if (short) addTerm(short, symbol, STRONG_PRIOR, false)
      for (const a of entry.aliases) addName(a, symbol, priorOf(a, weak.has(a) ? 'weak' : generic.has(a) ? 'generic' : 'strong'), false, weak.has(a))
      for (const d of entry.deny ?? []) addDeny(d, null)
    }
    for (const a of userAliases.get(canon) ?? []) addName(a, symbol, priorOf(a, 'strong'), true)
    for (const d of opts.deny?.[symbol] ?? opts.deny?.[canon] ?? []) if (typeof d === 'string') addDeny(d, symbol)
  }
  for (const list of index.values()) list.sort((a, b) => b.tokens.length - a.tokens.length)

  const hasBare = new Set<string>()
  for (const canon of watch.keys()) if (/^[A-Z]+$/.test(canon)) hasBare.add(canon)
  return { index, deny, watch, hasBare }
}

/** The full tagger: text → symbols with reasons. `field` labels the reasons. */
export function createExplainingTagger(
  watchlist: readonly WatchlistEntry[],
  names: NameMap = SP500,
  opts: TaggerOptions = {},
): (text: string, field?: TagField) => TagResult {
  const c = compile(watchlist, names, opts)
  return (raw, field = 'title') => {
    const res: TagResult = { symbols: [], reasons: [] }
    if (typeof raw !== 'string' || raw === '') return res
    tagInto(c, normalizeText(raw), field, res)
    return res
  }
}

/** Symbols only (order of first mention, once each). */
export function createTagger(watchlist: readonly WatchlistEntry[], names: NameMap = SP500, opts: TaggerOptions = {}): Tagger {
  const t = createExplainingTagger(watchlist, names, opts)
  return (text) => t(text).symbols
}

/** Article-shaped tagger with reasons: title, trailText (each its own segment) and Guardian tags. */
export function createArticleExplainer(
  watchlist: readonly WatchlistEntry[],
  names: NameMap = SP500,
  opts: TaggerOptions = {},
): (article: ArticleText) => TagResult {
  const c = compile(watchlist, names, opts)
  const tagTerms = new Map<string, string[]>() // lower-case tag title → symbols
  for (const [first, terms] of c.index) {
    void first
    for (const t of terms) {
      const key = t.tokens.join(' ').replace(/ ([.&'-]) /g, '$1')
      tagTerms.set(key, t.symbols)
      tagTerms.set(t.tokens.join(' '), t.symbols)
    }
  }
  return (a) => {
    const res: TagResult = { symbols: [], reasons: [] }
    if (!a || typeof a !== 'object') return res
    if (typeof a.title === 'string' && a.title !== '') tagInto(c, normalizeText(a.title), 'title', res)
    if (typeof a.trailText === 'string' && a.trailText !== '') tagInto(c, normalizeText(a.trailText), 'trail', res)
    for (const tag of Array.isArray(a.tags) ? a.tags : []) {
      const title = tagTitle(tag)
      if (!title) continue
      const syms = tagTerms.get(title.toLowerCase())
      if (syms) for (const s of syms) addReason(res, { symbol: s, term: title, rule: 'guardian-tag', field: 'tags' })
    }
    return res
  }
}

/** Article-shaped convenience (what the ingest core plugs in): symbols only. */
export function createArticleTagger(
  watchlist: readonly WatchlistEntry[],
  names: NameMap = SP500,
  opts: TaggerOptions = {},
): (article: ArticleText) => string[] {
  const t = createArticleExplainer(watchlist, names, opts)
  return (a) => t(a).symbols
}

function tagTitle(tag: string | { id?: string; webTitle?: string; type?: string }): string | null {
  if (typeof tag === 'string') return tag.includes('/') ? slugTitle(tag) : tag.trim() || null
  if (!tag || typeof tag !== 'object') return null
  if (tag.type !== undefined && tag.type !== 'keyword') return null
  if (typeof tag.webTitle === 'string' && tag.webTitle.trim() !== '') return tag.webTitle.trim()
  return typeof tag.id === 'string' ? slugTitle(tag.id) : null
}

function slugTitle(id: string): string | null {
  const last = id.split('/').pop() ?? ''
  return last === '' ? null : last.replace(/-/g, ' ')
}

function addReason(res: TagResult, r: TagReason): void {
  if (res.symbols.includes(r.symbol)) return
  res.symbols.push(r.symbol)
  res.reasons.push(r)
}

function tagInto(c: Compiled, text: string, field: TagField, res: TagResult): void {
  for (const segment of text.split(/\n+/)) {
    const toks = tokenize(segment)
    if (toks.length === 0) continue
    tagSegment(c, segment, toks, field, res)
  }
}

function tagSegment(c: Compiled, segment: string, toks: Token[], field: TagField, res: TagResult): void {
  const mode = modeOf(toks, segment)
  const cands: Candidate[] = []
  const n = toks.length

  for (let i = 0; i < n; i++) {
    const tok = toks[i]!
    // Cashtag: `$` immediately followed by the symbol.
    if (tok.text === '$') {
      const hit = readSymbol(toks, i + 1, tok.end, c.watch, false)
      if (hit) {
        cands.push(sure(i, hit.next, hit.symbol, segment.slice(tok.start, toks[hit.next - 1]!.end), 'cashtag'))
        i = hit.next - 1
        continue
      }
    }
    if (!tok.word) continue
    // Exchange notation: NYSE: X / NASDAQ:X / NYSE American: X.
    if (EXCHANGES.has(tok.lower)) {
      let j = i + 1
      if (toks[j]?.word && EXCHANGE_QUALIFIERS.has(toks[j]!.lower)) j++
      if (toks[j]?.text === ':') {
        const hit = readSymbol(toks, j + 1, -1, c.watch, true)
        if (hit) {
          cands.push(sure(i, hit.next, hit.symbol, segment.slice(tok.start, toks[hit.next - 1]!.end), 'exchange'))
          i = hit.next - 1
          continue
        }
      }
    }
    // Reuters RIC in brackets: (F.N), (AAPL.O) — even for word-like tickers.
    if (toks[i - 1]?.text === '(' && toks[i + 1]?.text === '.' && /^(O|N|OQ|K|A|P)$/.test(toks[i + 2]?.text ?? '') && toks[i + 3]?.text === ')') {
      const s = c.watch.get(tok.text)
      if (s && tok.text === tok.text.toUpperCase()) {
        cands.push(sure(i, i + 3, s, segment.slice(tok.start, toks[i + 2]!.end), 'ric'))
        i += 3
        continue
      }
    }
    // Lexicon terms, longest first.
    const terms = c.index.get(tok.lower)
    let matched: Term | null = null
    if (terms) {
      for (const t of terms) {
        if (matchesAt(toks, i, t)) {
          matched = t
          break
        }
      }
    }
    if (matched) {
      const end = i + matched.tokens.length
      cands.push({
        start: i,
        end,
        symbols: matched.symbols,
        term: segment.slice(tok.start, toks[end - 1]!.end),
        kind: 'term',
        rule: matched.user ? 'user-alias' : 'name',
        t: matched,
        accepted: false,
      })
      i = end - 1
      continue
    }
    // Bare ticker in upper case.
    const bare = c.watch.get(tok.text)
    if (bare && c.hasBare.has(tok.text) && toks[i - 1]?.text !== '$' && !(toks[i + 1]?.text === '-' && toks[i + 2]?.word)) {
      const short = tok.text.length <= 2 || TICKER_STOPWORDS.has(tok.lower)
      cands.push({ start: i, end: i + 1, symbols: [bare], term: tok.text, kind: 'ticker', rule: 'ticker', tickerClass: short ? 'short' : 'plain', accepted: false })
    }
  }
  if (cands.length === 0) return

  const denied = deniedTokens(toks, c.deny)
  // Pass 2a: unambiguous forms and plain tickers.
  let confident = res.symbols.length > 0
  for (const cd of cands) {
    if (cd.kind === 'sure') cd.accepted = true
    else if (cd.kind === 'ticker' && cd.tickerClass === 'plain') cd.accepted = plainTickerOk(cd, toks, mode, cands)
    else continue
    if (isDenied(cd, denied)) cd.accepted = false
    if (cd.accepted) confident = true
  }
  // Pass 2b: scored terms, distinctive names first (they make "another company in the text" true for the rest).
  for (const strongFirst of [true, false]) {
    for (const cd of cands) {
      if (cd.kind !== 'term' || cd.t!.logit >= 4 !== strongFirst) continue
      if (isDenied(cd, denied)) continue
      cd.accepted = scoreTerm(cd, toks, mode, cands, confident) > 0
      if (cd.accepted && cd.t!.logit > 2) confident = true
    }
  }
  // Pass 2c: short tickers (need a list with an accepted unambiguous ticker, or the company's own name).
  for (const cd of cands) {
    if (cd.kind !== 'ticker' || cd.tickerClass !== 'short') continue
    if (isDenied(cd, denied)) continue
    cd.accepted = shortTickerOk(cd, toks, cands)
  }
  for (const cd of cands) {
    if (!cd.accepted) continue
    for (const s of cd.symbols) {
      if (BROKER_SYMBOLS.has(canonicalSymbol(s)) && cd.kind === 'term' && brokerActsAsAnalyst(toks, cd.start, cd.end)) continue
      addReason(res, { symbol: s, term: cd.term, rule: cd.kind === 'term' && cd.rule === 'name' && cd.t!.logit < 3 ? 'name-in-context' : cd.rule, field })
    }
  }
}

function sure(start: number, end: number, symbol: string, term: string, rule: TagRule): Candidate {
  return { start, end, symbols: [symbol], term, kind: 'sure', rule, accepted: true }
}

function matchesAt(toks: readonly Token[], i: number, t: Term): boolean {
  const k = t.tokens.length
  if (i + k > toks.length) return false
  // "38.3M" is not 3M: a term that starts with a digit must not be glued to what precedes it.
  const before = toks[i - 1]
  if (before && before.end === toks[i]!.start && /^[0-9]/.test(t.tokens[0]!)) return false
  for (let j = 0; j < k; j++) {
    const tok = toks[i + j]!
    if (tok.lower !== t.tokens[j] || !shapeFits(t.shapes[j]!, tok.text)) return false
  }
  return true
}

/** Symbol right after `$` (adjacent) or after an exchange colon: ABC, BRK.B, BRK-B, BRK/B. */
function readSymbol(
  toks: readonly Token[],
  i: number,
  mustStartAt: number,
  watch: ReadonlyMap<string, string>,
  upperOnly: boolean,
): { symbol: string; next: number } | null {
  const first = toks[i]
  if (!first || !first.word || (mustStartAt >= 0 && first.start !== mustStartAt)) return null
  if (!/^[A-Za-z]{1,6}$/.test(first.text)) return null
  if (upperOnly && first.text !== first.text.toUpperCase()) return null
  const sep = toks[i + 1]
  const cls = toks[i + 2]
  if (sep && cls && /^[./-]$/.test(sep.text) && sep.start === first.end && cls.start === sep.end && /^[A-Za-z]{1,2}$/.test(cls.text)) {
    const s = watch.get(canonicalSymbol(`${first.text}.${cls.text}`))
    if (s) return { symbol: s, next: i + 3 }
  }
  const s = watch.get(canonicalSymbol(first.text))
  return s ? { symbol: s, next: i + 1 } : null
}

function deniedTokens(toks: readonly Token[], deny: Compiled['deny']): (string | null)[] | null {
  if (deny.size === 0) return null
  let out: (string | null)[] | null = null
  for (let i = 0; i < toks.length; i++) {
    const list = deny.get(toks[i]!.lower)
    if (!list) continue
    for (const d of list) {
      if (i + d.toks.length > toks.length) continue
      let ok = true
      for (let k = 0; k < d.toks.length; k++) {
        if (toks[i + k]!.lower !== d.toks[k]) {
          ok = false
          break
        }
      }
      if (!ok) continue
      out ??= new Array<string | null>(toks.length).fill(null)
      // '*' vetoes every symbol; a user deny vetoes only its own symbol.
      for (let k = 0; k < d.toks.length; k++) out[i + k] = out[i + k] === '*' ? '*' : (d.symbol ?? '*')
    }
  }
  return out
}

function isDenied(cd: Candidate, denied: (string | null)[] | null): boolean {
  if (!denied) return false
  for (let k = cd.start; k < cd.end; k++) {
    const d = denied[k]
    if (d === '*' || (d !== null && d !== undefined && cd.symbols.includes(d))) return true
  }
  return false
}

function atSentenceStart(toks: readonly Token[], i: number): boolean {
  let j = i - 1
  while (j >= 0 && OPENERS.has(toks[j]!.text)) j--
  if (j < 0) return true
  const t = toks[j]!
  if (!SENTENCE_END.has(t.text)) return false
  // "vs. Corning", "Co. Ltd": an abbreviation's full stop does not end a sentence.
  if (t.text === '.' && j > 0 && toks[j - 1]!.word && ABBREVIATIONS.has(toks[j - 1]!.lower)) return false
  return true
}

/** The word-token index before `i`, skipping an abbreviation's full stop ("vs."). */
function prevWordIndex(toks: readonly Token[], i: number): number {
  let j = i - 1
  if (toks[j]?.text === '.' && toks[j - 1]?.word && ABBREVIATIONS.has(toks[j - 1]!.lower)) j--
  return j
}

function isPossessive(toks: readonly Token[], end: number): boolean {
  const a = toks[end]
  const b = toks[end + 1]
  return a?.text === "'" && b !== undefined && b.lower === 's' && b.start === a.end
}

/** A sentence or clause break at k (not a decimal point or an abbreviation's full stop). */
function isBreak(toks: readonly Token[], k: number): boolean {
  const t = toks[k]!
  if (!SENTENCE_END.has(t.text)) return false
  if (t.text !== '.') return true
  const a = toks[k - 1]
  const b = toks[k + 1]
  if (a?.word && ABBREVIATIONS.has(a.lower)) return false
  return !(a && b && a.end === t.start && b.start === t.end && /^[0-9]/.test(a.text) && /^[0-9]/.test(b.text))
}

function hasCue(toks: readonly Token[], start: number, end: number): boolean {
  let seen = 0
  for (let j = end; j < toks.length && seen < CUE_AFTER; j++) {
    const t = toks[j]!
    if (isBreak(toks, j)) break
    if (!t.word) continue
    seen++
    if (CUE_WORDS.has(t.lower)) return true
  }
  seen = 0
  for (let j = start - 1; j >= 0 && seen < CUE_BEFORE; j--) {
    const t = toks[j]!
    if (isBreak(toks, j)) break
    if (!t.word) continue
    seen++
    if (CUE_WORDS.has(t.lower)) return true
  }
  return false
}

/** Another candidate right before or after, joined by a comma, "and", "&", "or", "vs" (and "to" for tickers). */
function inList(cd: Candidate, toks: readonly Token[], cands: readonly Candidate[], tickersOnly: boolean): boolean {
  const okWord = (t: Token | undefined): boolean => !!t && (LIST_WORDS.has(t.lower) || (tickersOnly && t.lower === 'to'))
  const left = prevWordIndex(toks, cd.start)
  if (okWord(toks[left])) {
    for (const o of cands) if (o !== cd && o.end === left && (!tickersOnly || isTickerish(o))) return true
  }
  let right = cd.end
  if (isPossessive(toks, right)) right += 2
  if (okWord(toks[right])) {
    let after = right + 1
    if (toks[right]!.lower === 'vs' && toks[after]?.text === '.') after++
    for (const o of cands) if (o !== cd && o.start === after && (!tickersOnly || isTickerish(o))) return true
  }
  return false
}

function isTickerish(o: Candidate): boolean {
  return o.kind === 'sure' || (o.kind === 'ticker' && o.tickerClass === 'plain' && o.accepted)
}

function ownNameInSegment(cd: Candidate, cands: readonly Candidate[]): boolean {
  for (const o of cands) if (o !== cd && o.kind === 'term' && o.symbols.some((s) => cd.symbols.includes(s))) return true
  return false
}

function plainTickerOk(cd: Candidate, toks: readonly Token[], mode: Mode, cands: readonly Candidate[]): boolean {
  const len = cd.term.length
  if (len >= 4 && mode !== 'caps') return true
  if (ownNameInSegment(cd, cands)) return true
  if (STOCK_WORDS.has(toks[cd.end]?.lower ?? '')) return true
  if (toks[cd.start - 1]?.text === '(' && toks[cd.end]?.text === ')' && len >= 4) return true
  // 3 letters: a list of tickers/companies, or a business cue nearby.
  if (inList(cd, toks, cands, false)) return true
  return mode !== 'caps' && hasCue(toks, cd.start, cd.end)
}

function shortTickerOk(cd: Candidate, toks: readonly Token[], cands: readonly Candidate[]): boolean {
  if (toks[cd.start - 1]?.text === '(' && toks[cd.end]?.text === ')' && ownNameInSegment(cd, cands)) return true
  // "Keysight Technologies, Inc. KEYS is…": the company's own name just before.
  for (const o of cands) if (o.kind === 'term' && o.end <= cd.start && o.end >= cd.start - 4 && o.symbols.some((s) => cd.symbols.includes(s))) return true
  return inList(cd, toks, cands, true)
}

function scoreTerm(cd: Candidate, toks: readonly Token[], mode: Mode, cands: readonly Candidate[], confident: boolean): number {
  const t = cd.t!
  let score = t.logit
  const first = atSentenceStart(toks, cd.start)
  const capsForm = toks[cd.start]!.text === toks[cd.start]!.text.toUpperCase() && !t.acronym
  if (mode === 'caps' || (capsForm && /[A-Za-z]{2}/.test(toks[cd.start]!.text))) score -= 0.5
  else if (mode === 'sentence' && !first && !t.properAlt && !t.acronym) score += 3
  if (t.logit >= 4 && !t.acronym) return score // distinctive name: no need to look around
  if (isPossessive(toks, cd.end)) score += 2.5
  if (hasCue(toks, cd.start, cd.end)) score += 2
  if (inList(cd, toks, cands, false)) score += 2.5
  const next = toks[cd.end]
  if (next?.word && SUBJECT_VERBS.has(next.lower) && (mode !== 'sentence' || next.text === next.lower)) score += 1.5
  if (confident) score += 0.7
  // Left neighbour: a capitalised word that is not an article, preposition or verb makes this part of a longer noun.
  const pj = prevWordIndex(toks, cd.start)
  const prev = toks[pj]
  // The more ordinary the word, the likelier the compound reading.
  if (!first && prev?.word && /^[A-Z]/.test(prev.text) && !NAME_LEFT_OK.has(prev.lower)) score -= mode === 'sentence' || t.logit < 0 ? 4 : 2.5
  if (t.acronym) {
    // "France's ADP", "AFL-CIO": the acronym belongs to someone else, or is part of a longer one.
    if (prev?.lower === 's' && toks[pj - 1]?.text === "'" && /^[A-Z][a-z]/.test(toks[pj - 2]?.text ?? '')) score -= 8
    if (next?.text === '-' && /^[A-Z]{2,}$/.test(toks[cd.end + 1]?.text ?? '')) score -= 8
  }
  return score
}

/** A bank named as the author of a rating, price target, forecast or market call, not as the subject. */
function brokerActsAsAnalyst(toks: readonly Token[], start: number, end: number): boolean {
  let j = end
  if (isPossessive(toks, j)) {
    // "Goldman's $35.5 Billion Revenue Forecast", "Citi's 2025 Global TMT Conference"
    for (let k = j + 2, seen = 0; k < toks.length && seen < 6; k++) {
      const t = toks[k]!
      if (isBreak(toks, k)) break
      if (!t.word) continue
      seen++
      if (BROKER_ROLE_NOUNS.has(t.lower)) return true
    }
    return false
  }
  while (toks[j]?.word && /^(analysts?|strategists?|economists?|securities|research|capital)$/.test(toks[j]!.lower)) j++
  const v = toks[j]
  if (v?.word) {
    if (BROKER_RATING_VERBS.has(v.lower)) return true
    if (v.lower === 'is' && /^(pounding|bullish|bearish|positive|negative|cautious)$/.test(toks[j + 1]?.lower ?? '')) return true
    if (BROKER_OPINION_VERBS.has(v.lower) && !/^(its|it|it's)$/.test(toks[j + 1]?.lower ?? '')) return true
    if (BROKER_TARGET_VERBS.has(v.lower)) {
      for (let k = j + 1; k < toks.length && !SENTENCE_END.has(toks[k]!.text); k++) {
        const w = toks[k]!.lower
        if (w === 'target' || w === 'targets' || w === 'pt' || w === 'rating' || w === 'estimates' || w === 'forecast') return true
      }
    }
  }
  // "Barclays turned more bullish on…", "Goldman Sachs, ever cautious, …"
  for (let k = end, seen = 0; k < toks.length && seen < 3; k++) {
    const t = toks[k]!
    if (isBreak(toks, k)) break
    if (!t.word) continue
    seen++
    if (/^(bullish|bearish|cautious|constructive)$/.test(t.lower)) return true
  }
  // "…, warns JPMorgan", "according to Goldman", "says Morgan Stanley", "Valuation Call From Raymond James"
  const p = toks[start - 1]
  if (p?.word && (p.lower === 'from' || p.lower === 'by')) {
    for (let k = start - 2, seen = 0; k >= 0 && seen < 3; k--) {
      const t = toks[k]!
      if (isBreak(toks, k)) break
      if (!t.word) continue
      seen++
      if (BROKER_ROLE_NOUNS.has(t.lower) || /^(upgrade|downgrade|upgraded|downgraded|coverage)$/.test(t.lower)) return true
    }
  }
  if (p?.word && (BROKER_OPINION_VERBS.has(p.lower) || p.lower === 'per')) return true
  if (p?.lower === 'to' && toks[start - 2]?.lower === 'according') return true
  return false
}
