// Kafka connection security shared by every client the app runs (the producer codec, kafkajs' admin client
// and signals consumer): the serialisable settings that cross into the ingest worker, what they become for
// Node's `tls` and for kafkajs, and the connection failures in words (which step failed and why).
//
// Secrets (SASL password, client key, OAuth client secret or static token) are resolved from the OS keychain
// in the main process and travel only inside this config, to the worker; nothing here logs them.
import { readFileSync } from 'node:fs'
import { isIP } from 'node:net'
import type { ConnectionOptions } from 'node:tls'
import { z } from 'zod'
import { SASL_MECHANISMS, type SaslMechanism } from './sasl'

export type SecurityProtocol = 'PLAINTEXT' | 'SSL' | 'SASL_PLAINTEXT' | 'SASL_SSL'
export const SECURITY_PROTOCOLS: readonly SecurityProtocol[] = [
  'PLAINTEXT',
  'SSL',
  'SASL_PLAINTEXT',
  'SASL_SSL',
]

export interface OAuthTokenConfig {
  /** A command whose stdout is the token (a JWT, or JSON with access_token and expires_in). */
  command?: string | null
  /** A token endpoint (OAuth 2 client credentials, POST), answering JSON with access_token and expires_in. */
  url?: string | null
  clientId?: string | null
  /** Secret: from the keychain. */
  clientSecret?: string | null
  scope?: string | null
}

export interface KafkaSecurityConfig {
  protocol: SecurityProtocol
  /** PEM file with the CA(s) to trust; null = the system store. */
  caFile?: string | null
  /** Client certificate (PEM file) for mTLS. */
  certFile?: string | null
  /** Client private key (PEM text). Secret: from the keychain. */
  keyPem?: string | null
  /** TLS server name to send and verify; default the broker host (never an IP, which SNI forbids). */
  servername?: string | null
  /** Testing only: no server verification. Shown in red in the status bar; never implied by anything else. */
  insecure?: boolean
  mechanism?: SaslMechanism | null
  username?: string | null
  /** Secret: from the keychain. */
  password?: string | null
  oauth?: OAuthTokenConfig | null
}

export const PLAINTEXT: KafkaSecurityConfig = { protocol: 'PLAINTEXT' }

const text = (max: number): z.ZodType<string | null | undefined> => z.string().max(max).nullish()

export const oauthTokenConfigSchema = z.object({
  command: text(4000),
  url: z.string().url().max(2000).nullish(),
  clientId: text(500),
  clientSecret: text(4000),
  scope: text(1000),
})

export const kafkaSecurityConfigSchema = z
  .object({
    protocol: z.enum(SECURITY_PROTOCOLS as [SecurityProtocol, ...SecurityProtocol[]]),
    caFile: text(4096),
    certFile: text(4096),
    keyPem: text(64 * 1024),
    servername: text(255),
    insecure: z.boolean().optional(),
    mechanism: z.enum(SASL_MECHANISMS as [SaslMechanism, ...SaslMechanism[]]).nullish(),
    username: text(500),
    password: text(4000),
    oauth: oauthTokenConfigSchema.nullish(),
  })
  .refine((s) => !usesSasl(s.protocol) || !!s.mechanism, { message: 'SASL needs a mechanism' })

export const usesTls = (p: SecurityProtocol): boolean => p === 'SSL' || p === 'SASL_SSL'
export const usesSasl = (p: SecurityProtocol): boolean => p === 'SASL_PLAINTEXT' || p === 'SASL_SSL'

/** What is wrong with a security config before anything connects (empty = fine). Pure. */
export function securityProblems(s: KafkaSecurityConfig): string[] {
  const out: string[] = []
  if (usesSasl(s.protocol)) {
    if (!s.mechanism) out.push('SASL needs a mechanism')
    else if (s.mechanism === 'OAUTHBEARER') {
      if (!s.oauth?.command && !s.oauth?.url) out.push('OAUTHBEARER needs a token command or a token URL')
    } else {
      if (!s.username) out.push(`${s.mechanism} needs a username`)
      if (!s.password) out.push(`${s.mechanism} needs a password (none is stored)`)
    }
  }
  if (usesTls(s.protocol) && !!s.certFile !== !!s.keyPem)
    out.push('a client certificate needs its key, and a key its certificate')
  return out
}

