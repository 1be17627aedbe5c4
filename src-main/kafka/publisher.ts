// Kafka publisher for the ingest worker.
//
// publish(topic, record) validates and encodes (a malformed record is rejected and counted, never sent),
// then either queues it in memory (live) or appends it to the disk spool (spooling). Batching is ours: a batch
// leaves when it reaches `batchBytes`/`maxBatchRecords`, or once its oldest record is `lingerMs` old. Up to
// `maxInFlight` batches are sent before the oldest is acknowledged (the transport keeps them in order on the
// wire); acks are settled strictly in send order.
//
// Nothing lost (at least once):
// - a send fails / broker unreachable → that batch, every later in-flight batch, then the in-memory queue go
//   to the spool, in order (later batches even if the broker takes them after all: duplicates, never gaps);
//   every later record goes to the spool too until it has been replayed, so order is kept.
// - broker slow (the oldest batch in flight longer than `slowSendMs`, or the queue past `memoryCapBytes`) →
//   the in-flight batches are copied to the spool ahead of the queue. If they are acknowledged after all,
//   they are delivered twice: duplicates are exact repeats (same key, same value), which the topics allow.
// - after a failure the producer is dropped and a fresh idempotent producer (new producer id) is made, so
//   sequence numbers never desync; the replay itself is at least once.
// - spool cap reached → records not kept are counted (`droppedRecords`, state `spool_full`).
// - on start, a non-empty spool (from a previous run) is replayed before any live record.
import type { KafkaConfig } from './config'
import { disabledKafkaStatus, type KafkaStatus } from '../domain/status'
import { backoffDelay, type BackoffPolicy } from '../domain/backoff'
import { RateMeter } from './rate'
import {
  encodeRecord,
  TOPICS,
  topicName,
  type EncodedRecord,
  type TopicName,
  type TopicRecordMap,
} from './records'
import { describeDamage, openSpool, type Spool } from './spool'
import { createKafkaTransport, type Compression, type Transport } from './transport'
import { classifyKafkaError, STEP_LABEL, usesTls, type ConnectStep } from './security'

export interface PublisherTuning {
  /** A batch leaves once its values reach this many bytes (uncompressed). */
  batchBytes: number
  maxBatchRecords: number
  /** A partial batch waits at most this long for company. */
  lingerMs: number
  /** In-memory queue cap; past it the broker counts as slow and records go to the spool. */
  memoryCapBytes: number
  /** A batch in flight longer than this counts as a slow broker: the queue goes to the spool. */
  slowSendMs: number
  /** Live batches sent before the oldest is acknowledged (Kafka keeps idempotence for up to 5). */
  maxInFlight: number
  compression: Compression
  /** zlib level when compression is gzip (1 = fastest). */
  gzipLevel: number
  requestTimeoutMs: number
  retry: BackoffPolicy
  /** close() waits this long for the broker before it spools what is left. */
  closeTimeoutMs: number
  /** State stays `spool_full` this long after the last record the spool refused. */
  spoolFullHoldMs: number
}

export const DEFAULT_TUNING: PublisherTuning = {
  batchBytes: 512 * 1024,
  maxBatchRecords: 10_000,
  lingerMs: 5,
  memoryCapBytes: 32 * 1024 * 1024,
  slowSendMs: 5_000,
  maxInFlight: 5,
  compression: 'gzip',
  gzipLevel: 1,
  requestTimeoutMs: 10_000,
  retry: { baseMs: 250, capMs: 10_000, kind: 'full', minMs: 100 },
  closeTimeoutMs: 10_000,
  spoolFullHoldMs: 30_000,
}

export type LogFn = (level: 'debug' | 'info' | 'warn' | 'error', message: string) => void

export interface PublisherDeps {
  /** Default: createKafkaTransport with config.brokers. */
  transport?: Transport
  /** Default: openSpool(config.spoolDir, config.spoolCapBytes). */
  spool?: Spool
  now?: () => number
  random?: () => number
  setTimeout?: (fn: () => void, ms: number) => unknown
  clearTimeout?: (handle: unknown) => void
  log?: LogFn
  clientId?: string
  tuning?: Partial<PublisherTuning>
  /** Benchmark hook: enqueue times (deps.now) of a live batch the broker just acknowledged. */
  onAcked?: (enqueuedAt: readonly number[], ackedAt: number) => void
}

