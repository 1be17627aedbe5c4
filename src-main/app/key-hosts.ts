// Where a stored API key may go. The main process decides, never the renderer: a stored key is sent only to the
// official hosts (docs/protocols.md) over TLS, or to the built-in simulator on loopback. Any other host needs the user's
// confirmation for that host and that key: a main-process dialog (desktop app), or typing the key again (a key the
// caller typed is theirs to send; it approves the hosts configured at that moment). Approvals are kept per key
// fingerprint, in the store and outside the settings document, so `settings:update` cannot grant one.
import { createHash } from 'node:crypto'
import type { SecretName } from '../../src-preload/contract'
import type { DemoEndpoints } from '../domain/endpoints'

/** Hosts a stored key may always be sent to (TLS, default port): docs/protocols.md. */
export const OFFICIAL_KEY_HOSTS: Readonly<Record<SecretName, readonly string[]>> = {
  polygon: [
    'socket.massive.com',
    'socket.polygon.io',
    'delayed.massive.com',
    'delayed.polygon.io',
    'api.massive.com',
    'api.polygon.io',
  ],
  guardian: ['content.guardianapis.com'],
}

export type KeyDestination = { kind: 'official' | 'simulator'; origin: string } | { kind: 'other'; origin: string }

/** The origin a URL sends to (`wss://host:port`), or null when it is not a URL. Pure. */
export function originOf(url: string): string | null {
  try {
    const u = new URL(url)
    return `${u.protocol}//${u.host}`
  } catch {
    return null
  }
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]'])

/** Classifies where a key would go. Pure. */
export function keyDestination(name: SecretName, url: string, demo: DemoEndpoints | null): KeyDestination {
  let u: URL
  try {
    u = new URL(url)
  } catch {
    return { kind: 'other', origin: url.slice(0, 200) }
  }
  const origin = `${u.protocol}//${u.host}`
  const secure = u.protocol === 'https:' || u.protocol === 'wss:'
  if (secure && u.port === '' && OFFICIAL_KEY_HOSTS[name].includes(u.hostname.toLowerCase())) return { kind: 'official', origin }
  if (demo && LOOPBACK.has(u.hostname)) {
    const sim = [originOf(demo.wsBase), originOf(demo.httpBase)]
    if (sim.includes(origin)) return { kind: 'simulator', origin }
  }
  return { kind: 'other', origin }
}

/** A key's fingerprint for approvals: not reversible, and only someone who knows the key can produce it. */
export const keyFingerprint = (name: SecretName, key: string): string =>
  createHash('sha256').update(`newstape-key-host/${name}/${key}`).digest('hex').slice(0, 32)

const SLOT = 'keyHostApprovals'
const MAX_APPROVALS = 50

export interface KeyHostApprovals {
  approved(name: SecretName, key: string, origin: string): boolean
  approve(name: SecretName, key: string, origin: string): void
}

/** The part of the settings key-value store approvals need. */
export interface ApprovalStore {
  get(key: string): unknown
  set(key: string, value: unknown): void
}

/** Approvals kept in the key-value store beside the encrypted keys: `{ [fingerprint]: origins[] }`. */
export function createKeyHostApprovals(kv: ApprovalStore): KeyHostApprovals {
  const read = (): Record<string, string[]> => {
    const v = kv.get(SLOT)
    if (!v || typeof v !== 'object' || Array.isArray(v)) return {}
    const out: Record<string, string[]> = {}
    for (const [k, list] of Object.entries(v as Record<string, unknown>))
      if (Array.isArray(list)) out[k] = list.filter((x): x is string => typeof x === 'string')
    return out
  }
  return {
    approved: (name, key, origin) => (read()[keyFingerprint(name, key)] ?? []).includes(origin),
    approve(name, key, origin) {
      const all = read()
      const fp = keyFingerprint(name, key)
      const list = all[fp] ?? []
      if (list.includes(origin)) return
      all[fp] = [...list, origin].slice(-MAX_APPROVALS)
      kv.set(SLOT, all)
    },
  }
}

export interface KeyGuardDeps {
  approvals: KeyHostApprovals
  demo: () => DemoEndpoints | null
  /** Desktop app: a main-process dialog naming the host. Absent (browser mode): the key must be typed again. */
  confirm?: (name: SecretName, origin: string) => Promise<boolean>
}

export interface KeyGuard {
  /**
   * May the stored `key` go to every one of `urls`? Asks (desktop) for a host not yet approved. Returns the
   * origins it may not go to (empty: allowed).
   */
  check(name: SecretName, key: string, urls: readonly string[]): Promise<string[]>
  /** The user typed this key: approve the hosts it is about to be sent to. */
  typed(name: SecretName, key: string, urls: readonly string[]): void
}

export function createKeyGuard(deps: KeyGuardDeps): KeyGuard {
  let asking: Promise<unknown> = Promise.resolve()
  return {
    async check(name, key, urls) {
      const blocked: string[] = []
      for (const url of urls) {
        const d = keyDestination(name, url, deps.demo())
        if (d.kind !== 'other' || deps.approvals.approved(name, key, d.origin)) continue
        if (blocked.includes(d.origin)) continue
        const confirm = deps.confirm
        let yes = false
        if (confirm) {
          // One dialog at a time; a second request for the same host sees the first answer.
          const answer = asking.then(() => (deps.approvals.approved(name, key, d.origin) ? true : confirm(name, d.origin)))
          asking = answer.catch(() => undefined)
          yes = await answer.catch(() => false)
        }
        if (yes) deps.approvals.approve(name, key, d.origin)
        else blocked.push(d.origin)
      }
      return blocked
    },
    typed(name, key, urls) {
      for (const url of urls) {
        const d = keyDestination(name, url, deps.demo())
        if (d.kind === 'other') deps.approvals.approve(name, key, d.origin)
      }
    },
  }
}

/** What the user reads when a stored key was held back. Pure. */
export function keyHeldBackMessage(name: SecretName, origins: readonly string[], mode: 'electron' | 'browser'): string {
  const svc = name === 'polygon' ? 'Polygon' : 'Guardian'
  const how =
    mode === 'electron'
      ? 'Confirm the host when Newstape asks, or type the key again in Settings → API keys.'
      : 'To use it there, type the key again in Settings → API keys.'
  return `The stored ${svc} key was not sent to ${origins.join(', ')}: it is not an official ${svc} host and has not been confirmed for this key. ${how}`
}
