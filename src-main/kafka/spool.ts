// Bounded, crash-safe disk spool for Kafka records while the broker is unreachable or slow.
//
// Layout: `<dir>/<12-digit seq>.seg` append-only segment files, oldest first, and `<seq>.ack` read cursors.
// Frame:  u32 BE payload length | u32 BE crc32(payload) | payload
// Payload: u16 topicLen | topic | u16 schemaLen | schema | u32 keyLen | key | value   (all UTF-8)
//
// Durability (fsync policy):
// - appends go to an in-memory write buffer, written to the segment file when it reaches `writeBufferBytes`
//   or every `writeIntervalMs` (default 50 ms); the file is fsync'ed every `fsyncIntervalMs` (default 200 ms),
//   on every segment roll, and on flush()/close(). So a killed process loses at most the last ~50 ms of
//   appends, an OS crash or power cut at most the last ~200 ms.
// - a torn or corrupt tail frame (crash mid-write) is detected by length/crc and skipped, and counted.
// Order: records come back in exactly the order they were appended, across restarts (segments by seq).
// Replay: peek() returns the oldest unacknowledged records; ack() advances a cursor (written, not fsync'ed:
// after a crash a batch may be replayed again — at-least-once, duplicates are exact repeats).
// Cap: the bytes of all segment files plus the write buffer never exceed `capBytes`; a record that does not
// fit is not kept and is counted in `dropped`.
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs'
import { join } from 'node:path'
import { crc32 } from 'node:zlib'

export interface SpoolRecord {
  topic: string
  key: string
  value: string
  schema: string
}

export interface SpoolOptions {
  dir: string
  /** Total size cap of the spool on disk. Default 2 GiB. */
  capBytes?: number
  /** Roll to a new segment file past this size. Default 8 MiB. */
  segmentBytes?: number
  writeBufferBytes?: number
  writeIntervalMs?: number
  fsyncIntervalMs?: number
  /** Timers are injectable so tests can drive them; defaults use unref'ed intervals. */
  setInterval?: (fn: () => void, ms: number) => unknown
  clearInterval?: (handle: unknown) => void
}

export interface SpoolStats {
  records: number
  bytes: number
  /** Records not kept because the cap was reached (since open). */
  dropped: number
  /** Torn/corrupt frames skipped while reading (since open). */
  corrupt: number
  segments: number
  capBytes: number
}

export interface SpoolBatch {
  records: SpoolRecord[]
  bytes: number
  /** Opaque cursor for ack(). */
  readonly cursor: { seq: number; end: number; count: number }
}

export interface Spool {
  /** Append in order; returns how many were kept and how many were dropped at the cap. */
  append(records: readonly SpoolRecord[]): { kept: number; dropped: number }
  /** Oldest unacknowledged records (one segment at most), or null when the spool is empty. */
  peek(maxRecords: number, maxBytes: number): SpoolBatch | null
  /** The batch was delivered: never return those records again. */
  ack(batch: SpoolBatch): void
  isEmpty(): boolean
  stats(): SpoolStats
  /** Write the buffer and fsync. */
  flush(): void
  close(): void
}

export const DEFAULT_SPOOL_CAP = 2 * 1024 * 1024 * 1024
const HEADER = 8

export function encodeFrame(r: SpoolRecord): Buffer {
  const topic = Buffer.from(r.topic, 'utf8')
  const schema = Buffer.from(r.schema, 'utf8')
  const key = Buffer.from(r.key, 'utf8')
  const valueLen = Buffer.byteLength(r.value, 'utf8')
  if (topic.length > 0xffff || schema.length > 0xffff) throw new Error('topic/schema too long for the spool')
  const payloadLen = 2 + topic.length + 2 + schema.length + 4 + key.length + valueLen
  const buf = Buffer.allocUnsafe(HEADER + payloadLen)
  let o = HEADER
  buf.writeUInt16BE(topic.length, o)
  o += 2
  topic.copy(buf, o)
  o += topic.length
  buf.writeUInt16BE(schema.length, o)
  o += 2
  schema.copy(buf, o)
  o += schema.length
  buf.writeUInt32BE(key.length, o)
  o += 4
  key.copy(buf, o)
  o += key.length
  buf.write(r.value, o, 'utf8')
  buf.writeUInt32BE(payloadLen, 0)
  buf.writeUInt32BE(crc32(buf.subarray(HEADER)), 4)
  return buf
}

