// OAUTHBEARER tokens for every Kafka client: from a command the user configures (stdout: a JWT, or JSON with
// access_token/expires_in) or an OAuth 2 token endpoint (client credentials). A token is refreshed before it
// expires: at `refreshFactor` of its lifetime (default 0.8, like Kafka's own login refresh window), in the
// background, so a reconnect or a KIP-368 re-authentication always finds a valid one.
import { spawn } from 'node:child_process'
import { z } from 'zod'
import type { OAuthTokenConfig } from './security'

export interface OAuthToken {
  value: string
  /** Epoch ms. */
  expiresAt: number
}

export interface TokenSource {
  /** A token valid now (fetched when none is, or when the current one is past its refresh point). */
  get(): Promise<string>
  /** Stop background refresh. */
  close(): void
}

const tokenJson = z.object({
  access_token: z.string().min(1).max(64 * 1024),
  expires_in: z.coerce.number().positive().optional(),
})

/** `exp` (seconds) of a JWT, when the token is one; null otherwise. Pure. */
export function jwtExpiry(token: string): number | null {
  const parts = token.split('.')
  if (parts.length !== 3) return null
  try {
    const claims = JSON.parse(Buffer.from(parts[1] as string, 'base64url').toString('utf8')) as { exp?: unknown }
    return typeof claims.exp === 'number' ? claims.exp * 1000 : null
  } catch {
    return null
  }
}

/** Without exp or expires_in the token is taken as good for 5 minutes. */
export const UNKNOWN_LIFETIME_MS = 5 * 60_000

/** A token from what a command printed or an endpoint answered. Pure. */
export function parseToken(out: string, now: number): OAuthToken {
  const t = out.trim()
  if (t.startsWith('{')) {
    const j = tokenJson.parse(JSON.parse(t))
    const exp = j.expires_in !== undefined ? now + j.expires_in * 1000 : (jwtExpiry(j.access_token) ?? now + UNKNOWN_LIFETIME_MS)
    return { value: j.access_token, expiresAt: exp }
  }
  if (!/^[\x21-\x7e]+$/.test(t)) throw new Error('the token command printed no token')
  return { value: t, expiresAt: jwtExpiry(t) ?? now + UNKNOWN_LIFETIME_MS }
}

export interface TokenSourceDeps {
  now?: () => number
  setTimeout?: (fn: () => void, ms: number) => unknown
  clearTimeout?: (h: unknown) => void
  /** Fetch a raw token answer; default runs the command or calls the URL. */
  fetchRaw?: () => Promise<string>
  refreshFactor?: number
  log?: (level: 'info' | 'warn', message: string) => void
}

function runCommand(command: string, timeoutMs = 30_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const p = spawn(command, { shell: true, stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs })
    let out = ''
    let err = ''
    p.stdout.on('data', (b: Buffer) => (out += b.toString('utf8')))
    p.stderr.on('data', (b: Buffer) => (err += b.toString('utf8')))
    p.once('error', (e) => reject(new Error(`token command could not run: ${e.message}`)))
    p.once('close', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`token command exited ${String(code)}: ${err.slice(-300)}`)),
    )
  })
}

async function fetchEndpoint(c: OAuthTokenConfig): Promise<string> {
  const body = new URLSearchParams({ grant_type: 'client_credentials' })
  if (c.scope) body.set('scope', c.scope)
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' }
  if (c.clientId)
    headers.authorization = `Basic ${Buffer.from(`${encodeURIComponent(c.clientId)}:${encodeURIComponent(c.clientSecret ?? '')}`).toString('base64')}`
  const res = await fetch(c.url as string, { method: 'POST', headers, body, signal: AbortSignal.timeout(30_000) })
  const text = await res.text()
  if (!res.ok) throw new Error(`token endpoint answered HTTP ${res.status}: ${text.slice(0, 200)}`)
  return text
}

export function createTokenSource(c: OAuthTokenConfig, deps: TokenSourceDeps = {}): TokenSource {
  const now = deps.now ?? Date.now
  const setT = deps.setTimeout ?? ((fn: () => void, ms: number) => setTimeout(fn, ms).unref())
  const clearT = deps.clearTimeout ?? ((h: unknown) => clearTimeout(h as NodeJS.Timeout))
  const factor = deps.refreshFactor ?? 0.8
  const fetchRaw =
    deps.fetchRaw ??
    (() => {
      if (c.command) return runCommand(c.command)
      if (c.url) return fetchEndpoint(c)
      return Promise.reject(new Error('OAUTHBEARER needs a token command or a token URL'))
    })
  let current: { token: OAuthToken; refreshAt: number } | null = null
  let inFlight: Promise<string> | null = null
  let timer: unknown = null
  let closed = false

  const refresh = (): Promise<string> => {
    if (inFlight) return inFlight
    const p = (async (): Promise<string> => {
      const at = now()
      const token = parseToken(await fetchRaw(), at)
      if (token.expiresAt <= at) throw new Error('the OAuth token has already expired')
      const refreshAt = at + Math.max(1000, Math.floor((token.expiresAt - at) * factor))
      current = { token, refreshAt }
      if (timer !== null) clearT(timer)
      timer = null
      if (!closed)
        timer = setT(() => {
          timer = null
          // Background refresh; a failure keeps the old token until it expires (get() retries then).
          refresh().catch((e: unknown) =>
            deps.log?.('warn', `kafka: OAuth token refresh failed: ${e instanceof Error ? e.message : String(e)}`),
          )
        }, refreshAt - at)
      return token.value
    })()
    inFlight = p
    p.then(
      () => (inFlight = null),
      () => (inFlight = null),
    )
    return p
  }

  return {
    async get() {
      const t = now()
      if (current && t < current.refreshAt) return current.token.value
      if (current && t < current.token.expiresAt) {
        // Past the refresh point but still valid: use it if the refresh fails.
        try {
          return await refresh()
        } catch {
          return current.token.value
        }
      }
      return refresh()
    },
    close() {
      closed = true
      if (timer !== null) clearT(timer)
      timer = null
    },
  }
}
