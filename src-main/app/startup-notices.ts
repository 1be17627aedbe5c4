// What the user is told at start-up about the files that hold their settings and keys, in words, with paths.
// The wording is pure; `openUserStores` opens the stores both composition roots (Electron, browser mode) use.
import type { AppNotice } from '../domain/status'
import type { FileProblem, JsonFileStore } from './json-file-store'
import { createKafkaSecretStore } from './kafka-secrets'
import { createSecretStore, type SafeStorageLike } from './secrets'
import { createSettingsStore } from './settings-store'

export interface StartupFindings {
  /** The settings file could not be read (moved aside, or left in place when even that failed). */
  settingsFile: FileProblem | null
  /** Sections that failed validation and use defaults until the user saves. */
  settingsProblems: readonly string[]
  settingsPath: string
  /** Settings written by a newer version (read-only), or null. */
  readOnly: string | null
  /** The browser-mode key file could not be used (moved aside). */
  keyFile: FileProblem | null
}

export function startupNotices(f: StartupFindings): AppNotice[] {
  const out: AppNotice[] = []
  if (f.settingsFile) {
    const p = f.settingsFile
    out.push({
      id: 'settings-file',
      level: 'error',
      text: p.aside
        ? `Your settings file ${p.file} could not be read (${p.reason}). It was moved to ${p.aside} and nothing has been saved over it; Newstape started with default settings (watchlist and stored keys included). Restore the file from there or set things up again: nothing is saved until you change a setting.`
        : `Your settings file ${p.file} could not be read (${p.reason}) and could not be moved aside. Newstape started with default settings and will not save any change until the file is fixed or removed.`,
    })
  }
  if (f.settingsProblems.length > 0) {
    out.push({
      id: 'settings-sections',
      level: 'warn',
      text: `Some settings in ${f.settingsPath} could not be read and use their defaults for now: ${f.settingsProblems.join('; ')}. The file is left as it is; a copy is kept beside it (${f.settingsPath}.corrupt-<time>) before the first change is saved.`,
    })
  }
  if (f.readOnly) out.push({ id: 'settings-read-only', level: 'warn', text: f.readOnly })
  if (f.keyFile) {
    const p = f.keyFile
    out.push({
      id: 'key-file',
      level: 'error',
      text: `The key file ${p.file} that protects your stored API keys could not be used (${p.reason}).${p.aside ? ` It was moved to ${p.aside}.` : ''} Stored keys cannot be decrypted: enter them again in Settings → API keys.`,
    })
  }
  return out
}

/**
 * The stores both composition roots open over one settings file and one keychain: settings, API keys, Kafka
 * secrets, and what to tell the user about them at start-up.
 */
export function openUserStores(store: JsonFileStore, safe: SafeStorageLike, keyFile: FileProblem | null = null) {
  const settings = createSettingsStore(store, { keepCopy: () => store.keepCopy() })
  const secrets = createSecretStore(safe, store)
  const kafkaSecrets = createKafkaSecretStore(safe, store)
  const notices = startupNotices({
    settingsFile: store.problem,
    settingsProblems: settings.problems,
    settingsPath: store.file,
    readOnly: settings.readOnly,
    keyFile,
  })
  return { settings, secrets, kafkaSecrets, notices }
}
