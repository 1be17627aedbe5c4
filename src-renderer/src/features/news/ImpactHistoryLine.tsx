import { useEffect, useState } from 'react'
import type { ImpactHistoryAnswer, Response } from '@contract/contract'
import { getApi } from '../../api/client'
import { impactHistoryDetail, impactHistoryLine } from './impact-history'

export const UNAVAILABLE_HINT = 'history: start the analytics stack (npm run stack)'

/** The selected symbol's past news impact (PostgreSQL `impact_history`, via `impact:history`), one line. */
export function ImpactHistoryLine({ symbol }: { symbol: string | null }) {
  const [loaded, setLoaded] = useState<{ symbol: string; res: Response<ImpactHistoryAnswer> } | null>(null)

  useEffect(() => {
    if (symbol === null) return
    let live = true
    void getApi()
      .invoke('impact:history', { symbol })
      .then((res) => {
        if (live) setLoaded({ symbol, res })
      })
    return () => {
      live = false
    }
  }, [symbol])

  if (symbol === null) return null
  const res = loaded?.symbol === symbol ? loaded.res : null
  let body: { text: string; title?: string; state: string }
  if (res === null) body = { text: 'loading past news impact…', state: 'loading' }
  // Without the analytics stack this is the normal case, not an error: a short hint, the reason on hover.
  else if (!res.ok) body = { text: UNAVAILABLE_HINT, title: res.error.message, state: 'unavailable' }
  else if (res.value.state === 'unavailable') body = { text: UNAVAILABLE_HINT, title: res.value.message, state: 'unavailable' }
  else if (res.value.history === null) body = { text: 'no past headlines measured yet', state: 'empty' }
  else body = { text: impactHistoryLine(res.value.history), title: impactHistoryDetail(res.value.history), state: 'ready' }

  return (
    <p className={`impact-history ${body.state}`} data-testid="impact-history" data-state={body.state} title={body.title} aria-live="polite">
      <strong>{symbol}</strong> <span data-testid="impact-history-text">{body.text}</span>
    </p>
  )
}
