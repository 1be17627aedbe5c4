import { describe, expect, it } from 'vitest'
import {
  decodeMetadataResponse,
  decodeSaslAuthenticateResponse,
  decodeSaslHandshakeResponse,
  metadataBody,
  oauthInitial,
  plainInitial,
  saslConversation,
  saslName,
  scramAttributes,
  scramClientFinal,
  scramClientFirst,
  scramVerifyServerFinal,
  type SaslAuthenticateResponse,
  type ScramHash,
} from './sasl'

// RFC 5802 §5 (SCRAM-SHA-1) and RFC 7677 §3 (SCRAM-SHA-256): user "user", password "pencil".
const VECTORS: {
  name: string
  hash: ScramHash
  nonce: string
  serverFirst: string
  clientFinal: string
  serverFinal: string
}[] = [
  {
    name: 'RFC 5802 SCRAM-SHA-1',
    hash: 'sha1',
    nonce: 'fyko+d2lbbFgONRv9qkxdawL',
    serverFirst: 'r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096',
    clientFinal: 'c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=',
    serverFinal: 'v=rmF9pqV8S7suAoZWja4dJRkFsKQ=',
  },
  {
    name: 'RFC 7677 SCRAM-SHA-256',
    hash: 'sha256',
    nonce: 'rOprNGfwEbeRWgbNEkqO',
    serverFirst: 'r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096',
    clientFinal:
      'c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=',
    serverFinal: 'v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=',
  },
]

const ok = (authBytes: string, sessionLifetimeMs = 0): SaslAuthenticateResponse => ({
  errorCode: 0,
  errorMessage: null,
  authBytes: Buffer.from(authBytes),
  sessionLifetimeMs,
})

describe('SCRAM test vectors', () => {
  for (const v of VECTORS) {
    it(`${v.name}: client-first, client-final and the server signature`, () => {
      const first = scramClientFirst('user', v.nonce)
      expect(first.message).toBe(`n,,n=user,r=${v.nonce}`)
      const final = scramClientFinal(v.hash, 'pencil', first, v.serverFirst)
      expect(final.message).toBe(v.clientFinal)
      expect(`v=${final.serverSignature}`).toBe(v.serverFinal)
      expect(() => scramVerifyServerFinal(final, v.serverFinal)).not.toThrow()
    })
  }

  it('refuses a forged server signature, a server error, and a nonce that does not extend ours', () => {
    const v = VECTORS[1]!
    const first = scramClientFirst('user', v.nonce)
    const final = scramClientFinal(v.hash, 'pencil', first, v.serverFirst)
    expect(() => scramVerifyServerFinal(final, 'v=AAAA')).toThrow(/server signature mismatch/)
    expect(() => scramVerifyServerFinal(final, 'e=invalid-proof')).toThrow(/invalid-proof/)
    expect(() => scramClientFinal(v.hash, 'pencil', first, 'r=somebodyelse,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096')).toThrow(
      /nonce/,
    )
    expect(() => scramClientFinal(v.hash, 'pencil', first, `r=${v.nonce}x,s=abc`)).toThrow(/lacks/)
  })

  it.each([
    ['user', 'user'],
    ['a=b,c', 'a=3Db=2Cc'],
  ])('saslname %s → %s', (input, out) => expect(saslName(input)).toBe(out))

  it('parses attributes whose values contain =', () => {
    expect(scramAttributes('s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096').get('s')).toBe('W22ZaJ0SNY7soEsUEjb6gQ==')
  })
})

