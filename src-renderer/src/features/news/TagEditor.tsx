import { useState } from 'react'
import type { Article } from '@domain/news'
import type { UserTagRule } from '@contract/contract'
import { getApi } from '../../api/client'

/**
 * Correct a headline's tickers (remove one, add one). The correction is kept by the host and sent on with the
 * article; a removal then offers to remember a deny phrase ("Price Target" never means Target), an addition a
 * name for the company — each only after the user confirms.
 */
export function TagEditor({ article }: { article: Article }) {
  const [adding, setAdding] = useState('')
  const [proposals, setProposals] = useState<UserTagRule[]>([])
  const [aliasFor, setAliasFor] = useState<string | null>(null)
  const [alias, setAlias] = useState('')
  const [message, setMessage] = useState<string | null>(null)

  const correct = async (add: string[], remove: string[]): Promise<void> => {
    const r = await getApi().invoke('news:correct-tags', { articleId: article.id, add, remove })
    if (!r.ok) {
      setMessage(r.error.message)
      return
    }
    setProposals(r.value.proposals)
    setAliasFor(add[0] ?? null)
    setMessage(null)
  }
  const remember = async (rule: UserTagRule): Promise<void> => {
    const r = await getApi().invoke('tagging:add-rule', rule)
    if (!r.ok) setMessage(r.error.message)
    else setMessage(rule.kind === 'deny' ? `${rule.symbol} will not be tagged for “${rule.phrase}” again` : `“${rule.phrase}” now tags ${rule.symbol}`)
    if (rule.kind === 'deny') setProposals((ps) => ps.filter((p) => p !== rule))
    else setAliasFor(null)
  }

  return (
    <div className="tag-editor" data-testid="tag-editor" onClick={(e) => e.stopPropagation()}>
      <span className="muted">Tickers:</span>
      {article.tickers.map((t) => (
        <button key={t} className="link" data-testid={`tag-remove-${t}`} aria-label={`Remove ${t} from this headline`} onClick={() => void correct([], [t])}>
          {t} ×
        </button>
      ))}
      <form
        className="tag-add"
        onSubmit={(e) => {
          e.preventDefault()
          const s = adding.trim().toUpperCase()
          if (s === '') return
          setAdding('')
          void correct([s], [])
        }}
      >
        <input aria-label="Add a ticker to this headline" data-testid="tag-add-input" value={adding} maxLength={10} placeholder="add ticker" onChange={(e) => setAdding(e.target.value)} />
        <button type="submit" data-testid="tag-add">Add</button>
      </form>
      {proposals.map((p) => (
        <p key={`${p.symbol}|${p.phrase}`} className="tag-proposal" data-testid={`tag-deny-${p.symbol}`}>
          Never tag {p.symbol} for “{p.phrase}”?{' '}
          <button data-testid={`tag-deny-yes-${p.symbol}`} onClick={() => void remember(p)}>
            Yes, remember
          </button>{' '}
          <button onClick={() => setProposals((ps) => ps.filter((x) => x !== p))}>No</button>
        </p>
      ))}
      {aliasFor && (
        <form
          className="tag-proposal"
          data-testid="tag-alias"
          onSubmit={(e) => {
            e.preventDefault()
            const phrase = alias.trim()
            if (phrase.length < 2) return
            setAlias('')
            void remember({ symbol: aliasFor, kind: 'alias', phrase })
          }}
        >
          Also tag {aliasFor} whenever a headline says{' '}
          <input aria-label={`A name that means ${aliasFor}`} data-testid="tag-alias-input" value={alias} maxLength={80} onChange={(e) => setAlias(e.target.value)} />{' '}
          <button type="submit" data-testid="tag-alias-save">
            Remember
          </button>{' '}
          <button type="button" onClick={() => setAliasFor(null)}>
            No
          </button>
        </form>
      )}
      {message && (
        <p role="status" data-testid="tag-editor-message">
          {message}
        </p>
      )}
    </div>
  )
}
