// Which trades move the last price and which count in volume, from the shared fixture
// (the same table the simulator, the market engine and the Flink job read).
import table from '../../fixtures/trade-conditions.json'

export interface TradeFlags {
  updatesLast: boolean
  updatesVolume: boolean
}

const rules = new Map<number, TradeFlags>()
for (const [code, rule] of Object.entries((table as { conditions: Record<string, TradeFlags> }).conditions)) {
  rules.set(Number(code), { updatesLast: rule.updatesLast === true, updatesVolume: rule.updatesVolume === true })
}

const BOTH: TradeFlags = { updatesLast: true, updatesVolume: true }

/** A trade updates last only if none of its conditions says otherwise; likewise for volume. Unknown codes update both. */
export function tradeFlags(conditions: readonly number[] | undefined): TradeFlags {
  if (!conditions || conditions.length === 0) return BOTH
  let updatesLast = true
  let updatesVolume = true
  for (const c of conditions) {
    const r = rules.get(c)
    if (!r) continue
    if (!r.updatesLast) updatesLast = false
    if (!r.updatesVolume) updatesVolume = false
  }
  return updatesLast && updatesVolume ? BOTH : { updatesLast, updatesVolume }
}