/** Node `tls.connect` options for a broker host (files read now: a replaced CA file counts at reconnect). */
export function tlsOptions(s: KafkaSecurityConfig, host: string): ConnectionOptions | null {
  if (!usesTls(s.protocol)) return null
  const o: ConnectionOptions = { rejectUnauthorized: s.insecure !== true }
  const name = s.servername || host
  if (isIP(name) === 0) o.servername = name
  if (s.caFile) o.ca = readFileSync(s.caFile, 'utf8')
  if (s.certFile) o.cert = readFileSync(s.certFile, 'utf8')
  if (s.keyPem) o.key = s.keyPem
  if (s.insecure === true) o.checkServerIdentity = () => undefined
  return o
}

// ---- failures in words -------------------------------------------------------------------------------------

export type ConnectStep = 'config' | 'dns' | 'tcp' | 'tls' | 'protocol' | 'sasl' | 'authorization' | 'broker'

export const STEP_LABEL: Record<ConnectStep, string> = {
  config: 'Settings',
  dns: 'DNS',
  tcp: 'TCP',
  tls: 'TLS handshake',
  protocol: 'Kafka protocol',
  sasl: 'SASL authentication',
  authorization: 'Topic authorisation',
  broker: 'Broker',
}

/** A connection failure at a known step, in words the status bar and "Test connection" show as they are. */
export class KafkaConnectError extends Error {
  constructor(
    readonly step: ConnectStep,
    message: string,
    /** The broker's error code (SASL, authorisation), when it sent one. */
    readonly brokerCode: number | null = null,
  ) {
    super(message)
    this.name = 'KafkaConnectError'
  }
}

const TLS_WHY: Record<string, string> = {
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'the broker certificate is not signed by a trusted CA',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'the broker certificate is not signed by a trusted CA',
  SELF_SIGNED_CERT_IN_CHAIN: 'the broker certificate chain ends in a CA that is not trusted',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'the broker certificate is self-signed and not trusted',
  CERT_HAS_EXPIRED: 'the broker certificate has expired',
  CERT_NOT_YET_VALID: 'the broker certificate is not valid yet',
  ERR_TLS_CERT_ALTNAME_INVALID: 'the broker certificate is for another host name',
  ERR_SSL_WRONG_VERSION_NUMBER: 'the listener does not speak TLS (is it a PLAINTEXT port?)',
  ECONNRESET:
    'the broker closed the connection during the handshake (is it a PLAINTEXT port, or does it require a client certificate?)',
}

/** The TLS handshake failure in words (Node's error code and message kept for the log). */
export function describeTlsError(e: NodeJS.ErrnoException, address: string): KafkaConnectError {
  const code = e.code ?? ''
  const why =
    TLS_WHY[code] ??
    (/wrong version number|packet length too long|unknown protocol/i.test(e.message)
      ? TLS_WHY.ERR_SSL_WRONG_VERSION_NUMBER
      : /alert.*(certificate required|handshake failure|bad certificate)/i.test(e.message)
        ? 'the broker refused the handshake (it may require a client certificate)'
        : 'the handshake failed')
  return new KafkaConnectError(
    'tls',
    `TLS handshake with ${address} failed: ${why} (${code || 'no code'}: ${e.message})`,
  )
}

/** DNS or TCP failure of a connect, in words. */
export function describeSocketError(e: NodeJS.ErrnoException, host: string, port: number): KafkaConnectError {
  const code = e.code ?? ''
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_FAIL' || code === 'EAI_NONAME')
    return new KafkaConnectError('dns', `DNS: cannot resolve ${host} (${code})`)
  const why: Record<string, string> = {
    ECONNREFUSED: 'connection refused (nothing listens on that port)',
    ETIMEDOUT: 'timed out',
    EHOSTUNREACH: 'host unreachable',
    ENETUNREACH: 'network unreachable',
    ECONNRESET: 'connection reset',
  }
  return new KafkaConnectError(
    'tcp',
    `TCP: cannot connect to ${host}:${port}: ${why[code] ?? e.message}${code ? ` (${code})` : ''}`,
  )
}

/**
 * The broker hung up before the first answer: the usual sign of a client/listener protocol mismatch, or (TLS
 * 1.3, where the server checks the client certificate after the client's handshake is done) a TLS alert.
 */
