// Ticker tagging: maps an article's text (title + trailText) to watchlist symbols. Pure and precompiled:
// createTagger builds token-indexed phrase tables once; each call tokenizes the text and does map lookups.
//
// What tags a symbol S of the watchlist:
//  - a cashtag `$S` (any case; `$BRK.B`, `$BRK-B`);
//  - exchange notation `NASDAQ: S`, `(NYSE:S)`, `NYSE American: S`, or a RIC `(S.O)`;
//  - a bare upper-case `S` of 3+ letters that is not an English word or common abbreviation (words.ts);
//  - a company name or alias (sp500.json, the user's aliases), matched on word boundaries in its own case or in
//    ALL CAPS, longest phrase first, possessive "’s" allowed, plural "s" only for names that are not words.
// Ambiguity rules for names that are also ordinary words:
//  - lower case never matches ("apple pie", "target practice", "a shell of itself", "ford the river");
//  - deny phrases per company ("Big Apple", "Harrison Ford", "Oracle of Omaha", "Delta variant") veto a match;
//  - "generic" names (Target, Shell, Visa, Delta…) at the start of a sentence or in ALL-CAPS text need business
//    context: a possessive, a cue word nearby ("shares", "profits", "cuts"…), or another company in the text;
//  - "weak" names (Berkshire, Eaton…) always need that context; word-like names in ALL-CAPS text too.
import type { WatchlistEntry } from '../../host/protocol'
import sp500 from './sp500.json'
import { COMMON_WORDS, CUE_WORDS, EXCHANGES, EXCHANGE_QUALIFIERS, LEGAL_SUFFIXES, TICKER_STOPWORDS } from './words'

export interface NameEntry {
  symbol: string
  /** Full company name, e.g. "Apple Inc.". */
  name: string
  /** Short names, brands and subsidiaries, in their usual case. */
  aliases: string[]
  /** Aliases that are ordinary words: need context at a sentence start or in ALL-CAPS text. */
  generic?: string[]
  /** Aliases that always need context. */
  weak?: string[]
  /** Phrases (any case) in which a name does not mean the company. */
  deny?: string[]
  /** false for popular non-members shipped in the same file. */
  sp500?: boolean
}

export type NameMap = readonly NameEntry[]
export type Tagger = (text: string) => string[]

export const SP500: NameMap = sp500 as NameEntry[]

type Tier = 'strong' | 'generic' | 'weak'

interface Token {
  text: string
  start: number
  end: number
  word: boolean
}

interface Phrase {
  tokens: string[]
  symbols: string[]
  tier: Tier
  /** A single token that is an ordinary word (needs context in ALL-CAPS text). */
  wordLike: boolean
}

