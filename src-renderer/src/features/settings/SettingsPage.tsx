import { useEffect, useMemo, useState, type ReactNode } from 'react'
import type { Settings } from '@contract/settings-schema'
import { useWatchlistStore } from '../watchlist/watchlist-store'
import { KafkaSecurity } from './KafkaSecurity'
import { KeyField } from './KeyField'
import { fieldErrors, settingsPatch } from './settings-form'
import { useSettingsStore } from './settings-store'
import { Row } from './SettingsRow'

type Section = keyof Settings

export function SettingsPage() {
  const saved = useSettingsStore((s) => s.settings)
  const loadError = useSettingsStore((s) => s.error)
  if (!saved) return <div className="settings muted">{loadError ?? 'Loading settings…'}</div>
  return <SettingsForm saved={saved} />
}

function SettingsForm({ saved }: { saved: Settings }) {
  const [draft, setDraft] = useState<Settings>(saved)
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null)
  useEffect(() => setDraft(saved), [saved])
  const errors = useMemo(() => fieldErrors(draft), [draft])
  const invalid = Object.keys(errors).length > 0
  const dirty = JSON.stringify(draft) !== JSON.stringify(saved)

  const set = <S extends Section>(section: S, value: Settings[S]) => {
    setResult(null)
    setDraft((d) => ({ ...d, [section]: value }))
  }
  const field = <S extends Exclude<Section, 'theme'>, K extends keyof Settings[S]>(section: S, key: K, value: Settings[S][K]) => {
    setResult(null)
    setDraft((d) => ({ ...d, [section]: { ...(d[section] as object), [key]: value } }))
  }

  const save = async () => {
    const patch = settingsPatch(saved, draft, useWatchlistStore.getState().entries)
    const err = await useSettingsStore.getState().save(patch)
    setResult(err === null ? { ok: true, text: 'Saved.' } : { ok: false, text: err })
  }

  const err = (path: string) =>
    errors[path] ? (
      <span className="field-error" role="alert" data-testid={`settings-error-${path}`}>
        {errors[path]}
      </span>
    ) : null

  return (
    <form
      className="settings"
      data-testid="settings-page"
      noValidate
      onSubmit={(e) => {
        e.preventDefault()
        if (!invalid) void save()
      }}
    >
      <Group title="API keys">
        <p className="muted">Without keys the built-in simulator feeds the app (demo mode). Keys are stored by the app, never shown again.</p>
        <KeyField name="polygon" label="Polygon" />
        <KeyField name="guardian" label="Guardian" />
      </Group>

      <Group title="Market feed">
        <Row label="Source">
          <select data-testid="settings-feed-mode" value={draft.feed.mode} onChange={(e) => field('feed', 'mode', e.target.value as Settings['feed']['mode'])}>
            <option value="demo">Demo (simulator)</option>
            <option value="delayed">Polygon delayed</option>
            <option value="realtime">Polygon real-time</option>
            <option value="custom">Custom URL</option>
          </select>
        </Row>
        {draft.feed.mode === 'custom' && (
          <Row label="Socket URL">
            <input data-testid="settings-feed-url" value={draft.feed.url} placeholder="ws://127.0.0.1:8080/stocks" onChange={(e) => field('feed', 'url', e.target.value)} />
            {err('feed.url')}
          </Row>
        )}
        {draft.feed.mode !== 'demo' && (
          <Row label="REST calls per minute">
            <NumberInput testid="settings-feed-rest-rate" value={draft.feed.restCallsPerMinute} onChange={(v) => field('feed', 'restCallsPerMinute', v)} />
            <span className="muted"> headline history is fetched at this pace: 5 on the free tier, 0 for unlimited (paid plans)</span>
            {err('feed.restCallsPerMinute')}
          </Row>
        )}
        <Row label="Channels">
          {(['T', 'Q', 'A', 'AM'] as const).map((c) => (
            <label key={c} className="inline">
              <input
                type="checkbox"
                data-testid={`settings-channel-${c}`}
                checked={draft.watchlist.channels.includes(c)}
                onChange={(e) =>
                  field('watchlist', 'channels', e.target.checked ? [...draft.watchlist.channels, c] : draft.watchlist.channels.filter((x) => x !== c))
                }
              />
              {c}
            </label>
          ))}
          {err('watchlist.channels')}
        </Row>
      </Group>

      <Group title="News (Guardian)">
        <Row label="Enabled">
          <input type="checkbox" checked={draft.news.enabled} onChange={(e) => field('news', 'enabled', e.target.checked)} />
        </Row>
        <Row label="Sections">
          <ListInput testid="settings-news-sections" value={draft.news.sections} onChange={(v) => field('news', 'sections', v)} />
          {err('news.sections')}
        </Row>
        <Row label="Key tier">
          <select value={draft.news.tier} onChange={(e) => field('news', 'tier', e.target.value as Settings['news']['tier'])}>
            <option value="developer">Developer (1 call/s, 500/day)</option>
            <option value="commercial">Commercial</option>
          </select>
        </Row>
        {draft.news.tier === 'commercial' && (
          <>
            <Row label="Calls per second">
              <NumberInput value={draft.news.perSecond} onChange={(v) => field('news', 'perSecond', v)} />
              {err('news.perSecond')}
            </Row>
            <Row label="Calls per day">
              <NumberInput value={draft.news.perDay} onChange={(v) => field('news', 'perDay', v)} />
              {err('news.perDay')}
            </Row>
          </>
        )}
      </Group>

      <Group title="Signals">
        <Row label="|z5| alone ≥">
          <NumberInput testid="settings-threshold-z" value={draft.thresholds.z} onChange={(v) => field('thresholds', 'z', v)} />
          {err('thresholds.z')}
        </Row>
        <Row label="rvol5 ≥">
          <NumberInput testid="settings-threshold-rvol" value={draft.thresholds.rvol} onChange={(v) => field('thresholds', 'rvol', v)} />
          {err('thresholds.rvol')}
        </Row>
        <Row label="with |z5| ≥">
          <NumberInput testid="settings-threshold-zWithVolume" value={draft.thresholds.zWithVolume} onChange={(v) => field('thresholds', 'zWithVolume', v)} />
          {err('thresholds.zWithVolume')}
        </Row>
        <Row label="Move alert |z| ≥">
          <NumberInput testid="settings-threshold-zMove" value={draft.thresholds.zMove} onChange={(v) => field('thresholds', 'zMove', v)} />
          {err('thresholds.zMove')}
        </Row>
        <Row label="Market proxy">
          <input
            data-testid="settings-threshold-proxy"
            aria-label="Market proxy"
            title="Moves are measured beyond this symbol's (beta-weighted); it is always streamed, shown only when watched"
            value={draft.thresholds.proxy}
            maxLength={10}
            spellCheck={false}
            onChange={(e) => field('thresholds', 'proxy', e.target.value.toUpperCase())}
          />
          {err('thresholds.proxy')}
        </Row>
        <Row label="Notifications">
          <label className="inline">
            <input type="checkbox" checked={draft.notifications.enabled} onChange={(e) => field('notifications', 'enabled', e.target.checked)} /> on
          </label>
          <label className="inline">
            <input type="checkbox" checked={draft.notifications.signalsOnly} onChange={(e) => field('notifications', 'signalsOnly', e.target.checked)} /> signals only
          </label>
          <label className="inline">
            <input type="checkbox" checked={draft.notifications.sound} onChange={(e) => field('notifications', 'sound', e.target.checked)} /> sound
          </label>
        </Row>
      </Group>

      <Group title="Kafka">
        <Row label="Publish">
          <input type="checkbox" data-testid="settings-kafka-enabled" checked={draft.kafka.enabled} onChange={(e) => field('kafka', 'enabled', e.target.checked)} />
        </Row>
        <Row label="Brokers">
          <ListInput testid="settings-kafka-brokers" value={draft.kafka.brokers} onChange={(v) => field('kafka', 'brokers', v)} />
          {err('kafka.brokers')}
        </Row>
        <Row label="Topic prefix">
          <input data-testid="settings-kafka-prefix" value={draft.kafka.topicPrefix} onChange={(e) => field('kafka', 'topicPrefix', e.target.value)} />
          {err('kafka.topicPrefix')}
        </Row>
        <Row label="Spool cap (MB)">
          <NumberInput value={draft.kafka.spoolCapMb} onChange={(v) => field('kafka', 'spoolCapMb', v)} />
          {err('kafka.spoolCapMb')}
        </Row>
        <KafkaSecurity kafka={draft.kafka} onChange={(v) => field('kafka', 'security', v)} />
      </Group>

      <Group title="Grafana">
        <Row label="URL">
          <input data-testid="settings-grafana-url" value={draft.grafana.url} onChange={(e) => field('grafana', 'url', e.target.value)} />
          {err('grafana.url')}
        </Row>
        <Row label="Dashboard uid">
          <input data-testid="settings-grafana-uid" value={draft.grafana.dashboardUid} onChange={(e) => field('grafana', 'dashboardUid', e.target.value)} />
          {err('grafana.dashboardUid')}
        </Row>
      </Group>

      <Group title="News-impact history">
        <p className="muted">Per-symbol history beside the timeline, read from PostgreSQL table impact_history (npm run history:job).</p>
        <Row label="PostgreSQL URL">
          <input data-testid="settings-history-url" value={draft.history.postgresUrl} placeholder="postgres://user@127.0.0.1:5432/test" onChange={(e) => field('history', 'postgresUrl', e.target.value)} />
          {err('history.postgresUrl')}
        </Row>
        <Row label="Schema">
          <input data-testid="settings-history-schema" value={draft.history.schema} onChange={(e) => field('history', 'schema', e.target.value)} />
          {err('history.schema')}
        </Row>
      </Group>

      <Group title="Appearance">
        <Row label="Theme">
          <select data-testid="settings-theme" value={draft.theme} onChange={(e) => set('theme', e.target.value as Settings['theme'])}>
            <option value="dark">Dark</option>
            <option value="light">Light</option>
          </select>
        </Row>
      </Group>

      <div className="settings-actions">
        <button type="submit" data-testid="settings-save" disabled={invalid || !dirty}>
          Save
        </button>
        <button type="button" disabled={!dirty} onClick={() => setDraft(saved)}>
          Revert
        </button>
        {invalid && <span className="field-error">Fix the highlighted fields to save.</span>}
        {result && (
          <span className={result.ok ? 'ok-text' : 'field-error'} role="status" data-testid="settings-result">
            {result.text}
          </span>
        )}
      </div>
    </form>
  )
}

