// "Test key" buttons and the Grafana probe. The Polygon key is tested over REST, not the socket: a second
// socket with the same key would evict the app's own live connection (max_connections).
import type { Settings } from '../../src-preload/settings-schema'
import type { GrafanaProbe, SecretTestResult } from '../../src-preload/contract'
import type { SecretName } from './secrets'
import { GUARDIAN_BASE, POLYGON_REST, restBaseForSocket, type DemoEndpoints } from '../domain/endpoints'

export type FetchLike = (url: string, init?: { signal?: AbortSignal; headers?: Record<string, string> }) => Promise<{
  status: number
  json(): Promise<unknown>
}>

export function polygonRestBase(settings: Settings, demo: DemoEndpoints | null): string {
  if (settings.feed.mode === 'demo' && demo) return demo.httpBase
  if (settings.feed.mode === 'custom') return settings.feed.restBase || restBaseForSocket(settings.feed.url)
  return POLYGON_REST
}

/** Maps an HTTP answer to what the user reads. Pure. */
export function describeKeyAnswer(name: SecretName, status: number): SecretTestResult {
  const svc = name === 'polygon' ? 'Polygon' : 'Guardian'
  if (status >= 200 && status < 300) return { ok: true, message: `${svc} accepted the key.` }
  if (status === 401) return { ok: false, message: `${svc} rejected the key.` }
  if (status === 403) return { ok: false, message: `${svc} knows the key, but the plan does not allow this data.` }
  if (status === 429) return { ok: true, message: `${svc} accepted the key but is rate limiting it right now.` }
  return { ok: false, message: `${svc} answered HTTP ${status}; try again later.` }
}

export async function testKey(
  name: SecretName,
  key: string,
  settings: Settings,
  deps: { fetch: FetchLike; demo: DemoEndpoints | null; timeoutMs?: number },
): Promise<SecretTestResult> {
  const url =
    name === 'polygon'
      ? `${polygonRestBase(settings, deps.demo)}/v2/aggs/ticker/AAPL/prev?adjusted=true`
      : `${settings.feed.mode === 'demo' && deps.demo ? `${deps.demo.httpBase}/guardian` : GUARDIAN_BASE}/search?page-size=1&api-key=${encodeURIComponent(key)}`
  const headers: Record<string, string> = name === 'polygon' ? { authorization: `Bearer ${key}` } : {}
  try {
    const res = await deps.fetch(url, { signal: AbortSignal.timeout(deps.timeoutMs ?? 10_000), headers })
    return describeKeyAnswer(name, res.status)
  } catch (e) {
    // Never echo the URL: the Guardian key is in its query.
    return { ok: false, message: `Could not reach ${name === 'polygon' ? 'Polygon' : 'The Guardian'}: ${e instanceof Error ? e.name : 'error'}` }
  }
}

export function grafanaDashboardUrl(settings: Settings): string {
  const base = settings.grafana.url.replace(/\/+$/, '')
  return `${base}/d/${settings.grafana.dashboardUid}?kiosk&theme=${settings.theme}`
}

export async function probeGrafana(settings: Settings, deps: { fetch: FetchLike; timeoutMs?: number }): Promise<GrafanaProbe> {
  const url = grafanaDashboardUrl(settings)
  const hint = 'Start the stack: `npm run stack` (local) or `docker compose -f docker/docker-compose.yml up -d`.'
  try {
    const res = await deps.fetch(`${settings.grafana.url.replace(/\/+$/, '')}/api/health`, {
      signal: AbortSignal.timeout(deps.timeoutMs ?? 2_000),
    })
    if (res.status === 200) return { reachable: true, url, message: 'Grafana is up.' }
    return { reachable: false, url, message: `Grafana answered HTTP ${res.status}. ${hint}` }
  } catch {
    return { reachable: false, url, message: `Grafana does not answer at ${settings.grafana.url}. ${hint}` }
  }
}
