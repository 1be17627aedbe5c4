// BrokerConnection against a scripted TCP peer: framing across chunk boundaries, correlation in request order,
// and every way a request can end badly (timeout, peer closing, a response that does not belong). The produce
// path as a whole runs against the real broker in tests/integration.
import { createRequire } from 'node:module'
import { createServer, type Server, type Socket } from 'node:net'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { EncodedRecord } from './records'
import { BrokerConnection, createKafkaTransport, type ClusterAdmin, type Transport } from './transport'
import { produceResponseBody } from './test-support'
import { partitionFor } from './wire'

interface Peer {
  server: Server
  port: number
  sockets: Socket[]
  /** Requests received: [apiKey, version, correlationId, body]. */
  requests: [number, number, number, Buffer][]
}

const peers: Peer[] = []
const conns: BrokerConnection[] = []
afterEach(async () => {
  for (const c of conns.splice(0)) c.close()
  for (const p of peers.splice(0)) {
    for (const s of p.sockets) s.destroy()
    await new Promise((r) => p.server.close(r))
  }
})

/** A peer that parses size-prefixed requests and hands each to `reply`. */
async function peer(reply: (p: Peer, s: Socket, corr: number, apiKey: number) => void): Promise<Peer> {
  const p: Peer = { server: createServer(), port: 0, sockets: [], requests: [] }
  p.server.on('connection', (s) => {
    p.sockets.push(s)
    let acc = Buffer.alloc(0)
    s.on('data', (chunk: Buffer) => {
      acc = Buffer.concat([acc, chunk])
      while (acc.length >= 4 && acc.length >= 4 + acc.readInt32BE(0)) {
        const frame = acc.subarray(4, 4 + acc.readInt32BE(0))
        acc = acc.subarray(4 + frame.length)
        const apiKey = frame.readInt16BE(0)
        const corr = frame.readInt32BE(4)
        const clientLen = frame.readInt16BE(8)
        p.requests.push([apiKey, frame.readInt16BE(2), corr, frame.subarray(10 + clientLen)])
        reply(p, s, corr, apiKey)
      }
    })
  })
  await new Promise<void>((r) => p.server.listen(0, '127.0.0.1', r))
  const addr = p.server.address()
  p.port = typeof addr === 'object' && addr ? addr.port : 0
  peers.push(p)
  return p
}

const response = (corr: number, body: Buffer): Buffer => {
  const b = Buffer.alloc(8)
  b.writeInt32BE(4 + body.length, 0)
  b.writeInt32BE(corr, 4)
  return Buffer.concat([b, body])
}

const open = async (port: number): Promise<BrokerConnection> => {
  const c = await BrokerConnection.open('127.0.0.1', port, 'test-client', 2000)
  conns.push(c)
  return c
}

