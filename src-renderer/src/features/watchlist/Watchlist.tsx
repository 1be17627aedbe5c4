import { useCallback, useState, useSyncExternalStore, type FormEvent } from 'react'
import type { WatchlistEntry } from '@domain/watchlist'
import { fmtPrice, fmtSignedPct, fmtVolume } from '../../app/format'
import { marketHub, type MarketHub } from '../../market/market-hub'
import { useChartStore } from '../charts/chart-store'
import { useWatchlistStore } from './watchlist-store'
import { parseAliases } from './symbol-validation'

export const WATCHLIST_ADD_INPUT_ID = 'watchlist-add-input'

export function Watchlist({ hub = marketHub }: { hub?: MarketHub }) {
  const entries = useWatchlistStore((s) => s.entries)
  const storeError = useWatchlistStore((s) => s.error)
  const add = useWatchlistStore((s) => s.add)
  const [text, setText] = useState('')
  const [error, setError] = useState<string | null>(null)

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    const err = await add(text)
    setError(err)
    if (err === null) setText('')
  }

  return (
    <section className="watchlist" aria-label="Watchlist">
      <form className="watchlist-add" onSubmit={(e) => void submit(e)} noValidate>
        <input
          id={WATCHLIST_ADD_INPUT_ID}
          data-testid="watchlist-add-input"
          aria-label="Add symbol"
          aria-invalid={error !== null}
          aria-describedby={error ? 'watchlist-add-error' : undefined}
          placeholder="Add symbol ( / )"
          value={text}
          maxLength={20}
          onChange={(e) => {
            setText(e.target.value.toUpperCase())
            setError(null)
          }}
          onKeyDown={(e) => {
            if (e.key === 'Escape') (e.target as HTMLInputElement).blur()
          }}
        />
        <button type="submit" data-testid="watchlist-add-button">
          Add
        </button>
      </form>
      {error && (
        <div id="watchlist-add-error" className="field-error" role="alert" data-testid="watchlist-add-error">
          {error}
        </div>
      )}
      {storeError && (
        <div className="field-error" role="alert" data-testid="watchlist-error">
          {storeError}
        </div>
      )}
      <table className="watchlist-table">
        <thead>
          <tr>
            <th>Symbol</th>
            <th className="num">Last</th>
            <th className="num">Chg</th>
            <th className="num">Vol</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {entries.map((e, i) => (
            <WatchlistRow key={e.symbol} entry={e} hub={hub} first={i === 0} last={i === entries.length - 1} />
          ))}
        </tbody>
      </table>
      {entries.length === 0 && <p className="muted">The watchlist is empty: add a symbol above.</p>}
    </section>
  )
}

function WatchlistRow({ entry, hub, first, last }: { entry: WatchlistEntry; hub: MarketHub; first: boolean; last: boolean }) {
  const { symbol } = entry
  const subscribe = useCallback((cb: () => void) => hub.subscribeSummary(symbol, cb), [hub, symbol])
  const summary = useSyncExternalStore(subscribe, () => hub.getSummary(symbol))
  const open = useChartStore((s) => s.open.includes(symbol))
  const toggle = useChartStore((s) => s.toggle)
  const { remove, move, setAliases } = useWatchlistStore.getState()
  const [editing, setEditing] = useState(false)
  const [aliasText, setAliasText] = useState('')
  const dir = summary?.change == null ? '' : summary.change > 0 ? 'up' : summary.change < 0 ? 'down' : ''

  return (
    <>
      <tr data-testid={`watchlist-row-${symbol}`} className={open ? 'selected' : ''}>
        <td>
          <button className="link sym" title={open ? 'Close chart' : 'Open chart'} data-testid={`watchlist-open-${symbol}`} onClick={() => toggle(symbol)}>
            {symbol}
          </button>
          {entry.aliases.length > 0 && <div className="aliases muted">{entry.aliases.join(', ')}</div>}
        </td>
        <td className="num" data-testid={`watchlist-last-${symbol}`}>
          {fmtPrice(summary?.last)}
        </td>
        <td className={`num ${dir}`} data-testid={`watchlist-change-${symbol}`}>
          {fmtSignedPct(summary?.changePct)}
        </td>
        <td className="num" data-testid={`watchlist-volume-${symbol}`}>
          {fmtVolume(summary?.dayVolume)}
        </td>
        <td className="row-actions">
          <button title="Move up" aria-label={`Move ${symbol} up`} data-testid={`watchlist-up-${symbol}`} disabled={first} onClick={() => void move(symbol, -1)}>
            ↑
          </button>
          <button title="Move down" aria-label={`Move ${symbol} down`} data-testid={`watchlist-down-${symbol}`} disabled={last} onClick={() => void move(symbol, 1)}>
            ↓
          </button>
          <button
            title="Edit aliases"
            aria-label={`Edit aliases of ${symbol}`}
            data-testid={`watchlist-aliases-${symbol}`}
            onClick={() => {
              setAliasText(entry.aliases.join(', '))
              setEditing(!editing)
            }}
          >
            ✎
          </button>
          <button title="Remove" aria-label={`Remove ${symbol}`} data-testid={`watchlist-remove-${symbol}`} onClick={() => void remove(symbol)}>
            ×
          </button>
        </td>
      </tr>
      {editing && (
        <tr>
          <td colSpan={5}>
            <form
              className="alias-edit"
              onSubmit={(e) => {
                e.preventDefault()
                setEditing(false)
                void setAliases(symbol, parseAliases(aliasText))
              }}
            >
              <input
                autoFocus
                aria-label={`Aliases for ${symbol}`}
                data-testid={`watchlist-aliases-input-${symbol}`}
                placeholder="Apple, iPhone maker"
                value={aliasText}
                onChange={(e) => setAliasText(e.target.value)}
              />
              <button type="submit" data-testid={`watchlist-aliases-save-${symbol}`}>
                Save
              </button>
            </form>
          </td>
        </tr>
      )}
    </>
  )
}
