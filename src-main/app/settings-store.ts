// Settings persistence over any key-value store (electron-store in the app, a JSON file in browser mode):
// migrate, validate with the shared zod schema (bad sections fall back to defaults), save atomically.
import { applySettingsPatch, loadSettings, type Settings, type SettingsPatch } from '../../src-preload/settings-schema'
import type { KeyValueStore } from '../shell/secrets'
import { CURRENT_SETTINGS_VERSION, migrateSettings } from './settings-migrations'

export interface SettingsStore {
  get(): Settings
  update(patch: SettingsPatch): Settings
  /** Problems found at load (sections reset to defaults), for the log and the UI. */
  readonly problems: string[]
}

export function createSettingsStore(kv: KeyValueStore): SettingsStore {
  const { doc } = migrateSettings(kv.get('settings'), kv.get('settingsVersion'))
  const loaded = loadSettings(doc)
  let current = loaded.settings
  const save = (): void => {
    kv.set('settings', current)
    kv.set('settingsVersion', CURRENT_SETTINGS_VERSION)
  }
  save()
  return {
    problems: loaded.problems,
    get: () => current,
    update(patch) {
      current = applySettingsPatch(current, patch)
      save()
      return current
    },
  }
}