describe('BrokerConnection', () => {
  it('matches responses to requests in order, also when frames are split and coalesced across chunks', async () => {
    const held: Buffer[] = []
    const p = await peer((_p, s, corr) => {
      held.push(response(corr, Buffer.from(`r${corr}`)))
      if (held.length === 3) {
        // All three responses in one stream, cut at awkward places.
        const all = Buffer.concat(held.splice(0))
        s.write(all.subarray(0, 3))
        setTimeout(() => s.write(all.subarray(3, 13)), 5)
        setTimeout(() => s.write(all.subarray(13)), 10)
      }
    })
    const c = await open(p.port)
    const got = await Promise.all([
      c.request(0, 7, [Buffer.from('a')], 1000),
      c.request(22, 1, [Buffer.from('bb')], 1000),
      c.request(0, 7, [Buffer.from('ccc')], 1000),
    ])
    expect(got.map((b) => b.toString())).toEqual(['r1', 'r2', 'r3'])
    expect(p.requests.map(([k, v, corr, body]) => [k, v, corr, body.toString()])).toEqual([
      [0, 7, 1, 'a'],
      [22, 1, 2, 'bb'],
      [0, 7, 3, 'ccc'],
    ])
    expect(c.alive).toBe(true)
  })

  it('a request without an answer times out, and fails every request behind it', async () => {
    const p = await peer(() => {})
    const c = await open(p.port)
    const a = c.request(0, 7, [Buffer.from('x')], 50)
    const b = c.request(0, 7, [Buffer.from('y')], 5000)
    await expect(a).rejects.toThrow(/timed out after 50 ms/)
    await expect(b).rejects.toThrow(/timed out/)
    expect(c.alive).toBe(false)
    await expect(c.request(0, 7, [], 1000)).rejects.toThrow(/timed out/)
  })

  it('the peer closing fails the requests in flight', async () => {
    const p = await peer((_p, s) => s.destroy())
    const c = await open(p.port)
    await expect(c.request(0, 7, [Buffer.from('x')], 5000)).rejects.toThrow(/closed|ECONNRESET/)
    expect(c.alive).toBe(false)
  })

  it('a response for another correlation id is a protocol error, never a success', async () => {
    const p = await peer((_p, s, corr) => s.write(response(corr + 7, Buffer.from('bogus'))))
    const c = await open(p.port)
    await expect(c.request(0, 7, [Buffer.from('x')], 5000)).rejects.toThrow(/unexpected correlation id 8/)
    expect(c.alive).toBe(false)
  })

  it('an absurd frame size is a protocol error', async () => {
    const p = await peer((_p, s) => s.write(Buffer.from([0x7f, 0, 0, 0, 1, 2, 3])))
    const c = await open(p.port)
    await expect(c.request(0, 7, [Buffer.from('x')], 5000)).rejects.toThrow(/bad response size/)
  })

  it('cannot connect: a clear error', async () => {
    const p = await peer(() => {})
    const port = p.port
    await new Promise((r) => p.server.close(r))
    peers.splice(peers.indexOf(p), 1)
    await expect(BrokerConnection.open('127.0.0.1', port, 'c', 2000)).rejects.toThrow(/ECONNREFUSED/)
  })
})

// ---- the produce path against a scripted single-node "broker" -------------------------------------------

interface ProducedPart {
  topic: string
  partition: number
  producerId: string
  firstSequence: number
  /** The batch exactly as received. */
  raw: Buffer
  values: string[]
}
interface Produce {
  corr: number
  parts: ProducedPart[]
}

/** Error code to answer per partition ('omit' leaves the partition out of the response). */
type Answer = (req: Produce, index: number) => Map<string, number | 'omit'> | undefined

class ScriptedBroker {
  produces: Produce[] = []
  nextProducerId = 1000n
  answer: Answer = () => undefined
  /** Hold produce responses until this many produce requests arrived. */
  holdUntil = 0
  private held: (() => void)[] = []
  peer!: Peer

  async start(): Promise<void> {
    this.peer = await peer((_p, s, corr, apiKey) => {
      const [, , , body] = this.peer.requests[this.peer.requests.length - 1] as [
        number,
        number,
        number,
        Buffer,
      ]
      if (apiKey === 22) {
        const b = Buffer.alloc(16)
        b.writeInt16BE(0, 4)
        b.writeBigInt64BE(this.nextProducerId++, 6)
        s.write(response(corr, b))
        return
      }
      void this.produce(s, corr, body)
    })
  }

  private async produce(s: Socket, corr: number, body: Buffer): Promise<void> {
    const d = new Decoder(body)
    d.readInt16()
    d.readInt16()
    d.readInt32()
    const req: Produce = { corr, parts: [] }
    for (let t = d.readInt32(); t > 0; t--) {
      const topic = d.readString()
      for (let n = d.readInt32(); n > 0; n--) {
        const partition = d.readInt32()
        const raw = d.readBytes(d.readInt32())
        const batch = await decodeBatch(new Decoder(raw))
        req.parts.push({
          topic,
          partition,
          producerId: batch.producerId,
          firstSequence: batch.firstSequence,
          raw,
          values: batch.records.map((r) => r.value?.toString() ?? ''),
        })
      }
    }
    const index = this.produces.push(req) - 1
    const codes = this.answer(req, index) ?? new Map()
    const results = req.parts.flatMap((p) => {
      const code = codes.get(`${p.topic}/${p.partition}`)
      if (code === 'omit') return []
      return [{ topic: p.topic, partition: p.partition, errorCode: typeof code === 'number' ? code : 0, baseOffset: 0n }]
    })
    const answer = produceResponseBody(results)
    const send = (): void => void s.write(response(corr, answer))
    if (this.produces.length < this.holdUntil) this.held.push(send)
    else {
      for (const h of this.held.splice(0)) h()
      send()
    }
  }
}