function Group({ title, children }: { title: string; children: ReactNode }) {
  return (
    <fieldset className="settings-group">
      <legend>{title}</legend>
      {children}
    </fieldset>
  )
}

/** Keeps the typed text; an empty or non-numeric entry becomes NaN, which the schema rejects inline. */
function NumberInput({ value, onChange, testid }: { value: number; onChange(v: number): void; testid?: string }) {
  const [text, setText] = useState(Number.isNaN(value) ? '' : String(value))
  useEffect(() => {
    if (!Number.isNaN(value) && Number(text) !== value) setText(String(value))
  }, [value]) // eslint-disable-line react-hooks/exhaustive-deps -- only external changes resync the text
  return (
    <input
      inputMode="decimal"
      data-testid={testid}
      value={text}
      onChange={(e) => {
        setText(e.target.value)
        onChange(e.target.value.trim() === '' ? Number.NaN : Number(e.target.value))
      }}
    />
  )
}

/** Comma-separated list; keeps the raw text so typing "a, " is not rewritten mid-edit. */
function ListInput({ value, onChange, testid }: { value: string[]; onChange(v: string[]): void; testid?: string }) {
  const [text, setText] = useState(value.join(', '))
  return (
    <input
      data-testid={testid}
      value={text}
      onChange={(e) => {
        setText(e.target.value)
        onChange(
          e.target.value
            .split(',')
            .map((s) => s.trim())
            .filter((s) => s !== ''),
        )
      }}
    />
  )
}
