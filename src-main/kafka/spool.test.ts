import { appendFileSync, mkdtempSync, readdirSync, rmSync, truncateSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { decodeFrames, encodeFrame, openSpool, spoolDiskBytes, type Spool, type SpoolRecord } from './spool'

const rec = (i: number, topic = 'market.trades'): SpoolRecord => ({
  topic,
  key: i % 2 ? 'AAPL' : 'BRK.B',
  value: JSON.stringify({ i, note: i % 3 ? 'plain' : 'ünïcødé ✓ "quoted"\n' }),
  schema: 'trade/v1',
})

/** Drain everything (acking each batch) and return it in order. */
function drain(s: Spool, maxRecords = 7, maxBytes = 1 << 20): SpoolRecord[] {
  const out: SpoolRecord[] = []
  for (let b = s.peek(maxRecords, maxBytes); b; b = s.peek(maxRecords, maxBytes)) {
    out.push(...b.records)
    s.ack(b)
  }
  return out
}

let dir: string
const open: Spool[] = []
const mk = (o: Partial<Parameters<typeof openSpool>[0]> = {}): Spool => {
  // Manual timers: nothing runs behind the test's back.
  const s = openSpool({ dir, setInterval: () => 0, clearInterval: () => {}, ...o })
  open.push(s)
  return s
}
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'spool-'))
})
afterEach(() => {
  for (const s of open.splice(0)) s.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('frame codec', () => {
  it.each([
    ['ascii', { topic: 't', key: 'k', value: '{}', schema: 's/v1' }],
    ['empty key and value', { topic: 'p.market.trades', key: '', value: '', schema: 'trade/v1' }],
    [
      'unicode',
      { topic: 'news.articles', key: 'world/2026/nov/28/é', value: '{"t":"日本 ✓"}', schema: 'article/v1' },
    ],
  ])('round-trips %s', (_name, r) => {
    const buf = encodeFrame(r)
    const d = decodeFrames(buf, 0)
    expect(d.torn).toBe(false)
    expect(d.records.map((x) => x.record)).toEqual([r])
    expect(d.end).toBe(buf.length)
  })

  it('stops at a torn frame and at a crc mismatch', () => {
    const a = encodeFrame(rec(1))
    const b = encodeFrame(rec(2))
    const torn = Buffer.concat([a, b.subarray(0, b.length - 3)])
    expect(decodeFrames(torn, 0)).toMatchObject({ end: a.length, torn: true })
    const flipped = Buffer.concat([a, b])
    flipped[flipped.length - 1] = (flipped[flipped.length - 1] ?? 0) ^ 0xff
    const d = decodeFrames(flipped, 0)
    expect(d.records).toHaveLength(1)
    expect(d.torn).toBe(true)
  })

  it('honours maxRecords and maxBytes but always returns at least one record', () => {
    const buf = Buffer.concat([1, 2, 3, 4].map((i) => encodeFrame(rec(i))))
    expect(decodeFrames(buf, 0, 2).records).toHaveLength(2)
    expect(decodeFrames(buf, 0, Infinity, 1).records).toHaveLength(1)
  })
})

describe('spool', () => {
  it('returns records in append order across segment rolls', () => {
    const s = mk({ segmentBytes: 300 })
    const input = Array.from({ length: 50 }, (_, i) => rec(i))
    for (let i = 0; i < input.length; i += 5)
      expect(s.append(input.slice(i, i + 5))).toEqual({ kept: 5, dropped: 0 })
    expect(s.stats().records).toBe(50)
    expect(s.stats().segments).toBeGreaterThan(3)
    expect(drain(s)).toEqual(input)
    expect(s.isEmpty()).toBe(true)
    expect(s.stats()).toMatchObject({ records: 0, bytes: 0, dropped: 0 })
    expect(readdirSync(dir).filter((f) => f.endsWith('.seg'))).toEqual([])
  })

  it('an unacknowledged batch is returned again', () => {
    const s = mk()
    s.append([rec(1), rec(2), rec(3)])
    const a = s.peek(2, 1 << 20)
    const b = s.peek(2, 1 << 20)
    expect(a?.records).toEqual([rec(1), rec(2)])
    expect(b?.records).toEqual(a?.records)
    if (a) s.ack(a)
    expect(drain(s)).toEqual([rec(3)])
  })

  it('keeps order when appends continue while the spool is being replayed', () => {
    const s = mk({ segmentBytes: 1 << 20 })
    const out: SpoolRecord[] = []
    let next = 0
    for (let round = 0; round < 10; round++) {
      s.append([rec(next++), rec(next++), rec(next++)])
      const b = s.peek(2, 1 << 20)
      if (b) {
        out.push(...b.records)
        s.ack(b)
      }
    }
    out.push(...drain(s))
    expect(out).toEqual(Array.from({ length: next }, (_, i) => rec(i)))
  })

  it('survives a restart: flushed records are replayed by the next process, acked ones are not', () => {
    const s1 = mk({ segmentBytes: 400 })
    const input = Array.from({ length: 30 }, (_, i) => rec(i))
    s1.append(input)
    const first = s1.peek(4, 1 << 20)
    expect(first).not.toBeNull()
    if (first) s1.ack(first)
    // No close(): simulate a kill after the periodic flush ran.
    s1.flush()
    const s2 = openSpool({ dir, setInterval: () => 0, clearInterval: () => {} })
    open.push(s2)
    expect(s2.stats().records).toBe(26)
    expect(drain(s2)).toEqual(input.slice(4))
  })

  it('the write timer puts buffered records on disk without an explicit flush', () => {
    const timers: (() => void)[] = []
    const s = mk({ setInterval: (fn) => timers.push(fn), writeBufferBytes: 1 << 20 })
    s.append([rec(1), rec(2)])
    expect(spoolDiskBytes(dir)).toBe(0)
    for (const t of timers) t()
    expect(spoolDiskBytes(dir)).toBe(s.stats().bytes)
  })

  it('reaching the cap drops and counts records, keeps the rest intact, and frees space once replayed', () => {
    // Same-size records: two-digit i, odd (same key), not a multiple of 3 (same note).
    const input = Array.from({ length: 80 }, (_, i) => i + 10)
      .filter((i) => i % 2 === 1 && i % 3 !== 0)
      .slice(0, 15)
      .map((i) => rec(i))
    const one = encodeFrame(input[0] ?? rec(11)).length
    const s = mk({ capBytes: one * 10 + 5, segmentBytes: one * 3 })
    expect(s.append(input)).toEqual({ kept: 10, dropped: 5 })
    expect(s.stats()).toMatchObject({ records: 10, dropped: 5 })
    expect(s.append([rec(11)])).toEqual({ kept: 0, dropped: 1 })
    expect(s.stats().dropped).toBe(6)
    expect(drain(s)).toEqual(input.slice(0, 10))
    expect(s.append([rec(11)])).toEqual({ kept: 1, dropped: 0 })
    expect(s.stats().bytes).toBeLessThanOrEqual(s.stats().capBytes)
  })

  it('skips a torn tail left by a crash mid-write and counts it', () => {
    const s1 = mk()
    s1.append([rec(1), rec(2), rec(3)])
    s1.close()
    const seg = readdirSync(dir).find((f) => f.endsWith('.seg')) ?? ''
    const file = join(dir, seg)
    truncateSync(file, statSync(file).size - 5)
    const s2 = mk()
    expect(s2.stats()).toMatchObject({ records: 2, corrupt: 1 })
    expect(drain(s2)).toEqual([rec(1), rec(2)])
  })

  it('ignores garbage appended after good frames', () => {
    const s1 = mk()
    s1.append([rec(1)])
    s1.close()
    const seg = readdirSync(dir).find((f) => f.endsWith('.seg')) ?? ''
    appendFileSync(join(dir, seg), Buffer.from('garbage-garbage'))
    const s2 = mk()
    expect(drain(s2)).toEqual([rec(1)])
    expect(s2.stats().corrupt).toBe(1)
  })

  it('never appends to a segment written by a previous process', () => {
    const s1 = mk()
    s1.append([rec(1)])
    s1.close()
    const s2 = mk()
    s2.append([rec(2)])
    s2.flush()
    expect(readdirSync(dir).filter((f) => f.endsWith('.seg'))).toHaveLength(2)
    expect(drain(s2)).toEqual([rec(1), rec(2)])
  })
})
