// The only file that talks to the broker for producing. The publisher core sees a tiny Transport interface, so
// its state machine (batching, spooling, replay, status) is unit-tested with a scripted transport and exercised
// end to end against the real broker in tests/integration.
//
// Producing goes over our own connections with the lean codec in wire.ts (idempotent producer id, Produce v7,
// acks=-1); kafkajs' admin client still creates topics and reads metadata (partition leaders, broker addresses)
// behind the small ClusterAdmin interface.
// Semantics the publisher relies on:
// - send() resolves only when every partition batch of the call was acknowledged by its leader (error 0, or
//   DUPLICATE_SEQUENCE_NUMBER = already written); a missing partition in a response is an error too.
// - sends may overlap (the publisher keeps several batches in flight): sequence numbers are assigned and
//   requests written in call order, so the broker sees them in order on each connection. A partition's first
//   batch of a session is its only one in flight until acknowledged (a broker takes any sequence as a
//   producer's first, so a later batch could otherwise overtake a refused first one).
// - a retriable partition error (leader moving, partition not ready yet) is resent byte for byte (same
//   producer id and sequence: the broker never writes it twice), up to 3 times.
// - a send succeeds only if every earlier send of the session did; any failure breaks the session: every
//   later send() of it fails, and the publisher calls disconnect() and connect() again, which takes a fresh
//   producer id (no sequence bookkeeping survives an error).
import { lookup } from 'node:dns/promises'
import { connect as netConnect, isIP, type Socket } from 'node:net'
import { connect as tlsConnect } from 'node:tls'
import { gzip } from 'node:zlib'
import kafkajs from 'kafkajs'
import type { LogEntry } from 'kafkajs'
import type { EncodedRecord } from './records'
import {
  API_METADATA,
  API_SASL_AUTHENTICATE,
  API_SASL_HANDSHAKE,
  METADATA_VERSION,
  SASL_AUTHENTICATE_VERSION,
  SASL_HANDSHAKE_VERSION,
  SaslError,
  decodeMetadataResponse,
  decodeSaslAuthenticateResponse,
  decodeSaslHandshakeResponse,
  metadataBody,
  saslAuthenticateBody,
  saslConversation,
  saslHandshakeBody,
  type MetadataResponse,
  type SaslCredentials,
} from './sasl'
import { createTokenSource, type TokenSource } from './oauth'
import {
  KafkaConnectError,
  PLAINTEXT,
  closedBeforeAnswer,
  describeSocketError,
  describeTlsError,
  kafkajsSecurity,
  securityProblems,
  tlsOptions,
  usesSasl,
  type KafkaSecurityConfig,
} from './security'
import {
  API_INIT_PRODUCER_ID,
  API_PRODUCE,
  CODEC_GZIP,
  CODEC_NONE,
  INIT_PRODUCER_ID_VERSION,
  PRODUCE_VERSION,
  decodeInitProducerIdResponse,
  decodeProduceResponse,
  encodeBatch,
  encodeRecords,
  errorName,
  frameRequest,
  initProducerIdBody,
  isRetriable,
  nextSequence,
  partitionFor,
  produceBody,
  type ProduceTopicData,
  type WireRecord,
} from './wire'

const { Kafka, logLevel: LogLevel } = kafkajs

export type Compression = 'none' | 'gzip'

export interface Transport {
  /** Connect (or reconnect) and take a producer id; throws when the broker cannot be reached. */
  connect(): Promise<void>
  /** Create topics that do not exist yet (idempotent). */
  ensureTopics(topics: readonly string[], partitions: number): Promise<void>
  /**
   * Produce the records (per key in order) with acks=-1; resolves once the broker acknowledged every record.
   * Calls may overlap; they reach the broker in call order.
   */
  send(records: readonly EncodedRecord[]): Promise<void>
  /** Drop the connection (after a failure the publisher starts over with a fresh producer id). */
  disconnect(): Promise<void>
  /** For good (stops background token refresh); optional for scripted transports. */
  close?(): void
}

export interface KafkaTransportOptions {
  brokers: string[]
  clientId?: string
  compression?: Compression
  /** zlib level for gzip (1 = fastest … 9). Default 1. */
  gzipLevel?: number
  /** Broker-side wait for acks=-1, ms; the client gives a request this plus 5 s. */
  requestTimeoutMs?: number
  connectionTimeoutMs?: number
  log?: (level: 'debug' | 'info' | 'warn' | 'error', message: string) => void
  /** Topic creation and metadata; default: kafkajs' admin client on `brokers`. (Tests script a cluster.) */
  admin?: () => ClusterAdmin
  /** TLS and SASL for every connection (ours and the admin client's); default PLAINTEXT. */
  security?: KafkaSecurityConfig
  /** OAUTHBEARER tokens; default: from `security.oauth`. */
  tokens?: TokenSource
}

