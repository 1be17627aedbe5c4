import { useEffect } from 'react'
import { focusTarget } from '../../app/actions'
import { fmtClock } from '../../app/format'
import { useToastStore } from './toast-store'
import type { Toast } from './toasts'

/** How long a toast stays unless clicked or closed. */
export const TOAST_MS = 12_000

/** Move alerts and headline signals as they fire; a click focuses the entry (as a desktop notification does). */
export function Toasts() {
  const toasts = useToastStore((s) => s.toasts)
  if (toasts.length === 0) return null
  return (
    <div className="toasts" aria-live="polite" data-testid="toasts">
      {toasts.map((t) => (
        <ToastView key={t.key} toast={t} />
      ))}
    </div>
  )
}

function ToastView({ toast: t }: { toast: Toast }) {
  const dismiss = useToastStore((s) => s.dismiss)
  useEffect(() => {
    const timer = setTimeout(() => dismiss(t.key), TOAST_MS)
    return () => clearTimeout(timer)
  }, [t.key, dismiss])
  const kind = 'moveId' in t.target ? 'move' : 'signal'
  return (
    <div className={`toast ${kind} dir-${t.direction}`} role="status" data-testid="toast" data-kind={kind} data-key={t.key} data-symbol={t.symbol} data-target={'moveId' in t.target ? t.target.moveId : t.target.articleId}>
      <button
        className="toast-body"
        onClick={() => {
          focusTarget(t.target, t.symbol)
          dismiss(t.key)
        }}
      >
        <span className="toast-title">{t.title}</span>
        <span className="toast-text">{t.body}</span>
        <time className="muted">{fmtClock(t.at)}</time>
      </button>
      <button className="link toast-close" aria-label="Dismiss" onClick={() => dismiss(t.key)}>
        ×
      </button>
    </div>
  )
}
