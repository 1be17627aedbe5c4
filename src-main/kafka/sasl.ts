// SASL for the producer codec: the mechanisms (PLAIN, SCRAM-SHA-256/512 per RFC 5802/7677 with the server
// signature verified, OAUTHBEARER per RFC 7628 / KIP-255) and the Kafka requests that carry them
// (SaslHandshake v1, SaslAuthenticate v1 with the session lifetime of KIP-368), plus Metadata v4, which the
// connection check uses to ask about a topic. Pure functions: the transport does the I/O.
import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto'
import { Reader, str16 } from './wire'

export const API_METADATA = 3
export const API_SASL_HANDSHAKE = 17
export const API_SASL_AUTHENTICATE = 36
export const METADATA_VERSION = 4
export const SASL_HANDSHAKE_VERSION = 1
export const SASL_AUTHENTICATE_VERSION = 1

export type SaslMechanism = 'PLAIN' | 'SCRAM-SHA-256' | 'SCRAM-SHA-512' | 'OAUTHBEARER'
export const SASL_MECHANISMS: readonly SaslMechanism[] = ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512', 'OAUTHBEARER']

// ---- Kafka requests and responses ------------------------------------------------------------------------

const bytes32 = (b: Buffer): Buffer[] => {
  const n = Buffer.allocUnsafe(4)
  n.writeInt32BE(b.length, 0)
  return [n, b]
}

export const saslHandshakeBody = (mechanism: string): Buffer[] => [str16(mechanism)]

export function decodeSaslHandshakeResponse(body: Buffer): { errorCode: number; mechanisms: string[] } {
  const r = new Reader(body)
  const errorCode = r.i16()
  const n = r.count()
  const mechanisms: string[] = []
  for (let i = 0; i < n; i++) mechanisms.push(r.str())
  return { errorCode, mechanisms }
}

export const saslAuthenticateBody = (auth: Buffer): Buffer[] => bytes32(auth)

export interface SaslAuthenticateResponse {
  errorCode: number
  errorMessage: string | null
  authBytes: Buffer
  /** KIP-368: ms until the broker ends the session (0 = no limit). */
  sessionLifetimeMs: number
}

export function decodeSaslAuthenticateResponse(body: Buffer): SaslAuthenticateResponse {
  const r = new Reader(body)
  const errorCode = r.i16()
  const msgLen = r.i16()
  let errorMessage: string | null = null
  if (msgLen >= 0) {
    r.need(msgLen)
    errorMessage = body.toString('utf8', r.o, r.o + msgLen)
    r.o += msgLen
  }
  const n = r.i32()
  let authBytes = Buffer.alloc(0)
  if (n > 0) {
    r.need(n)
    authBytes = Buffer.from(body.subarray(r.o, r.o + n))
    r.o += n
  }
  const sessionLifetimeMs = Number(r.i64())
  return { errorCode, errorMessage, authBytes, sessionLifetimeMs }
}

/** Metadata v4: `topics` null = all topics; never auto-creates (the check must not create anything). */
export function metadataBody(topics: readonly string[] | null): Buffer[] {
  const out: Buffer[] = []
  const n = Buffer.allocUnsafe(4)
  n.writeInt32BE(topics === null ? -1 : topics.length, 0)
  out.push(n)
  for (const t of topics ?? []) out.push(str16(t))
  out.push(Buffer.from([0])) // allow_auto_topic_creation: false
  return out
}

export interface MetadataResponse {
  brokers: { nodeId: number; host: string; port: number }[]
  topics: { name: string; errorCode: number; partitions: { partition: number; leader: number; errorCode: number }[] }[]
}

export function decodeMetadataResponse(body: Buffer): MetadataResponse {
  const r = new Reader(body)
  r.i32() // throttle_time_ms
  const brokers: MetadataResponse['brokers'] = []
  const nb = r.count()
  for (let i = 0; i < nb; i++) {
    const nodeId = r.i32()
    const host = r.str()
    const port = r.i32()
    const rack = r.i16()
    if (rack > 0) {
      r.need(rack)
      r.o += rack
    }
    brokers.push({ nodeId, host, port })
  }
  const cid = r.i16() // cluster_id (nullable)
  if (cid > 0) {
    r.need(cid)
    r.o += cid
  }
  r.i32() // controller_id
  const topics: MetadataResponse['topics'] = []
  const nt = r.count()
  for (let i = 0; i < nt; i++) {
    const errorCode = r.i16()
    const name = r.str()
    r.need(1)
    r.o += 1 // is_internal
    const partitions: MetadataResponse['topics'][number]['partitions'] = []
    const np = r.count()
    for (let p = 0; p < np; p++) {
      const pErr = r.i16()
      const partition = r.i32()
      const leader = r.i32()
      for (let k = 0; k < 2; k++) {
        const m = r.count() // replica_nodes, isr_nodes
        r.need(4 * m)
        r.o += 4 * m
      }
      partitions.push({ partition, leader, errorCode: pErr })
    }
    topics.push({ name, errorCode, partitions })
  }
  return { brokers, topics }
}

