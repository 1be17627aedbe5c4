// Damage sweep of the disk spool: bit flips at every offset class, zero-filled blocks, torn tails and torn
// `.ack` cursors. Property: every record the damage did not touch, and that was not acknowledged, is replayed
// exactly once and in order; damage is counted and its bytes are kept in the quarantine folder.
// The numbers for docs/reliability.md come from here (see the summary test at the end).
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { encodeFrame, formatAck, openSpool, parseAck, scanFrames, describeDamage, type Spool, type SpoolRecord } from './spool'
import { mulberry32 } from '../simulator/prng'

/** Deterministic PRNG: the sweep is the same on every run. */
const rng = mulberry32

const rec = (i: number, rand: () => number): SpoolRecord => ({
  topic: i % 5 === 0 ? 'news.articles' : 'market.trades',
  key: `K${i % 7}`,
  value: JSON.stringify({ i, pad: 'x'.repeat(Math.floor(rand() * 60)), u: i % 3 ? '' : 'ünï ✓' }),
  schema: i % 5 === 0 ? 'article/v1' : 'trade/v1',
})

const fast = { setInterval: () => 0, clearInterval: () => {} }

function drain(s: Spool): SpoolRecord[] {
  const out: SpoolRecord[] = []
  for (let b = s.peek(5, 1 << 20); b; b = s.peek(5, 1 << 20)) {
    out.push(...b.records)
    s.ack(b)
  }
  return out
}

interface Layout {
  dir: string
  /** Every record appended, in order. */
  all: SpoolRecord[]
  /** How many of them were acknowledged before the "crash". */
  ackedCount: number
  /** Per segment file: the records and their byte ranges. */
  segments: { file: string; ack: string; records: { index: number; start: number; end: number }[] }[]
}

const dirs: string[] = []
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

/** A spool with `n` records over several segments, `acked` of them delivered, closed as a process would at exit. */
function build(seed: number, n = 24, acked = 3, segmentBytes = 700): Layout {
  const rand = rng(seed)
  const dir = mkdtempSync(join(tmpdir(), 'spool-damage-'))
  dirs.push(dir)
  const all = Array.from({ length: n }, (_, i) => rec(i, rand))
  const s = openSpool({ dir, segmentBytes, ...fast })
  s.append(all)
  let done = 0
  while (done < acked) {
    const b = s.peek(Math.min(2, acked - done), 1 << 20)
    if (!b) break
    s.ack(b)
    done += b.records.length
  }
  s.close()
  const segFiles = readdirSync(dir)
    .filter((f) => f.endsWith('.seg'))
    .sort()
  // Acked records of the first segment are still in its file (its cursor skips them); segments fully acked are gone.
  const totalInFiles = segFiles.reduce((c, f) => c + scanFrames(readFileSync(join(dir, f))).frames.length, 0)
  let index = n - totalInFiles
  const segments = segFiles.map((f) => {
    const frames = scanFrames(readFileSync(join(dir, f))).frames
    const records = frames.map((fr) => ({ index: index++, start: fr.start, end: fr.end }))
    return { file: join(dir, f), ack: join(dir, f.replace('.seg', '.ack')), records }
  })
  return { dir, all, ackedCount: done, segments }
}

/** A fresh copy of a built spool (same files, same layout), cheaper than building it again. */
function copyOf(l: Layout): Layout {
  const dir = mkdtempSync(join(tmpdir(), 'spool-damage-'))
  dirs.push(dir)
  cpSync(l.dir, dir, { recursive: true })
  const move = (p: string): string => join(dir, p.slice(l.dir.length + 1))
  return { ...l, dir, segments: l.segments.map((g) => ({ ...g, file: move(g.file), ack: move(g.ack) })) }
}

/** Reopen after the damage and replay everything. */
function replay(l: Layout): { out: SpoolRecord[]; spool: Spool } {
  const s = openSpool({ dir: l.dir, ...fast })
  const out = drain(s)
  s.close()
  return { out, spool: s }
}

/** Expected replay: every unacked record whose bytes the damage left alone, in order. */
function expected(l: Layout, touched: (segIndex: number, r: { start: number; end: number }) => boolean): SpoolRecord[] {
  const out: SpoolRecord[] = []
  l.segments.forEach((seg, si) => {
    for (const r of seg.records) if (r.index >= l.ackedCount && !touched(si, r)) out.push(l.all[r.index] as SpoolRecord)
  })
  return out
}

const overlaps = (r: { start: number; end: number }, a: number, b: number): boolean => r.start < b && a < r.end

