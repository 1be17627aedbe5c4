// Stand-ins at the app core's boundaries, shared by its tests: an in-memory key-value store, a reversible
// "keychain" and a recording worker host (the real worker is tested in host/).
import type { Bar } from '../domain/market'
import type { IngestConfig, WorkerCommand, WorkerEvent } from '../host/protocol'
import type { IngestHost } from '../host/worker-host'
import type { KeyValueStore, SafeStorageLike } from './secrets'

export const memoryKv = (): KeyValueStore & { m: Map<string, unknown> } => {
  const m = new Map<string, unknown>()
  return { m, get: (k) => m.get(k), set: (k, v) => void m.set(k, v), delete: (k) => void m.delete(k) }
}

/** Encrypts by reversing the bytes: ciphertext never equals the text, and round-trips exactly. */
export const reversingSafe: SafeStorageLike = {
  isEncryptionAvailable: () => true,
  encryptString: (p) => Buffer.from(p, 'utf8').reverse(),
  decryptString: (c) => Buffer.from(c).reverse().toString('utf8'),
}

/** A worker host that records the commands and configs it gets; `fire` plays a worker event to the core. */
export function recordingHost(history: (symbol: string) => Bar[] = () => []) {
  const sent: WorkerCommand[] = []
  const configs: IngestConfig[] = []
  let listener: ((ev: WorkerEvent) => void) | null = null
  let stops = 0
  const start = (config: IngestConfig): IngestHost => {
    configs.push(config)
    return {
      restarts: 0,
      send: (c) => void sent.push(c as WorkerCommand),
      on: (l) => {
        listener = l
        return () => (listener = null)
      },
      history: async (symbol) => history(symbol),
      stop: async () => void stops++,
    }
  }
  return { start, sent, configs, fire: (ev: WorkerEvent) => listener?.(ev), stops: () => stops }
}