const createRequire2 = createRequire(import.meta.url)
interface KjsDecoder {
  readInt16(): number
  readInt32(): number
  readString(): string
  readBytes(n: number): Buffer
}
const Decoder = createRequire2('kafkajs/src/protocol/decoder') as new (b: Buffer) => KjsDecoder
const decodeBatch = createRequire2('kafkajs/src/protocol/recordBatch/v0/decoder') as (
  d: KjsDecoder,
) => Promise<{
  producerId: string
  firstSequence: number
  records: { value: Buffer | null }[]
}>

const TOPIC = 't.market.trades'
const rec = (key: string, i: number): EncodedRecord => ({
  topic: TOPIC,
  key,
  value: `${key}-${i}`,
  schema: 'trade/v1',
})

async function transportOn(b: ScriptedBroker): Promise<Transport> {
  const admin = (): ClusterAdmin => ({
    connect: async () => {},
    brokers: async () => [{ nodeId: 1, host: '127.0.0.1', port: b.peer.port }],
    partitions: async () => [0, 1, 2].map((partitionId) => ({ partitionId, leader: 1 })),
    ensureTopics: async () => {},
    disconnect: async () => {},
  })
  const t = createKafkaTransport({
    brokers: ['unused:1'],
    compression: 'none',
    admin,
    requestTimeoutMs: 2000,
  })
  transports.push(t)
  await t.connect()
  return t
}
const transports: Transport[] = []
afterEach(async () => {
  for (const t of transports.splice(0)) await t.disconnect()
})

