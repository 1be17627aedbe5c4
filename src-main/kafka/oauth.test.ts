import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createTokenSource, jwtExpiry, parseToken, UNKNOWN_LIFETIME_MS } from './oauth'

const jwt = (claims: object): string =>
  `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.`

describe('parseToken', () => {
  const now = 1_000_000
  it.each([
    ['JSON with expires_in', '{"access_token":"abc","expires_in":60}', { value: 'abc', expiresAt: now + 60_000 }],
    ['a JWT with exp', jwt({ exp: 2000, sub: 'x' }), { value: jwt({ exp: 2000, sub: 'x' }), expiresAt: 2_000_000 }],
    ['an opaque token', ' opaque-token\n', { value: 'opaque-token', expiresAt: now + UNKNOWN_LIFETIME_MS }],
  ])('%s', (_n, out, want) => expect(parseToken(out, now)).toEqual(want))

  it('refuses empty output and JSON without access_token', () => {
    expect(() => parseToken('', now)).toThrow()
    expect(() => parseToken('{"token_type":"bearer"}', now)).toThrow()
  })
  it('jwtExpiry is null for what is not a JWT', () => expect(jwtExpiry('a.b')).toBeNull())
})

describe('createTokenSource', () => {
  beforeEach(() => vi.useFakeTimers({ now: 0 }))
  afterEach(() => vi.useRealTimers())

  it('refreshes the token in the background before it expires', async () => {
    let n = 0
    const fetchRaw = vi.fn(async () => `{"access_token":"t${++n}","expires_in":100}`)
    const src = createTokenSource({}, { fetchRaw, now: () => Date.now() })
    expect(await src.get()).toBe('t1')
    expect(await src.get()).toBe('t1')
    expect(fetchRaw).toHaveBeenCalledTimes(1)
    // 80 % of 100 s: refreshed while t1 is still valid.
    await vi.advanceTimersByTimeAsync(79_999)
    expect(fetchRaw).toHaveBeenCalledTimes(1)
    await vi.advanceTimersByTimeAsync(1)
    expect(fetchRaw).toHaveBeenCalledTimes(2)
    expect(Date.now()).toBeLessThan(100_000)
    expect(await src.get()).toBe('t2')
    src.close()
  })

  it('keeps a still-valid token when a refresh fails, and fetches anew once it expired', async () => {
    const answers: (() => Promise<string>)[] = [
      async () => '{"access_token":"good","expires_in":10}',
      async () => {
        throw new Error('idp down')
      },
      async () => {
        throw new Error('idp down')
      },
      async () => '{"access_token":"fresh","expires_in":10}',
    ]
    const src = createTokenSource({}, { fetchRaw: () => answers.shift()!(), now: () => Date.now() })
    expect(await src.get()).toBe('good')
    await vi.advanceTimersByTimeAsync(9_000) // background refresh at 8 s fails
    expect(await src.get()).toBe('good') // refresh on demand fails too; still valid
    await vi.advanceTimersByTimeAsync(2_000)
    expect(await src.get()).toBe('fresh')
    src.close()
  })

  it('runs a command for the token', async () => {
    vi.useRealTimers()
    const src = createTokenSource({ command: `node -e "process.stdout.write('cmd-token')"` })
    expect(await src.get()).toBe('cmd-token')
    src.close()
  })
})
