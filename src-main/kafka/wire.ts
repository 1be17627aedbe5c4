// Kafka wire codec for the producer: just what publishing needs, written for the hot path.
//
// - RecordBatch v2 (magic 2) with idempotent producer fields, CRC-32C, optional gzip of the records section.
// - Produce v7 request / response, InitProducerId v1 request / response, request header v1, response header v0.
// - Kafka's default partitioner for keyed records: toPositive(murmur2(keyBytes)) % partitions (Java-compatible).
//
// Pure functions (no I/O); compression is passed in. kafkajs' own decoders are the oracle in wire.test.ts.
// Why not kafkajs' producer: it builds several objects and buffers per record (≈20 µs CPU per trade on the
// build machines) where this writes each record straight into one buffer per partition batch.

export const API_PRODUCE = 0
export const API_INIT_PRODUCER_ID = 22
export const PRODUCE_VERSION = 7
export const INIT_PRODUCER_ID_VERSION = 1

/** RecordBatch attributes, compression codec bits. */
export const CODEC_NONE = 0
export const CODEC_GZIP = 1

/** A record ready for the wire (strings are UTF-8 encoded here). */
export interface WireRecord {
  key: string
  value: string
  /** Value of the `schema` header. */
  schema: string
}

// ---- CRC-32C (Castagnoli), slicing by 8 ------------------------------------------------------------------

const CRC_TABLE = (() => {
  const t = new Int32Array(8 * 256)
  for (let i = 0; i < 256; i++) {
    let c = i
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1
    t[i] = c
  }
  for (let i = 0; i < 256; i++) {
    let c = t[i] as number
    for (let s = 1; s < 8; s++) {
      c = (t[c & 0xff] as number) ^ (c >>> 8)
      t[s * 256 + i] = c
    }
  }
  return t
})()

/** CRC-32C of `buf[start, end)`, as an unsigned 32-bit number. */
export function crc32c(buf: Uint8Array, start = 0, end = buf.length): number {
  const t = CRC_TABLE
  let crc = ~0
  let i = start
  for (; i + 8 <= end; i += 8) {
    crc ^=
      (buf[i] as number) |
      ((buf[i + 1] as number) << 8) |
      ((buf[i + 2] as number) << 16) |
      ((buf[i + 3] as number) << 24)
    crc =
      (t[1792 + (crc & 0xff)] as number) ^
      (t[1536 + ((crc >>> 8) & 0xff)] as number) ^
      (t[1280 + ((crc >>> 16) & 0xff)] as number) ^
      (t[1024 + (crc >>> 24)] as number) ^
      (t[768 + (buf[i + 4] as number)] as number) ^
      (t[512 + (buf[i + 5] as number)] as number) ^
      (t[256 + (buf[i + 6] as number)] as number) ^
      (t[buf[i + 7] as number] as number)
  }
  for (; i < end; i++) crc = (t[(crc ^ (buf[i] as number)) & 0xff] as number) ^ (crc >>> 8)
  return ~crc >>> 0
}

// ---- murmur2 / default partitioner -----------------------------------------------------------------------

/** Kafka's murmur2 (org.apache.kafka.common.utils.Utils.murmur2), as a signed 32-bit int. */
export function murmur2(data: Uint8Array): number {
  const m = 0x5bd1e995
  const length = data.length
  let h = (0x9747b28c ^ length) | 0
  const length4 = length >>> 2
  for (let i = 0; i < length4; i++) {
    const i4 = i * 4
    let k =
      (data[i4] as number) |
      ((data[i4 + 1] as number) << 8) |
      ((data[i4 + 2] as number) << 16) |
      ((data[i4 + 3] as number) << 24)
    k = Math.imul(k, m)
    k ^= k >>> 24
    k = Math.imul(k, m)
    h = Math.imul(h, m) ^ k
  }
  const tail = length & ~3
  const rest = length & 3
  if (rest === 3) h ^= (data[tail + 2] as number) << 16
  if (rest >= 2) h ^= (data[tail + 1] as number) << 8
  if (rest >= 1) {
    h ^= data[tail] as number
    h = Math.imul(h, m)
  }
  h ^= h >>> 13
  h = Math.imul(h, m)
  h ^= h >>> 15
  return h | 0
}

/** The partition Kafka's default partitioner picks for a keyed record. */
export const partitionFor = (key: string, partitions: number): number =>
  (murmur2(Buffer.from(key, 'utf8')) & 0x7fffffff) % partitions

// ---- varints ---------------------------------------------------------------------------------------------

/** Bytes of a zigzag varint for a non-negative int32 `n`. */
export function varintSize(n: number): number {
  const z = n * 2
  if (z < 0x80) return 1
  if (z < 0x4000) return 2
  if (z < 0x200000) return 3
  if (z < 0x10000000) return 4
  return 5
}

