// Settings persistence over any key-value store (a JSON file in both modes): migrate, validate with the shared
// zod schema (bad sections fall back to defaults, in memory), save atomically.
// Nothing is written at start-up: the stored document is only replaced when the user changes a setting. Before
// the first save over a document that had unreadable sections, a copy of the file is kept aside. A document
// from a newer app (settingsVersion above ours) is opened read-only: it is never rewritten (downgraded) here.
import { applySettingsPatch, loadSettings, type Settings, type SettingsPatch } from '../../src-preload/settings-schema'
import type { KeyValueStore } from './secrets'
import { CURRENT_SETTINGS_VERSION, migrateSettings } from './settings-migrations'

export interface SettingsStore {
  get(): Settings
  /** Throws SettingsReadOnlyError when the stored settings come from a newer version. */
  update(patch: SettingsPatch): Settings
  /** Problems found at load (sections reset to defaults), for the log and the UI. */
  readonly problems: string[]
  /** Why the settings are read-only (written by a newer version), or null. */
  readonly readOnly: string | null
  /** Where a copy of the settings was kept before the first save over unreadable sections (once it was made). */
  keptCopy(): string | null
}

export class SettingsReadOnlyError extends Error {}

export interface SettingsStoreOptions {
  /** Copies the stored file aside before the first save over unreadable sections; returns the copy's path. */
  keepCopy?: () => string | null
}

/** The read-only message for a document written by a newer app, or null. Pure. */
export function newerVersionMessage(version: unknown): string | null {
  if (typeof version !== 'number' || !Number.isInteger(version) || version <= CURRENT_SETTINGS_VERSION) return null
  return `The settings were saved by a newer version of Newstape (settings version ${version}; this version reads up to ${CURRENT_SETTINGS_VERSION}). They are open read-only: changes are not saved and the file is left as it is. Update Newstape to change them.`
}

export function createSettingsStore(kv: KeyValueStore, opts: SettingsStoreOptions = {}): SettingsStore {
  const version = kv.get('settingsVersion')
  const readOnly = newerVersionMessage(version)
  const { doc } = migrateSettings(kv.get('settings'), version)
  const loaded = loadSettings(doc)
  let current = loaded.settings
  let copy: string | null = null
  let copied = false
  const save = (): void => {
    if (loaded.problems.length > 0 && !copied) {
      copy = opts.keepCopy?.() ?? null
      copied = true
    }
    kv.set('settings', current)
    kv.set('settingsVersion', CURRENT_SETTINGS_VERSION)
  }
  return {
    problems: loaded.problems,
    readOnly,
    keptCopy: () => copy,
    get: () => current,
    update(patch) {
      if (readOnly) throw new SettingsReadOnlyError(readOnly)
      const next = applySettingsPatch(current, patch)
      current = next
      save()
      return current
    },
  }
}
