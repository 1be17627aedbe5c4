// Kafka connection security in Settings: protocol, mechanism, username, CA and client certificate files, the
// explicit "insecure (testing only)" switch, OAUTHBEARER token source; the password, client key and OAuth
// client secret are write-only fields stored by main in the OS keychain (only "set"/"not set" comes back).
// "Test connection" asks main to walk DNS → TCP → TLS → SASL → topics with the settings as typed.
import { useEffect, useState } from 'react'
import type { KafkaCheck, KafkaSecretName, KafkaSecretsStatus } from '@contract/contract'
import type { Settings } from '@contract/settings-schema'
import { getApi } from '../../api/client'
import { Row } from './SettingsRow'

type Kafka = Settings['kafka']
type Security = Kafka['security']

const PROTOCOLS: Security['protocol'][] = ['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL']
const MECHANISMS: Security['mechanism'][] = ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512', 'OAUTHBEARER']

export function KafkaSecurity({ kafka, onChange }: { kafka: Kafka; onChange: (s: Security) => void }) {
  const s = kafka.security
  const set = <K extends keyof Security>(k: K, v: Security[K]) => onChange({ ...s, [k]: v })
  const tls = s.protocol === 'SSL' || s.protocol === 'SASL_SSL'
  const sasl = s.protocol === 'SASL_PLAINTEXT' || s.protocol === 'SASL_SSL'
  const oauth = sasl && s.mechanism === 'OAUTHBEARER'
  const [secrets, setSecrets] = useState<KafkaSecretsStatus | null>(null)
  useEffect(() => {
    void getApi()
      .invoke('kafka:secrets-status')
      .then((r) => r.ok && setSecrets(r.value))
  }, [])

  return (
    <div className="kafka-security" data-testid="settings-kafka-security">
      <Row label="Security">
        <select data-testid="settings-kafka-protocol" value={s.protocol} onChange={(e) => set('protocol', e.target.value as Security['protocol'])}>
          {PROTOCOLS.map((p) => (
            <option key={p} value={p}>
              {p}
            </option>
          ))}
        </select>
      </Row>
      {tls && (
        <>
          <Row label="CA file (PEM)">
            <input data-testid="settings-kafka-ca" placeholder="empty: the system's trusted CAs" value={s.caFile} onChange={(e) => set('caFile', e.target.value)} />
          </Row>
          <Row label="Client certificate (PEM)">
            <input data-testid="settings-kafka-cert" placeholder="mTLS only" value={s.certFile} onChange={(e) => set('certFile', e.target.value)} />
          </Row>
          <SecretRow name="clientKey" label="Client key (PEM)" multiline status={secrets} onStatus={setSecrets} />
          <Row label="TLS server name">
            <input data-testid="settings-kafka-servername" placeholder="default: the broker host" value={s.servername} onChange={(e) => set('servername', e.target.value)} />
          </Row>
          <Row label="Verification">
            <label className="inline">
              <input type="checkbox" data-testid="settings-kafka-insecure" checked={s.insecureTls} onChange={(e) => set('insecureTls', e.target.checked)} /> insecure (testing only):
              do not verify the broker certificate
            </label>
            {s.insecureTls && (
              <span className="field-error" role="alert" data-testid="settings-kafka-insecure-warning">
                Anyone on the network path can read and change what is published. The status bar shows this in red.
              </span>
            )}
          </Row>
        </>
      )}
      {sasl && (
        <>
          <Row label="SASL mechanism">
            <select data-testid="settings-kafka-mechanism" value={s.mechanism} onChange={(e) => set('mechanism', e.target.value as Security['mechanism'])}>
              {MECHANISMS.map((m) => (
                <option key={m} value={m}>
                  {m}
                </option>
              ))}
            </select>
          </Row>
          {!oauth && (
            <>
              <Row label="Username">
                <input data-testid="settings-kafka-username" autoComplete="off" value={s.username} onChange={(e) => set('username', e.target.value)} />
              </Row>
              <SecretRow name="password" label="Password" status={secrets} onStatus={setSecrets} />
            </>
          )}
          {oauth && (
            <>
              <Row label="Token command">
                <input data-testid="settings-kafka-oauth-command" placeholder="prints a token (JWT or JSON)" value={s.oauthTokenCommand} onChange={(e) => set('oauthTokenCommand', e.target.value)} />
              </Row>
              <Row label="Token URL">
                <input data-testid="settings-kafka-oauth-url" placeholder="https://idp.example/oauth2/token" value={s.oauthTokenUrl} onChange={(e) => set('oauthTokenUrl', e.target.value)} />
              </Row>
              <Row label="Client id">
                <input value={s.oauthClientId} onChange={(e) => set('oauthClientId', e.target.value)} />
              </Row>
              <Row label="Scope">
                <input value={s.oauthScope} onChange={(e) => set('oauthScope', e.target.value)} />
              </Row>
              <SecretRow name="oauthClientSecret" label="Client secret" status={secrets} onStatus={setSecrets} />
            </>
          )}
        </>
      )}
      <TestConnection kafka={kafka} />
    </div>
  )
}

