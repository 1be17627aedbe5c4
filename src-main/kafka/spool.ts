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
// - `.ack` cursors are replaced atomically (temp file, fsync, rename, fsync the folder) and carry their own
//   checksum (`<offset>:<crc32 hex>`), so a torn or flipped cursor is recognised, never trusted.
// Recovery (on open, and in peek() if a frame goes bad under us): a segment is scanned frame by frame; a frame
// whose length or CRC does not hold is skipped by resynchronising on the next offset where a whole valid frame
// starts, so one bad byte costs the record it sits in and nothing else. The damaged bytes are kept in
// `<dir>/quarantine/<seq>.<start>-<end>.bad`, the segment is rewritten with its intact unacknowledged records,
// and the count ("N records damaged, M recovered") goes to stats().damage and from there to the status and log.
// A cursor that is damaged or not on a frame boundary is moved back (to the previous boundary, or the segment
// start): records may then be replayed twice (at-least-once; duplicates are exact repeats), never skipped.
// Order: records come back in exactly the order they were appended, across restarts (segments by seq).
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
  writeSync,
} from 'node:fs'
import { join } from 'node:path'
import { crc32 } from 'node:zlib'
import { fsyncDir, writeFileAtomic } from '../domain/atomic-write'

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
  /** Damaged spans (torn or corrupt bytes between intact frames) found since open. */
  corrupt: number
  /** What recovery found since open: records lost to damage, intact records kept around it, where the bytes went. */
  damage: SpoolDamage | null
  segments: number
  capBytes: number
}

export interface SpoolDamage {
  /** Records the damaged bytes held (at least one per damaged span; frames inside a span are counted when their lengths still chain). */
  damagedRecords: number
  /** Intact unacknowledged records kept from the damaged segments. */
  recoveredRecords: number
  damagedBytes: number
  /** Cursors (`.ack`) that were unreadable or off a frame boundary: some records may be replayed twice. */
  damagedCursors: number
  /** Folder holding the damaged bytes, one file per span. */
  quarantineDir: string
}

/** What the user reads: "2 records damaged, 264 recovered; damaged bytes kept in …". Pure. */
export function describeDamage(d: SpoolDamage): string {
  const parts: string[] = []
  if (d.damagedRecords > 0 || d.damagedBytes > 0)
    parts.push(`${d.damagedRecords} record${d.damagedRecords === 1 ? '' : 's'} damaged, ${d.recoveredRecords} recovered; damaged bytes (${d.damagedBytes}) kept in ${d.quarantineDir}`)
  if (d.damagedCursors > 0)
    parts.push(`${d.damagedCursors} damaged read cursor${d.damagedCursors === 1 ? '' : 's'}: some records may be sent twice`)
  return `spool: ${parts.join('; ')}`
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

/** The frame starting at `o`, when a whole one with a matching CRC and a well-formed payload starts there. */
export function frameAt(buf: Buffer, o: number): { record: SpoolRecord; end: number } | null {
  if (o < 0 || buf.length - o < HEADER) return null
  const len = buf.readUInt32BE(o)
  if (len < 8 || len > buf.length - o - HEADER) return null
  const p0 = o + HEADER
  const pEnd = p0 + len
  // Structure first (cheap), CRC second.
  const tl = buf.readUInt16BE(p0)
  if (p0 + 2 + tl + 2 > pEnd) return null
  const sl = buf.readUInt16BE(p0 + 2 + tl)
  if (p0 + 4 + tl + sl + 4 > pEnd) return null
  const kl = buf.readUInt32BE(p0 + 4 + tl + sl)
  if (p0 + 8 + tl + sl + kl > pEnd) return null
  if (crc32(buf.subarray(p0, pEnd)) !== buf.readUInt32BE(o + 4)) return null
  let p = p0 + 2
  const topic = buf.toString('utf8', p, p + tl)
  p += tl + 2
  const schema = buf.toString('utf8', p, p + sl)
  p += sl + 4
  const key = buf.toString('utf8', p, p + kl)
  p += kl
  const value = buf.toString('utf8', p, pEnd)
  return { record: { topic, key, value, schema }, end: pEnd }
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
    const f = frameAt(buf, o)
    if (!f) return { records, end: o, torn: true }
    const size = f.end - o
    if (records.length > 0 && bytes + size > maxBytes) break
    o = f.end
    bytes += size
    records.push({ record: f.record, end: o, size })
  }
  return { records, end: o, torn: false }
}