/** Tally for the reliability table. */
const tally = { cases: 0, undamagedExpected: 0, replayed: 0, lost: 0, duplicated: 0, outOfOrder: 0, damageCounted: 0, zeroBlockRecordsActual: 0, zeroBlockRecordsCounted: 0 }
function check(out: SpoolRecord[], want: SpoolRecord[], acked: readonly SpoolRecord[] = []): void {
  tally.cases++
  tally.undamagedExpected += want.length
  // Records acknowledged before the crash may come back only when their cursor was damaged (at-least-once).
  const ackedSet = new Set(acked.map((r) => r.value))
  const fresh = out.filter((r) => !ackedSet.has(r.value))
  const values = out.map((r) => r.value)
  tally.duplicated += values.length - new Set(values).size
  tally.replayed += fresh.length
  const wantSet = new Set(want.map((r) => r.value))
  tally.lost += want.filter((r) => !fresh.some((f) => f.value === r.value)).length
  if (fresh.length !== want.length || fresh.some((r, i) => r.value !== want[i]?.value)) tally.outOfOrder += wantSet.size > 0 ? 1 : 0
  expect(new Set(values).size).toBe(values.length)
  expect(fresh).toEqual(want)
}

describe('spool damage sweep', () => {
  it('a bit flip at every byte of three records costs exactly the record it hits', () => {
    const base = build(1)
    const seg = base.segments[1]
    expect(seg).toBeDefined()
    if (!seg) return
    const pristine = readFileSync(seg.file)
    const ackText = readFileSync(base.segments[0]?.ack ?? '', 'utf8')
    // Every byte of the segment's first two and last records: each offset class (length field, CRC field, topic,
    // schema and key lengths and bytes, value, a record's last byte) at the segment's start, middle and end.
    const r = seg.records
    const spans = [r[0], r[1], r[r.length - 1]].filter((x): x is { index: number; start: number; end: number } => !!x)
    const offsets = spans.flatMap((x) => Array.from({ length: x.end - x.start }, (_, i) => x.start + i))
    expect(offsets.length).toBeGreaterThan(150)
    for (const off of offsets) {
      const l = copyOf(base)
      const damaged = Buffer.from(pristine)
      damaged[off] = (damaged[off] ?? 0) ^ (1 << off % 8)
      writeFileSync(l.segments[1]?.file ?? '', damaged)
      expect(readFileSync(l.segments[0]?.ack ?? '', 'utf8')).toBe(ackText)
      const { out, spool } = replay(l)
      check(out, expected(l, (si, r) => si === 1 && overlaps(r, off, off + 1)))
      const d = spool.stats().damage
      expect(d?.damagedRecords).toBe(1)
      if (d) tally.damageCounted++
      const q = readdirSync(join(l.dir, 'quarantine'))
      expect(q).toHaveLength(1)
      expect(readFileSync(join(l.dir, 'quarantine', q[0] ?? '')).includes(damaged.subarray(off, off + 1))).toBe(true)
      rmSync(l.dir, { recursive: true, force: true })
    }
  }, 180_000)

  it('bit flips in the first (partly acknowledged) segment keep its cursor and the records around them', () => {
    for (let trial = 0; trial < 60; trial++) {
      const l = build(100 + trial)
      const seg = l.segments[0]
      if (!seg) throw new Error('no segment')
      const buf = readFileSync(seg.file)
      const rand = rng(trial)
      const off = Math.floor(rand() * buf.length)
      buf[off] = (buf[off] ?? 0) ^ (1 << Math.floor(rand() * 8))
      writeFileSync(seg.file, buf)
      const { out, spool } = replay(l)
      check(out, expected(l, (si, r) => si === 0 && overlaps(r, off, off + 1)))
      expect(spool.stats().damage).not.toBeNull()
      tally.damageCounted++
      rmSync(l.dir, { recursive: true, force: true })
    }
  }, 180_000)

  it('zero-filled blocks (power cut) lose only the records they overlap', () => {
    for (let trial = 0; trial < 80; trial++) {
      const rand = rng(1000 + trial)
      const l = build(200 + trial)
      const si = Math.floor(rand() * l.segments.length)
      const seg = l.segments[si]
      if (!seg) throw new Error('no segment')
      const buf = readFileSync(seg.file)
      const before = Buffer.from(buf)
      const len = 1 + Math.floor(rand() * 300)
      const at = Math.floor(rand() * buf.length)
      const end = Math.min(buf.length, at + len)
      buf.fill(0, at, end)
      writeFileSync(seg.file, buf)
      // A record is touched when one of its bytes changed (a length field's high bytes are zero already).
      const changed = (r: { start: number; end: number }): boolean => !before.subarray(r.start, r.end).equals(buf.subarray(r.start, r.end))
      const { out, spool } = replay(l)
      check(out, expected(l, (s, r) => s === si && changed(r)))
      const d = spool.stats().damage
      if (before.equals(buf)) expect(d).toBeNull()
      else {
        expect(d?.damagedBytes).toBeGreaterThan(0)
        // Exact when the headers in the block survived, else estimated from sizes: within two records.
        const actual = l.segments[si]?.records.filter(changed).length ?? 0
        tally.zeroBlockRecordsActual += actual
        tally.zeroBlockRecordsCounted += d?.damagedRecords ?? 0
        expect(Math.abs((d?.damagedRecords ?? 0) - actual)).toBeLessThanOrEqual(2)
        tally.damageCounted++
      }
      rmSync(l.dir, { recursive: true, force: true })
    }
  }, 180_000)

  it('torn tails (a crash mid-write) lose only the records past the cut', () => {
    for (let trial = 0; trial < 60; trial++) {
      const rand = rng(2000 + trial)
      const l = build(300 + trial)
      const si = l.segments.length - 1 - Math.floor(rand() * 2)
      const seg = l.segments[si]
      if (!seg) throw new Error('no segment')
      const buf = readFileSync(seg.file)
      const cut = Math.floor(rand() * buf.length)
      writeFileSync(seg.file, buf.subarray(0, cut))
      const { out } = replay(l)
      check(out, expected(l, (s, r) => s === si && r.end > cut))
      rmSync(l.dir, { recursive: true, force: true })
    }
  }, 180_000)

  it('a torn or flipped .ack never skips a record: at worst acknowledged ones come back once', () => {
    const tears: ((t: string, rand: () => number) => string)[] = [
      (t, rand) => t.slice(0, Math.floor(rand() * t.length)), // torn write: a prefix
      () => '', // truncated to nothing
      (t, rand) => {
        const i = Math.floor(rand() * t.length)
        return t.slice(0, i) + String.fromCharCode((t.charCodeAt(i) ^ (1 << Math.floor(rand() * 7))) || 1) + t.slice(i + 1)
      },
      (t) => t.replace(/:.*/, ''), // an older build's bare number, on a boundary
      (t) => String(Number(t.split(':')[0]) - 3), // an older build's bare number, off a boundary
      () => '\0\0\0\0\0\0', // zero-filled
    ]
    for (let trial = 0; trial < 90; trial++) {
      const rand = rng(3000 + trial)
      // A cursor exists unless the acknowledged records ended exactly on a segment end: then ack one more.
      let l = build(400 + trial, 24, 3 + (trial % 4))
      if (!l.segments.some((g) => existsSync(g.ack))) l = build(400 + trial, 24, 4 + (trial % 4))
      const seg = l.segments.find((g) => existsSync(g.ack))
      if (!seg) throw new Error('no cursor')
      const tear = tears[trial % tears.length] as (t: string, rand: () => number) => string
      writeFileSync(seg.ack, tear(readFileSync(seg.ack, 'utf8'), rand))
      const { out } = replay(l)
      check(out, expected(l, () => false), l.all.slice(0, l.ackedCount))
      // Everything not acknowledged comes back in order, after any acknowledged repeats.
      rmSync(l.dir, { recursive: true, force: true })
    }
  }, 180_000)

  it('damage at runtime (after open) is skipped by peek() too', () => {
    const l = build(9, 24, 0)
    const s = openSpool({ dir: l.dir, ...fast })
    const seg = l.segments[0]
    if (!seg) throw new Error('no segment')
    const r1 = seg.records[1]
    if (!r1) throw new Error('no record')
    const buf = readFileSync(seg.file)
    buf[r1.start + 12] = (buf[r1.start + 12] ?? 0) ^ 4
    writeFileSync(seg.file, buf)
    const out = drain(s)
    check(out, expected(l, (si, r) => si === 0 && r.start === r1.start))
    expect(s.stats().damage).toMatchObject({ damagedRecords: 1 })
    expect(s.isEmpty()).toBe(true)
    s.close()
  })

  it('a damaged segment is rewritten once: the next start finds nothing new to report', () => {
    const l = build(11)
    const seg = l.segments[1]
    if (!seg) throw new Error('no segment')
    const buf = readFileSync(seg.file)
    buf.fill(0, 100, 180)
    writeFileSync(seg.file, buf)
    const s1 = openSpool({ dir: l.dir, ...fast })
    const d = s1.stats().damage
    expect(d).not.toBeNull()
    expect(describeDamage(d ?? { damagedRecords: 0, recoveredRecords: 0, damagedBytes: 0, damagedCursors: 0, quarantineDir: '' })).toMatch(
      /^spool: \d+ records? damaged, \d+ recovered; damaged bytes \(\d+\) kept in .*quarantine$/,
    )
    const records = s1.stats().records
    s1.close()
    const s2 = openSpool({ dir: l.dir, ...fast })
    expect(s2.stats()).toMatchObject({ damage: null, records })
    s2.close()
  })

  it('cursor format: offset and checksum; bare numbers from older builds are read, garbage is not', () => {
    expect(parseAck(formatAck(1234))).toEqual({ offset: 1234, verified: true })
    expect(parseAck('1234\n')).toEqual({ offset: 1234, verified: false })
    expect(parseAck('1235:' + formatAck(1234).split(':')[1])).toBeNull()
    expect(parseAck('')).toBeNull()
    expect(parseAck('12a')).toBeNull()
  })

  it('summary (for docs/reliability.md)', () => {
    // Runs last in this file: the sweep above filled the tally.
    console.log(`spool damage sweep: ${JSON.stringify(tally)}`)
    expect(tally.cases).toBeGreaterThan(400)
    expect(tally.lost).toBe(0)
    expect(tally.duplicated).toBe(0)
    expect(tally.outOfOrder).toBe(0)
  })
})

it('encodeFrame sanity for the sweep: records are a few dozen bytes', () => {
  expect(encodeFrame(rec(1, rng(1))).length).toBeGreaterThan(40)
})