const SENTENCE_END = new Set(['.', '!', '?', ':', ';', '—', '–', '|', '\n'])
const OPENERS = new Set(["'", '"', '(', '[', '‘', '“'])
const CUE_AFTER = 4
const CUE_BEFORE = 3

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
      out.push({ text: text.slice(i, j), start: i, end: j, word: true })
      i = j
    } else {
      if (!isSpace(c)) {
        // Keep surrogate pairs together so emoji stay one token.
        const w = c >= 0xd800 && c <= 0xdbff && i + 1 < n ? 2 : 1
        out.push({ text: text.slice(i, i + w), start: i, end: i + w, word: false })
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

export function createTagger(watchlist: readonly WatchlistEntry[], names: NameMap = SP500): Tagger {
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

  // Phrase index: first token (exact text) → phrases, longest first.
  const index = new Map<string, Phrase[]>()
  const denyIndex = new Map<string, string[][]>() // first token, lowercase → deny phrases (lowercase tokens)
  const phraseByKey = new Map<string, Phrase>()

  const addPhrase = (tokens: string[], symbol: string, tier: Tier, wordLike: boolean): void => {
    if (tokens.length === 0) return
    const key = tokens.join('\u0000')
    const existing = phraseByKey.get(key)
    if (existing) {
      if (!existing.symbols.includes(symbol)) existing.symbols.push(symbol)
      // The safest reading wins when two sources disagree.
      if (rank(tier) > rank(existing.tier)) existing.tier = tier
      existing.wordLike ||= wordLike
      return
    }
    const p: Phrase = { tokens, symbols: [symbol], tier, wordLike }
    phraseByKey.set(key, p)
    const list = index.get(tokens[0]!) ?? []
    list.push(p)
    index.set(tokens[0]!, list)
  }

  const addName = (raw: string, symbol: string, tier: Tier): void => {
    const tokens = phraseTokens(raw)
    if (tokens.length === 0) return
    const wordLike = tokens.length === 1 && COMMON_WORDS.has(tokens[0]!.toLowerCase())
    addPhrase(tokens, symbol, tier, wordLike)
    const upper = tokens.map((t) => t.toUpperCase())
    if (upper.join() !== tokens.join()) addPhrase(upper, symbol, tier, wordLike)
    // Plural ("Teslas", "iPhones") only when the name is not itself a word.
    const last = tokens[tokens.length - 1]!
    if (tier === 'strong' && !wordLike && /^[A-Za-z]*[a-z]$/.test(last) && !last.endsWith('s')) {
      addPhrase([...tokens.slice(0, -1), last + 's'], symbol, tier, false)
    }
  }

  for (const [canon, symbol] of watch) {
    const entry = bySymbol.get(canon)
    if (entry) {
      const generic = new Set(entry.generic ?? [])
      const weak = new Set(entry.weak ?? [])
      const tierOf = (a: string): Tier => (weak.has(a) ? 'weak' : generic.has(a) ? 'generic' : 'strong')
      const full = phraseTokens(entry.name.replace(/\(.*?\)/g, ' ').replace(/^The\s+/, '').replace(/[.,\s]+$/, ''))
      if (full.filter((t) => /[A-Za-z0-9]/.test(t)).length >= 2) addPhraseVariants(full, symbol)
      const short = shortName(entry.name)
      if (short) addPhraseVariants(short, symbol)
      for (const a of entry.aliases) addName(a, symbol, tierOf(a))
      for (const d of entry.deny ?? []) {
        const toks = phraseTokens(d).map((t) => t.toLowerCase())
        if (toks.length === 0) continue
        const list = denyIndex.get(toks[0]!) ?? []
        list.push(toks)
        denyIndex.set(toks[0]!, list)
      }
    }
    for (const a of userAliases.get(canon) ?? []) {
      const tokens = phraseTokens(a)
      // A user alias that is an ordinary word ("Target") gets the generic rules automatically.
      const tier: Tier = tokens.length === 1 && COMMON_WORDS.has(tokens[0]!.toLowerCase()) ? 'generic' : 'strong'
      addName(a, symbol, tier)
    }
  }
  function addPhraseVariants(tokens: string[], symbol: string): void {
    addPhrase(tokens, symbol, 'strong', false)
    const upper = tokens.map((t) => t.toUpperCase())
    if (upper.join() !== tokens.join()) addPhrase(upper, symbol, 'strong', false)
  }
  for (const list of index.values()) list.sort((a, b) => b.tokens.length - a.tokens.length)

  // Bare upper-case symbols, and symbol lookups for cashtags / exchange notation.
  const bare = new Set<string>()
  for (const canon of watch.keys()) {
    const base = canon.replace(/\..*$/, '')
    if (base.length >= 3 && /^[A-Z]+$/.test(canon) && !TICKER_STOPWORDS.has(canon.toLowerCase())) bare.add(canon)
  }

  return (raw: string): string[] => {
    if (typeof raw !== 'string' || raw === '') return []
    const text = normalizeText(raw)
    const found: string[] = []
    const add = (symbols: readonly string[]): void => {
      for (const s of symbols) if (!found.includes(s)) found.push(s)
    }
    const pending: { symbols: string[] }[] = [] // need another company in the text
    let confident = false

    for (const segment of text.split(/\n+/)) {
      const toks = tokenize(segment)
      if (toks.length === 0) continue
      const shouting = isAllCaps(segment)
      const denied = deniedTokens(toks, denyIndex)

      for (let i = 0; i < toks.length; i++) {
        const tok = toks[i]!
        // Cashtag: `$` immediately followed by the symbol.
        if (tok.text === '$') {
          const hit = readSymbol(toks, i + 1, tok.end, watch, false)
          if (hit) {
            add([hit.symbol])
            confident = true
            i = hit.next - 1
            continue
          }
        }
        // Exchange notation: NYSE: X / NASDAQ:X / NYSE American: X.
        if (tok.word && EXCHANGES.has(tok.text.toLowerCase())) {
          let j = i + 1
          if (toks[j]?.word && EXCHANGE_QUALIFIERS.has(toks[j]!.text.toLowerCase())) j++
          if (toks[j]?.text === ':') {
            const hit = readSymbol(toks, j + 1, -1, watch, true)
            if (hit) {
              add([hit.symbol])
              confident = true
              i = hit.next - 1
              continue
            }
          }
        }
        if (!tok.word) continue
        // Reuters RIC in brackets: (F.N), (AAPL.O) — even for word-like tickers.
        if (toks[i - 1]?.text === '(' && toks[i + 1]?.text === '.' && /^(O|N|OQ|K|A|P)$/.test(toks[i + 2]?.text ?? '') && toks[i + 3]?.text === ')') {
          const s = watch.get(tok.text)
          if (s && tok.text === tok.text.toUpperCase()) {
            add([s])
            confident = true
            i += 3
            continue
          }
        }
        // Company names and aliases, longest first.
        const cands = index.get(tok.text)
        let matched: Phrase | null = null
        if (cands) {
          for (const p of cands) {
            if (matchesAt(toks, i, p.tokens)) {
              matched = p
              break
            }
          }
        }
        if (matched) {
          const end = i + matched.tokens.length
          const verdict = judge(matched, toks, i, end, shouting, denied)
          if (verdict === 'yes') {
            add(matched.symbols)
            confident = true
          } else if (verdict === 'if-company') pending.push({ symbols: matched.symbols })
          i = end - 1
          continue
        }
        // Bare ticker in upper case.
        if (bare.has(tok.text) && !(toks[i - 1]?.text === '$')) {
          add([watch.get(tok.text)!])
          confident = true
        }
      }
    }
    if (confident) for (const p of pending) add(p.symbols)
    return found
  }
}

function rank(t: Tier): number {
  return t === 'strong' ? 0 : t === 'generic' ? 1 : 2
}

function matchesAt(toks: readonly Token[], i: number, phrase: readonly string[]): boolean {
  if (i + phrase.length > toks.length) return false
  for (let k = 0; k < phrase.length; k++) if (toks[i + k]!.text !== phrase[k]) return false
  // Word boundary: a phrase never ends inside a word (tokens already split at non-alphanumerics), nor runs into
  // a hyphenated compound's lowercase tail ("Apple-like" is fine; "meta-analysis" is denied explicitly).
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

function deniedTokens(toks: readonly Token[], denyIndex: ReadonlyMap<string, string[][]>): Uint8Array {
  const out = new Uint8Array(toks.length)
  if (denyIndex.size === 0) return out
  for (let i = 0; i < toks.length; i++) {
    const list = denyIndex.get(toks[i]!.text.toLowerCase())
    if (!list) continue
    for (const d of list) {
      if (i + d.length > toks.length) continue
      let ok = true
      for (let k = 0; k < d.length; k++) {
        if (toks[i + k]!.text.toLowerCase() !== d[k]) {
          ok = false
          break
        }
      }
      if (ok) for (let k = 0; k < d.length; k++) out[i + k] = 1
    }
  }
  return out
}

function atSentenceStart(toks: readonly Token[], i: number): boolean {
  let j = i - 1
  while (j >= 0 && OPENERS.has(toks[j]!.text)) j--
  return j < 0 || SENTENCE_END.has(toks[j]!.text)
}

function hasCue(toks: readonly Token[], start: number, end: number): boolean {
  // Possessive right after the name: "Target's", "Shell's".
  if (toks[end]?.text === "'" && toks[end + 1]?.text.toLowerCase() === 's' && toks[end + 1]!.start === toks[end]!.end) return true
  let seen = 0
  for (let j = end; j < toks.length && seen < CUE_AFTER; j++) {
    const t = toks[j]!
    if (SENTENCE_END.has(t.text)) break
    if (!t.word) continue
    seen++
    if (CUE_WORDS.has(t.text.toLowerCase())) return true
  }
  seen = 0
  for (let j = start - 1; j >= 0 && seen < CUE_BEFORE; j--) {
    const t = toks[j]!
    if (SENTENCE_END.has(t.text)) break
    if (!t.word) continue
    seen++
    if (CUE_WORDS.has(t.text.toLowerCase())) return true
  }
  return false
}

function judge(
  p: Phrase,
  toks: readonly Token[],
  start: number,
  end: number,
  shouting: boolean,
  denied: Uint8Array,
): 'yes' | 'no' | 'if-company' {
  for (let k = start; k < end; k++) if (denied[k]) return 'no'
  const needsContext =
    p.tier === 'weak' ||
    (p.tier === 'generic' && (shouting || atSentenceStart(toks, start))) ||
    (p.wordLike && shouting)
  if (!needsContext) return 'yes'
  return hasCue(toks, start, end) ? 'yes' : 'if-company'
}

/** Article-shaped convenience (what the ingest core plugs in): title and trailText, each its own segment. */
export function createArticleTagger(
  watchlist: readonly WatchlistEntry[],
  names: NameMap = SP500,
): (article: { title: string; trailText?: string }) => string[] {
  const tag = createTagger(watchlist, names)
  return (a) => tag(`${a.title ?? ''}\n${a.trailText ?? ''}`)
}