export interface ScannedFrame {
  record: SpoolRecord
  start: number
  end: number
}
export interface DamagedSpan {
  start: number
  end: number
  /** Records the span held, as far as their length fields still chain (at least 1). */
  records: number
}
export interface ScanResult {
  frames: ScannedFrame[]
  damaged: DamagedSpan[]
}

/**
 * Records a damaged span held. Exact when the length fields inside it still chain from its start to its end (a flip
 * in a payload or CRC, a zeroed block that spared the headers); else estimated from the span's size and the
 * segment's typical frame size. At least 1. Pure.
 */
export function recordsInSpan(buf: Buffer, start: number, end: number, typicalFrame: number): number {
  const lenAt = (o: number): number | null => {
    if (end - o < HEADER) return null
    const len = buf.readUInt32BE(o)
    return len >= 8 && o + HEADER + len <= end ? len : null
  }
  const zeroHeader = (o: number): boolean => end - o >= 4 && buf.readUInt32BE(o) === 0
  // Follow the length fields while each lands on the span's end or on something that still looks like a header
  // (a plausible length, or a zeroed one): a flipped length lands inside a payload and is not followed.
  let n = 0
  let o = start
  for (;;) {
    const len = lenAt(o)
    if (len === null) break
    const next = o + HEADER + len
    if (next !== end && lenAt(next) === null && !zeroHeader(next)) break
    o = next
    n++
    if (o === end) return n
  }
  return n + Math.max(1, Math.round((end - o) / Math.max(1, typicalFrame)))
}

/**
 * Every intact frame of `buf` from `offset`, resynchronising past damage: after a bad frame the scan moves on
 * byte by byte to the next offset where a whole valid frame starts. Everything in between is a damaged span.
 */
export function scanFrames(buf: Buffer, offset = 0): ScanResult {
  const frames: ScannedFrame[] = []
  const damaged: DamagedSpan[] = []
  let o = offset
  while (o < buf.length) {
    const f = frameAt(buf, o)
    if (f) {
      frames.push({ record: f.record, start: o, end: f.end })
      o = f.end
      continue
    }
    const start = o
    o++
    while (o < buf.length && !frameAt(buf, o)) o++
    damaged.push({ start, end: o, records: 0 })
  }
  const sizes = frames.map((f) => f.end - f.start).sort((a, b) => a - b)
  const typical = sizes[Math.floor(sizes.length / 2)] ?? buf.length - offset
  for (const d of damaged) d.records = recordsInSpan(buf, d.start, d.end, typical)
  return { frames, damaged }
}

/** `.ack` content: the offset and its CRC, so a torn or flipped cursor is never trusted. */
export const formatAck = (offset: number): string => `${offset}:${crc32(Buffer.from(String(offset))).toString(16)}\n`