describe('saslConversation', () => {
  it('runs SCRAM-SHA-256 over scripted SaslAuthenticate round trips and returns the session lifetime', async () => {
    const v = VECTORS[1]!
    const sent: string[] = []
    const replies = [ok(v.serverFirst), ok(v.serverFinal, 3_600_000)]
    const lifetime = await saslConversation(
      { mechanism: 'SCRAM-SHA-256', username: 'user', password: 'pencil' },
      async (b) => {
        sent.push(b.toString())
        return replies.shift()!
      },
      v.nonce,
    )
    expect(sent).toEqual([`n,,n=user,r=${v.nonce}`, v.clientFinal])
    expect(lifetime).toBe(3_600_000)
  })

  it('reports the broker error code of a refused password', async () => {
    const v = VECTORS[1]!
    const replies: SaslAuthenticateResponse[] = [
      ok(v.serverFirst),
      { errorCode: 58, errorMessage: 'Authentication failed during authentication due to invalid credentials', authBytes: Buffer.alloc(0), sessionLifetimeMs: 0 },
    ]
    await expect(
      saslConversation({ mechanism: 'SCRAM-SHA-256', username: 'user', password: 'wrong' }, async () => replies.shift()!, v.nonce),
    ).rejects.toMatchObject({ errorCode: 58, message: expect.stringMatching(/SASL_AUTHENTICATION_FAILED \(58\).*invalid credentials/) })
  })

  it('PLAIN sends \\0user\\0password once', async () => {
    const sent: Buffer[] = []
    await saslConversation({ mechanism: 'PLAIN', username: 'alice', password: 's3cret' }, async (b) => {
      sent.push(b)
      return ok('')
    })
    expect(sent).toEqual([plainInitial('alice', 's3cret')])
    expect(sent[0]!.toString()).toBe('\0alice\0s3cret')
  })

  it('OAUTHBEARER: sends the bearer token; an error challenge is acknowledged with %x01 and fails', async () => {
    expect(oauthInitial('abc.def.ghi').toString()).toBe('n,,\u0001auth=Bearer abc.def.ghi\u0001\u0001')
    const sent: string[] = []
    const replies: SaslAuthenticateResponse[] = [
      ok('{"status":"invalid_token"}'),
      { errorCode: 58, errorMessage: 'expired', authBytes: Buffer.alloc(0), sessionLifetimeMs: 0 },
    ]
    await expect(
      saslConversation({ mechanism: 'OAUTHBEARER', token: 'abc.def.ghi' }, async (b) => {
        sent.push(b.toString())
        return replies.shift()!
      }),
    ).rejects.toMatchObject({ errorCode: 58, message: expect.stringMatching(/invalid_token/) })
    expect(sent[1]).toBe('\u0001')
  })
})

describe('Kafka SASL and metadata messages', () => {
  it('decodes SaslHandshake v1 and SaslAuthenticate v1 responses', () => {
    const hs = Buffer.concat([Buffer.from([0, 33, 0, 0, 0, 1, 0, 5]), Buffer.from('PLAIN')])
    expect(decodeSaslHandshakeResponse(hs)).toEqual({ errorCode: 33, mechanisms: ['PLAIN'] })
    const msg = Buffer.from('bad')
    const au = Buffer.alloc(2 + 2 + 3 + 4 + 2 + 8)
    let o = au.writeInt16BE(58, 0)
    o = au.writeInt16BE(3, o)
    o += msg.copy(au, o)
    o = au.writeInt32BE(2, o)
    o += Buffer.from('ok').copy(au, o)
    au.writeBigInt64BE(90_000n, o)
    expect(decodeSaslAuthenticateResponse(au)).toEqual({
      errorCode: 58,
      errorMessage: 'bad',
      authBytes: Buffer.from('ok'),
      sessionLifetimeMs: 90_000,
    })
  })

  it('encodes a Metadata v4 request and decodes its response', () => {
    expect(Buffer.concat(metadataBody(['t'])).toString('hex')).toBe('00000001' + '0001' + '74' + '00')
    const parts: Buffer[] = []
    const i16 = (n: number): void => void parts.push(Buffer.from([(n >> 8) & 0xff, n & 0xff]))
    const i32 = (n: number): void => {
      const b = Buffer.alloc(4)
      b.writeInt32BE(n)
      parts.push(b)
    }
    const s = (x: string): void => {
      i16(x.length)
      parts.push(Buffer.from(x))
    }
    i32(0) // throttle
    i32(1) // brokers
    i32(1)
    s('127.0.0.1')
    i32(9093)
    i16(-1) // rack
    i16(-1) // cluster id
    i32(1) // controller
    i32(1) // topics
    i16(29)
    s('secret')
    parts.push(Buffer.from([0]))
    i32(0) // partitions
    expect(decodeMetadataResponse(Buffer.concat(parts))).toEqual({
      brokers: [{ nodeId: 1, host: '127.0.0.1', port: 9093 }],
      topics: [{ name: 'secret', errorCode: 29, partitions: [] }],
    })
  })
})
