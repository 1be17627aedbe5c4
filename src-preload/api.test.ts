import { describe, expect, it } from 'vitest'
import { createApi, type Transport } from './api'

/** An in-memory transport that records calls and lets the test emit events. */
const makeTransport = (answer: (channel: string, arg: unknown) => unknown | Promise<unknown>) => {
  const calls: { channel: string; arg: unknown }[] = []
  const subs = new Map<string, Set<(p: unknown) => void>>()
  let subscribeCount = 0
  const transport: Transport = {
    invoke: async (channel, arg) => {
      calls.push({ channel, arg })
      return answer(channel, arg)
    },
    on: (channel, listener) => {
      subscribeCount++
      const set = subs.get(channel) ?? new Set()
      set.add(listener)
      subs.set(channel, set)
      return () => set.delete(listener)
    },
  }
  const emit = (channel: string, payload: unknown) => subs.get(channel)?.forEach((l) => l(payload))
  const active = (channel: string) => subs.get(channel)?.size ?? 0
  return { transport, calls, emit, active, subscribes: () => subscribeCount }
}

describe('createApi invoke', () => {
  it('sends the parsed argument and returns a validated value', async () => {
    const t = makeTransport(() => ({ ok: true, value: { polygon: true, guardian: false } }))
    const api = createApi(t.transport)
    await expect(api.invoke('secrets:status')).resolves.toEqual({ ok: true, value: { polygon: true, guardian: false } })
    expect(t.calls).toEqual([{ channel: 'secrets:status', arg: null }])
  })

  it('applies argument defaults before sending', async () => {
    const t = makeTransport(() => ({ ok: true, value: [] }))
    await createApi(t.transport).invoke('history:get', { symbol: 'AAPL', timeframe: '1m' })
    expect(t.calls[0]?.arg).toEqual({ symbol: 'AAPL', timeframe: '1m', limit: 1000 })
  })

  it('rejects an invalid argument without sending it', async () => {
    const t = makeTransport(() => ({ ok: true, value: null }))
    const r = await createApi(t.transport).invoke('shell:open-external', { url: 'file:///etc/passwd' })
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid_arg' } })
    expect(t.calls).toHaveLength(0)
  })

  it('rejects an unknown channel at runtime', async () => {
    const t = makeTransport(() => ({ ok: true, value: null }))
    const api = createApi(t.transport) as unknown as { invoke(c: string, a?: unknown): Promise<unknown> }
    await expect(api.invoke('fs:read', '/etc/passwd')).resolves.toMatchObject({ ok: false, error: { code: 'invalid_arg' } })
    expect(t.calls).toHaveLength(0)
  })

  it('turns a value that fails the result schema into invalid_response', async () => {
    const t = makeTransport(() => ({ ok: true, value: { polygon: 'the-key-itself', guardian: false } }))
    await expect(createApi(t.transport).invoke('secrets:status')).resolves.toMatchObject({ ok: false, error: { code: 'invalid_response' } })
  })

  it('passes host errors through', async () => {
    const t = makeTransport(() => ({ ok: false, error: { code: 'unavailable', message: 'worker restarting' } }))
    await expect(createApi(t.transport).invoke('status:get')).resolves.toEqual({ ok: false, error: { code: 'unavailable', message: 'worker restarting' } })
  })

  it('turns a transport rejection into a transport failure', async () => {
    const t = makeTransport(() => Promise.reject(new Error('socket closed')))
    const r = await createApi(t.transport).invoke('streams:pause')
    expect(r).toEqual({ ok: false, error: { code: 'transport', message: 'streams:pause: socket closed' } })
  })
})

describe('createApi events', () => {
  it('delivers valid payloads, drops invalid ones and reports them', () => {
    const t = makeTransport(() => null)
    const problems: string[] = []
    const api = createApi(t.transport, { onProblem: (m) => problems.push(m) })
    const got: boolean[] = []
    api.on('streams:paused', (p) => got.push(p))
    t.emit('streams:paused', true)
    t.emit('streams:paused', 'yes')
    t.emit('streams:paused', false)
    expect(got).toEqual([true, false])
    expect(problems).toHaveLength(1)
    expect(problems[0]).toContain('streams:paused')
  })

  it('unsubscribe stops delivery and releases the transport subscription with the last listener', () => {
    const t = makeTransport(() => null)
    const api = createApi(t.transport)
    const a: string[] = []
    const b: string[] = []
    const offA = api.on('signals:focus', (p) => a.push('articleId' in p ? p.articleId : p.moveId))
    const offB = api.on('signals:focus', (p) => b.push('articleId' in p ? p.articleId : p.moveId))
    expect(t.subscribes()).toBe(1)
    t.emit('signals:focus', { articleId: 'x' })
    offA()
    offA() // idempotent
    t.emit('signals:focus', { articleId: 'y' })
    expect(a).toEqual(['x'])
    expect(b).toEqual(['x', 'y'])
    expect(t.active('signals:focus')).toBe(1)
    offB()
    expect(t.active('signals:focus')).toBe(0)
    t.emit('signals:focus', { articleId: 'z' })
    expect(b).toEqual(['x', 'y'])
  })

  it('a throwing listener does not starve the others', () => {
    const t = makeTransport(() => null)
    const problems: string[] = []
    const api = createApi(t.transport, { onProblem: (m) => problems.push(m) })
    const got: boolean[] = []
    api.on('streams:paused', () => {
      throw new Error('boom')
    })
    api.on('streams:paused', (p) => got.push(p))
    t.emit('streams:paused', true)
    expect(got).toEqual([true])
    expect(problems[0]).toContain('boom')
  })

  it('refuses unknown events', () => {
    const api = createApi(makeTransport(() => null).transport) as unknown as { on(e: string, l: () => void): unknown }
    expect(() => api.on('ipc:raw', () => {})).toThrow(/Unknown event/)
  })
})
