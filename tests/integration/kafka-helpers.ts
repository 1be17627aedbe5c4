// Shared helpers for the Kafka integration tests: the broker address from the global setup, and kcat.
import { spawn, spawnSync } from 'node:child_process'
import { inject } from 'vitest'

/** The broker tests/setup/kafka.ts made sure of. */
export function testBrokers(): string {
  let injected: string | undefined
  try {
    injected = inject('kafkaBrokers')
  } catch {
    injected = undefined
  }
  return injected ?? process.env.KAFKA_BROKERS ?? '127.0.0.1:9092'
}

/** Fail loudly, naming the package, when kcat is not installed. */
export function requireKcat(): void {
  const r = spawnSync('kcat', ['-V'], { encoding: 'utf8' })
  if (r.error || r.status !== 0) {
    throw new Error(
      'kcat is not installed: these tests read Kafka with kcat (Debian: apt-get update && apt-get install -y kcat).',
    )
  }
}

export interface KcatRecord {
  topic: string
  partition: number
  offset: number
  key: string | null
  payload: string | null
  /** Flattened header pairs as kcat prints them: [name, value, name, value, …]. */
  headers: string[] | null
}

/** Every record of `topic` from the beginning (kcat -C -e -J), in partition/offset order per partition. */
export async function kcatConsume(brokers: string, topic: string): Promise<KcatRecord[]> {
  requireKcat()
  return new Promise((resolve, reject) => {
    const p = spawn(
      'kcat',
      [
        '-b',
        brokers,
        '-C',
        '-t',
        topic,
        '-o',
        'beginning',
        '-e',
        '-q',
        '-J',
        '-X',
        'fetch.max.bytes=52428800',
      ],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    )
    const out: Buffer[] = []
    let err = ''
    p.stdout.on('data', (b: Buffer) => out.push(b))
    p.stderr.on('data', (b: Buffer) => (err += b.toString()))
    p.once('error', reject)
    p.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`kcat exited ${String(code)}: ${err.slice(-1000)}`))
      const lines = Buffer.concat(out)
        .toString('utf8')
        .split('\n')
        .filter((l) => l.trim() !== '')
      resolve(lines.map((l) => JSON.parse(l) as KcatRecord))
    })
  })
}

/** kcat -P: produce `lines` (key<TAB>value per line) to `topic` with a `schema` header. */
export async function kcatProduce(
  brokers: string,
  topic: string,
  lines: string[],
  schema: string,
): Promise<void> {
  requireKcat()
  return new Promise((resolve, reject) => {
    const p = spawn('kcat', ['-b', brokers, '-P', '-t', topic, '-K', '\t', '-H', `schema=${schema}`], {
      stdio: ['pipe', 'ignore', 'pipe'],
    })
    let err = ''
    p.stderr.on('data', (b: Buffer) => (err += b.toString()))
    p.once('error', reject)
    p.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`kcat -P exited ${String(code)}: ${err.slice(-1000)}`)),
    )
    p.stdin.end(lines.join('\n') + '\n')
  })
}

export const uniquePrefix = (name: string): string =>
  `it-${name}-${Date.now().toString(36)}-${Math.floor(Math.random() * 1e6).toString(36)}.`