/** Write the zigzag varint of a non-negative int32 `n` at `off`; returns the offset after it. */
function writeVarint(buf: Buffer, off: number, n: number): number {
  let z = n * 2
  while (z >= 0x80) {
    buf[off++] = (z & 0x7f) | 0x80
    z = Math.floor(z / 128)
  }
  buf[off++] = z
  return off
}

// ---- RecordBatch v2 --------------------------------------------------------------------------------------

/** Offset of the records count inside a batch; everything from attributes (21) on is covered by the CRC. */
const BATCH_HEADER = 61
const CRC_FROM = 21

export interface BatchSpec {
  records: readonly WireRecord[]
  /** CreateTime of every record (the batch's base timestamp; deltas are 0). */
  timestamp: number
  producerId: bigint
  producerEpoch: number
  baseSequence: number
  codec: typeof CODEC_NONE | typeof CODEC_GZIP
}

/**
 * Encoded keys and `schema` headers (varint length + bytes; for the header also the count and the name). Keys
 * are few (symbols, article ids) and schemas fewer, so each is encoded once; the caches are reset when large.
 */
const keyCache = new Map<string, Buffer>()
const headerCache = new Map<string, Buffer>()
const CACHE_MAX = 10_000

function lengthPrefixed(prefix: readonly number[], s: string): Buffer {
  const len = Buffer.byteLength(s, 'utf8')
  const b = Buffer.allocUnsafe(prefix.length + varintSize(len) + len)
  let o = 0
  for (const x of prefix) b[o++] = x
  o = writeVarint(b, o, len)
  b.write(s, o, 'utf8')
  return b
}
function cached(cache: Map<string, Buffer>, s: string, prefix: readonly number[]): Buffer {
  let b = cache.get(s)
  if (b === undefined) {
    if (cache.size >= CACHE_MAX) cache.clear()
    b = lengthPrefixed(prefix, s)
    cache.set(s, b)
  }
  return b
}
/** Header count 1 (zigzag 2), name length 6 (zigzag 12), "schema". */
const HEADER_PREFIX = [2, 12, 0x73, 0x63, 0x68, 0x65, 0x6d, 0x61]

/** The records section of a batch (uncompressed): every record written once into one buffer. */
export function encodeRecords(records: readonly WireRecord[]): Buffer {
  const n = records.length
  const keys: Buffer[] = new Array<Buffer>(n)
  const headers: Buffer[] = new Array<Buffer>(n)
  const valLen = new Int32Array(n)
  const bodyLen = new Int32Array(n)
  let total = 0
  for (let i = 0; i < n; i++) {
    const r = records[i] as WireRecord
    const k = cached(keyCache, r.key, [])
    const h = cached(headerCache, r.schema, HEADER_PREFIX)
    const v = Buffer.byteLength(r.value, 'utf8')
    keys[i] = k
    headers[i] = h
    valLen[i] = v
    // attributes, timestampDelta 0, offsetDelta, key, value, headers.
    const body = 1 + 1 + varintSize(i) + k.length + varintSize(v) + v + h.length
    bodyLen[i] = body
    total += varintSize(body) + body
  }
  const buf = Buffer.allocUnsafe(total)
  let o = 0
  for (let i = 0; i < n; i++) {
    const r = records[i] as WireRecord
    o = writeVarint(buf, o, bodyLen[i] as number)
    buf[o++] = 0 // attributes
    buf[o++] = 0 // timestampDelta (zigzag 0)
    o = writeVarint(buf, o, i) // offsetDelta
    const k = keys[i] as Buffer
    buf.set(k, o)
    o += k.length
    o = writeVarint(buf, o, valLen[i] as number)
    o += buf.write(r.value, o, 'utf8')
    const h = headers[i] as Buffer
    buf.set(h, o)
    o += h.length
  }
  if (o !== total) throw new Error(`record encoding size mismatch (${o} != ${total})`)
  return buf
}

/**
 * A complete RecordBatch (baseOffset 0) around an already encoded — and, for gzip, compressed — records
 * section of `count` records.
 */
