// Trade-condition rules, read once at module load from the shared table (also read by the simulator and
// the Flink job, so all three agree).
//
// Rules (fixtures/trade-conditions.json):
// - A trade updates last price / OHLC only if NONE of its conditions has updatesLast=false.
// - A trade counts in volume, VWAP and the bar's trade count only if NONE has updatesVolume=false.
// - Codes not in the table update both (unknown codes count).
// - A window gets a bar only if it holds at least one trade that updates last.
// The hot path looks codes up in a flat byte table instead of an object (no hashing, no allocation).
import table from '../../fixtures/trade-conditions.json' with { type: 'json' }

/** Bit set in a condition's flags when it stops a trade from updating last/OHLC. */
export const NO_LAST = 1
/** Bit set when it stops a trade from counting in volume/VWAP/trades. */
export const NO_VOLUME = 2

/** Codes at or above this are treated as unknown (update both); SIP codes are small integers. */
export const MAX_CODE = 256

export interface ConditionRule {
  code: number
  name: string
  updatesLast: boolean
  updatesVolume: boolean
}

/** Validates the table's shape (it is a file, so a boundary): throws with a clear message if it is malformed. */
export function parseConditionTable(raw: unknown): ConditionRule[] {
  if (typeof raw !== 'object' || raw === null) throw new Error('trade-conditions: not an object')
  const conditions = (raw as { conditions?: unknown }).conditions
  if (typeof conditions !== 'object' || conditions === null || Array.isArray(conditions)) {
    throw new Error('trade-conditions: "conditions" must be an object keyed by code')
  }
  const rules: ConditionRule[] = []
  for (const [key, value] of Object.entries(conditions as Record<string, unknown>)) {
    const code = Number(key)
    if (!Number.isInteger(code) || code < 0 || code >= MAX_CODE)
      throw new Error(`trade-conditions: bad code "${key}"`)
    if (typeof value !== 'object' || value === null)
      throw new Error(`trade-conditions: code ${key} is not an object`)
    const v = value as Record<string, unknown>
    if (typeof v.updatesLast !== 'boolean' || typeof v.updatesVolume !== 'boolean') {
      throw new Error(`trade-conditions: code ${key} needs boolean updatesLast and updatesVolume`)
    }
    rules.push({
      code,
      name: typeof v.name === 'string' ? v.name : '',
      updatesLast: v.updatesLast,
      updatesVolume: v.updatesVolume,
    })
  }
  return rules
}

export function buildConditionFlags(rules: readonly ConditionRule[]): Uint8Array {
  const flags = new Uint8Array(MAX_CODE)
  for (const r of rules) flags[r.code] = (r.updatesLast ? 0 : NO_LAST) | (r.updatesVolume ? 0 : NO_VOLUME)
  return flags
}

export const CONDITION_RULES: readonly ConditionRule[] = parseConditionTable(table)
/** Flags per code (index = code), from the shared table. */
export const CONDITION_FLAGS: Uint8Array = buildConditionFlags(CONDITION_RULES)
const FLAGS = CONDITION_FLAGS

/** OR of the flags of every code in `conditions` (0 = updates last and volume). No allocation. */
export function conditionFlags(conditions: readonly number[] | undefined, flags: Uint8Array = FLAGS): number {
  if (conditions === undefined) return 0
  let f = 0
  for (let i = 0; i < conditions.length; i++) {
    const code = conditions[i] as number
    // Non-integer, negative or large codes are unknown: they update both.
    if (code >= 0 && code < MAX_CODE && (code | 0) === code) f |= flags[code] as number
  }
  return f
}
