// In-app toasts: raised from live news batches only (a reload or reconnect marks what it brings as seen, so old
// alerts never pop up), at most MAX_TOASTS on screen, newest first.
import { create } from 'zustand'
import type { NewsBundle } from '@contract/contract'
import { batchToasts, isFresh, type Toast } from './toasts'

export const MAX_TOASTS = 4
/** Keys remembered (one per alert); beyond this the oldest are forgotten, long after their alerts. */
const MAX_SEEN = 5_000

interface ToastState {
  toasts: Toast[]
  seen: Set<string>
  /** A live batch: new fresh alerts toast when `enabled`; a known move re-sent with its headline updates its toast. */
  fromBatch(bundle: NewsBundle, o: { now: number; enabled: boolean; headline(id: string): string | undefined }): void
  /** A full reload: everything in it counts as already alerted. */
  markSeen(bundle: NewsBundle, headline: (id: string) => string | undefined): void
  dismiss(key: string): void
}

const remember = (seen: Set<string>, key: string) => {
  seen.add(key)
  if (seen.size > MAX_SEEN) seen.delete(seen.values().next().value as string)
}

export const useToastStore = create<ToastState>()((set, get) => ({
  toasts: [],
  seen: new Set(),
  fromBatch: (bundle, o) => {
    const { seen } = get()
    let toasts = get().toasts
    for (const t of batchToasts(bundle, o.headline)) {
      if (seen.has(t.key)) {
        // Same alert again (a move re-sent when a headline links to it): refresh the words if it is on screen.
        toasts = toasts.map((x) => (x.key === t.key && x.body !== t.body ? { ...x, body: t.body } : x))
        continue
      }
      remember(seen, t.key)
      if (o.enabled && isFresh(t, o.now)) toasts = [t, ...toasts.filter((x) => x.key !== t.key)].slice(0, MAX_TOASTS)
    }
    if (toasts !== get().toasts) set({ toasts })
  },
  markSeen: (bundle, headline) => {
    const { seen } = get()
    for (const t of batchToasts(bundle, headline)) remember(seen, t.key)
  },
  dismiss: (key) => set({ toasts: get().toasts.filter((t) => t.key !== key) }),
}))