export function encodeBatch(spec: Omit<BatchSpec, 'records'> & { count: number; section: Buffer }): Buffer {
  const { count, section } = spec
  if (count < 1) throw new Error('a record batch needs at least one record')
  const buf = Buffer.allocUnsafe(BATCH_HEADER + section.length)
  buf.writeInt32BE(0, 0) // baseOffset (int64)
  buf.writeInt32BE(0, 4)
  buf.writeInt32BE(buf.length - 12, 8) // batchLength: bytes after this field
  buf.writeInt32BE(-1, 12) // partitionLeaderEpoch: set by the broker
  buf.writeInt8(2, 16) // magic
  buf.writeInt16BE(spec.codec, 21) // attributes: codec, CreateTime, not transactional, not control
  buf.writeInt32BE(count - 1, 23) // lastOffsetDelta
  writeInt64(buf, 27, spec.timestamp) // baseTimestamp
  writeInt64(buf, 35, spec.timestamp) // maxTimestamp
  buf.writeBigInt64BE(spec.producerId, 43)
  buf.writeInt16BE(spec.producerEpoch, 51)
  buf.writeInt32BE(spec.baseSequence, 53)
  buf.writeInt32BE(count, 57)
  section.copy(buf, BATCH_HEADER)
  buf.writeUInt32BE(crc32c(buf, CRC_FROM), 17)
  return buf
}

function writeInt64(buf: Buffer, off: number, v: number): void {
  if (!Number.isSafeInteger(v) || v < 0) throw new Error(`bad int64 ${v}`)
  buf.writeUInt32BE(Math.floor(v / 0x100000000), off)
  buf.writeUInt32BE(v % 0x100000000, off + 4)
}

/** Next sequence after `count` records (Kafka wraps at Int32 max to 0). */
export const nextSequence = (seq: number, count: number): number => {
  const n = seq + count
  return n > 0x7fffffff ? n - 0x7fffffff - 1 : n
}

// ---- requests --------------------------------------------------------------------------------------------

export function str16(s: string | null): Buffer {
  if (s === null) {
    const b = Buffer.allocUnsafe(2)
    b.writeInt16BE(-1, 0)
    return b
  }
  const len = Buffer.byteLength(s, 'utf8')
  if (len > 0x7fff) throw new Error('string too long for the Kafka protocol')
  const b = Buffer.allocUnsafe(2 + len)
  b.writeInt16BE(len, 0)
  b.write(s, 2, 'utf8')
  return b
}

/** Size-prefixed request: header v1 (apiKey, version, correlation id, client id) and the body parts. */
export function frameRequest(
  apiKey: number,
  apiVersion: number,
  correlationId: number,
  clientId: string,
  body: readonly Buffer[],
): Buffer[] {
  const client = str16(clientId)
  const head = Buffer.allocUnsafe(12)
  let size = 8 + client.length
  for (const b of body) size += b.length
  head.writeInt32BE(size, 0)
  head.writeInt16BE(apiKey, 4)
  head.writeInt16BE(apiVersion, 6)
  head.writeInt32BE(correlationId, 8)
  return [head, client, ...body]
}

export interface ProduceTopicData {
  topic: string
  partitions: { partition: number; batch: Buffer }[]
}

/** Produce v7 body (no transactional id). */
export function produceBody(acks: number, timeoutMs: number, topics: readonly ProduceTopicData[]): Buffer[] {
  const out: Buffer[] = []
  const head = Buffer.allocUnsafe(2 + 2 + 4 + 4)
  head.writeInt16BE(-1, 0) // transactional_id: null
  head.writeInt16BE(acks, 2)
  head.writeInt32BE(timeoutMs, 4)
  head.writeInt32BE(topics.length, 8)
  out.push(head)
  for (const t of topics) {
    out.push(str16(t.topic))
    const n = Buffer.allocUnsafe(4)
    n.writeInt32BE(t.partitions.length, 0)
    out.push(n)
    for (const p of t.partitions) {
      const ph = Buffer.allocUnsafe(8)
      ph.writeInt32BE(p.partition, 0)
      ph.writeInt32BE(p.batch.length, 4)
      out.push(ph, p.batch)
    }
  }
  return out
}

/** InitProducerId v1 body for an idempotent (non-transactional) producer. */
export function initProducerIdBody(transactionTimeoutMs = 60_000): Buffer[] {
  const b = Buffer.allocUnsafe(6)
  b.writeInt16BE(-1, 0) // transactional_id: null
  b.writeInt32BE(transactionTimeoutMs, 2)
  return [b]
}

// ---- responses -------------------------------------------------------------------------------------------

/** Thrown for a response that does not parse. */
export class WireDecodeError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'WireDecodeError'
  }
}

