// `window.api`: the typed API built from the contract over any transport (Electron IPC in the preload,
// a WebSocket in browser mode). Pure: no electron, no DOM. Every response and event is validated with the
// contract's schemas, so a host bug shows as an `invalid_response` failure instead of a crash in React.
import {
  ERROR_CODES,
  fail,
  invokeContract,
  isEventChannel,
  isInvokeChannel,
  parseEventPayload,
  parseInvokeResponse,
  type EventChannel,
  type EventPayload,
  type InvokeArg,
  type InvokeChannel,
  type InvokeResult,
  type Response,
} from './contract'

/** The only thing a host needs to provide. `invoke` resolves with the raw Response envelope. */
export interface Transport {
  invoke(channel: string, arg: unknown): Promise<unknown>
  /** Returns an unsubscribe function. */
  on(channel: string, listener: (payload: unknown) => void): () => void
}

/** Channels whose argument may be omitted (null / defaults only). */
export type InvokeArgs<C extends InvokeChannel> = undefined extends InvokeArg<C> ? [arg?: InvokeArg<C>] : [arg: InvokeArg<C>]

export interface NewstapeApi {
  /** Never rejects: failures (bad arg, transport, host error, invalid answer) come back as `{ok: false}`. */
  invoke<C extends InvokeChannel>(channel: C, ...args: InvokeArgs<C>): Promise<Response<InvokeResult<C>>>
  /** Listener gets only payloads that pass the event's schema. Returns unsubscribe. */
  on<E extends EventChannel>(event: E, listener: (payload: EventPayload<E>) => void): () => void
}

export interface CreateApiOptions {
  /** Called for events whose payload fails validation (dropped) and for listeners that throw. */
  onProblem?: (message: string) => void
}

export const createApi = (transport: Transport, options: CreateApiOptions = {}): NewstapeApi => {
  const report = options.onProblem ?? ((m: string) => console.warn(`[api] ${m}`))
  // One transport subscription per event channel, fanned out, so each payload is validated once.
  const listeners = new Map<EventChannel, { set: Set<(p: unknown) => void>; off: () => void }>()

  const invoke = async <C extends InvokeChannel>(channel: C, ...args: InvokeArgs<C>): Promise<Response<InvokeResult<C>>> => {
    if (!isInvokeChannel(channel)) return fail(ERROR_CODES.invalidArg, `Unknown channel ${String(channel).slice(0, 60)}`)
    const parsed = invokeContract[channel].arg.safeParse(args[0])
    if (!parsed.success) {
      const first = parsed.error.issues[0]
      const where = first && first.path.length > 0 ? `${first.path.join('.')}: ` : ''
      return fail(ERROR_CODES.invalidArg, `${channel}: ${where}${first?.message ?? 'invalid argument'}`)
    }
    let raw: unknown
    try {
      raw = await transport.invoke(channel, parsed.data)
    } catch (e) {
      return fail(ERROR_CODES.transport, `${channel}: ${e instanceof Error ? e.message : String(e)}`)
    }
    return parseInvokeResponse(channel, raw)
  }

  const on = <E extends EventChannel>(event: E, listener: (payload: EventPayload<E>) => void): (() => void) => {
    if (!isEventChannel(event)) throw new Error(`Unknown event ${String(event).slice(0, 60)}`)
    let entry = listeners.get(event)
    if (!entry) {
      const set = new Set<(p: unknown) => void>()
      const off = transport.on(event, (raw) => {
        const r = parseEventPayload(event, raw)
        if (!r.ok) return report(`dropped ${r.message}`)
        for (const l of [...set]) {
          try {
            l(r.value)
          } catch (e) {
            report(`${event} listener threw: ${e instanceof Error ? e.message : String(e)}`)
          }
        }
      })
      entry = { set, off }
      listeners.set(event, entry)
    }
    // Wrap so the same function subscribed twice gets two independent subscriptions.
    const wrapped = (p: unknown) => listener(p as EventPayload<E>)
    entry.set.add(wrapped)
    let done = false
    return () => {
      if (done) return
      done = true
      const current = listeners.get(event)
      if (!current) return
      current.set.delete(wrapped)
      if (current.set.size === 0) {
        listeners.delete(event)
        current.off()
      }
    }
  }

  return { invoke, on }
}
