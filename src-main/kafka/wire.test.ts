// The wire codec against an independent oracle: kafkajs' own decoders, CRC-32C and murmur2.
import { createRequire } from 'node:module'
import { gunzipSync, gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { produceResponseBody } from './test-support'
import {
  CODEC_GZIP,
  CODEC_NONE,
  crc32c,
  decodeInitProducerIdResponse,
  decodeProduceResponse,
  encodeBatch,
  encodeRecords,
  frameRequest,
  initProducerIdBody,
  murmur2,
  nextSequence,
  partitionFor,
  produceBody,
  varintSize,
  WireDecodeError,
  type WireRecord,
} from './wire'

const require = createRequire(import.meta.url)
interface KjsDecoder {
  readInt16(): number
  readInt32(): number
  readString(): string
  readBytes(n: number): Buffer
  offset: number
}
const Decoder = require('kafkajs/src/protocol/decoder') as new (b: Buffer) => KjsDecoder
const decodeBatch = require('kafkajs/src/protocol/recordBatch/v0/decoder') as (d: KjsDecoder) => Promise<{
  firstOffset: string
  lastOffsetDelta: number
  firstTimestamp: string
  maxTimestamp: string
  producerId: string
  producerEpoch: number
  firstSequence: number
  inTransaction: boolean
  isControlBatch: boolean
  records: {
    key: Buffer | null
    value: Buffer | null
    headers: Record<string, Buffer>
    offset: string
    timestamp: string
  }[]
}>
const kjsCrc32C = require('kafkajs/src/protocol/recordBatch/crc32C') as (b: Buffer) => number
const kjsMurmur2 = require('kafkajs/src/producer/partitioners/default/murmur2') as (k: Buffer) => number

const rec = (key: string, value: string, schema = 'trade/v1'): WireRecord => ({ key, value, schema })

function batchOf(
  records: WireRecord[],
  codec: 0 | 1,
  over: Partial<{ seq: number; pid: bigint; epoch: number }> = {},
): Buffer {
  const raw = encodeRecords(records)
  return encodeBatch({
    count: records.length,
    section: codec === CODEC_GZIP ? gzipSync(raw) : raw,
    timestamp: 1_795_000_000_123,
    producerId: over.pid ?? 4000n,
    producerEpoch: over.epoch ?? 0,
    baseSequence: over.seq ?? 17,
    codec,
  })
}

describe('crc32c', () => {
  it.each([
    ['', 0],
    ['123456789', 0xe3069283],
    ['a', 0xc1d04330],
  ])('crc32c(%j) is the Castagnoli check value', (s, want) => {
    expect(crc32c(Buffer.from(s))).toBe(want)
  })
  it('matches kafkajs on buffers of every length around the 8-byte stride, and on sub-ranges', () => {
    let seed = 7
    const rnd = (): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) & 0xff
    for (let len = 0; len < 70; len++) {
      const b = Buffer.from(Array.from({ length: len }, rnd))
      expect(crc32c(b)).toBe(kjsCrc32C(b) >>> 0)
    }
    const big = Buffer.from(Array.from({ length: 5000 }, rnd))
    expect(crc32c(big, 13, 4001)).toBe(kjsCrc32C(big.subarray(13, 4001)) >>> 0)
  })
})

describe('murmur2 / partitionFor', () => {
  it.each([
    '',
    'A',
    'AB',
    'ABC',
    'AAPL',
    'GOOGL',
    'BRK.B',
    'business/2026/nov/27/apple-results|AAPL',
    'é€漢字',
    '21',
  ])('murmur2(%j) equals the Java-compatible reference (kafkajs default partitioner)', (k) => {
    expect(murmur2(Buffer.from(k))).toBe(kjsMurmur2(Buffer.from(k)))
  })
  it('partitions stay in range and are stable', () => {
    for (const k of ['AAPL', 'MSFT', 'NVDA', 'TSLA', 'x'.repeat(100)]) {
      for (const n of [1, 2, 3, 7]) {
        const p = partitionFor(k, n)
        expect(p).toBeGreaterThanOrEqual(0)
        expect(p).toBeLessThan(n)
        expect(partitionFor(k, n)).toBe(p)
      }
    }
  })
})

