// Versioned settings migrations: pure functions from one stored shape to the next. The store records the
// version it wrote; on load every step from that version up runs in order, then the zod schema (with its
// defaults) validates the result.
export const CURRENT_SETTINGS_VERSION = 4

type Doc = Record<string, unknown>
const isObj = (v: unknown): v is Doc => v !== null && typeof v === 'object' && !Array.isArray(v)

/**
 * v1 (the first preview builds): `watchlist` was a plain array of symbols, `feed` a mode string,
 * `kafka.spoolCapBytes` in bytes, and `grafanaUrl` a top-level string.
 */
function v1ToV2(doc: Doc): Doc {
  const out: Doc = { ...doc }
  if (Array.isArray(doc.watchlist)) {
    out.watchlist = {
      symbols: doc.watchlist
        .filter((s): s is string => typeof s === 'string')
        .map((s) => ({ symbol: s.trim().toUpperCase(), aliases: [] })),
    }
  }
  if (typeof doc.feed === 'string') out.feed = { mode: doc.feed }
  if (isObj(doc.kafka) && typeof doc.kafka.spoolCapBytes === 'number') {
    const { spoolCapBytes, ...rest } = doc.kafka
    out.kafka = { ...rest, spoolCapMb: Math.max(1, Math.round((spoolCapBytes as number) / (1024 * 1024))) }
  }
  if (typeof doc.grafanaUrl === 'string') {
    out.grafana = { ...(isObj(doc.grafana) ? doc.grafana : {}), url: doc.grafanaUrl }
    delete out.grafanaUrl
  }
  return out
}

/**
 * v3 adds the `history` section (where the news-impact history is read: PostgreSQL URL and schema). A v2 store
 * has none, so it gets an empty one (the schema fills the defaults). A hand-edited `history` that is a plain
 * connection string becomes `{ postgresUrl }`; any other non-object value is dropped rather than reported as a
 * broken section.
 */
function v2ToV3(doc: Doc): Doc {
  const out: Doc = { ...doc }
  const h = doc.history
  if (typeof h === 'string' && h.trim() !== '') out.history = { postgresUrl: h.trim() }
  else if (!isObj(h)) out.history = {}
  return out
}

/**
 * v4 adds `kafka.security` (TLS/SASL; the schema's default is PLAINTEXT, what v3 did). A hand-edited security
 * section, or a `kafka.sasl` object some guides suggest, is kept minus any password, key or secret: those
 * belong in the keychain (Settings → Kafka), never in the settings file.
 */
function v3ToV4(doc: Doc): Doc {
  if (!isObj(doc.kafka)) return doc
  const { sasl, ...kafka } = doc.kafka
  const security: Doc = isObj(kafka.security) ? { ...kafka.security } : {}
  if (isObj(sasl)) {
    if (typeof sasl.mechanism === 'string' && security.mechanism === undefined) security.mechanism = sasl.mechanism.toUpperCase()
    if (typeof sasl.username === 'string' && security.username === undefined) security.username = sasl.username
    if (security.protocol === undefined) security.protocol = 'SASL_SSL'
  }
  for (const k of ['password', 'keyPem', 'clientKey', 'clientSecret', 'oauthClientSecret', 'token']) delete security[k]
  return { ...doc, kafka: { ...kafka, security } }
}

const STEPS: Record<number, (d: Doc) => Doc> = { 1: v1ToV2, 2: v2ToV3, 3: v3ToV4 }

/** Runs every migration from `fromVersion` to CURRENT. Unknown/garbage input becomes `{}` (defaults). */
export function migrateSettings(raw: unknown, fromVersion: unknown): { doc: Doc; applied: number[] } {
  let doc: Doc = isObj(raw) ? raw : {}
  // No version recorded: a v1 store (v1 never wrote one).
  let v = typeof fromVersion === 'number' && Number.isInteger(fromVersion) ? fromVersion : 1
  const applied: number[] = []
  if (v > CURRENT_SETTINGS_VERSION) return { doc, applied } // written by a newer app: keep, the schema decides
  while (v < CURRENT_SETTINGS_VERSION) {
    const step = STEPS[v]
    if (step) {
      doc = step(doc)
      applied.push(v)
    }
    v++
  }
  return { doc, applied }
}