export function closedBeforeAnswer(
  s: KafkaSecurityConfig,
  address: string,
  cause?: string,
): KafkaConnectError {
  if (cause && /alert|certificate/i.test(cause))
    return new KafkaConnectError(
      'tls',
      `TLS: ${address} refused the connection after the handshake${s.certFile ? ': it does not accept the client certificate' : ': it may require a client certificate (mTLS)'} (${cause})`,
    )
  const hint = usesTls(s.protocol)
    ? usesSasl(s.protocol)
      ? 'check the SASL mechanism is enabled on this listener'
      : 'the listener may require SASL (security protocol SASL_SSL)'
    : usesSasl(s.protocol)
      ? 'the listener may require TLS (security protocol SASL_SSL)'
      : 'the listener may require TLS and/or SASL (security protocol SSL, SASL_PLAINTEXT or SASL_SSL)'
  return new KafkaConnectError(
    'protocol',
    `${address} closed the connection without answering (security protocol ${s.protocol}): ${hint}`,
  )
}

const AUTH_CODES: Record<number, string> = {
  29: 'TOPIC_AUTHORIZATION_FAILED',
  31: 'CLUSTER_AUTHORIZATION_FAILED',
  53: 'TRANSACTIONAL_ID_AUTHORIZATION_FAILED',
}

/** The step a failure belongs to, for the status (kafkajs errors carry a `type`; ours a step). Pure. */
export function classifyKafkaError(e: unknown): { step: ConnectStep; message: string } {
  if (e instanceof KafkaConnectError) return { step: e.step, message: e.message }
  const err = e as { type?: unknown; message?: unknown; code?: unknown; name?: unknown } | null
  const message = typeof err?.message === 'string' ? err.message : String(e)
  const type = typeof err?.type === 'string' ? err.type : ''
  const code = typeof err?.code === 'number' ? err.code : null
  if (code !== null && AUTH_CODES[code]) return { step: 'authorization', message }
  if (/AUTHORIZATION_FAILED/.test(type) || /authori[sz]ation failed|not authori[sz]ed/i.test(message))
    return { step: 'authorization', message }
  if (/SASL|authentication/i.test(type + ' ' + message)) return { step: 'sasl', message }
  if (/certificate|TLS|SSL/i.test(message)) return { step: 'tls', message }
  if (/ENOTFOUND|EAI_AGAIN/.test(message)) return { step: 'dns', message }
  if (/ECONNREFUSED|ETIMEDOUT|EHOSTUNREACH|timed out/.test(message)) return { step: 'tcp', message }
  return { step: 'broker', message }
}

// ---- kafkajs -----------------------------------------------------------------------------------------------

export interface KafkajsSecurity {
  ssl?: boolean | ConnectionOptions
  sasl?:
    | { mechanism: 'plain'; username: string; password: string }
    | { mechanism: 'scram-sha-256'; username: string; password: string }
    | { mechanism: 'scram-sha-512'; username: string; password: string }
    | { mechanism: 'oauthbearer'; oauthBearerProvider: () => Promise<{ value: string }> }
}

/** The same settings for kafkajs (admin client, signals consumer). */
export function kafkajsSecurity(
  s: KafkaSecurityConfig,
  token: (() => Promise<string>) | null,
  firstHost = '',
): KafkajsSecurity {
  const out: KafkajsSecurity = {}
  if (usesTls(s.protocol)) {
    const o = tlsOptions(s, firstHost) as ConnectionOptions
    // kafkajs connects to every broker with these options; a host-derived servername must not stick.
    if (!s.servername) delete o.servername
    out.ssl = o
  }
  if (usesSasl(s.protocol) && s.mechanism) {
    if (s.mechanism === 'OAUTHBEARER') {
      const get = token ?? (() => Promise.reject(new Error('OAUTHBEARER: no token source')))
      out.sasl = { mechanism: 'oauthbearer', oauthBearerProvider: async () => ({ value: await get() }) }
    } else {
      const creds = { username: s.username ?? '', password: s.password ?? '' }
      out.sasl =
        s.mechanism === 'PLAIN'
          ? { mechanism: 'plain', ...creds }
          : s.mechanism === 'SCRAM-SHA-256'
            ? { mechanism: 'scram-sha-256', ...creds }
            : { mechanism: 'scram-sha-512', ...creds }
    }
  }
  return out
}