describe('varints and sequences', () => {
  it.each([
    [0, 1],
    [63, 1],
    [64, 2],
    [8191, 2],
    [8192, 3],
    [0x0fffffff, 5],
  ])('varintSize(%d) = %d', (n, size) => expect(varintSize(n)).toBe(size))
  it.each([
    [0, 5, 5],
    [0x7ffffffe, 1, 0x7fffffff],
    [0x7fffffff, 1, 0],
    [0x7ffffff0, 0x20, 0x10],
  ])('nextSequence(%d, %d) = %d (wraps like Kafka)', (s, n, want) => expect(nextSequence(s, n)).toBe(want))
})

describe('record batch v2', () => {
  const records = [
    rec('AAPL', '{"symbol":"AAPL","price":231.5}'),
    rec('MSFT', '{"title":"Apple beats “expectations” — naïve"}', 'article/v1'),
    rec('business/2026/nov/27/apple-results|AAPL', 'x'.repeat(300)),
    ...Array.from({ length: 200 }, (_, i) => rec(`S${i % 7}`, JSON.stringify({ i, pad: 'y'.repeat(i) }))),
  ]

  it.each([
    ['uncompressed', CODEC_NONE],
    ['gzip', CODEC_GZIP],
  ] as const)(
    '%s: kafkajs decodes every key, value, header, offset and the producer fields',
    async (_n, codec) => {
      const b = batchOf(records, codec, { seq: 17, pid: 4000n, epoch: 3 })
      const d = await decodeBatch(new Decoder(b))
      expect(d.firstOffset).toBe('0')
      expect(d.lastOffsetDelta).toBe(records.length - 1)
      expect(d.producerId).toBe('4000')
      expect(d.producerEpoch).toBe(3)
      expect(d.firstSequence).toBe(17)
      expect(d.firstTimestamp).toBe('1795000000123')
      expect(d.maxTimestamp).toBe('1795000000123')
      expect(d.inTransaction).toBe(false)
      expect(d.isControlBatch).toBe(false)
      expect(d.records.map((r) => r.key?.toString('utf8'))).toEqual(records.map((r) => r.key))
      expect(d.records.map((r) => r.value?.toString('utf8'))).toEqual(records.map((r) => r.value))
      expect(d.records.map((r) => r.headers.schema?.toString('utf8'))).toEqual(records.map((r) => r.schema))
      expect(d.records.map((r) => r.offset)).toEqual(records.map((_r, i) => String(i)))
      expect(d.records.every((r) => r.timestamp === '1795000000123')).toBe(true)
    },
  )

  it('the CRC covers attributes to the end, as the broker checks it', () => {
    const b = batchOf(records, CODEC_GZIP)
    expect(b.readUInt32BE(17)).toBe(crc32c(b, 21))
    expect(b.readInt32BE(8)).toBe(b.length - 12)
    expect(b.readInt8(16)).toBe(2)
    expect(b.readInt16BE(21)).toBe(CODEC_GZIP)
    const flipped = Buffer.from(b)
    flipped[b.length - 1] = (flipped[b.length - 1] as number) ^ 1
    expect(crc32c(flipped, 21)).not.toBe(flipped.readUInt32BE(17))
  })

  it('gzip sections are the plain records section compressed', () => {
    const raw = encodeRecords(records)
    const b = batchOf(records, CODEC_GZIP)
    expect(gunzipSync(b.subarray(61)).equals(raw)).toBe(true)
  })

  it('refuses an empty batch and timestamps that are not epoch ms', () => {
    expect(() =>
      encodeBatch({
        count: 0,
        section: Buffer.alloc(0),
        timestamp: 1,
        producerId: 1n,
        producerEpoch: 0,
        baseSequence: 0,
        codec: 0,
      }),
    ).toThrow(/at least one/)
    expect(() =>
      encodeBatch({
        count: 1,
        section: Buffer.alloc(1),
        timestamp: -1,
        producerId: 1n,
        producerEpoch: 0,
        baseSequence: 0,
        codec: 0,
      }),
    ).toThrow(/int64/)
  })
})

