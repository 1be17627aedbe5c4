import { create } from 'zustand'
import type { AppInfo, SecretName, SecretsStatus } from '@contract/contract'
import type { Settings, SettingsPatch } from '@contract/settings-schema'
import { getApi } from '../../api/client'

interface SettingsState {
  settings: Settings | null
  secrets: SecretsStatus | null
  appInfo: AppInfo | null
  error: string | null
  load(): Promise<void>
  /** Returns null on success, else the host's error message. */
  save(patch: SettingsPatch): Promise<string | null>
  setSecret(name: SecretName, value: string): Promise<string | null>
  clearSecret(name: SecretName): Promise<string | null>
}

export const useSettingsStore = create<SettingsState>()((set) => ({
  settings: null,
  secrets: null,
  appInfo: null,
  error: null,
  async load() {
    const api = getApi()
    const [s, k, info] = await Promise.all([api.invoke('settings:get'), api.invoke('secrets:status'), api.invoke('app:info')])
    set({
      settings: s.ok ? s.value : null,
      secrets: k.ok ? k.value : null,
      appInfo: info.ok ? info.value : null,
      error: [s, k, info].flatMap((r) => (r.ok ? [] : [r.error.message])).join('; ') || null,
    })
  },
  async save(patch) {
    const r = await getApi().invoke('settings:update', patch)
    if (!r.ok) return r.error.message
    set({ settings: r.value })
    return null
  },
  async setSecret(name, value) {
    const r = await getApi().invoke('secrets:set', { name, value })
    if (!r.ok) return r.error.message
    set({ secrets: r.value })
    return null
  },
  async clearSecret(name) {
    const r = await getApi().invoke('secrets:clear', { name })
    if (!r.ok) return r.error.message
    set({ secrets: r.value })
    return null
  },
}))