/** What the transport needs from an admin client. */
export interface ClusterAdmin {
  connect(): Promise<void>
  brokers(): Promise<{ nodeId: number; host: string; port: number }[]>
  /** Leader node id per partition id. */
  partitions(topic: string): Promise<{ partitionId: number; leader: number }[]>
  ensureTopics(topics: readonly string[], partitions: number): Promise<void>
  disconnect(): Promise<void>
}

/** A produce or init-producer-id error code from the broker. */
export class KafkaBrokerError extends Error {
  constructor(
    readonly code: number,
    readonly retriable: boolean,
    where: string,
  ) {
    super(`${errorName(code)} (${code}) ${where}`)
    this.name = 'KafkaBrokerError'
  }
}

const LEVEL: Record<number, 'debug' | 'info' | 'warn' | 'error'> = {
  [LogLevel.ERROR]: 'error',
  [LogLevel.WARN]: 'warn',
  [LogLevel.INFO]: 'info',
  [LogLevel.DEBUG]: 'debug',
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

/** Resends of a batch that got a retriable error (100, 200, 400 ms apart). */
const SEND_RETRIES = 3

// ---- one TCP connection to one broker --------------------------------------------------------------------

interface Pending {
  id: number
  resolve: (body: Buffer) => void
  reject: (e: Error) => void
  timer: NodeJS.Timeout
}

/** TLS and SASL for one connection (see security.ts); absent = PLAINTEXT. */
export interface ConnectionSecurity {
  config: KafkaSecurityConfig
  /** SASL credentials, asked for at every (re-)authentication (OAUTHBEARER tokens are refreshed). */
  credentials: (() => Promise<SaslCredentials>) | null
  /** Re-authenticate at this fraction of the session lifetime the broker announces (KIP-368). Default 0.85. */
  reauthFactor?: number
  /** Timer for re-authentication (tests drive it). */
  setTimeout?: (fn: () => void, ms: number) => unknown
  clearTimeout?: (h: unknown) => void
}

/** The byte stream under a connection: a TCP or TLS socket (tests use a scripted one). */
export type ConnectionSocket = Pick<Socket, 'on' | 'write' | 'cork' | 'uncork' | 'destroy'>

/** Request/response over one socket: responses come back in request order (Kafka guarantees it). */
export class BrokerConnection {
  private readonly pending: Pending[] = []
  private acc: Buffer = Buffer.alloc(0)
  private nextId = 1
  private dead: Error | null = null
  /** Responses received so far (0 when the broker hung up: the sign of a protocol mismatch). */
  answered = 0
  /** Requests made while re-authenticating, written in order once it is done. */
  private held: (() => void)[] | null = null
  private drainWaiters: (() => void)[] = []
  private reauthTimer: unknown = null
  /** Sessions authenticated on this connection (1 after open, +1 per KIP-368 re-authentication). */
  authentications = 0

  constructor(
    private readonly socket: ConnectionSocket,
    private readonly clientId: string,
    readonly address: string,
    private readonly security: ConnectionSecurity | null = null,
  ) {
    socket.on('data', (chunk: Buffer) => this.onData(chunk))
    socket.on('error', (e: Error) => this.fail(new Error(`connection to ${address}: ${e.message}`)))
    socket.on('close', () => this.fail(new Error(`connection to ${address} closed`)))
  }

  /**
   * DNS, TCP, then TLS and SASL as `security` says; each failure is a KafkaConnectError naming its step.
   */
  static async open(
    host: string,
    port: number,
    clientId: string,
    timeoutMs: number,
    security: ConnectionSecurity | null = null,
  ): Promise<BrokerConnection> {
    const address = `${host}:${port}`
    const sec = security?.config ?? PLAINTEXT
    const problems = securityProblems(sec)
    if (problems.length > 0)
      throw new KafkaConnectError('config', `Kafka security settings: ${problems.join('; ')}`)
    let ip = host
    if (isIP(host) === 0) {
      try {
        ip = (await lookup(host)).address
      } catch (e) {
        throw describeSocketError(e as NodeJS.ErrnoException, host, port)
      }
    }
    const tcp = await new Promise<Socket>((resolve, reject) => {
      const socket = netConnect({ host: ip, port })
      socket.setNoDelay(true)
      const timer = setTimeout(() => {
        socket.destroy()
        reject(new KafkaConnectError('tcp', `TCP: connection to ${address} timed out after ${timeoutMs} ms`))
      }, timeoutMs)
      const onError = (e: NodeJS.ErrnoException): void => {
        clearTimeout(timer)
        socket.destroy()
        reject(describeSocketError(e, host, port))
      }
      socket.once('error', onError)
      socket.once('connect', () => {
        clearTimeout(timer)
        socket.off('error', onError)
        resolve(socket)
      })
    })
    let socket: Socket = tcp
    let tlsOpts: ReturnType<typeof tlsOptions>
    try {
      tlsOpts = tlsOptions(sec, host)
    } catch (e) {
      tcp.destroy()
      throw new KafkaConnectError('config', `TLS settings: ${(e as Error).message}`)
    }
    if (tlsOpts) {
      socket = await new Promise<Socket>((resolve, reject) => {
        const t = tlsConnect({ ...tlsOpts, host, socket: tcp })
        const timer = setTimeout(() => {
          t.destroy()
          reject(
            new KafkaConnectError('tls', `TLS handshake with ${address} timed out after ${timeoutMs} ms`),
          )
        }, timeoutMs)
        const onError = (e: NodeJS.ErrnoException): void => {
          clearTimeout(timer)
          t.destroy()
          reject(describeTlsError(e, address))
        }
        t.once('error', onError)
        t.once('secureConnect', () => {
          clearTimeout(timer)
          t.off('error', onError)
          t.setNoDelay(true)
          resolve(t)
        })
      })
    }
    return BrokerConnection.over(socket, clientId, address, security, timeoutMs + 5000)
  }

  /** A connection over an open (TCP or TLS) socket: authenticates first when the security says SASL. */
  static async over(
    socket: ConnectionSocket,
    clientId: string,
    address: string,
    security: ConnectionSecurity | null,
    timeoutMs: number,
  ): Promise<BrokerConnection> {
    const c = new BrokerConnection(socket, clientId, address, security)
    if (security && usesSasl(security.config.protocol)) {
      try {
        c.scheduleReauth(await c.authenticate(timeoutMs))
      } catch (e) {
        c.close()
        throw e
      }
    }
    return c
  }

  get alive(): boolean {
    return this.dead === null
  }

  /**
   * SaslHandshake + the mechanism's SaslAuthenticate round trips (at open and for KIP-368 re-authentication);
   * resolves with the session lifetime the broker announced (0 = none).
   */
  private async authenticate(timeoutMs: number): Promise<number> {
    const sec = this.security
    const getCreds = sec?.credentials
    if (!sec || !getCreds) throw new KafkaConnectError('config', 'SASL is on but no credentials are set')
    let creds: SaslCredentials
    try {
      creds = await getCreds()
    } catch (e) {
      throw new KafkaConnectError(
        'sasl',
        `SASL ${sec.config.mechanism ?? ''}: no credentials: ${(e as Error).message}`,
      )
    }
    try {
      const hs = decodeSaslHandshakeResponse(
        await this.write(
          API_SASL_HANDSHAKE,
          SASL_HANDSHAKE_VERSION,
          saslHandshakeBody(creds.mechanism),
          timeoutMs,
        ),
      )
      if (hs.errorCode !== 0)
        throw new KafkaConnectError(
          'sasl',
          `SASL: ${this.address} does not offer ${creds.mechanism} on this listener (it offers ${hs.mechanisms.join(', ') || 'none'}; broker error UNSUPPORTED_SASL_MECHANISM (${hs.errorCode}))`,
          hs.errorCode,
        )
      const lifetime = await saslConversation(creds, async (bytes) =>
        decodeSaslAuthenticateResponse(
          await this.write(
            API_SASL_AUTHENTICATE,
            SASL_AUTHENTICATE_VERSION,
            saslAuthenticateBody(bytes),
            timeoutMs,
          ),
        ),
      )
      this.authentications++
      return lifetime
    } catch (e) {
      if (e instanceof KafkaConnectError) throw e
      if (e instanceof SaslError) {
        const hint =
          e.errorCode === 58
            ? creds.mechanism === 'OAUTHBEARER'
              ? ': the token was refused (expired or not valid for this cluster)'
              : ': check the username and password'
            : ''
        throw new KafkaConnectError('sasl', `SASL: ${e.message}${hint}`, e.errorCode || null)
      }
      if (this.answered === 0) throw closedBeforeAnswer(sec.config, this.address, (e as Error).message)
      throw new KafkaConnectError('sasl', `SASL with ${this.address}: ${(e as Error).message}`)
    }
  }

  /** KIP-368: before the session lifetime runs out, pause new requests, let in-flight ones finish, re-authenticate. */
  private scheduleReauth(lifetimeMs: number): void {
    const sec = this.security
    if (!sec || lifetimeMs <= 0 || this.dead) return
    const setT = sec.setTimeout ?? ((fn: () => void, ms: number) => setTimeout(fn, ms).unref())
    const delay = Math.max(0, Math.floor(lifetimeMs * (sec.reauthFactor ?? 0.85)))
    this.reauthTimer = setT(() => {
      this.reauthTimer = null
      void this.reauthenticate()
    }, delay)
  }

  private async reauthenticate(): Promise<void> {
    if (this.dead) return
    this.held = []
    try {
      while (this.pending.length > 0 && !this.dead) await new Promise<void>((r) => this.drainWaiters.push(r))
      if (this.dead) return
      this.scheduleReauth(await this.authenticate(15_000))
    } catch (e) {
      this.fail(
        e instanceof KafkaConnectError
          ? new KafkaConnectError(e.step, `re-authentication: ${e.message}`, e.brokerCode)
          : new Error(`re-authentication with ${this.address} failed: ${(e as Error).message}`),
      )
    } finally {
      const held = this.held ?? []
      this.held = null
      for (const f of held) f()
    }
  }

  /** Send one request; resolves with the response body after the correlation id. */
  request(apiKey: number, version: number, body: readonly Buffer[], timeoutMs: number): Promise<Buffer> {
    if (this.dead) return Promise.reject(this.dead)
    const held = this.held
    if (held) {
      return new Promise<Buffer>((resolve, reject) =>
        held.push(() => {
          this.write(apiKey, version, body, timeoutMs).then(resolve, reject)
        }),
      )
    }
    return this.write(apiKey, version, body, timeoutMs)
  }

  private write(
    apiKey: number,
    version: number,
    body: readonly Buffer[],
    timeoutMs: number,
  ): Promise<Buffer> {
    if (this.dead) return Promise.reject(this.dead)
    const id = this.nextId
    this.nextId = this.nextId >= 0x7fffffff ? 1 : this.nextId + 1
    const parts = frameRequest(apiKey, version, id, this.clientId, body)
    return new Promise<Buffer>((resolve, reject) => {
      const timer = setTimeout(
        () => this.fail(new Error(`request to ${this.address} timed out after ${timeoutMs} ms`)),
        timeoutMs,
      )
      this.pending.push({ id, resolve, reject, timer })
      this.socket.cork()
      for (const p of parts) this.socket.write(p)
      this.socket.uncork()
    })
  }

  close(): void {
    this.fail(new Error(`connection to ${this.address} closed by the client`))
  }

  private onData(chunk: Buffer): void {
    this.acc = this.acc.length === 0 ? chunk : Buffer.concat([this.acc, chunk])
    while (this.acc.length >= 4) {
      const size = this.acc.readInt32BE(0)
      if (size < 4 || size > 64 * 1024 * 1024)
        return this.fail(new Error(`bad response size ${size} from ${this.address}`))
      if (this.acc.length < 4 + size) return
      const frame = this.acc.subarray(4, 4 + size)
      this.acc = this.acc.subarray(4 + size)
      const id = frame.readInt32BE(0)
      const head = this.pending[0]
      if (!head || head.id !== id)
        return this.fail(new Error(`unexpected correlation id ${id} from ${this.address}`))
      this.pending.shift()
      clearTimeout(head.timer)
      this.answered++
      head.resolve(frame.subarray(4))
      if (this.pending.length === 0) for (const w of this.drainWaiters.splice(0)) w()
    }
  }

  private fail(e: Error): void {
    if (this.dead) return
    this.dead = e
    this.socket.destroy()
    if (this.reauthTimer !== null)
      (this.security?.clearTimeout ?? ((h: unknown) => clearTimeout(h as NodeJS.Timeout)))(this.reauthTimer)
    this.reauthTimer = null
    for (const p of this.pending.splice(0)) {
      clearTimeout(p.timer)
      p.reject(e)
    }
    for (const w of this.drainWaiters.splice(0)) w()
  }
}

/** Metadata v4 over a connection; a hang-up before any answer means the client's protocol does not fit. */
export async function fetchMetadata(
  c: BrokerConnection,
  topics: readonly string[] | null,
  security: KafkaSecurityConfig,
  timeoutMs: number,
): Promise<MetadataResponse> {
  try {
    return decodeMetadataResponse(
      await c.request(API_METADATA, METADATA_VERSION, metadataBody(topics), timeoutMs),
    )
  } catch (e) {
    if (c.answered === 0 && !(e instanceof KafkaConnectError))
      throw closedBeforeAnswer(security, c.address, (e as Error).message)
    throw e
  }
}

/** Splits `host:port` (IPv6 in brackets allowed). */
export function splitHostPort(b: string): { host: string; port: number } {
  const i = b.lastIndexOf(':')
  const host = b.slice(0, i).replace(/^\[(.*)\]$/, '$1')
  return { host, port: Number(b.slice(i + 1)) }
}

/** The per-connection security for a config: credentials from it (OAUTHBEARER from the token source). */
export function connectionSecurity(
  config: KafkaSecurityConfig,
  tokens: TokenSource | null,
  extra: Partial<ConnectionSecurity> = {},
): ConnectionSecurity {
  const mechanism = config.mechanism
  const credentials =
    usesSasl(config.protocol) && mechanism
      ? async (): Promise<SaslCredentials> =>
          mechanism === 'OAUTHBEARER'
            ? { mechanism, token: await (tokens ?? missingTokens).get() }
            : { mechanism, username: config.username ?? '', password: config.password ?? '' }
      : null
  return { config, credentials, ...extra }
}

const missingTokens: TokenSource = {
  get: () => Promise.reject(new Error('no token command or URL is set')),
  close: () => {},
}

// ---- the transport ---------------------------------------------------------------------------------------

interface TopicMeta {
  partitions: number
  /** Leader node id per partition. */
  leaders: number[]
  /** key → partition (keys are few: symbols, article ids). */
  byKey: Map<string, number>
}

interface Session {
  producerId: bigint
  producerEpoch: number
  /** Next sequence per `topic\0partition`. */
  seqs: Map<string, number>
  brokers: Map<number, { host: string; port: number }>
  conns: Map<number, Promise<BrokerConnection>>
  topics: Map<string, Promise<TopicMeta>>
  /** Serialises sequence assignment + request writes across overlapping send() calls. */
  writeChain: Promise<void>
  /** Settles when the latest send() of the session has; rejects if it, or any earlier one, failed. */
  outcome: Promise<void>
  /**
   * Partitions whose first batch of the session is not acknowledged yet → released when it is (or when the
   * session breaks). A broker takes any sequence as a producer's first on a partition, so a later batch must
   * not overtake a refused first one: until the first is in, it is the partition's only batch in flight.
   */
  firstPending: Map<string, { done: Promise<void>; release: () => void }>
  /** Orders resends among themselves (they do not wait for new writes, which may wait for them). */
  resendChain: Promise<void>
  broken: Error | null
}

/** Idempotent producer, acks=-1, gzip (level 1) by default. */
export function createKafkaTransport(opts: KafkaTransportOptions): Transport {
  const log = opts.log
  const clientId = opts.clientId ?? 'newstape-ingest'
  const brokerTimeout = opts.requestTimeoutMs ?? 10_000
  const requestTimeout = brokerTimeout + 5_000
  const connTimeout = opts.connectionTimeoutMs ?? 3000
  const codec = opts.compression === 'none' ? CODEC_NONE : CODEC_GZIP
  const gzipLevel = opts.gzipLevel ?? 1
  const security = opts.security ?? PLAINTEXT
  const ownTokens = !opts.tokens && security.mechanism === 'OAUTHBEARER' && usesSasl(security.protocol)
  const tokens =
    opts.tokens ?? (ownTokens && security.oauth ? createTokenSource(security.oauth, { log }) : null)
  const connSecurity = connectionSecurity(security, tokens)
  const kafka = new Kafka({
    clientId,
    brokers: opts.brokers,
    ...kafkajsSecurity(
      security,
      tokens ? () => tokens.get() : null,
      splitHostPort(opts.brokers[0] ?? '').host,
    ),
    // KIP-368: kafkajs re-authenticates when less than this is left of the session (its 10 s default would
    // re-authenticate before every request on a listener with a short session lifetime, which brokers refuse).
    reauthenticationThreshold: 1000,
    connectionTimeout: connTimeout,
    requestTimeout: brokerTimeout,
    // Short internal retries: the publisher does its own backoff and spools meanwhile.
    retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 1000 },
    logLevel: LogLevel.ERROR,
    logCreator:
      () =>
      ({ level, log: entry }: LogEntry) => {
        // kafkajs logs every failed connect at ERROR; the publisher reports those through its status instead.
        log?.(level === LogLevel.ERROR ? 'warn' : (LEVEL[level] ?? 'info'), `kafkajs: ${entry.message}`)
      },
  })
  const kafkaAdmin = (): ClusterAdmin => {
    const a = kafka.admin()
    return {
      connect: () => a.connect(),
      brokers: async () => (await a.describeCluster()).brokers,
      partitions: async (topic) =>
        (await a.fetchTopicMetadata({ topics: [topic] })).topics.find((t) => t.name === topic)?.partitions ??
        [],
      async ensureTopics(topics, partitions) {
        const existing = new Set(await a.listTopics())
        const missing = topics.filter((t) => !existing.has(t))
        if (missing.length > 0) {
          await a.createTopics({
            waitForLeaders: true,
            topics: missing.map((topic) => ({ topic, numPartitions: partitions })),
          })
        }
      },
      disconnect: () => a.disconnect(),
    }
  }
  const makeAdmin = opts.admin ?? kafkaAdmin
  let admin: ClusterAdmin | null = null
  let session: Session | null = null

  const getAdmin = async (): Promise<ClusterAdmin> => {
    if (admin) return admin
    const a = makeAdmin()
    await a.connect()
    admin = a
    return a
  }

  const conn = (s: Session, nodeId: number): Promise<BrokerConnection> => {
    const have = s.conns.get(nodeId)
    if (have) return have
    const b = s.brokers.get(nodeId)
    if (!b) return Promise.reject(new Error(`broker ${nodeId} is not in the cluster metadata`))
    const p = BrokerConnection.open(b.host, b.port, clientId, connTimeout, connSecurity)
    s.conns.set(nodeId, p)
    p.catch(() => {}) // observed by the caller
    return p
  }

  const topicMeta = (s: Session, topic: string): Promise<TopicMeta> => {
    const have = s.topics.get(topic)
    if (have) return have
    const p = (async (): Promise<TopicMeta> => {
      const a = await getAdmin()
      const partitions = await a.partitions(topic)
      if (partitions.length === 0) throw new Error(`no metadata for topic ${topic}`)
      const leaders: number[] = []
      for (const p of partitions) {
        if (p.leader < 0) throw new KafkaBrokerError(5, true, `for ${topic}/${p.partitionId}`)
        leaders[p.partitionId] = p.leader
      }
      if (leaders.length !== partitions.length || leaders.some((l) => l === undefined))
        throw new Error(`partition ids of ${topic} are not 0…${partitions.length - 1}`)
      return { partitions: leaders.length, leaders, byKey: new Map() }
    })()
    s.topics.set(topic, p)
    // A failed lookup is not cached (the session breaks anyway, but keep it clean).
    p.catch(() => s.topics.delete(topic))
    return p
  }

  const initProducerId = async (s: Session): Promise<void> => {
    const ids = [...s.brokers.keys()]
    for (let attempt = 0; ; attempt++) {
      const nodeId = ids[attempt % ids.length] as number
      const c = await conn(s, nodeId)
      const r = decodeInitProducerIdResponse(
        await c.request(API_INIT_PRODUCER_ID, INIT_PRODUCER_ID_VERSION, initProducerIdBody(), requestTimeout),
      )
      if (r.errorCode === 0) {
        s.producerId = r.producerId
        s.producerEpoch = r.producerEpoch
        return
      }
      // Right after a broker start the producer-id manager may still be loading.
      if (!isRetriable(r.errorCode) || attempt >= 8)
        throw new KafkaBrokerError(r.errorCode, false, 'on InitProducerId')
      await sleep(100 + attempt * 100)
    }
  }

  const closeSession = (s: Session, why: Error): void => {
    s.broken ??= why
    for (const g of s.firstPending.values()) g.release()
    s.firstPending.clear()
    for (const p of s.conns.values())
      p.then(
        (c) => c.close(),
        () => {},
      )
    s.conns.clear()
  }

  /** Encode one partition batch (gzip runs on the libuv pool, off the event loop). */
  const encodePartition = async (records: WireRecord[]): Promise<Buffer> => {
    const raw = encodeRecords(records)
    if (codec === CODEC_NONE) return raw
    return new Promise((resolve, reject) =>
      gzip(raw, { level: gzipLevel }, (e, out) => (e ? reject(e) : resolve(out))),
    )
  }

  const send = (records: readonly EncodedRecord[]): Promise<void> => {
    const s = session
    if (!s) return Promise.reject(new Error('not connected'))
    if (s.broken) return Promise.reject(s.broken)
    // A send succeeds only if every earlier send of the session did: order on the wire is call order, and
    // after a failure nothing later is reported as delivered (the publisher spools it all, in order).
    const earlier = s.outcome
    const mine = (async (): Promise<void> => {
      try {
        const own = await writeRequests(s, records)
        await Promise.all([checkResponses(s, own), earlier])
      } catch (e) {
        const err = e instanceof Error ? e : new Error(String(e))
        closeSession(s, err)
        throw err
      }
    })()
    s.outcome = mine
    return mine
  }

  interface PartBatch {
    tp: string
    topic: string
    partition: number
    /** Encoded with its producer id and sequence: a resend is byte-identical (the broker dedupes it). */
    batch: Buffer
  }
  interface Sent {
    nodeId: number
    batches: Map<string, PartBatch>
    response: Promise<Buffer>
  }

  /** Write one produce request per leader for `batches` (caller holds the write lock). */
  const writeProduce = (
    s: Session,
    conns: Map<number, BrokerConnection>,
    byLeader: Map<number, PartBatch[]>,
  ): Sent[] => {
    const sent: Sent[] = []
    for (const [leader, list] of byLeader) {
      const topics = new Map<string, ProduceTopicData>()
      const batches = new Map<string, PartBatch>()
      for (const b of list) {
        let t = topics.get(b.topic)
        if (!t) topics.set(b.topic, (t = { topic: b.topic, partitions: [] }))
        t.partitions.push({ partition: b.partition, batch: b.batch })
        batches.set(b.tp, b)
      }
      const c = conns.get(leader) as BrokerConnection
      const response = c.request(
        API_PRODUCE,
        PRODUCE_VERSION,
        produceBody(-1, brokerTimeout, [...topics.values()]),
        requestTimeout,
      )
      response.catch(() => {}) // observed in checkResponses
      sent.push({ nodeId: leader, batches, response })
    }
    return sent
  }

  /** Take the write lock: earlier holders have written their requests when it resolves. */
  const writeLock = (s: Session): { ready: Promise<void>; release: () => void } => {
    const ready = s.writeChain
    let release: () => void = () => {}
    s.writeChain = new Promise<void>((r) => (release = r))
    return { ready, release }
  }

  /** Encode and write the produce requests of one send() (in call order); returns what to expect back. */
  const writeRequests = async (s: Session, records: readonly EncodedRecord[]): Promise<Sent[]> => {
    // Group by topic, then partition, keeping each key's records in publish order.
    const byTopic = new Map<string, WireRecord[]>()
    for (const r of records) {
      let list = byTopic.get(r.topic)
      if (!list) byTopic.set(r.topic, (list = []))
      list.push(r)
    }
    const lock = writeLock(s)
    try {
      const metas = await Promise.all([...byTopic.keys()].map((t) => topicMeta(s, t)))
      const parts: { topic: string; partition: number; leader: number; records: WireRecord[] }[] = []
      let ti = 0
      for (const [topic, list] of byTopic) {
        const meta = metas[ti++] as TopicMeta
        const byPartition = new Map<number, WireRecord[]>()
        for (const r of list) {
          let p = meta.byKey.get(r.key)
          if (p === undefined) meta.byKey.set(r.key, (p = partitionFor(r.key, meta.partitions)))
          let l = byPartition.get(p)
          if (!l) byPartition.set(p, (l = []))
          l.push(r)
        }
        for (const [partition, recs] of byPartition)
          parts.push({ topic, partition, leader: meta.leaders[partition] as number, records: recs })
      }
      const sections = await Promise.all(parts.map((p) => encodePartition(p.records)))
      const conns = new Map<number, BrokerConnection>()
      for (const p of parts) if (!conns.has(p.leader)) conns.set(p.leader, await conn(s, p.leader))
      // Earlier calls have written their requests: take sequence numbers and write, in call order.
      await lock.ready
      if (s.broken) throw s.broken
      const gates: Promise<void>[] = []
      for (const p of parts) {
        const g = s.firstPending.get(`${p.topic}\0${p.partition}`)
        if (g) gates.push(g.done)
      }
      if (gates.length > 0) {
        await Promise.all(gates)
        if (s.broken) throw s.broken
      }
      const timestamp = Date.now()
      const byLeader = new Map<number, PartBatch[]>()
      parts.forEach((p, i) => {
        const tp = `${p.topic}\0${p.partition}`
        const seq = s.seqs.get(tp)
        if (seq === undefined) {
          let release: () => void = () => {}
          const done = new Promise<void>((r) => (release = r))
          s.firstPending.set(tp, { done, release })
        }
        s.seqs.set(tp, nextSequence(seq ?? 0, p.records.length))
        const batch = encodeBatch({
          count: p.records.length,
          section: sections[i] as Buffer,
          timestamp,
          producerId: s.producerId,
          producerEpoch: s.producerEpoch,
          baseSequence: seq ?? 0,
          codec,
        })
        let l = byLeader.get(p.leader)
        if (!l) byLeader.set(p.leader, (l = []))
        l.push({ tp, topic: p.topic, partition: p.partition, batch })
      })
      return writeProduce(s, conns, byLeader)
    } finally {
      lock.release()
    }
  }

  /** Resend batches that failed with a retriable error, byte for byte, to their (possibly new) leaders. */
  const resend = async (s: Session, batches: PartBatch[]): Promise<Sent[]> => {
    const ready = s.resendChain
    let release: () => void = () => {}
    s.resendChain = new Promise<void>((r) => (release = r))
    try {
      await ready
      if (s.broken) throw s.broken
      for (const b of batches) s.topics.delete(b.topic)
      const byLeader = new Map<number, PartBatch[]>()
      const conns = new Map<number, BrokerConnection>()
      for (const b of batches) {
        const meta = await topicMeta(s, b.topic)
        const leader = meta.leaders[b.partition]
        if (leader === undefined) throw new Error(`partition ${b.topic}/${b.partition} is gone`)
        if (!conns.has(leader)) conns.set(leader, await conn(s, leader))
        let l = byLeader.get(leader)
        if (!l) byLeader.set(leader, (l = []))
        l.push(b)
      }
      return writeProduce(s, conns, byLeader)
    } finally {
      release()
    }
  }

  /**
   * Every partition batch written must come back acknowledged: error 0, or already there (duplicate). A
   * retriable error (leader moving, a partition not ready right after topic creation) is retried a few times
   * with the identical batch — same producer id and sequence, so the broker never writes it twice — unless
   * the session broke meanwhile; anything else fails the send.
   */
  const checkResponses = async (s: Session, sent: Sent[]): Promise<void> => {
    let work = sent
    for (let attempt = 0; work.length > 0; attempt++) {
      const retry: PartBatch[] = []
      for (const x of work) {
        const { results } = decodeProduceResponse(await x.response)
        const seen = new Set<string>()
        for (const r of results) {
          const tp = `${r.topic}\0${r.partition}`
          const b = x.batches.get(tp)
          if (!b || seen.has(tp)) continue
          seen.add(tp)
          if (r.errorCode === 0 || r.errorCode === 46) {
            const g = s.firstPending.get(tp)
            if (g) {
              s.firstPending.delete(tp)
              g.release()
            }
            continue
          }
          const retriable = isRetriable(r.errorCode)
          if (!retriable || attempt >= SEND_RETRIES || s.broken)
            throw new KafkaBrokerError(r.errorCode, retriable, `for ${r.topic}/${r.partition}`)
          log?.(
            'debug',
            `kafka: ${errorName(r.errorCode)} for ${r.topic}/${r.partition}, resend ${attempt + 1}`,
          )
          retry.push(b)
        }
        const missing = [...x.batches.keys()].filter((tp) => !seen.has(tp))
        if (missing.length > 0)
          throw new Error(
            `broker ${x.nodeId} answered without ${missing.map((k) => k.replace('\0', '/')).join(', ')}`,
          )
      }
      if (retry.length === 0) return
      await sleep(100 * 2 ** attempt)
      work = await resend(s, retry)
    }
  }

  const preflight = async (): Promise<void> => {
    let last: unknown = null
    for (const b of opts.brokers) {
      const { host, port } = splitHostPort(b)
      let c: BrokerConnection | null = null
      try {
        c = await BrokerConnection.open(host, port, clientId, connTimeout, connSecurity)
        await fetchMetadata(c, [], security, requestTimeout)
        return
      } catch (e) {
        last = e
        // Settings and credentials are the same for every bootstrap broker: no point trying the next.
        if (e instanceof KafkaConnectError && (e.step === 'config' || e.step === 'sasl' || e.step === 'tls'))
          throw e
      } finally {
        c?.close()
      }
    }
    throw last ?? new KafkaConnectError('config', 'no bootstrap brokers are set')
  }

  return {
    async connect() {
      if (session && !session.broken) return
      if (session) closeSession(session, new Error('reconnecting'))
      session = null
      // Our own first contact says which step fails (DNS, TCP, TLS, SASL, a protocol mismatch) in words,
      // before kafkajs' admin client (whose errors say less) takes over metadata and topic creation.
      if (!opts.admin) await preflight()
      const a = await getAdmin()
      const brokers = await a.brokers()
      if (brokers.length === 0) throw new Error('the cluster metadata lists no brokers')
      const s: Session = {
        producerId: -1n,
        producerEpoch: 0,
        seqs: new Map(),
        brokers: new Map(brokers.map((b) => [b.nodeId, { host: b.host, port: b.port }])),
        conns: new Map(),
        topics: new Map(),
        writeChain: Promise.resolve(),
        outcome: Promise.resolve(),
        firstPending: new Map(),
        resendChain: Promise.resolve(),
        broken: null,
      }
      try {
        await initProducerId(s)
      } catch (e) {
        closeSession(s, e instanceof Error ? e : new Error(String(e)))
        throw e
      }
      session = s
    },
    async ensureTopics(topics, partitions) {
      await (await getAdmin()).ensureTopics(topics, partitions)
    },
    send,
    async disconnect() {
      const s = session
      session = null
      if (s) closeSession(s, new Error('disconnected'))
      const a = admin
      admin = null
      await a?.disconnect().catch(() => {})
    },
    close() {
      if (ownTokens) tokens?.close()
    },
  }
}