describe('requests', () => {
  it('produce v7: header v1 and topic/partition/batch layout', async () => {
    const b0 = batchOf([rec('AAPL', '1')], CODEC_NONE)
    const b1 = batchOf([rec('MSFT', '2'), rec('MSFT', '3')], CODEC_GZIP)
    const parts = frameRequest(
      0,
      7,
      42,
      'newstape',
      produceBody(-1, 10_000, [
        {
          topic: 'p.market.trades',
          partitions: [
            { partition: 2, batch: b0 },
            { partition: 0, batch: b1 },
          ],
        },
      ]),
    )
    const buf = Buffer.concat(parts)
    const d = new Decoder(buf)
    expect(d.readInt32()).toBe(buf.length - 4)
    expect(d.readInt16()).toBe(0)
    expect(d.readInt16()).toBe(7)
    expect(d.readInt32()).toBe(42)
    expect(d.readString()).toBe('newstape')
    expect(d.readInt16()).toBe(-1) // transactional id
    expect(d.readInt16()).toBe(-1) // acks=all
    expect(d.readInt32()).toBe(10_000)
    expect(d.readInt32()).toBe(1)
    expect(d.readString()).toBe('p.market.trades')
    expect(d.readInt32()).toBe(2)
    const got: { partition: number; keys: string[] }[] = []
    for (let i = 0; i < 2; i++) {
      const partition = d.readInt32()
      const size = d.readInt32()
      const batch = await decodeBatch(new Decoder(d.readBytes(size)))
      got.push({
        partition,
        keys: batch.records.map((r) => `${r.key?.toString() ?? ''}=${r.value?.toString() ?? ''}`),
      })
    }
    expect(got).toEqual([
      { partition: 2, keys: ['AAPL=1'] },
      { partition: 0, keys: ['MSFT=2', 'MSFT=3'] },
    ])
    expect(d.offset).toBe(buf.length)
  })

  it('init producer id v1: null transactional id and the timeout', () => {
    const buf = Buffer.concat(frameRequest(22, 1, 1, 'c', initProducerIdBody(60_000)))
    const d = new Decoder(buf)
    d.readInt32()
    expect([d.readInt16(), d.readInt16(), d.readInt32(), d.readString()]).toEqual([22, 1, 1, 'c'])
    expect(d.readInt16()).toBe(-1)
    expect(d.readInt32()).toBe(60_000)
  })
})

describe('responses', () => {
  const produceResponse = (parts: [string, number, number, bigint][]): Buffer =>
    produceResponseBody(
      parts.map(([topic, partition, errorCode, baseOffset]) => ({ topic, partition, errorCode, baseOffset })),
      5,
    )

  it('produce v7: every partition result with its error code and base offset', () => {
    const body = produceResponse([
      ['t.a', 0, 0, 100n],
      ['t.a', 2, 6, -1n],
      ['t.b', 1, 0, 7n],
    ])
    expect(decodeProduceResponse(body)).toEqual({
      throttleMs: 5,
      results: [
        { topic: 't.a', partition: 0, errorCode: 0, baseOffset: 100n },
        { topic: 't.a', partition: 2, errorCode: 6, baseOffset: -1n },
        { topic: 't.b', partition: 1, errorCode: 0, baseOffset: 7n },
      ],
    })
  })

  it.each([
    ['empty', Buffer.alloc(0)],
    ['truncated', Buffer.from([0, 0, 0, 1, 0, 3, 0x61])],
    ['absurd count', Buffer.from([0x7f, 0xff, 0xff, 0xff])],
  ])('a %s produce response is a decode error, not a crash or a success', (_n, body) => {
    expect(() => decodeProduceResponse(body)).toThrow(WireDecodeError)
  })

  it('init producer id v1', () => {
    const b = Buffer.alloc(4 + 2 + 8 + 2)
    b.writeInt32BE(0, 0)
    b.writeInt16BE(0, 4)
    b.writeBigInt64BE(5000n, 6)
    b.writeInt16BE(2, 14)
    expect(decodeInitProducerIdResponse(b)).toEqual({ errorCode: 0, producerId: 5000n, producerEpoch: 2 })
    expect(() => decodeInitProducerIdResponse(b.subarray(0, 9))).toThrow(WireDecodeError)
  })
})