export interface PublisherMetrics {
  /** Records the broker acknowledged (live and replayed). */
  acked: number
  ackedBytes: number
  /** Malformed records refused by publish(). */
  rejected: number
  /** Records the spool could not keep (cap reached or disk error). */
  dropped: number
  /** Records written to the spool since start. */
  spooled: number
  /** Records replayed from the spool and acknowledged. */
  replayed: number
  queued: number
  mode: 'live' | 'spool'
}

export interface Publisher {
  /** Validate, encode and queue (or spool). False when the record was rejected or could not be kept. */
  publish<T extends TopicName>(topic: T, record: TopicRecordMap[T]): boolean
  /** Same, for records of unknown shape (they are validated either way). */
  publishUnknown(topic: unknown, record: unknown): boolean
  /** Resolves when every record published so far is acknowledged by the broker or on disk in the spool. */
  flush(): Promise<void>
  /** The worker pauses: flush now. */
  pause(): Promise<void>
  /** Flush (or spool what the broker does not take in time), close the spool, disconnect. Never drops. */
  close(): Promise<void>
  status(): KafkaStatus
  metrics(): PublisherMetrics
}

interface Entry {
  r: EncodedRecord
  size: number
  /** publish() time (deps.now). */
  t: number
}

interface Flight {
  entries: Entry[]
  bytes: number
  /** Already copied to the spool (slow broker, or failure of an earlier flight). */
  spooled: boolean
  sentAt: number
  state: 'pending' | 'ok' | 'failed'
  error: unknown
}

const describe = (e: unknown): string =>
  (e instanceof Error ? `${e.name}: ${e.message}` : String(e)).slice(0, 500)