// ---- PLAIN (RFC 4616) and OAUTHBEARER (RFC 7628) ---------------------------------------------------------

export const plainInitial = (username: string, password: string): Buffer =>
  Buffer.from(`\u0000${username}\u0000${password}`, 'utf8')

/** The OAUTHBEARER client first message (GS2 header without authzid, auth=Bearer, optional SASL extensions). */
export function oauthInitial(token: string, extensions: Record<string, string> = {}): Buffer {
  if (!/^[\x21-\x7e]+$/.test(token)) throw new Error('the OAuth token has characters a bearer token cannot have')
  const ext = Object.entries(extensions)
    .map(([k, v]) => `${k}=${v}\u0001`)
    .join('')
  return Buffer.from(`n,,\u0001auth=Bearer ${token}\u0001${ext}\u0001`, 'utf8')
}

// ---- SCRAM (RFC 5802, RFC 7677) --------------------------------------------------------------------------

export type ScramHash = 'sha1' | 'sha256' | 'sha512'
export const scramHashOf = (m: SaslMechanism): ScramHash | null =>
  m === 'SCRAM-SHA-256' ? 'sha256' : m === 'SCRAM-SHA-512' ? 'sha512' : null

const HASH_LEN: Record<ScramHash, number> = { sha1: 20, sha256: 32, sha512: 64 }

/** saslname: ',' and '=' escaped (RFC 5802 §5.1). Names are NFKC-normalised (SASLprep's common case). */
export const saslName = (s: string): string => s.normalize('NFKC').replace(/=/g, '=3D').replace(/,/g, '=2C')

export const newNonce = (): string => randomBytes(24).toString('base64').replace(/[+/=]/g, 'x')

export interface ScramFirst {
  message: string
  bare: string
  nonce: string
}

export function scramClientFirst(username: string, nonce: string = newNonce()): ScramFirst {
  const bare = `n=${saslName(username)},r=${nonce}`
  return { message: `n,,${bare}`, bare, nonce }
}

/** Attributes of a SCRAM message ("a=value,b=value"); values may contain '='. */
export function scramAttributes(msg: string): Map<string, string> {
  const out = new Map<string, string>()
  for (const part of msg.split(',')) {
    const i = part.indexOf('=')
    if (i !== 1) throw new ScramError(`malformed SCRAM attribute '${part.slice(0, 20)}'`)
    out.set(part.slice(0, 1), part.slice(2))
  }
  return out
}

export class ScramError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ScramError'
  }
}

export interface ScramFinal {
  message: string
  /** base64 ServerSignature the server-final must carry. */
  serverSignature: string
}

/** client-final-message for the server-first-message (RFC 5802 §3), and the signature to expect back. */
export function scramClientFinal(
  hash: ScramHash,
  password: string,
  first: ScramFirst,
  serverFirst: string,
): ScramFinal {
  const a = scramAttributes(serverFirst)
  if (a.has('e')) throw new ScramError(`the broker refused: ${a.get('e') ?? ''}`)
  const nonce = a.get('r')
  const salt = a.get('s')
  const iterations = Number(a.get('i'))
  if (!nonce || !salt || !Number.isInteger(iterations) || iterations < 1)
    throw new ScramError('server-first-message lacks r, s or i')
  if (!nonce.startsWith(first.nonce) || nonce.length <= first.nonce.length)
    throw new ScramError('server nonce does not extend the client nonce')
  if (iterations > 1_000_000) throw new ScramError(`iteration count ${iterations} is unreasonable`)
  const salted = pbkdf2Sync(password.normalize('NFKC'), Buffer.from(salt, 'base64'), iterations, HASH_LEN[hash], hash)
  const clientKey = createHmac(hash, salted).update('Client Key').digest()
  const storedKey = createHash(hash).update(clientKey).digest()
  const withoutProof = `c=biws,r=${nonce}`
  const authMessage = `${first.bare},${serverFirst},${withoutProof}`
  const clientSignature = createHmac(hash, storedKey).update(authMessage).digest()
  const proof = Buffer.alloc(clientKey.length)
  for (let i = 0; i < proof.length; i++) proof[i] = (clientKey[i] as number) ^ (clientSignature[i] as number)
  const serverKey = createHmac(hash, salted).update('Server Key').digest()
  const serverSignature = createHmac(hash, serverKey).update(authMessage).digest('base64')
  return { message: `${withoutProof},p=${proof.toString('base64')}`, serverSignature }
}

