// KIP-368 re-authentication on one connection, against a scripted socket and a hand-driven timer: when the
// broker's announced session lifetime is 85 % used, new requests wait, the ones in flight finish, SaslHandshake +
// SaslAuthenticate run again on the same connection, then the waiting requests go out in order.
import { EventEmitter } from 'node:events'
import { describe, expect, it } from 'vitest'
import { API_SASL_AUTHENTICATE, API_SASL_HANDSHAKE } from './sasl'
import { BrokerConnection, connectionSecurity, type ConnectionSocket } from './transport'
import type { TokenSource } from './oauth'

class ScriptedBroker extends EventEmitter {
  /** [apiKey, correlation id] of every request, in the order written. */
  readonly seen: [number, number][] = []
  /** Requests not answered yet (answered by `answer()`, except SASL ones, answered at once). */
  readonly held: number[] = []
  bearer: string[] = []
  constructor(readonly lifetimeMs: number) {
    super()
  }
  write = (b: Buffer | Uint8Array): boolean => {
    const buf = Buffer.from(b)
    this.acc = Buffer.concat([this.acc, buf])
    while (this.acc.length >= 4 && this.acc.length >= 4 + this.acc.readInt32BE(0)) {
      const frame = this.acc.subarray(4, 4 + this.acc.readInt32BE(0))
      this.acc = this.acc.subarray(4 + frame.length)
      const apiKey = frame.readInt16BE(0)
      const corr = frame.readInt32BE(4)
      this.seen.push([apiKey, corr])
      if (apiKey === API_SASL_HANDSHAKE) this.reply(corr, Buffer.from([0, 0, 0, 0, 0, 0]))
      else if (apiKey === API_SASL_AUTHENTICATE) {
        const clientLen = frame.readInt16BE(8)
        const auth = frame.subarray(10 + clientLen + 4).toString()
        const at = auth.indexOf('auth=Bearer ')
        if (at >= 0) this.bearer.push(auth.slice(at + 12, auth.indexOf('\u0001', at)))
        const body = Buffer.alloc(2 + 2 + 4 + 8)
        body.writeInt16BE(0, 0)
        body.writeInt16BE(-1, 2)
        body.writeInt32BE(0, 4)
        body.writeBigInt64BE(BigInt(this.lifetimeMs), 8)
        this.reply(corr, body)
      } else this.held.push(corr)
    }
    return true
  }
  private acc = Buffer.alloc(0)
  cork = (): void => {}
  uncork = (): void => {}
  destroy = (): this => this
  answer(): void {
    const corr = this.held.shift()
    if (corr !== undefined) this.reply(corr, Buffer.from('ok'))
  }
  private reply(corr: number, body: Buffer): void {
    const b = Buffer.alloc(8)
    b.writeInt32BE(4 + body.length, 0)
    b.writeInt32BE(corr, 4)
    queueMicrotask(() => this.emit('data', Buffer.concat([b, body])))
  }
}

/** A timer that only fires when the test says so. */
function manualTimers(): {
  setTimeout: (fn: () => void, ms: number) => unknown
  clearTimeout: (h: unknown) => void
  due: { fn: () => void; ms: number }[]
} {
  const due: { fn: () => void; ms: number }[] = []
  return {
    due,
    setTimeout: (fn, ms) => {
      const t = { fn, ms }
      due.push(t)
      return t
    },
    clearTimeout: (h) => {
      const i = due.indexOf(h as { fn: () => void; ms: number })
      if (i >= 0) due.splice(i, 1)
    },
  }
}

const flush = async (): Promise<void> => {
  for (let i = 0; i < 20; i++) await new Promise<void>((r) => setImmediate(r))
}

describe('KIP-368 re-authentication', () => {
  it('re-authenticates at 85 % of the announced lifetime, after in-flight requests, before new ones', async () => {
    const broker = new ScriptedBroker(60_000)
    const timers = manualTimers()
    const sec = connectionSecurity(
      { protocol: 'SASL_PLAINTEXT', mechanism: 'PLAIN', username: 'u', password: 'p' },
      null,
      timers,
    )
    const c = await BrokerConnection.over(broker as unknown as ConnectionSocket, 'c', 'scripted:1', sec, 5000)
    expect(c.authentications).toBe(1)
    expect(timers.due.map((t) => t.ms)).toEqual([51_000])

    const first = c.request(0, 7, [Buffer.from('a')], 5000)
    await flush()
    timers.due.shift()!.fn() // the re-authentication time comes while `first` is in flight
    const second = c.request(0, 7, [Buffer.from('b')], 5000)
    await flush()
    // Nothing new is written until `first` is answered.
    expect(broker.seen.map(([k]) => k)).toEqual([17, 36, 0])
    broker.answer()
    await first
    await flush()
    // Handshake + authenticate, then the request that waited.
    expect(broker.seen.map(([k]) => k)).toEqual([17, 36, 0, 17, 36, 0])
    broker.answer()
    expect((await second).toString()).toBe('ok')
    expect(c.authentications).toBe(2)
    // And the next one is scheduled from the new session's lifetime.
    expect(timers.due.map((t) => t.ms)).toEqual([51_000])
    c.close()
    expect(timers.due).toEqual([])
  })

  it('OAUTHBEARER re-authentication takes the token source’s current token', async () => {
    const broker = new ScriptedBroker(10_000)
    const timers = manualTimers()
    let n = 0
    const tokens: TokenSource = { get: async () => `token-${++n}`, close: () => {} }
    const sec = connectionSecurity(
      { protocol: 'SASL_SSL', mechanism: 'OAUTHBEARER', oauth: { command: 'x' } },
      tokens,
      timers,
    )
    const c = await BrokerConnection.over(broker as unknown as ConnectionSocket, 'c', 'scripted:1', sec, 5000)
    timers.due.shift()!.fn()
    await flush()
    timers.due.shift()!.fn()
    await flush()
    expect(broker.bearer).toEqual(['token-1', 'token-2', 'token-3'])
    expect(c.authentications).toBe(3)
    c.close()
  })

  it('no lifetime announced: no re-authentication scheduled', async () => {
    const broker = new ScriptedBroker(0)
    const timers = manualTimers()
    const sec = connectionSecurity(
      { protocol: 'SASL_SSL', mechanism: 'PLAIN', username: 'u', password: 'p' },
      null,
      timers,
    )
    const c = await BrokerConnection.over(broker as unknown as ConnectionSocket, 'c', 'scripted:1', sec, 5000)
    expect(timers.due).toEqual([])
    c.close()
  })
})