export function createPublisher(config: KafkaConfig, deps: PublisherDeps = {}): Publisher {
  const tuning: PublisherTuning = { ...DEFAULT_TUNING, ...deps.tuning }
  const now = deps.now ?? Date.now
  const random = deps.random ?? Math.random
  const setT = deps.setTimeout ?? ((fn: () => void, ms: number) => setTimeout(fn, ms))
  const clearT = deps.clearTimeout ?? ((h: unknown) => clearTimeout(h as NodeJS.Timeout))
  const log: LogFn = deps.log ?? (() => {})
  const prefix = config.topicPrefix
  const allTopics = TOPICS.map((t) => topicName(prefix, t))
  const meter = new RateMeter(now)

  let rejected = 0
  let lastError: string | null = null
  let fatal: string | null = null

  if (!config.enabled) {
    return {
      publish: () => false,
      publishUnknown: () => false,
      flush: async () => {},
      pause: async () => {},
      close: async () => {},
      status: disabledKafkaStatus,
      metrics: () => ({
        acked: 0,
        ackedBytes: 0,
        rejected: 0,
        dropped: 0,
        spooled: 0,
        replayed: 0,
        queued: 0,
        mode: 'live',
      }),
    }
  }

  let spool: Spool | null = null
  try {
    spool = deps.spool ?? openSpool({ dir: config.spoolDir, capBytes: config.spoolCapBytes })
  } catch (e) {
    // Still publish live; while the broker is away records cannot be kept and are counted as dropped.
    fatal = `spool unavailable (${describe(e)})`
    lastError = fatal
    log('error', `kafka: ${fatal}`)
  }
  const transport =
    deps.transport ??
    createKafkaTransport({
      brokers: config.brokers,
      clientId: deps.clientId,
      compression: tuning.compression,
      gzipLevel: tuning.gzipLevel,
      requestTimeoutMs: tuning.requestTimeoutMs,
      log,
      security: config.security,
    })
  const insecureTls = !!config.security && usesTls(config.security.protocol) && config.security.insecure === true
  if (insecureTls) log('warn', 'kafka: TLS server verification is OFF (insecure, testing only)')
  /** Where the last connect or send failed (DNS, TCP, TLS, SASL, authorisation…), in words; null once it works. */
  let failure: { step: ConnectStep; message: string } | null = null

  // Damage recovery found while opening (and later while replaying) goes to the log once and stays in the status.
  let damageLogged = ''
  const spoolNotice = (): string | null => {
    const d = spool?.stats().damage
    if (!d) return null
    const text = describeDamage(d)
    if (text !== damageLogged) {
      damageLogged = text
      log('warn', `kafka: ${text}`)
    }
    return text
  }
  spoolNotice()
  let mode: 'live' | 'spool' = spool && !spool.isEmpty() ? 'spool' : 'live'
  let queue: Entry[] = []
  let queueBytes = 0
  /** Live batches sent and not yet settled, oldest first; acks are counted strictly in this order. */
  let flights: Flight[] = []
  let pumping = false
  let pumpDone: Promise<void> = Promise.resolve()
  let disconnecting: Promise<void> = Promise.resolve()
  let lingerTimer: unknown = null
  let slowTimer: unknown = null
  let slowFor: Flight | null = null
  let retryTimer: unknown = null
  let retryAt: number | null = null
  let attempt = 0
  let prevDelay = 0
  let connected = false
  let everConnected = false
  let topicsReady = false
  let closing = false
  let closed = false
  let dropped = 0
  let lastDropAt = -Infinity
  let spoolError: string | null = null
  let acked = 0
  let ackedBytes = 0
  let spooled = 0
  let replayed = 0
  let waiters: (() => void)[] = []

  const notify = (): void => {
    const w = waiters
    waiters = []
    for (const f of w) f()
  }
  const changed = (): Promise<void> => new Promise((res) => waiters.push(res))

  const toSpool = (records: EncodedRecord[]): void => {
    if (records.length === 0) return
    if (!spool) {
      dropped += records.length
      lastDropAt = now()
      return
    }
    try {
      const r = spool.append(records)
      spooled += r.kept
      if (r.dropped > 0) {
        dropped += r.dropped
        lastDropAt = now()
      }
      spoolError = null
    } catch (e) {
      dropped += records.length
      lastDropAt = now()
      spoolError = `spool write failed: ${describe(e)}`
      lastError = spoolError
      log('error', `kafka: ${spoolError}`)
    }
  }

  /**
   * Switch to spooling: every in-flight batch not copied yet (oldest first), then the queue, go to disk in
   * order. In-flight batches stay in flight: if the broker acknowledges them after all they are duplicates.
   */
  const enterSpool = (reason: string): void => {
    const items: EncodedRecord[] = []
    for (const f of flights) {
      if (f.spooled) continue
      f.spooled = true
      for (const e of f.entries) items.push(e.r)
    }
    for (const e of queue) items.push(e.r)
    queue = []
    queueBytes = 0
    if (lingerTimer !== null) {
      clearT(lingerTimer)
      lingerTimer = null
    }
    if (mode !== 'spool') log('warn', `kafka: spooling to disk (${reason})`)
    mode = 'spool'
    toSpool(items)
    notify()
  }

  const scheduleRetry = (): void => {
    if (closing || retryTimer !== null) return
    const delay = backoffDelay(tuning.retry, attempt++, prevDelay, random)
    prevDelay = delay
    retryAt = now() + delay
    retryTimer = setT(() => {
      retryTimer = null
      retryAt = null
      kick()
    }, delay)
  }

  /** Drop the producer after a failure: the next connect() takes a fresh producer id. */
  const fail = (e: unknown, what: string): Promise<void> => {
    lastError = `${what}: ${describe(e)}`
    failure = classifyKafkaError(e)
    if (connected) log('warn', `kafka: ${lastError}`)
    connected = false
    disconnecting = disconnecting.then(() => transport.disconnect().catch(() => {}))
    return disconnecting
  }

  const ensureConnected = async (): Promise<boolean> => {
    if (connected) return true
    await disconnecting
    try {
      await transport.connect()
      if (!topicsReady) {
        await transport.ensureTopics(allTopics, config.partitions)
        topicsReady = true
      }
      connected = true
      failure = null
      if (!everConnected) log('info', `kafka: connected to ${config.brokers.join(',')}`)
      everConnected = true
      return true
    } catch (e) {
      await fail(e, 'connect')
      return false
    }
  }

  const takeBatch = (): Entry[] => {
    let n = 0
    let bytes = 0
    while (n < queue.length && n < tuning.maxBatchRecords) {
      const e = queue[n] as Entry
      if (n > 0 && bytes + e.size > tuning.batchBytes) break
      bytes += e.size
      n++
    }
    queueBytes -= bytes
    return queue.splice(0, n)
  }

  /** The oldest in-flight batch counts as slow once it has waited `slowSendMs` for its ack. */
  const armSlowTimer = (): void => {
    const head = flights[0]
    const want = head && !head.spooled && head.state === 'pending' ? head : null
    if (want === slowFor) return
    if (slowTimer !== null) clearT(slowTimer)
    slowTimer = null
    slowFor = want
    if (!want) return
    slowTimer = setT(
      () => {
        slowTimer = null
        slowFor = null
        if (flights[0] === want && want.state === 'pending' && !want.spooled)
          enterSpool(`broker slow: no ack within ${tuning.slowSendMs} ms`)
      },
      Math.max(0, want.sentAt + tuning.slowSendMs - now()),
    )
  }

  const countAcked = (f: Flight): void => {
    acked += f.entries.length
    ackedBytes += f.bytes
    meter.add(f.entries.length, f.bytes)
    if (deps.onAcked) {
      const at = now()
      deps.onAcked(
        f.entries.map((e) => e.t),
        at,
      )
    }
  }

  /** Settle finished flights in send order: acks are counted oldest first; the first failure ends the run. */
  const settle = (): void => {
    while (flights.length > 0) {
      const f = flights[0] as Flight
      if (f.state === 'pending') break
      if (f.state === 'ok') {
        flights.shift()
        attempt = 0
        prevDelay = 0
        countAcked(f)
        continue
      }
      // Failed: it and every later flight (whatever becomes of them) go to the spool in order, then the queue.
      if (!closed) enterSpool('send failed')
      flights = []
      void fail(f.error, 'send')
      scheduleRetry()
      break
    }
    armSlowTimer()
    notify()
    if (flights.length === 0 && mode === 'spool') kick()
    else dispatch(false)
  }

  const startFlight = (entries: Entry[]): void => {
    let bytes = 0
    for (const e of entries) bytes += e.size
    const f: Flight = { entries, bytes, spooled: false, sentAt: now(), state: 'pending', error: null }
    flights.push(f)
    transport.send(entries.map((e) => e.r)).then(
      () => {
        f.state = 'ok'
        settle()
      },
      (e: unknown) => {
        f.state = 'failed'
        f.error = e
        settle()
      },
    )
    armSlowTimer()
  }

  /**
   * Live and connected: send queued records, up to `maxInFlight` batches at once. A partial batch waits until
   * its oldest record is `lingerMs` old (unless `force`, as flush() does).
   */
  function dispatch(force: boolean): void {
    if (closed || mode !== 'live' || !connected || pumping) return
    while (queue.length > 0 && flights.length < tuning.maxInFlight) {
      const full = queueBytes >= tuning.batchBytes || queue.length >= tuning.maxBatchRecords
      if (!full && !force) {
        const wait = (queue[0] as Entry).t + tuning.lingerMs - now()
        if (wait > 0) {
          if (lingerTimer === null) {
            lingerTimer = setT(() => {
              lingerTimer = null
              dispatch(false)
            }, wait)
          }
          return
        }
      }
      startFlight(takeBatch())
    }
  }

  /**
   * The serial part: (re)connect, replay the spool batch by batch, and go live again once it is empty. Live
   * batches are sent by dispatch(); the pump waits for them to settle before it replays.
   */
  const pump = async (): Promise<void> => {
    pumping = true
    try {
      for (;;) {
        if (closed || flights.length > 0) return
        if (mode === 'live' && queue.length === 0) return
        if (mode === 'spool' && (!spool || spool.isEmpty())) {
          mode = 'live'
          if (spool) log('info', 'kafka: spool replayed, live again')
          notify()
          continue
        }
        if (!(await ensureConnected())) {
          if (mode === 'live') enterSpool('broker unreachable')
          scheduleRetry()
          return
        }
        if (mode === 'live') return
        if (!spool) continue
        const b = spool.peek(tuning.maxBatchRecords, tuning.batchBytes)
        if (!b) continue
        // The last spooled batch: records published from now on queue in memory behind it (sent once it is
        // acknowledged), so a steady stream cannot keep the publisher spooling forever.
        const last = b.records.length >= spool.stats().records
        if (last) {
          mode = 'live'
          notify()
        }
        try {
          await transport.send(b.records)
        } catch (e) {
          // Back behind the batch that is still in the spool, in order.
          if (mode === 'live') enterSpool('send failed')
          await fail(e, 'send')
          scheduleRetry()
          return
        }
        attempt = 0
        prevDelay = 0
        spool.ack(b)
        acked += b.records.length
        ackedBytes += b.bytes
        replayed += b.records.length
        meter.add(b.records.length, b.bytes)
        if (last && mode === 'live') log('info', 'kafka: spool replayed, live again')
        notify()
      }
    } finally {
      pumping = false
      notify()
      // Live again (or records arrived while connecting): hand over to dispatch.
      if (!closed && mode === 'live' && connected) dispatch(false)
    }
  }

  function kick(): void {
    if (pumping || retryTimer !== null || closed) return
    pumpDone = pump().catch((e: unknown) => {
      // Defensive: pump catches its own errors; this keeps an unexpected bug visible instead of fatal.
      lastError = `publisher: ${describe(e)}`
      log('error', `kafka: ${lastError}`)
    })
  }

  const publishUnknown = (topic: unknown, record: unknown): boolean => {
    let enc: EncodedRecord
    try {
      if (closed) throw new Error('publisher is closed')
      enc = encodeRecord(prefix, topic, record)
    } catch (e) {
      rejected++
      lastError = describe(e)
      return false
    }
    if (mode === 'spool') {
      const before = dropped
      toSpool([enc])
      kick()
      return dropped === before
    }
    const size = enc.key.length + enc.value.length + enc.topic.length + 16
    queue.push({ r: enc, size, t: now() })
    queueBytes += size
    if (queueBytes > tuning.memoryCapBytes) {
      enterSpool('broker slow: in-memory queue full')
      kick()
    } else if (connected) dispatch(false)
    else kick()
    return true
  }

  const flush = async (): Promise<void> => {
    for (;;) {
      if (mode === 'spool' || (queue.length === 0 && flights.length === 0)) {
        try {
          spool?.flush()
        } catch (e) {
          spoolError = `spool flush failed: ${describe(e)}`
          lastError = spoolError
        }
        return
      }
      const c = changed()
      if (connected && !pumping) dispatch(true)
      else kick()
      await c
    }
  }

  // A spool left by a previous run is replayed before anything else.
  if (mode === 'spool') kick()

  return {
    publish: (topic, record) => publishUnknown(topic, record),
    publishUnknown,
    flush,
    pause: flush,
    async close() {
      if (closing) return pumpDone
      closing = true
      if (lingerTimer !== null) clearT(lingerTimer)
      lingerTimer = null
      if (retryTimer !== null) {
        clearT(retryTimer)
        retryTimer = null
      }
      let timer: unknown = null
      const timedOut = new Promise<void>((res) => {
        timer = setT(res, tuning.closeTimeoutMs)
      })
      await Promise.race([flush(), timedOut])
      clearT(timer)
      // Whatever the broker did not take in time is kept on disk for the next start.
      if (queue.length > 0 || flights.some((f) => !f.spooled)) enterSpool('closing')
      closed = true
      if (slowTimer !== null) clearT(slowTimer)
      slowTimer = null
      if (lingerTimer !== null) clearT(lingerTimer)
      lingerTimer = null
      await pumpDone
      try {
        spool?.close()
      } catch (e) {
        lastError = `spool close failed: ${describe(e)}`
      }
      connected = false
      await disconnecting
      await transport.disconnect().catch(() => {})
      transport.close?.()
    },
    status(): KafkaStatus {
      const s = spool?.stats() ?? { records: 0, bytes: 0, capBytes: config.spoolCapBytes, damage: null }
      const { recordsPerSec, bytesPerSec } = meter.rate()
      const notice = spoolNotice()
      const base = {
        spooledRecords: s.records,
        spooledBytes: s.bytes,
        droppedRecords: dropped,
        rejectedRecords: rejected,
        damagedRecords: s.damage?.damagedRecords ?? 0,
        spoolNotice: notice,
        recordsPerSec,
        bytesPerSec,
        lastError,
        failedStep: failure?.step ?? null,
        insecureTls,
      }
      const t = now()
      // Why the broker is out of reach, in words: the failed step and the reason (or just unreachable).
      const away = failure && failure.step !== 'broker' ? `${STEP_LABEL[failure.step]} failed: ${failure.message}` : 'broker unreachable'
      if (fatal || spoolError) return { ...base, state: 'error', message: (fatal ?? spoolError) as string }
      if (t - lastDropAt < tuning.spoolFullHoldMs) {
        return {
          ...base,
          state: 'spool_full',
          message: `spool full (cap ${s.capBytes} bytes): ${dropped} records not kept`,
        }
      }
      if (mode === 'spool') {
        const retry = retryAt !== null ? `, retry in ${Math.max(0, Math.ceil((retryAt - t) / 1000))} s` : ''
        if (s.records > 0) {
          return {
            ...base,
            state: 'spooling',
            message: connected
              ? `replaying ${s.records} spooled records`
              : `spooling ${s.records} records: ${away}${retry}`,
          }
        }
        return { ...base, state: 'retrying', message: `${away}${retry}` }
      }
      if (connected)
        return { ...base, state: 'connected', message: `connected to ${config.brokers.join(',')}` }
      if (!everConnected)
        return { ...base, state: 'connecting', message: `connecting to ${config.brokers.join(',')}` }
      return { ...base, state: 'retrying', message: 'reconnecting' }
    },
    metrics: () => ({ acked, ackedBytes, rejected, dropped, spooled, replayed, queued: queue.length, mode }),
  }
}
