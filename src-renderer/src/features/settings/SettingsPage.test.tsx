import { act, cleanup, fireEvent, render, screen } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { applySettingsPatch, defaultSettings, type Settings } from '@contract/settings-schema'
import { installFakeHost, type FakeHost } from '../../test/fake-host'
import { SettingsPage } from './SettingsPage'
import { useSettingsStore } from './settings-store'

afterEach(cleanup)

describe('SettingsPage', () => {
  let stored: Settings
  let secrets: { polygon: boolean; guardian: boolean }
  let host: FakeHost
  beforeEach(async () => {
    useSettingsStore.setState(useSettingsStore.getInitialState(), true)
    stored = defaultSettings()
    secrets = { polygon: false, guardian: true }
    host = installFakeHost({
      'settings:get': () => stored,
      'settings:update': (patch) => (stored = applySettingsPatch(stored, patch)),
      'secrets:status': () => secrets,
      'secrets:set': ({ name }) => (secrets = { ...secrets, [name]: true }),
      'secrets:clear': ({ name }) => (secrets = { ...secrets, [name]: false }),
      'secrets:test': ({ name }) => ({ ok: name === 'guardian', message: name === 'guardian' ? 'Key accepted' : 'Key rejected (401)' }),
      'app:info': () => ({ name: 'newstape', version: '0', mode: 'browser', platform: 'linux', demo: true }),
    })
    await useSettingsStore.getState().load()
  })

  it('validates inline and disables Save while invalid', () => {
    render(<SettingsPage />)
    const save = screen.getByTestId('settings-save') as HTMLButtonElement
    expect(save.disabled).toBe(true) // nothing changed yet
    fireEvent.change(screen.getByTestId('settings-grafana-url'), { target: { value: 'ftp://grafana' } })
    expect(screen.getByTestId('settings-error-grafana.url').textContent).toBe('Grafana URL must be http(s)')
    fireEvent.change(screen.getByTestId('settings-kafka-brokers'), { target: { value: '127.0.0.1:9092, nohost' } })
    expect(screen.getByTestId('settings-error-kafka.brokers').textContent).toContain('host:port')
    fireEvent.change(screen.getByTestId('settings-threshold-z'), { target: { value: '' } })
    expect(screen.getByTestId('settings-error-thresholds.z')).toBeTruthy()
    expect(save.disabled).toBe(true)
    fireEvent.change(screen.getByTestId('settings-grafana-url'), { target: { value: 'http://127.0.0.1:3001' } })
    fireEvent.change(screen.getByTestId('settings-kafka-brokers'), { target: { value: '127.0.0.1:9092' } })
    fireEvent.change(screen.getByTestId('settings-threshold-z'), { target: { value: '2.5' } })
    expect(screen.queryByTestId('settings-error-grafana.url')).toBeNull()
    expect(save.disabled).toBe(false)
  })

  it('checks cross-field rules and the custom feed URL', () => {
    render(<SettingsPage />)
    fireEvent.change(screen.getByTestId('settings-threshold-zWithVolume'), { target: { value: '4' } })
    expect(screen.getByTestId('settings-error-thresholds.zWithVolume').textContent).toBe('z with volume must not exceed z')
    fireEvent.change(screen.getByTestId('settings-feed-mode'), { target: { value: 'custom' } })
    expect(screen.getByTestId('settings-error-feed.url').textContent).toContain('ws://')
    fireEvent.change(screen.getByTestId('settings-feed-url'), { target: { value: 'ws://127.0.0.1:8080/stocks' } })
    expect(screen.queryByTestId('settings-error-feed.url')).toBeNull()
  })

  it('saves only the changed sections', async () => {
    render(<SettingsPage />)
    fireEvent.change(screen.getByTestId('settings-theme'), { target: { value: 'light' } })
    fireEvent.click(screen.getByTestId('settings-kafka-enabled'))
    await act(async () => fireEvent.click(screen.getByTestId('settings-save')))
    const call = host.calls.find((c) => c.channel === 'settings:update')
    expect(Object.keys(call?.arg as object).sort()).toEqual(['kafka', 'theme'])
    expect(stored.theme).toBe('light')
    expect(stored.kafka.enabled).toBe(true)
    expect(screen.getByTestId('settings-result').textContent).toBe('Saved.')
  })

  it('edits where the news-impact history is read, validated inline', async () => {
    render(<SettingsPage />)
    const url = screen.getByTestId('settings-history-url') as HTMLInputElement
    expect(url.value).toBe('postgres://postgres@127.0.0.1:5432/test')
    fireEvent.change(url, { target: { value: 'http://127.0.0.1:5433/newstape' } })
    expect(screen.getByTestId('settings-error-history.postgresUrl').textContent).toContain('postgres://')
    fireEvent.change(screen.getByTestId('settings-history-schema'), { target: { value: 'Bad Schema' } })
    expect(screen.getByTestId('settings-error-history.schema')).toBeTruthy()
    expect((screen.getByTestId('settings-save') as HTMLButtonElement).disabled).toBe(true)
    fireEvent.change(url, { target: { value: 'postgres://newstape:pw@127.0.0.1:5433/newstape' } })
    fireEvent.change(screen.getByTestId('settings-history-schema'), { target: { value: 'public' } })
    await act(async () => fireEvent.click(screen.getByTestId('settings-save')))
    expect(stored.history).toEqual({ postgresUrl: 'postgres://newstape:pw@127.0.0.1:5433/newstape', schema: 'public' })
  })

  it('edits the move-alert threshold and the market proxy next to the signal thresholds, validated by the schema', async () => {
    render(<SettingsPage />)
    const zMove = screen.getByTestId('settings-threshold-zMove') as HTMLInputElement
    const proxy = screen.getByTestId('settings-threshold-proxy') as HTMLInputElement
    expect([zMove.value, proxy.value]).toEqual(['4', 'SPY'])
    fireEvent.change(zMove, { target: { value: '0' } })
    expect(screen.getByTestId('settings-error-thresholds.zMove').textContent).toBe('Must be > 0')
    fireEvent.change(proxy, { target: { value: '1x' } })
    expect(screen.getByTestId('settings-error-thresholds.proxy').textContent).toContain('Symbol')
    expect((screen.getByTestId('settings-save') as HTMLButtonElement).disabled).toBe(true)
    fireEvent.change(zMove, { target: { value: '5.5' } })
    fireEvent.change(proxy, { target: { value: 'qqq' } }) // upper-cased as typed
    expect(proxy.value).toBe('QQQ')
    await act(async () => fireEvent.click(screen.getByTestId('settings-save')))
    expect(stored.thresholds).toMatchObject({ zMove: 5.5, proxy: 'QQQ', z: 3 })
  })

  it('the plan’s REST rate shows for a real feed, not for the demo, and is saved as whole calls per minute', async () => {
    render(<SettingsPage />)
    expect(screen.queryByTestId('settings-feed-rest-rate')).toBeNull()
    fireEvent.change(screen.getByTestId('settings-feed-mode'), { target: { value: 'delayed' } })
    const rate = screen.getByTestId('settings-feed-rest-rate') as HTMLInputElement
    expect(rate.value).toBe('5')
    fireEvent.change(rate, { target: { value: '2.5' } })
    expect(screen.getByTestId('settings-error-feed.restCallsPerMinute').textContent).toBe('Whole calls per minute')
    fireEvent.change(rate, { target: { value: '0' } })
    await act(async () => fireEvent.click(screen.getByTestId('settings-save')))
    expect(stored.feed).toMatchObject({ mode: 'delayed', restCallsPerMinute: 0 })
  })

  it('keys are write-only: set / clear / test show status and messages, never the value', async () => {
    render(<SettingsPage />)
    expect(screen.getByTestId('secret-status-polygon').textContent).toBe('not set')
    expect(screen.getByTestId('secret-status-guardian').textContent).toBe('set')
    const input = screen.getByTestId('secret-input-polygon') as HTMLInputElement
    expect(input.type).toBe('password')
    fireEvent.change(input, { target: { value: 'short' } })
    await act(async () => fireEvent.click(screen.getByTestId('secret-set-polygon')))
    expect(screen.getByTestId('secret-message-polygon').textContent).toContain('Key looks too short')
    expect(secrets.polygon).toBe(false)
    fireEvent.change(input, { target: { value: 'pk_live_0123456789' } })
    await act(async () => fireEvent.click(screen.getByTestId('secret-set-polygon')))
    expect(screen.getByTestId('secret-status-polygon').textContent).toBe('set')
    expect(input.value).toBe('')
    await act(async () => fireEvent.click(screen.getByTestId('secret-test-polygon')))
    expect(screen.getByTestId('secret-message-polygon').textContent).toBe('Key rejected (401)')
    await act(async () => fireEvent.click(screen.getByTestId('secret-clear-polygon')))
    expect(screen.getByTestId('secret-status-polygon').textContent).toBe('not set')
    await act(async () => fireEvent.click(screen.getByTestId('secret-test-guardian')))
    expect(screen.getByTestId('secret-message-guardian').textContent).toBe('Key accepted')
  })
})
