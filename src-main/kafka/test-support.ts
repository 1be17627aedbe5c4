// Test-side encoders for broker responses, shared by the wire and transport tests (the oracle side of the
// wire codec, so it is written out independently of wire.ts).

export interface PartitionResult {
  topic: string
  partition: number
  errorCode: number
  baseOffset: bigint
}

const i32 = (v: number): Buffer => {
  const b = Buffer.alloc(4)
  b.writeInt32BE(v)
  return b
}

/** A Produce v7 response body (after the correlation id): per topic and partition, then the throttle time. */
export function produceResponseBody(parts: readonly PartitionResult[], throttleMs = 0): Buffer {
  const byTopic = new Map<string, PartitionResult[]>()
  for (const p of parts) byTopic.set(p.topic, [...(byTopic.get(p.topic) ?? []), p])
  const chunks: Buffer[] = [i32(byTopic.size)]
  for (const [topic, ps] of byTopic) {
    const name = Buffer.from(topic)
    const len = Buffer.alloc(2)
    len.writeInt16BE(name.length)
    chunks.push(len, name, i32(ps.length))
    for (const p of ps) {
      // partition, error code, base offset, log append time (-1: broker time not used), log start offset
      const b = Buffer.alloc(4 + 2 + 8 + 8 + 8)
      b.writeInt32BE(p.partition, 0)
      b.writeInt16BE(p.errorCode, 4)
      b.writeBigInt64BE(p.baseOffset, 6)
      b.writeBigInt64BE(-1n, 14)
      b.writeBigInt64BE(0n, 22)
      chunks.push(b)
    }
  }
  chunks.push(i32(throttleMs))
  return Buffer.concat(chunks)
}