export interface DecodedFrames {
  records: { record: SpoolRecord; end: number; size: number }[]
  /** Offset after the last good frame. */
  end: number
  /** True when bytes after `end` could not be decoded (torn write or corruption). */
  torn: boolean
}

/** Decode frames from `buf` starting at `offset`, at most `maxRecords`/`maxBytes` (at least one record). */
export function decodeFrames(
  buf: Buffer,
  offset: number,
  maxRecords = Infinity,
  maxBytes = Infinity,
): DecodedFrames {
  const records: DecodedFrames['records'] = []
  let o = offset
  let bytes = 0
  while (o < buf.length && records.length < maxRecords) {
    if (buf.length - o < HEADER) return { records, end: o, torn: true }
    const len = buf.readUInt32BE(o)
    const crc = buf.readUInt32BE(o + 4)
    if (len < 8 || o + HEADER + len > buf.length) return { records, end: o, torn: true }
    const payload = buf.subarray(o + HEADER, o + HEADER + len)
    if (crc32(payload) !== crc) return { records, end: o, torn: true }
    const size = HEADER + len
    if (records.length > 0 && bytes + size > maxBytes) break
    let p = 0
    const tl = payload.readUInt16BE(p)
    p += 2
    const topic = payload.toString('utf8', p, p + tl)
    p += tl
    const sl = payload.readUInt16BE(p)
    p += 2
    const schema = payload.toString('utf8', p, p + sl)
    p += sl
    const kl = payload.readUInt32BE(p)
    p += 4
    const key = payload.toString('utf8', p, p + kl)
    p += kl
    const value = payload.toString('utf8', p)
    o += size
    bytes += size
    records.push({ record: { topic, key, value, schema }, end: o, size })
  }
  return { records, end: o, torn: false }
}

interface Segment {
  seq: number
  /** Bytes in the file (plus, for the active segment, bytes still in the write buffer). */
  size: number
  /** Good frames in the file not yet acknowledged. */
  unacked: number
  /** Read cursor: byte offset of the first unacknowledged frame. */
  acked: number
  sealed: boolean
}

const segName = (seq: number): string => `${String(seq).padStart(12, '0')}.seg`
const ackName = (seq: number): string => `${String(seq).padStart(12, '0')}.ack`

