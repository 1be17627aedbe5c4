import { useState } from 'react'
import type { SecretName } from '@contract/contract'
import { getApi } from '../../api/client'
import { useSettingsStore } from './settings-store'

/** Write-only key field: the value goes to main and is never read back — only "set" / "not set". */
export function KeyField({ name, label }: { name: SecretName; label: string }) {
  const isSet = useSettingsStore((s) => s.secrets?.[name])
  const { setSecret, clearSecret } = useSettingsStore.getState()
  const [value, setValue] = useState('')
  const [message, setMessage] = useState<{ text: string; ok: boolean } | null>(null)
  const [busy, setBusy] = useState(false)

  const run = async (f: () => Promise<{ text: string; ok: boolean }>) => {
    setBusy(true)
    try {
      setMessage(await f())
    } finally {
      setBusy(false)
    }
  }

  return (
    <div className="key-field" data-testid={`secret-${name}`}>
      <label htmlFor={`secret-input-${name}`}>{label}</label>
      <span className={`badge ${isSet ? 'ok' : ''}`} data-testid={`secret-status-${name}`}>
        {isSet === undefined ? '…' : isSet ? 'set' : 'not set'}
      </span>
      <input
        id={`secret-input-${name}`}
        data-testid={`secret-input-${name}`}
        type="password"
        autoComplete="off"
        spellCheck={false}
        placeholder={isSet ? 'replace key…' : 'paste key…'}
        value={value}
        onChange={(e) => setValue(e.target.value)}
      />
      <button
        disabled={busy || value.trim() === ''}
        data-testid={`secret-set-${name}`}
        onClick={() =>
          void run(async () => {
            const err = await setSecret(name, value)
            if (err === null) setValue('')
            return err === null ? { text: 'Saved.', ok: true } : { text: err, ok: false }
          })
        }
      >
        Set
      </button>
      <button
        disabled={busy || !isSet}
        data-testid={`secret-clear-${name}`}
        onClick={() =>
          void run(async () => {
            const err = await clearSecret(name)
            return err === null ? { text: 'Cleared.', ok: true } : { text: err, ok: false }
          })
        }
      >
        Clear
      </button>
      <button
        disabled={busy || (!isSet && value.trim() === '')}
        data-testid={`secret-test-${name}`}
        onClick={() =>
          void run(async () => {
            const r = await getApi().invoke('secrets:test', value.trim() ? { name, value: value.trim() } : { name })
            return r.ok ? { text: r.value.message, ok: r.value.ok } : { text: r.error.message, ok: false }
          })
        }
      >
        Test
      </button>
      {message && (
        <span className={message.ok ? 'ok-text' : 'field-error'} role="status" data-testid={`secret-message-${name}`}>
          {message.text}
        </span>
      )}
    </div>
  )
}
