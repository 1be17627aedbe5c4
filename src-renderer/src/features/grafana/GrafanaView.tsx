import { useCallback, useEffect, useRef, useState } from 'react'
import type { GrafanaProbe } from '@contract/contract'
import { getApi } from '../../api/client'
import { useSettingsStore } from '../settings/settings-store'

export const STACK_COMMANDS = ['npm run stack', 'docker compose -f docker/docker-compose.yml up -d']

/**
 * Browser mode: an <iframe> on the Grafana origin (allowed by the CSP's frame-src for loopback).
 * Electron: main shows a separate WebContentsView confined to the Grafana origin over our placeholder's
 * bounds (`grafana:show` / `grafana:hide`) — no <webview>, no Grafana content inside the app's renderer.
 */
export function GrafanaView() {
  const mode = useSettingsStore((s) => s.appInfo?.mode ?? 'browser')
  const [probe, setProbe] = useState<GrafanaProbe | null>(null)
  const [probeError, setProbeError] = useState<string | null>(null)

  const check = useCallback(async () => {
    setProbe(null)
    setProbeError(null)
    const r = await getApi().invoke('grafana:probe')
    if (r.ok) setProbe(r.value)
    else setProbeError(r.error.message)
  }, [])

  useEffect(() => {
    void check()
  }, [check])

  if (probeError || (probe && !probe.reachable))
    return (
      <div className="grafana-notice" data-testid="grafana-unreachable" role="alert">
        <h2>Grafana does not answer</h2>
        <p>{probe?.message ?? probeError}</p>
        <p>Start the stack (Kafka, Flink, PostgreSQL, Grafana) from the project folder:</p>
        {STACK_COMMANDS.map((c) => (
          <pre key={c}>
            <code>{c}</code>
          </pre>
        ))}
        <p className="muted">Grafana runs only under Docker. The URL and dashboard uid are in Settings → Grafana.</p>
        <button onClick={() => void check()} data-testid="grafana-retry">
          Try again
        </button>
      </div>
    )
  if (!probe) return <div className="grafana-notice muted">Checking Grafana…</div>
  return mode === 'electron' ? <ElectronGrafana /> : <iframe className="grafana-frame" data-testid="grafana-frame" title="Grafana dashboard" src={probe.url} />
}

function ElectronGrafana() {
  const ref = useRef<HTMLDivElement>(null)
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    const el = ref.current
    if (!el) return
    const api = getApi()
    const send = () => {
      const r = el.getBoundingClientRect()
      const bounds = { x: Math.max(0, Math.round(r.left)), y: Math.max(0, Math.round(r.top)), width: Math.round(r.width), height: Math.round(r.height) }
      void api.invoke('grafana:show', { bounds }).then((res) => setError(res.ok ? null : res.error.message))
    }
    send()
    const ro = new ResizeObserver(send)
    ro.observe(el)
    window.addEventListener('resize', send)
    return () => {
      ro.disconnect()
      window.removeEventListener('resize', send)
      void api.invoke('grafana:hide')
    }
  }, [])
  return (
    <div className="grafana-frame" ref={ref} data-testid="grafana-host">
      {error && <p className="field-error">{error}</p>}
    </div>
  )
}
