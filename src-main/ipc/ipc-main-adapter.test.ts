import { describe, expect, it } from 'vitest'
import { createIpcEmitter, isTrustedSender, registerIpc, type IpcEventLike, type IpcMainLike, type TrustedRenderer } from './ipc-main-adapter'
import { INVOKE_CHANNELS } from '../../src-preload/contract'

function fakeIpc() {
  const handlers = new Map<string, (e: IpcEventLike, arg: unknown) => Promise<unknown>>()
  const ipc: IpcMainLike = {
    handle: (c, l) => void handlers.set(c, l),
    removeHandler: (c) => void handlers.delete(c),
  }
  return { ipc, handlers }
}

const trusted: TrustedRenderer = { webContentsId: () => 1, rendererUrl: () => 'file:///app/out/renderer/index.html' }
const ev = (id: number, url: string | null, parent?: unknown): IpcEventLike => ({
  sender: { id },
  senderFrame: url === null ? null : { url, ...(parent ? { parent } : {}) },
})

describe('isTrustedSender', () => {
  it.each([
    [ev(1, 'file:///app/out/renderer/index.html'), trusted, true],
    [ev(1, 'file:///app/out/renderer/index.html#/settings'), trusted, true],
    [ev(2, 'file:///app/out/renderer/index.html'), trusted, false],
    [ev(1, 'file:///tmp/evil.html'), trusted, false],
    [ev(1, 'http://127.0.0.1:3000/d/x'), trusted, false],
    [ev(1, 'file:///app/out/renderer/index.html', {}), trusted, false],
    [ev(1, null), trusted, false],
    [ev(1, 'http://localhost:5173/'), { webContentsId: () => 1, rendererUrl: () => 'http://localhost:5173' }, true],
    [ev(1, 'http://localhost:5174/'), { webContentsId: () => 1, rendererUrl: () => 'http://localhost:5173' }, false],
    [ev(1, 'file:///app/out/renderer/index.html'), { webContentsId: () => null, rendererUrl: () => 'file:///x' }, false],
  ] as [IpcEventLike, TrustedRenderer, boolean][])('%#', (e, t, expected) => {
    expect(isTrustedSender(e, t)).toBe(expected)
  })
})

describe('registerIpc', () => {
  it('registers every contract channel, and unregisters them', () => {
    const { ipc, handlers } = fakeIpc()
    const off = registerIpc(ipc, async () => ({ ok: true, value: null }), trusted, () => undefined)
    expect([...handlers.keys()].sort()).toEqual([...INVOKE_CHANNELS].sort())
    off()
    expect(handlers.size).toBe(0)
  })

  it('refuses foreign senders before the core sees anything', async () => {
    const { ipc, handlers } = fakeIpc()
    const seen: string[] = []
    const logs: string[] = []
    registerIpc(ipc, async (c) => (seen.push(c), { ok: true, value: null }), trusted, (m) => void logs.push(m))
    const r = await handlers.get('secrets:status')!(ev(9, 'file:///app/out/renderer/index.html'), null)
    expect(r).toEqual({ ok: false, error: { code: 'forbidden', message: 'Not allowed from this page' } })
    expect(seen).toEqual([])
    expect(logs[0]).toContain('secrets:status')
  })

  it('rejects bad payloads with invalid_arg and passes parsed ones through', async () => {
    const { ipc, handlers } = fakeIpc()
    const seen: unknown[] = []
    registerIpc(ipc, async (_c, a) => (seen.push(a), { ok: true, value: null }), trusted, () => undefined)
    const good = ev(1, 'file:///app/out/renderer/index.html')
    for (const bad of [{ symbol: '../../etc', timeframe: '1m' }, { symbol: 'AAPL', timeframe: '2h' }, 'x', null, { symbol: 'AAPL', timeframe: '1m', limit: 1e9 }]) {
      const r = (await handlers.get('history:get')!(good, bad)) as { ok: boolean; error: { code: string } }
      expect(r.ok).toBe(false)
      expect(r.error.code).toBe('invalid_arg')
    }
    expect((await handlers.get('shell:open-external')!(good, { url: 'file:///etc/passwd' })) as object).toMatchObject({ ok: false })
    expect(seen).toEqual([])
    await handlers.get('history:get')!(good, { symbol: 'AAPL', timeframe: '1m' })
    expect(seen).toEqual([{ symbol: 'AAPL', timeframe: '1m', limit: 1000 }])
  })

  it('impact:history: a symbol that is not a ticker never reaches the core', async () => {
    const { ipc, handlers } = fakeIpc()
    const seen: unknown[] = []
    registerIpc(ipc, async (c, a) => (seen.push([c, a]), { ok: true, value: { state: 'ready', history: null } }), trusted, () => undefined)
    const good = ev(1, 'file:///app/out/renderer/index.html')
    for (const bad of [{ symbol: 'drop table' }, { symbol: "AAPL'; DROP TABLE impact_history; --" }, { symbol: 'aapl' }, { symbol: '' }, { symbol: 'TOOLONGSYMB' }, { symbol: 1 }, {}, null, 'AAPL']) {
      const r = (await handlers.get('impact:history')!(good, bad)) as { ok: boolean; error: { code: string } }
      expect(r, JSON.stringify(bad)).toMatchObject({ ok: false, error: { code: 'invalid_arg' } })
    }
    expect(seen).toEqual([])
    expect(await handlers.get('impact:history')!(good, { symbol: 'BRK.B' })).toEqual({ ok: true, value: { state: 'ready', history: null } })
    expect(seen).toEqual([['impact:history', { symbol: 'BRK.B' }]])
  })

  it('turns a throwing core into an error envelope', async () => {
    const { ipc, handlers } = fakeIpc()
    registerIpc(ipc, async () => { throw new Error('boom') }, trusted, () => undefined)
    const r = await handlers.get('status:get')!(ev(1, 'file:///app/out/renderer/index.html'), null)
    expect(r).toEqual({ ok: false, error: { code: 'internal', message: 'boom' } })
  })
})

describe('createIpcEmitter', () => {
  it('sends to the live window only', () => {
    const sent: unknown[] = []
    let destroyed = false
    const emit = createIpcEmitter(() => ({ isDestroyed: () => destroyed, send: (c, p) => void sent.push([c, p]) }))
    emit('streams:paused', true)
    destroyed = true
    emit('streams:paused', false)
    expect(sent).toEqual([['streams:paused', true]])
  })
})
