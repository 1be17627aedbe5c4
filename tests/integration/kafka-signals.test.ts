// Signals back in, against the real broker: Flink-style records (produced with Kafka's own Java producer, as another producer
// would), the app's own records and malformed ones on `signals.news-impact`; the consumer hands over the
// Flink records, counts the malformed, and the merge keeps one record per key.
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { ImpactRecord } from '../../src-main/domain/news'
import { impactKey } from '../../src-main/domain/news'
import { mergeImpacts } from '../../src-main/kafka/impact-merge'
import { createSignalsConsumer, type SignalsConsumer } from '../../src-main/kafka/signals-consumer'
import { flinkImpact as flink, produceLines, testBrokers, uniquePrefix } from './kafka-helpers'


let consumer: SignalsConsumer | null = null
afterEach(async () => {
  await consumer?.stop()
  consumer = null
})

describe('signals consumer (real broker)', () => {
  it('hands Flink records to the callback, skips app records, counts malformed ones, and merges by key', async () => {
    const prefix = uniquePrefix('signals')
    const topic = `${prefix}signals.news-impact`
    const a = flink('business/2026/nov/27/a', 'AAPL')
    const b = flink('business/2026/nov/27/b', 'MSFT', { signal: 'down', ret5: -0.03, z5: -4 })
    const own = { ...flink('business/2026/nov/27/c', 'NVDA'), origin: 'app' as const }
    const lines = [
      `${impactKey(a)}\t${JSON.stringify(a)}`,
      `${impactKey(b)}|WRONG\t${JSON.stringify(b)}`,
      `${impactKey(b)}\t{not json`,
      `${impactKey(own)}\t${JSON.stringify(own)}`,
      `${impactKey(b)}\t${JSON.stringify({ ...b, z5: 'four' })}`,
      `${impactKey(b)}\t${JSON.stringify(b)}`,
    ]
    await produceLines(testBrokers(), topic, lines, 'news-impact/v1')

    const got: ImpactRecord[] = []
    const malformed: string[] = []
    consumer = createSignalsConsumer({
      brokers: [testBrokers()],
      topicPrefix: prefix,
      groupId: `${prefix}app`,
      onRecords: (rs) => got.push(...rs),
      onMalformed: (reason) => malformed.push(reason),
    })
    await consumer.start()
    await vi.waitFor(() => expect(consumer?.stats().received).toBe(lines.length), {
      timeout: 60_000,
      interval: 100,
    })
    // Partitions interleave freely; within a key order is kept (one key, one partition).
    const byKey = (x: ImpactRecord, y: ImpactRecord): number => impactKey(x).localeCompare(impactKey(y))
    expect([...got].sort(byKey)).toEqual([a, b])
    expect(consumer.stats()).toMatchObject({ received: 6, accepted: 2, skipped: 1, malformed: 3 })
    // One of them carries another key (another partition, maybe): match reasons, not order.
    expect(malformed).toHaveLength(3)
    expect(malformed.find((m) => /does not match/.test(m))).toBeDefined()
    expect(malformed.find((m) => /not JSON/.test(m))).toBeDefined()
    expect(malformed.find((m) => /z5/.test(m))).toBeDefined()

    // The app holds a partial record for `a` and one for another key: Flink's final record replaces the
    // partial one, the app's own other record stays.
    const appA: ImpactRecord = { ...a, origin: 'app', final: false, ret15: null, z15: null }
    const appOther: ImpactRecord = { ...own }
    const held = new Map([
      [impactKey(appA), appA],
      [impactKey(appOther), appOther],
    ])
    const { merged, changed } = mergeImpacts(held, got)
    expect(merged.get(impactKey(a))).toEqual(a)
    expect(merged.get(impactKey(own))).toEqual(own)
    expect(merged.get(impactKey(b))).toEqual(b)
    expect([...changed].sort(byKey)).toEqual([a, b])
  }, 90_000)
})