/** The offset an `.ack` holds; `legacy` for a bare number (older builds), null when unreadable. Pure. */
export function parseAck(text: string): { offset: number; verified: boolean } | null {
  const t = text.trim()
  const m = /^(\d{1,15}):([0-9a-f]{1,8})$/.exec(t)
  if (m) {
    const offset = Number(m[1])
    return crc32(Buffer.from(String(offset))).toString(16) === m[2] ? { offset, verified: true } : null
  }
  if (/^\d{1,15}$/.test(t)) return { offset: Number(t), verified: false }
  return null
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
  const quarantineDir = join(dir, 'quarantine')
  mkdirSync(dir, { recursive: true })
  // Temp files of an atomic write a crash interrupted (the target still holds the old content).
  for (const f of readdirSync(dir)) if (/^\..*\.tmp$/.test(f)) rmSync(join(dir, f), { force: true })

  let dropped = 0
  let corrupt = 0
  let damage: SpoolDamage | null = null
  const segments: Segment[] = []

  const noteDamage = (d: Partial<Omit<SpoolDamage, 'quarantineDir'>>): void => {
    damage ??= { damagedRecords: 0, recoveredRecords: 0, damagedBytes: 0, damagedCursors: 0, quarantineDir }
    damage.damagedRecords += d.damagedRecords ?? 0
    damage.recoveredRecords += d.recoveredRecords ?? 0
    damage.damagedBytes += d.damagedBytes ?? 0
    damage.damagedCursors += d.damagedCursors ?? 0
  }
  /** Keep the damaged bytes, one file per span, before anything is rewritten. */
  const quarantine = (seq: number, buf: Buffer, spans: readonly DamagedSpan[]): void => {
    if (spans.length === 0) return
    mkdirSync(quarantineDir, { recursive: true })
    for (const s of spans) {
      writeFileAtomic(join(quarantineDir, `${segName(seq)}.${s.start}-${s.end}.bad`), buf.subarray(s.start, s.end))
    }
    corrupt += spans.length
    noteDamage({
      damagedRecords: spans.reduce((n, s) => n + s.records, 0),
      damagedBytes: spans.reduce((n, s) => n + s.end - s.start, 0),
    })
  }
  /**
   * Replace a damaged segment by its intact unacknowledged frames. The cursor goes first: a crash between the two
   * steps leaves the old file read from its start (replayed again, never skipped).
   */
  const rewrite = (seq: number, buf: Buffer, frames: readonly ScannedFrame[]): void => {
    const file = join(dir, segName(seq))
    rmSync(join(dir, ackName(seq)), { force: true })
    fsyncDir(dir)
    if (frames.length === 0) {
      rmSync(file, { force: true })
      fsyncDir(dir)
      return
    }
    writeFileAtomic(file, Buffer.concat(frames.map((f) => buf.subarray(f.start, f.end))))
  }

  // Recover: every existing segment is sealed (we never append to a file a previous process wrote).
  const seqs = readdirSync(dir)
    .filter((f) => /^\d{12}\.seg$/.test(f))
    .map((f) => Number(f.slice(0, 12)))
    .sort((a, b) => a - b)
  for (const seq of seqs) {
    const file = join(dir, segName(seq))
    const buf = readFileSync(file)
    const ackFile = join(dir, ackName(seq))
    const scan = scanFrames(buf)
    let acked = 0
    let cursorDamaged = false
    if (existsSync(ackFile)) {
      const a = parseAck(readFileSync(ackFile, 'utf8'))
      if (a === null) cursorDamaged = true
      else if (a.verified) acked = a.offset // written atomically with its checksum: a boundary when written
      else {
        // A bare number from an older build: trusted on a frame boundary, else moved back to the one before it.
        const boundaries = new Set([buf.length, ...scan.frames.map((f) => f.start), ...scan.damaged.map((d) => d.start)])
        if (boundaries.has(a.offset)) acked = a.offset
        else {
          cursorDamaged = true
          for (const f of scan.frames) if (f.start <= a.offset) acked = f.start
        }
      }
    }
    if (cursorDamaged) noteDamage({ damagedCursors: 1 })
    const pending = scan.frames.filter((f) => f.start >= acked)
    if (scan.damaged.length > 0) {
      quarantine(seq, buf, scan.damaged)
      noteDamage({ recoveredRecords: pending.length })
      rewrite(seq, buf, pending)
      if (pending.length === 0) continue
      const size = pending.reduce((n, f) => n + f.end - f.start, 0)
      segments.push({ seq, size, unacked: pending.length, acked: 0, sealed: true })
      continue
    }
    if (pending.length === 0) {
      rmSync(file, { force: true })
      rmSync(ackFile, { force: true })
      continue
    }
    segments.push({ seq, size: buf.length, unacked: pending.length, acked, sealed: true })
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
    fsyncDir(dir)
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
  const writeAck = (seg: Segment): void => writeFileAtomic(join(dir, ackName(seg.seq)), formatAck(seg.acked))

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
          // The frame at the cursor went bad after it was written: resynchronise on the rest of the file.
          const scan = scanFrames(cache.buf, seg.acked)
          quarantine(seg.seq, cache.buf, scan.damaged)
          noteDamage({ recoveredRecords: scan.frames.length })
          totalRecords -= seg.unacked - scan.frames.length
          seg.unacked = scan.frames.length
          const next = scan.frames[0]
          if (!next) {
            dropSegment(seg)
            continue
          }
          seg.acked = next.start
          writeAck(seg)
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
      else writeAck(seg)
    },

    isEmpty: () => totalRecords === 0,

    stats: () => ({
      records: totalRecords,
      bytes: totalBytes,
      dropped,
      corrupt,
      damage: damage ? { ...damage } : null,
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