/** Big-endian reader over a response body (shared with the SASL and metadata decoders in sasl.ts). */
export class Reader {
  o = 0
  constructor(private readonly b: Buffer) {}
  need(n: number): void {
    if (this.o + n > this.b.length) throw new WireDecodeError('truncated Kafka response')
  }
  i16(): number {
    this.need(2)
    const v = this.b.readInt16BE(this.o)
    this.o += 2
    return v
  }
  i32(): number {
    this.need(4)
    const v = this.b.readInt32BE(this.o)
    this.o += 4
    return v
  }
  i64(): bigint {
    this.need(8)
    const v = this.b.readBigInt64BE(this.o)
    this.o += 8
    return v
  }
  str(): string {
    const n = this.i16()
    if (n < 0) throw new WireDecodeError('unexpected null string')
    this.need(n)
    const s = this.b.toString('utf8', this.o, this.o + n)
    this.o += n
    return s
  }
  count(): number {
    const n = this.i32()
    if (n < 0 || n > 1_000_000) throw new WireDecodeError(`bad array length ${n}`)
    return n
  }
}

export interface ProducePartitionResult {
  topic: string
  partition: number
  errorCode: number
  baseOffset: bigint
}

/** Produce v7 response body (after the correlation id). */
export function decodeProduceResponse(body: Buffer): {
  results: ProducePartitionResult[]
  throttleMs: number
} {
  const r = new Reader(body)
  const results: ProducePartitionResult[] = []
  const topics = r.count()
  for (let t = 0; t < topics; t++) {
    const topic = r.str()
    const parts = r.count()
    for (let p = 0; p < parts; p++) {
      const partition = r.i32()
      const errorCode = r.i16()
      const baseOffset = r.i64()
      r.i64() // log_append_time_ms
      r.i64() // log_start_offset
      results.push({ topic, partition, errorCode, baseOffset })
    }
  }
  const throttleMs = r.i32()
  return { results, throttleMs }
}

/** InitProducerId v1 response body (after the correlation id). */
export function decodeInitProducerIdResponse(body: Buffer): {
  errorCode: number
  producerId: bigint
  producerEpoch: number
} {
  const r = new Reader(body)
  r.i32() // throttle_time_ms
  const errorCode = r.i16()
  const producerId = r.i64()
  const producerEpoch = r.i16()
  return { errorCode, producerId, producerEpoch }
}

// ---- errors ----------------------------------------------------------------------------------------------

const ERROR_NAMES: Record<number, string> = {
  [-1]: 'UNKNOWN_SERVER_ERROR',
  2: 'CORRUPT_MESSAGE',
  3: 'UNKNOWN_TOPIC_OR_PARTITION',
  5: 'LEADER_NOT_AVAILABLE',
  6: 'NOT_LEADER_OR_FOLLOWER',
  7: 'REQUEST_TIMED_OUT',
  10: 'MESSAGE_TOO_LARGE',
  14: 'COORDINATOR_LOAD_IN_PROGRESS',
  15: 'COORDINATOR_NOT_AVAILABLE',
  16: 'NOT_COORDINATOR',
  17: 'INVALID_TOPIC_EXCEPTION',
  18: 'RECORD_LIST_TOO_LARGE',
  19: 'NOT_ENOUGH_REPLICAS',
  20: 'NOT_ENOUGH_REPLICAS_AFTER_APPEND',
  21: 'INVALID_REQUIRED_ACKS',
  29: 'TOPIC_AUTHORIZATION_FAILED',
  31: 'CLUSTER_AUTHORIZATION_FAILED',
  33: 'UNSUPPORTED_SASL_MECHANISM',
  34: 'ILLEGAL_SASL_STATE',
  35: 'UNSUPPORTED_VERSION',
  45: 'OUT_OF_ORDER_SEQUENCE_NUMBER',
  46: 'DUPLICATE_SEQUENCE_NUMBER',
  47: 'INVALID_PRODUCER_EPOCH',
  53: 'TRANSACTIONAL_ID_AUTHORIZATION_FAILED',
  58: 'SASL_AUTHENTICATION_FAILED',
  59: 'UNKNOWN_PRODUCER_ID',
  74: 'FENCED_LEADER_EPOCH',
  75: 'UNKNOWN_LEADER_EPOCH',
  76: 'UNSUPPORTED_COMPRESSION_TYPE',
  87: 'INVALID_RECORD',
  90: 'PRODUCER_FENCED',
}

export const errorName = (code: number): string => ERROR_NAMES[code] ?? `KAFKA_ERROR_${code}`

/**
 * Error codes after which resending the identical batch may succeed. OUT_OF_ORDER_SEQUENCE_NUMBER is one: with
 * several batches in flight, a later batch is refused while an earlier one of its partition is being resent
 * (the resends go out in the original order, so it fits once the earlier one is in); if the earlier one never
 * gets in, the resends run out and the send fails.
 */
const RETRIABLE = new Set([-1, 2, 5, 6, 7, 14, 15, 16, 19, 20, 45, 74, 75])
export const isRetriable = (code: number): boolean => RETRIABLE.has(code)