describe('kafka transport (scripted broker)', () => {
  it('keyed partitions, per-partition sequences across sends, a fresh producer id per session', async () => {
    const b = new ScriptedBroker()
    await b.start()
    const t = await transportOn(b)
    const keys = ['AAPL', 'MSFT', 'NVDA', 'TSLA']
    await t.send(Array.from({ length: 8 }, (_, i) => rec(keys[i % 4] as string, i)))
    await t.send(Array.from({ length: 4 }, (_, i) => rec(keys[i % 4] as string, 8 + i)))
    const parts = b.produces.flatMap((p) => p.parts)
    for (const p of parts) {
      expect(p.producerId).toBe('1000')
      for (const v of p.values) expect(partitionFor(v.split('-')[0] as string, 3)).toBe(p.partition)
    }
    // Each partition's sequence continues where its previous batch ended.
    const next = new Map<number, number>()
    for (const p of parts) {
      expect(p.firstSequence).toBe(next.get(p.partition) ?? 0)
      next.set(p.partition, p.firstSequence + p.values.length)
    }
    expect(parts.flatMap((p) => p.values).sort()).toEqual(
      [...Array.from({ length: 12 }, (_, i) => `${keys[i % 4]}-${i}`)].sort(),
    )
    await t.disconnect()
    await t.connect()
    await t.send([rec('AAPL', 99)])
    const last = b.produces[b.produces.length - 1]?.parts[0]
    expect(last).toMatchObject({ producerId: '1001', firstSequence: 0 })
  })

  it('a response that leaves out a partition it was sent is a failure, not a success', async () => {
    const b = new ScriptedBroker()
    await b.start()
    b.answer = (req) => new Map([[`${TOPIC}/${req.parts[0]?.partition ?? 0}`, 'omit']])
    const t = await transportOn(b)
    await expect(t.send([rec('AAPL', 1), rec('MSFT', 2), rec('NVDA', 3)])).rejects.toThrow(/answered without/)
  })

  it('a retriable partition error is resent byte for byte (same producer id and sequence), then succeeds', async () => {
    const b = new ScriptedBroker()
    await b.start()
    b.answer = (req, i) =>
      i === 0 ? new Map(req.parts.map((p) => [`${p.topic}/${p.partition}`, 6])) : undefined
    const t = await transportOn(b)
    await t.send([rec('AAPL', 1), rec('AAPL', 2)])
    expect(b.produces).toHaveLength(2)
    const [first, again] = b.produces.map((p) => p.parts[0] as ProducedPart)
    expect(again?.raw.equals(first?.raw as Buffer)).toBe(true)
    expect(again?.firstSequence).toBe(0)
  })

  it('a later batch refused out of sequence while the earlier one is resent gets in right after it', async () => {
    const b = new ScriptedBroker()
    await b.start()
    const code = new Map<number, number>([
      [1, 6], // NOT_LEADER_OR_FOLLOWER: the second batch is not in
      [2, 45], // so the third one (next sequence) is out of order
    ])
    b.answer = (req, i) => new Map(req.parts.map((p) => [`${p.topic}/${p.partition}`, code.get(i) ?? 0]))
    const t = await transportOn(b)
    await t.send([rec('AAPL', 0)])
    b.holdUntil = 3
    const first = t.send([rec('AAPL', 1)])
    const second = t.send([rec('AAPL', 2)])
    await expect(Promise.all([first, second])).resolves.toEqual([undefined, undefined])
    const sent = b.produces.map((p) => p.parts[0] as ProducedPart)
    expect(sent.map((p) => [p.values[0], p.firstSequence])).toEqual([
      ['AAPL-0', 0],
      ['AAPL-1', 1],
      ['AAPL-2', 2],
      ['AAPL-1', 1],
      ['AAPL-2', 2],
    ])
    expect(sent[3]?.raw.equals(sent[1]?.raw as Buffer)).toBe(true)
    expect(sent[4]?.raw.equals(sent[2]?.raw as Buffer)).toBe(true)
  })

  it("a partition's first batch of a session is its only one in flight until acknowledged", async () => {
    // A broker takes any sequence as a producer's first on a partition: had the second batch gone out while
    // the first was refused, it would be in ahead of the first. So it waits for the first (and its resend).
    const b = new ScriptedBroker()
    await b.start()
    b.answer = (req, i) =>
      i === 0 ? new Map(req.parts.map((p) => [`${p.topic}/${p.partition}`, 6])) : undefined
    const t = await transportOn(b)
    const first = t.send([rec('AAPL', 1)])
    const second = t.send([rec('AAPL', 2)])
    await expect(Promise.all([first, second])).resolves.toEqual([undefined, undefined])
    expect(b.produces.map((p) => [p.parts[0]?.values[0], p.parts[0]?.firstSequence])).toEqual([
      ['AAPL-1', 0],
      ['AAPL-1', 0],
      ['AAPL-2', 1],
    ])
  })

  it('a non-retriable error fails the send and every later send of the session, even ones the broker took', async () => {
    const b = new ScriptedBroker()
    await b.start()
    b.answer = (req, i) =>
      i === 1 ? new Map(req.parts.map((p) => [`${p.topic}/${p.partition}`, 10])) : undefined
    const t = await transportOn(b)
    await t.send([rec('AAPL', 0)])
    // Both requests are written before either is answered: sends overlap on the wire, in call order.
    b.holdUntil = 3
    const first = t.send([rec('AAPL', 1)])
    const second = t.send([rec('AAPL', 2)])
    await expect(first).rejects.toThrow(/MESSAGE_TOO_LARGE/)
    await expect(second).rejects.toThrow(/MESSAGE_TOO_LARGE/)
    expect(b.produces.map((p) => p.parts.map((x) => x.values[0]))).toEqual([
      ['AAPL-0'],
      ['AAPL-1'],
      ['AAPL-2'],
    ])
    expect(b.produces.map((p) => p.parts[0]?.firstSequence)).toEqual([0, 1, 2])
    await expect(t.send([rec('AAPL', 3)])).rejects.toThrow(/MESSAGE_TOO_LARGE/)
    await t.disconnect()
    await t.connect()
    await expect(t.send([rec('AAPL', 4)])).resolves.toBeUndefined()
  })

  it('a dropped connection fails every send in flight', async () => {
    const b = new ScriptedBroker()
    await b.start()
    const t = await transportOn(b)
    await t.send([rec('AAPL', 0)])
    b.holdUntil = 99
    const sends = [t.send([rec('AAPL', 1)]), t.send([rec('AAPL', 2)])]
    await vi.waitFor(() => expect(b.produces).toHaveLength(3), { timeout: 2000, interval: 5 })
    for (const s of b.peer.sockets) s.destroy()
    for (const s of sends) await expect(s).rejects.toThrow(/closed|ECONNRESET/)
  })
})
