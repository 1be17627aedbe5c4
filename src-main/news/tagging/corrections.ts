// The user's corrections of tags: applying one to an article, proposing the rule it could become (an alias for
// an added ticker, a deny phrase for a removed one), applying the user's deny rules and kept corrections to
// articles as they arrive, and the corrections file (validated with zod, bounded). Pure apart from the file
// helpers at the end, which take their read/write functions.
import { z } from 'zod'
import type { Article, TagEdit, TagReason } from '../../domain/news'
import { SYMBOL_PATTERN } from '../../domain/watchlist'
import { canonicalSymbol, normalizeText, tokenize } from './tagger'

export interface UserTagRule {
  symbol: string
  kind: 'alias' | 'deny'
  /** Alias: a name that means the company. Deny: a phrase in which a match does not mean it ("Price Target"). */
  phrase: string
}

export interface CorrectionsState {
  /** Article id → the user's correction of it. */
  edits: Record<string, TagEdit>
  /** Deny rules (aliases live on the watchlist entry, where the tagger reads them). */
  deny: UserTagRule[]
}

export const MAX_EDITS = 2_000
export const MAX_DENY = 500

const symbolList = z.array(z.string().regex(SYMBOL_PATTERN)).max(20)
export const tagEditSchema = z.object({ added: symbolList, removed: symbolList })
export const userTagRuleSchema = z.object({
  symbol: z.string().regex(SYMBOL_PATTERN),
  kind: z.enum(['alias', 'deny']),
  phrase: z.string().trim().min(2).max(80),
})
export const correctionsFileSchema = z.object({
  version: z.literal(1),
  edits: z.record(z.string().min(1).max(1000), tagEditSchema),
  deny: z.array(userTagRuleSchema.refine((r) => r.kind === 'deny')).max(MAX_DENY),
})

export const emptyCorrections = (): CorrectionsState => ({ edits: {}, deny: [] })

const uniq = (xs: readonly string[]): string[] => [...new Set(xs)]

/**
 * The article with the user's correction applied: removed tickers go, added ones come (a later add undoes an
 * earlier remove and the other way round). `tagEdit` holds the net correction against what the tagger found;
 * an added ticker's reason is `user`.
 */
export function applyCorrection(a: Article, add: readonly string[], remove: readonly string[]): Article {
  const prev = a.tagEdit ?? { added: [], removed: [] }
  const addC = uniq(add.map(canonicalSymbol))
  const remC = uniq(remove.map(canonicalSymbol)).filter((s) => !addC.includes(s))
  // What the tagger found, then the final set; the edit is the difference between the two.
  const found = uniq([...a.tickers.filter((s) => !prev.added.includes(s)), ...prev.removed])
  const tickers = uniq([...a.tickers.filter((s) => !remC.includes(s)), ...addC])
  const added = tickers.filter((s) => !found.includes(s))
  const removed = found.filter((s) => !tickers.includes(s))
  const reasons: TagReason[] = (a.tagReasons ?? []).filter((r) => tickers.includes(r.symbol))
  for (const s of addC) if (!reasons.some((r) => r.symbol === s)) reasons.push({ symbol: s, term: s, rule: 'user', field: 'user' })
  const out: Article = { ...a, tickers, tagReasons: reasons }
  if (added.length > 0 || removed.length > 0) out.tagEdit = { added, removed }
  else delete out.tagEdit
  return out
}

/**
 * The rule a removal could become: the matched term with the capitalised word before it when there is one
 * ("Price Target", "Budget Gap"), else the term itself. Null when the reason is not a name match (a cashtag or the
 * user's own add cannot be denied by a phrase).
 */
export function proposeDeny(a: Article, symbol: string): UserTagRule | null {
  const r = a.tagReasons?.find((x) => x.symbol === symbol)
  if (!r || !(r.rule === 'name' || r.rule === 'name-in-context' || r.rule === 'ticker' || r.rule === 'user-alias')) return null
  const text = normalizeText(r.field === 'trail' ? a.trailText : a.title)
  const toks = tokenize(text)
  const at = text.indexOf(r.term)
  if (at < 0) return { symbol, kind: 'deny', phrase: r.term }
  const i = toks.findIndex((t) => t.start === at)
  const prev = toks[i - 1]
  const phrase = prev && prev.word && /^[A-Z]/.test(prev.text) && i > 0 ? `${prev.text} ${r.term}` : r.term
  return { symbol, kind: 'deny', phrase }
}

/** Adds a rule once (same symbol, kind and phrase, any case); keeps at most MAX_DENY deny rules (oldest dropped). */
export function addDenyRule(state: CorrectionsState, rule: UserTagRule): CorrectionsState {
  const same = (x: UserTagRule): boolean => x.symbol === rule.symbol && x.phrase.toLowerCase() === rule.phrase.toLowerCase()
  if (state.deny.some(same)) return state
  return { ...state, deny: [...state.deny, rule].slice(-MAX_DENY) }
}

/** Keeps an article's correction (most recent MAX_EDITS articles). */
export function rememberEdit(state: CorrectionsState, articleId: string, edit: TagEdit | undefined): CorrectionsState {
  const edits = { ...state.edits }
  delete edits[articleId]
  if (edit) edits[articleId] = edit
  const ids = Object.keys(edits)
  for (const id of ids.slice(0, Math.max(0, ids.length - MAX_EDITS))) delete edits[id]
  return { ...state, edits }
}

function containsPhrase(text: string, phrase: string): boolean {
  const toks = tokenize(normalizeText(text)).map((t) => t.lower)
  const p = tokenize(normalizeText(phrase)).map((t) => t.lower)
  if (p.length === 0) return false
  outer: for (let i = 0; i + p.length <= toks.length; i++) {
    for (let k = 0; k < p.length; k++) if (toks[i + k] !== p[k]) continue outer
    return true
  }
  return false
}

/**
 * An arriving article (new or a revision) with the user's tagging applied: deny rules drop a ticker whose
 * phrase appears in the title or trailText, then the article's own kept correction is re-applied.
 */
export function applyUserTagging(a: Article, state: CorrectionsState): Article {
  const kept = state.edits[a.id]
  let out = a
  const denied = uniq(
    state.deny.filter((r) => a.tickers.includes(r.symbol) && (containsPhrase(a.title, r.phrase) || containsPhrase(a.trailText, r.phrase))).map((r) => r.symbol),
  ).filter((s) => !kept?.added.includes(s))
  if (denied.length > 0) out = applyCorrection(out, [], denied)
  if (kept) out = applyCorrection(out, kept.added, kept.removed)
  return out
}

/** Reads the corrections file; a missing, unreadable or invalid file gives the empty state (and says why). */
export function readCorrections(read: () => string | null): { state: CorrectionsState; problem: string | null } {
  let text: string | null
  try {
    text = read()
  } catch (e) {
    return { state: emptyCorrections(), problem: `cannot read the tag corrections: ${e instanceof Error ? e.message : String(e)}` }
  }
  if (text === null) return { state: emptyCorrections(), problem: null }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    return { state: emptyCorrections(), problem: 'the tag corrections file is not valid JSON' }
  }
  const r = correctionsFileSchema.safeParse(json)
  if (!r.success) return { state: emptyCorrections(), problem: 'the tag corrections file has an unexpected shape' }
  return { state: { edits: r.data.edits, deny: r.data.deny }, problem: null }
}

export function serializeCorrections(state: CorrectionsState): string {
  return JSON.stringify({ version: 1, edits: state.edits, deny: state.deny }, null, 1)
}