/** Checks the server-final-message: an error from the server, or a signature that is not the expected one. */
export function scramVerifyServerFinal(final: ScramFinal, serverFinal: string): void {
  const a = scramAttributes(serverFinal)
  const e = a.get('e')
  if (e !== undefined) throw new ScramError(`the broker refused the SCRAM proof: ${e}`)
  const v = a.get('v')
  if (v === undefined) throw new ScramError('server-final-message has no verifier')
  const got = Buffer.from(v, 'base64')
  const want = Buffer.from(final.serverSignature, 'base64')
  if (got.length !== want.length || !timingSafeEqual(got, want))
    throw new ScramError('the broker could not prove it knows the SCRAM credentials (server signature mismatch)')
}

// ---- one SASL conversation over SaslAuthenticate ---------------------------------------------------------

/** One SaslAuthenticate round trip: client bytes out, the broker's response back. */
export type SaslExchange = (bytes: Buffer) => Promise<SaslAuthenticateResponse>

export interface SaslCredentials {
  mechanism: SaslMechanism
  username?: string
  password?: string
  /** OAUTHBEARER: the current token (the caller refreshes it). */
  token?: string
}

/** A SASL failure with the broker's error code (0 when the client refused, e.g. a bad server signature). */
export class SaslError extends Error {
  constructor(
    readonly errorCode: number,
    message: string,
  ) {
    super(message)
    this.name = 'SaslError'
  }
}

const failed = (mech: string, r: SaslAuthenticateResponse): SaslError =>
  new SaslError(
    r.errorCode,
    `${mech} authentication failed: broker error ${r.errorCode === 58 ? 'SASL_AUTHENTICATION_FAILED' : r.errorCode === 34 ? 'ILLEGAL_SASL_STATE' : `KAFKA_ERROR_${r.errorCode}`} (${r.errorCode})${r.errorMessage ? `: ${r.errorMessage}` : ''}`,
  )

/**
 * Runs the mechanism's conversation after a successful SaslHandshake; resolves with the session lifetime the
 * broker announced (ms, 0 = none).
 */
export async function saslConversation(
  creds: SaslCredentials,
  exchange: SaslExchange,
  nonce?: string,
): Promise<number> {
  const mech = creds.mechanism
  if (mech === 'PLAIN') {
    const r = await exchange(plainInitial(creds.username ?? '', creds.password ?? ''))
    if (r.errorCode !== 0) throw failed(mech, r)
    return r.sessionLifetimeMs
  }
  if (mech === 'OAUTHBEARER') {
    if (!creds.token) throw new SaslError(0, 'OAUTHBEARER: no token')
    const r = await exchange(oauthInitial(creds.token))
    if (r.errorCode !== 0) throw failed(mech, r)
    if (r.authBytes.length > 0) {
      // RFC 7628 §3.2.2: the server sent an error challenge; acknowledge it and take the failure.
      const detail = r.authBytes.toString('utf8')
      const r2 = await exchange(Buffer.from([1]))
      throw new SaslError(r2.errorCode || 58, `OAUTHBEARER token refused by the broker: ${detail}${r2.errorMessage ? ` (${r2.errorMessage})` : ''}`)
    }
    return r.sessionLifetimeMs
  }
  const hash = scramHashOf(mech)
  if (!hash) throw new SaslError(0, `unsupported SASL mechanism ${String(mech)}`)
  const first = scramClientFirst(creds.username ?? '', nonce)
  const r1 = await exchange(Buffer.from(first.message, 'utf8'))
  if (r1.errorCode !== 0) throw failed(mech, r1)
  let final: ScramFinal
  try {
    final = scramClientFinal(hash, creds.password ?? '', first, r1.authBytes.toString('utf8'))
  } catch (e) {
    throw new SaslError(0, `${mech}: ${(e as Error).message}`)
  }
  const r2 = await exchange(Buffer.from(final.message, 'utf8'))
  if (r2.errorCode !== 0) throw failed(mech, r2)
  try {
    scramVerifyServerFinal(final, r2.authBytes.toString('utf8'))
  } catch (e) {
    throw new SaslError(0, `${mech}: ${(e as Error).message}`)
  }
  return r2.sessionLifetimeMs
}
