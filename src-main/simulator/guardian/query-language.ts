// The Guardian `q` language: words, "exact phrases", AND / OR / NOT, parentheses.
// AND binds tighter than OR; OR is the default between adjacent terms. As in the Lucene query parser the
// Guardian runs on, an implicitly joined `NOT x` prohibits (`a NOT b` = a AND NOT b). Operators are
// recognised only in upper case; lower-case `and` is an ordinary word. The parser never throws: stray
// parentheses are ignored, a missing `)` or `"` is closed at the end of the input.

export type QueryNode =
  | { kind: 'term'; word: string }
  | { kind: 'phrase'; words: string[] }
  | { kind: 'and'; children: QueryNode[] }
  | { kind: 'or'; children: QueryNode[] }
  | { kind: 'not'; child: QueryNode }
  /** Matches every document (empty query). */
  | { kind: 'all' }

type Token =
  | { t: 'word'; v: string }
  | { t: 'phrase'; v: string }
  | { t: 'AND' }
  | { t: 'OR' }
  | { t: 'NOT' }
  | { t: '(' }
  | { t: ')' }

/** Lower-cased word tokens of a text; the same normalisation is used for documents and queries. */
export function words(text: string): string[] {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/['’]s\b/g, '')
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 0)
}

export function tokenize(q: string): Token[] {
  const out: Token[] = []
  let i = 0
  while (i < q.length) {
    const c = q[i]!
    if (/\s/.test(c)) {
      i++
    } else if (c === '(' || c === ')') {
      out.push({ t: c })
      i++
    } else if (c === '"') {
      const end = q.indexOf('"', i + 1)
      const stop = end < 0 ? q.length : end
      out.push({ t: 'phrase', v: q.slice(i + 1, stop) })
      i = stop + 1
    } else {
      let j = i
      while (j < q.length && !/[\s()"]/.test(q[j]!)) j++
      const w = q.slice(i, j)
      if (w === 'AND' || w === 'OR' || w === 'NOT') out.push({ t: w })
      else out.push({ t: 'word', v: w })
      i = j
    }
  }
  return out
}

/** Turns one raw word token into a node; punctuation inside (e.g. `AT&T`) becomes a phrase of its parts. */
function leaf(raw: string, phrase: boolean): QueryNode | null {
  const ws = words(raw)
  if (ws.length === 0) return null
  if (ws.length === 1 && !phrase) return { kind: 'term', word: ws[0]! }
  return { kind: 'phrase', words: ws }
}

export function parseQuery(q: string): QueryNode {
  const toks = tokenize(q)
  let pos = 0
  const peek = (): Token | undefined => toks[pos]

  // or := and (('OR' | implicit) and)*     — implicit joins before NOT become AND NOT
  function parseOr(depth: number): QueryNode | null {
    const ors: QueryNode[] = []
    let current: QueryNode[] = []
    const flush = (): void => {
      if (current.length === 1) ors.push(current[0]!)
      else if (current.length > 1) ors.push({ kind: 'and', children: current })
      current = []
    }
    let explicitOr = false
    for (;;) {
      const tk = peek()
      if (!tk) break
      if (tk.t === ')') {
        if (depth > 0) break
        pos++ // stray `)` at top level
        continue
      }
      if (tk.t === 'OR') {
        pos++
        explicitOr = true
        continue
      }
      if (tk.t === 'AND') {
        pos++
        continue // a leading or doubled AND has no left operand: ignore it
      }
      const startsWithNot = tk.t === 'NOT'
      const node = parseAnd(depth)
      if (!node) continue
      if (startsWithNot && !explicitOr && current.length > 0) {
        current.push(node) // `a NOT b` → a AND NOT b
      } else {
        flush()
        current = [node]
      }
      explicitOr = false
    }
    flush()
    if (ors.length === 0) return null
    return ors.length === 1 ? ors[0]! : { kind: 'or', children: ors }
  }

  // and := unary ('AND' unary)*
  function parseAnd(depth: number): QueryNode | null {
    const parts: QueryNode[] = []
    const first = parseUnary(depth)
    if (first) parts.push(first)
    while (peek()?.t === 'AND') {
      pos++
      const next = parseUnary(depth)
      if (next) parts.push(next)
    }
    if (parts.length === 0) return null
    return parts.length === 1 ? parts[0]! : { kind: 'and', children: parts }
  }

  // unary := 'NOT' unary | '(' or ')' | word | phrase
  function parseUnary(depth: number): QueryNode | null {
    const tk = peek()
    if (!tk) return null
    if (tk.t === 'NOT') {
      pos++
      const child = parseUnary(depth)
      return child ? { kind: 'not', child } : null
    }
    if (tk.t === '(') {
      pos++
      const inner = parseOr(depth + 1)
      if (peek()?.t === ')') pos++
      return inner
    }
    if (tk.t === 'word' || tk.t === 'phrase') {
      pos++
      return leaf(tk.v, tk.t === 'phrase')
    }
    return null // operator in operand position: caller skips it
  }

  const root = parseOr(0)
  return root ?? { kind: 'all' }
}

/** A searchable document: its word sequence per field. */
export interface SearchDoc {
  /** field name → word tokens (from `words()`). */
  fields: Record<string, string[]>
  /** Optional index: field name → word → occurrences (single-word terms then cost one lookup). */
  counts?: Record<string, Map<string, number>>
}

/** Adds the word-count index to a document (worth it when the document is searched many times). */
export function indexDoc(doc: SearchDoc): SearchDoc {
  const counts: Record<string, Map<string, number>> = {}
  for (const [f, ws] of Object.entries(doc.fields)) {
    const m = new Map<string, number>()
    for (const w of ws) m.set(w, (m.get(w) ?? 0) + 1)
    counts[f] = m
  }
  return { ...doc, counts }
}

function phraseCount(ws: string[], phrase: string[]): number {
  if (phrase.length === 0) return 0
  let n = 0
  outer: for (let i = 0; i + phrase.length <= ws.length; i++) {
    for (let k = 0; k < phrase.length; k++) if (ws[i + k] !== phrase[k]) continue outer
    n++
  }
  return n
}

/**
 * Relevance score of `doc` for `node` over `fields` (0 = no match; `all` and pure NOT matches score 1).
 * Weights: a hit in `headline` counts 3×, elsewhere 1×.
 */
export function score(node: QueryNode, doc: SearchDoc, fields: string[]): number {
  switch (node.kind) {
    case 'all':
      return 1
    case 'term':
    case 'phrase': {
      const p = node.kind === 'term' ? [node.word] : node.words
      let s = 0
      for (const f of fields) {
        const idx = doc.counts?.[f]
        const n = p.length === 1 && idx ? (idx.get(p[0]!) ?? 0) : phraseCount(doc.fields[f] ?? [], p)
        s += n * (f === 'headline' ? 3 : 1)
      }
      return s
    }
    case 'not':
      return score(node.child, doc, fields) > 0 ? 0 : 1
    case 'and': {
      let s = 0
      for (const c of node.children) {
        const cs = score(c, doc, fields)
        if (cs === 0) return 0
        if (c.kind !== 'not') s += cs
      }
      return Math.max(s, 1)
    }
    case 'or': {
      let s = 0
      for (const c of node.children) s += score(c, doc, fields)
      return s
    }
  }
}

export function matches(node: QueryNode, doc: SearchDoc, fields: string[]): boolean {
  return score(node, doc, fields) > 0
}

/** Filter syntax of `section` and `tag`: `,` AND, `|` OR, leading `-` NOT. Returns a predicate over the item's values. */
export function parseFilter(expr: string): (values: readonly string[]) => boolean {
  const clauses = expr
    .split(',')
    .map((c) => c.trim())
    .filter((c) => c.length > 0)
    .map((c) =>
      c
        .split('|')
        .map((a) => a.trim())
        .filter((a) => a.length > 0)
        .map((a) => (a.startsWith('-') ? { neg: true, v: a.slice(1) } : { neg: false, v: a })),
    )
  return (values) => clauses.every((alts) => alts.some((a) => values.includes(a.v) !== a.neg))
}
