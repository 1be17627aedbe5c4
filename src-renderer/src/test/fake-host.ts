// Test helper: the real createApi over an in-memory host whose handlers the test defines.
import { createApi, type NewstapeApi } from '@contract/api'
import { fail, ok, parseInvokeArg, type InvokeChannel, type InvokeParsedArg, type InvokeResult } from '@contract/contract'
import { setApi } from '../api/client'

type Handler<C extends InvokeChannel> = (arg: InvokeParsedArg<C>) => InvokeResult<C> | Promise<InvokeResult<C>>
export type Handlers = { [C in InvokeChannel]?: Handler<C> }

export interface FakeHost {
  api: NewstapeApi
  calls: { channel: string; arg: unknown }[]
  emit(event: string, payload: unknown): void
  handlers: Handlers
}

export const installFakeHost = (handlers: Handlers = {}): FakeHost => {
  const calls: FakeHost['calls'] = []
  const subs = new Map<string, Set<(p: unknown) => void>>()
  const host: FakeHost = {
    calls,
    handlers,
    emit: (event, payload) => subs.get(event)?.forEach((l) => l(payload)),
    api: createApi(
      {
        invoke: async (channel, arg) => {
          calls.push({ channel, arg })
          // The host parses args exactly as main does.
          const p = parseInvokeArg(channel, arg)
          if (!p.ok) return p
          const h = host.handlers[p.channel] as Handler<InvokeChannel> | undefined
          if (!h) return fail('unavailable', `no handler for ${channel}`)
          try {
            return ok(await h(p.value as never))
          } catch (e) {
            return fail('internal', e instanceof Error ? e.message : String(e))
          }
        },
        on: (channel, l) => {
          const set = subs.get(channel) ?? new Set()
          set.add(l)
          subs.set(channel, set)
          return () => set.delete(l)
        },
      },
      { onProblem: () => {} },
    ),
  }
  setApi(host.api)
  return host
}