function SecretRow(props: {
  name: KafkaSecretName
  label: string
  multiline?: boolean
  status: KafkaSecretsStatus | null
  onStatus: (s: KafkaSecretsStatus) => void
}) {
  const { name, label, multiline, status, onStatus } = props
  const [value, setValue] = useState('')
  const [message, setMessage] = useState<string | null>(null)
  const isSet = status?.[name]
  const save = async () => {
    const r = await getApi().invoke('kafka:secret-set', { name, value })
    if (r.ok) {
      onStatus(r.value)
      setValue('')
      setMessage('Stored in the keychain.')
    } else setMessage(r.error.message)
  }
  const clear = async () => {
    const r = await getApi().invoke('kafka:secret-clear', { name })
    if (r.ok) onStatus(r.value)
    setMessage(r.ok ? 'Cleared.' : r.error.message)
  }
  return (
    <Row label={label}>
      <span className={`badge ${isSet ? 'ok' : ''}`} data-testid={`kafka-secret-status-${name}`}>
        {isSet === undefined ? '…' : isSet ? 'set' : 'not set'}
      </span>
      {multiline ? (
        <textarea data-testid={`kafka-secret-${name}`} rows={3} value={value} placeholder="-----BEGIN PRIVATE KEY-----" onChange={(e) => setValue(e.target.value)} />
      ) : (
        <input data-testid={`kafka-secret-${name}`} type="password" autoComplete="new-password" value={value} onChange={(e) => setValue(e.target.value)} />
      )}
      <button type="button" disabled={value === ''} onClick={() => void save()}>
        Store
      </button>
      <button type="button" disabled={!isSet} onClick={() => void clear()}>
        Clear
      </button>
      {message && <span className="muted">{message}</span>}
    </Row>
  )
}

function TestConnection({ kafka }: { kafka: Kafka }) {
  const [busy, setBusy] = useState(false)
  const [result, setResult] = useState<KafkaCheck | string | null>(null)
  const run = async () => {
    setBusy(true)
    setResult(null)
    try {
      const r = await getApi().invoke('kafka:test-connection', { kafka })
      setResult(r.ok ? r.value : r.error.message)
    } finally {
      setBusy(false)
    }
  }
  return (
    <Row label="Connection">
      <button type="button" data-testid="settings-kafka-test" disabled={busy} onClick={() => void run()}>
        {busy ? 'Testing…' : 'Test connection'}
      </button>
      {typeof result === 'string' && <span className="field-error">{result}</span>}
      {result && typeof result !== 'string' && (
        <ol className="kafka-check" data-testid="settings-kafka-test-result">
          {result.steps.map((st) => (
            <li key={st.step} className={st.ok ? 'ok' : 'field-error'} data-testid={`kafka-check-${st.step}`}>
              {st.ok ? '✓' : '✗'} {st.label}: {st.detail}
            </li>
          ))}
        </ol>
      )}
    </Row>
  )
}

