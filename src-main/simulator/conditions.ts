// Trade-condition rules from the shared fixture (also read by the market engine and Flink).
import table from '../../fixtures/trade-conditions.json'

interface ConditionRule {
  updatesLast: boolean
  updatesVolume: boolean
}

const rules = new Map<number, ConditionRule>()
for (const [code, rule] of Object.entries((table as { conditions: Record<string, ConditionRule> }).conditions)) {
  rules.set(Number(code), { updatesLast: rule.updatesLast, updatesVolume: rule.updatesVolume })
}

/** A trade updates last (OHLC) only if none of its conditions says otherwise. */
export function updatesLast(conditions: readonly number[]): boolean {
  for (const c of conditions) if (rules.get(c)?.updatesLast === false) return false
  return true
}

/** A trade counts in volume / VWAP / trade count only if none of its conditions says otherwise. */
export function updatesVolume(conditions: readonly number[]): boolean {
  for (const c of conditions) if (rules.get(c)?.updatesVolume === false) return false
  return true
}

export const CONDITION_ODD_LOT = 37
export const CONDITION_ISO = 14
