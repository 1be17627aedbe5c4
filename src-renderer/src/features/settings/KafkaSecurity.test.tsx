import { act, cleanup, fireEvent, render, screen } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { applySettingsPatch, defaultSettings, type Settings } from '@contract/settings-schema'
import type { KafkaCheck } from '@contract/contract'
import { installFakeHost, type FakeHost } from '../../test/fake-host'
import { SettingsPage } from './SettingsPage'
import { useSettingsStore } from './settings-store'

afterEach(cleanup)

describe('Kafka security settings', () => {
  let stored: Settings
  let kafkaSecrets: { password: boolean; clientKey: boolean; oauthClientSecret: boolean }
  let host: FakeHost
  const check: KafkaCheck = {
    ok: false,
    steps: [
      { step: 'config', label: 'Settings', ok: true, detail: 'SASL_SSL with SCRAM-SHA-512' },
      { step: 'tcp', label: 'TCP', ok: true, detail: 'connected to kafka:9093' },
      { step: 'tls', label: 'TLS handshake', ok: true, detail: 'handshake done, certificate verified' },
      { step: 'sasl', label: 'SASL authentication', ok: false, detail: 'SASL_AUTHENTICATION_FAILED (58): check the username and password' },
    ],
  }
  beforeEach(async () => {
    useSettingsStore.setState(useSettingsStore.getInitialState(), true)
    stored = defaultSettings()
    kafkaSecrets = { password: false, clientKey: false, oauthClientSecret: false }
    host = installFakeHost({
      'settings:get': () => stored,
      'settings:update': (patch) => (stored = applySettingsPatch(stored, patch)),
      'secrets:status': () => ({ polygon: false, guardian: false }),
      'kafka:secrets-status': () => kafkaSecrets,
      'kafka:secret-set': ({ name }) => (kafkaSecrets = { ...kafkaSecrets, [name]: true }),
      'kafka:test-connection': () => check,
      'app:info': () => ({ name: 'newstape', version: '0', mode: 'browser', platform: 'linux', demo: true }),
    })
    await useSettingsStore.getState().load()
  })

  it('sets SASL_SSL + SCRAM: the password goes to the keychain channel, never into the settings', async () => {
    render(<SettingsPage />)
    fireEvent.change(screen.getByTestId('settings-kafka-protocol'), { target: { value: 'SASL_SSL' } })
    fireEvent.change(screen.getByTestId('settings-kafka-mechanism'), { target: { value: 'SCRAM-SHA-512' } })
    fireEvent.change(screen.getByTestId('settings-kafka-username'), { target: { value: 'alice' } })
    fireEvent.change(screen.getByTestId('settings-kafka-ca'), { target: { value: '/etc/kafka/ca.pem' } })
    fireEvent.change(screen.getByTestId('kafka-secret-password'), { target: { value: 'p4ss word' } })
    await act(async () => fireEvent.click(screen.getByText('Store', { selector: 'button:not([disabled])' })))
    expect(host.calls.find((c) => c.channel === 'kafka:secret-set')?.arg).toEqual({ name: 'password', value: 'p4ss word' })
    expect(screen.getByTestId('kafka-secret-status-password').textContent).toBe('set')
    await act(async () => fireEvent.click(screen.getByTestId('settings-save')))
    expect(stored.kafka.security).toMatchObject({ protocol: 'SASL_SSL', mechanism: 'SCRAM-SHA-512', username: 'alice', caFile: '/etc/kafka/ca.pem', insecureTls: false })
    const update = host.calls.find((c) => c.channel === 'settings:update')
    expect(JSON.stringify(update?.arg)).not.toContain('p4ss')
  })

  it('insecure TLS is an explicit choice with a warning', () => {
    render(<SettingsPage />)
    fireEvent.change(screen.getByTestId('settings-kafka-protocol'), { target: { value: 'SSL' } })
    expect(screen.queryByTestId('settings-kafka-insecure-warning')).toBeNull()
    fireEvent.click(screen.getByTestId('settings-kafka-insecure'))
    expect(screen.getByTestId('settings-kafka-insecure-warning').textContent).toContain('status bar shows this in red')
  })

  it('Test connection lists each step and says which failed', async () => {
    render(<SettingsPage />)
    await act(async () => fireEvent.click(screen.getByTestId('settings-kafka-test')))
    expect(host.calls.find((c) => c.channel === 'kafka:test-connection')?.arg).toMatchObject({ kafka: { brokers: ['127.0.0.1:9092'] } })
    expect(screen.getByTestId('kafka-check-tls').textContent).toBe('✓ TLS handshake: handshake done, certificate verified')
    expect(screen.getByTestId('kafka-check-sasl').textContent).toContain('✗ SASL authentication: SASL_AUTHENTICATION_FAILED (58)')
  })
})
