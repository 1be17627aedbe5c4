// Pure helpers for the settings form: zod issues → per-field messages, and the patch to save.
import { settingsSchema, type Settings, type SettingsPatch } from '@contract/settings-schema'

/** "section.field" (array indexes dropped) → first message. Empty when the draft is valid. */
export const fieldErrors = (draft: unknown): Record<string, string> => {
  const r = settingsSchema.safeParse(draft)
  if (r.success) return {}
  const out: Record<string, string> = {}
  for (const i of r.error.issues) {
    const key = i.path.filter((p) => typeof p === 'string').join('.')
    out[key] ??= i.message
  }
  return out
}

/** Only the sections that changed; the watchlist's symbols always come from the live watchlist. */
export const settingsPatch = (saved: Settings, draft: Settings, liveSymbols: Settings['watchlist']['symbols']): SettingsPatch => {
  const patch: Record<string, unknown> = {}
  for (const k of Object.keys(draft) as (keyof Settings)[]) {
    if (JSON.stringify(draft[k]) !== JSON.stringify(saved[k])) patch[k] = draft[k]
  }
  if (patch.watchlist) patch.watchlist = { ...draft.watchlist, symbols: liveSymbols }
  return patch as SettingsPatch
}