export function openSpool(opts: SpoolOptions): Spool {
  const dir = opts.dir
  const capBytes = opts.capBytes ?? DEFAULT_SPOOL_CAP
  const segmentBytes = opts.segmentBytes ?? 8 * 1024 * 1024
  const writeBufferBytes = opts.writeBufferBytes ?? 256 * 1024
  const setIv = opts.setInterval ?? ((fn: () => void, ms: number) => setInterval(fn, ms).unref())
  const clearIv = opts.clearInterval ?? ((h: unknown) => clearInterval(h as NodeJS.Timeout))
  mkdirSync(dir, { recursive: true })

  let dropped = 0
  let corrupt = 0
  const segments: Segment[] = []

  // Recover: every existing segment is sealed (we never append to a file a previous process wrote).
  const seqs = readdirSync(dir)
    .filter((f) => /^\d{12}\.seg$/.test(f))
    .map((f) => Number(f.slice(0, 12)))
    .sort((a, b) => a - b)
  for (const seq of seqs) {
    const file = join(dir, segName(seq))
    const buf = readFileSync(file)
    let acked = 0
    const ackFile = join(dir, ackName(seq))
    if (existsSync(ackFile)) {
      const n = Number(readFileSync(ackFile, 'utf8').trim())
      if (Number.isInteger(n) && n >= 0 && n <= buf.length) acked = n
    }
    const dec = decodeFrames(buf, acked)
    if (dec.torn) corrupt++
    if (dec.records.length === 0) {
      rmSync(file, { force: true })
      rmSync(ackFile, { force: true })
      continue
    }
    segments.push({ seq, size: dec.end, unacked: dec.records.length, acked, sealed: true })
  }
  let nextSeq = (seqs.length ? (seqs[seqs.length - 1] ?? 0) : 0) + 1

  let fd: number | null = null
  let active: Segment | null = null
  let pending: Buffer[] = []
  let pendingBytes = 0
  let dirty = false
  let closed = false
  let totalBytes = segments.reduce((s, g) => s + g.size, 0)
  let totalRecords = segments.reduce((s, g) => s + g.unacked, 0)

  // Cache of the segment being replayed, so peek() does not reread the file per batch.
  let cache: { seq: number; buf: Buffer } | null = null

  const writePending = (): void => {
    if (fd === null || pendingBytes === 0) return
    const buf = pending.length === 1 ? (pending[0] as Buffer) : Buffer.concat(pending, pendingBytes)
    let off = 0
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off)
    pending = []
    pendingBytes = 0
    dirty = true
  }
  const sync = (): void => {
    writePending()
    if (fd !== null && dirty) {
      fsyncSync(fd)
      dirty = false
    }
  }
  const seal = (): void => {
    if (!active || fd === null) return
    sync()
    closeSync(fd)
    fd = null
    active.sealed = true
    active = null
  }
  const openActive = (): Segment => {
    const seg: Segment = { seq: nextSeq++, size: 0, unacked: 0, acked: 0, sealed: false }
    fd = openSync(join(dir, segName(seg.seq)), 'a')
    segments.push(seg)
    active = seg
    return seg
  }

  const writeTimer = setIv(() => writePending(), opts.writeIntervalMs ?? 50)
  const fsyncTimer = setIv(() => sync(), opts.fsyncIntervalMs ?? 200)

  const dropSegment = (seg: Segment): void => {
    rmSync(join(dir, segName(seg.seq)), { force: true })
    rmSync(join(dir, ackName(seg.seq)), { force: true })
    totalBytes -= seg.size
    const i = segments.indexOf(seg)
    if (i >= 0) segments.splice(i, 1)
    if (cache?.seq === seg.seq) cache = null
  }

  return {
    append(records) {
      if (closed) throw new Error('spool is closed')
      let kept = 0
      let drop = 0
      for (const r of records) {
        const frame = encodeFrame(r)
        if (totalBytes + frame.length > capBytes) {
          drop++
          continue
        }
        let seg = active
        if (seg && seg.size + frame.length > segmentBytes && seg.size > 0) {
          seal()
          seg = null
        }
        seg ??= openActive()
        pending.push(frame)
        pendingBytes += frame.length
        seg.size += frame.length
        seg.unacked++
        totalBytes += frame.length
        totalRecords++
        kept++
        if (pendingBytes >= writeBufferBytes) writePending()
      }
      dropped += drop
      return { kept, dropped: drop }
    },

    peek(maxRecords, maxBytes) {
      while (segments.length > 0) {
        const seg = segments[0] as Segment
        if (seg.unacked === 0) {
          if (seg.sealed) {
            dropSegment(seg)
            continue
          }
          return null
        }
        // Replaying the segment we append to: seal it so its bytes are final; the next append opens a new one.
        if (!seg.sealed) seal()
        if (cache?.seq !== seg.seq) cache = { seq: seg.seq, buf: readFileSync(join(dir, segName(seg.seq))) }
        const dec = decodeFrames(cache.buf, seg.acked, maxRecords, maxBytes)
        if (dec.records.length === 0) {
          // Nothing decodable left (torn tail): count it once and drop the segment.
          corrupt++
          totalRecords -= seg.unacked
          dropSegment(seg)
          continue
        }
        const bytes = dec.records.reduce((s, r) => s + r.size, 0)
        return {
          records: dec.records.map((r) => r.record),
          bytes,
          cursor: { seq: seg.seq, end: dec.end, count: dec.records.length },
        }
      }
      return null
    },

    ack(batch) {
      const seg = segments.find((s) => s.seq === batch.cursor.seq)
      if (!seg || batch.cursor.end <= seg.acked) return
      seg.acked = batch.cursor.end
      seg.unacked -= batch.cursor.count
      totalRecords -= batch.cursor.count
      if (seg.unacked <= 0 && seg.sealed) dropSegment(seg)
      else writeFileSync(join(dir, ackName(seg.seq)), String(seg.acked))
    },

    isEmpty: () => totalRecords === 0,

    stats: () => ({
      records: totalRecords,
      bytes: totalBytes,
      dropped,
      corrupt,
      segments: segments.length,
      capBytes,
    }),

    flush: () => sync(),

    close() {
      if (closed) return
      closed = true
      clearIv(writeTimer)
      clearIv(fsyncTimer)
      seal()
    },
  }
}

/** Size of a spool folder on disk (for tests and diagnostics). */
export function spoolDiskBytes(dir: string): number {
  if (!existsSync(dir)) return 0
  return readdirSync(dir)
    .filter((f) => f.endsWith('.seg'))
    .reduce((s, f) => s + statSync(join(dir, f)).size, 0)
}
