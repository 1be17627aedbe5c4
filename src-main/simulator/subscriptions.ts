// Client → server socket messages and subscription bookkeeping (pure).
import { EV_A, EV_AM, EV_Q, EV_T } from './market'
import { SYMBOL_RE } from './symbols'

export type ClientMessage =
  | { action: 'auth'; params: string }
  | { action: 'subscribe' | 'unsubscribe'; params: string }

/** Parse a raw client message; null when it is not one the server understands. */
export function parseClientMessage(raw: string): ClientMessage | null {
  let v: unknown
  try {
    v = JSON.parse(raw)
  } catch {
    return null
  }
  if (typeof v !== 'object' || v === null) return null
  const { action, params } = v as { action?: unknown; params?: unknown }
  if (typeof params !== 'string') return null
  if (action === 'auth' || action === 'subscribe' || action === 'unsubscribe') return { action, params }
  return null
}

const KIND_OF: Record<string, number> = { T: EV_T, Q: EV_Q, A: EV_A, AM: EV_AM }

export interface SubscriptionParam {
  /** The param as the client wrote it (trimmed), echoed in the status message. */
  text: string
  kind: number
  /** '*' for every ticker. */
  symbol: string
}

/** Split `T.AAPL,AM.MSFT` into params; invalid ones come back as strings. Pure. */
export function parseParams(params: string): { ok: SubscriptionParam[]; bad: string[] } {
  const ok: SubscriptionParam[] = []
  const bad: string[] = []
  for (const part of params.split(',')) {
    const text = part.trim()
    if (text === '') continue
    const dot = text.indexOf('.')
    const kind = dot > 0 ? KIND_OF[text.slice(0, dot)] : undefined
    const symbol = dot > 0 ? text.slice(dot + 1) : ''
    if (kind === undefined || (symbol !== '*' && !SYMBOL_RE.test(symbol))) bad.push(text)
    else ok.push({ text, kind, symbol })
  }
  return { ok, bad }
}

/** One socket's subscriptions: a kind mask per symbol plus a wildcard mask. */
export class Subscriptions {
  wildMask = 0
  readonly bySymbol = new Map<string, number>()

  apply(p: SubscriptionParam, on: boolean): void {
    const bit = 1 << p.kind
    if (p.symbol === '*') {
      this.wildMask = on ? this.wildMask | bit : this.wildMask & ~bit
      return
    }
    const cur = this.bySymbol.get(p.symbol) ?? 0
    const next = on ? cur | bit : cur & ~bit
    if (next === 0) this.bySymbol.delete(p.symbol)
    else this.bySymbol.set(p.symbol, next)
  }

  maskFor(symbol: string): number {
    return this.wildMask | (this.bySymbol.get(symbol) ?? 0)
  }
}
