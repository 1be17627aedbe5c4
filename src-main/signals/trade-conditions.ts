// Which trades move the last price and which count in volume: the market engine's reading of the shared
// fixture (the same table the simulator and the Flink job read), so the app has one parser for it.
import { conditionFlags, NO_LAST, NO_VOLUME } from '../market/conditions'

export interface TradeFlags {
  updatesLast: boolean
  updatesVolume: boolean
}

const FLAG_OBJECTS: readonly TradeFlags[] = [0, 1, 2, 3].map((f) => ({
  updatesLast: (f & NO_LAST) === 0,
  updatesVolume: (f & NO_VOLUME) === 0,
}))

/** A trade updates last only if none of its conditions says otherwise; likewise for volume. Unknown codes update both. */
export function tradeFlags(conditions: readonly number[] | undefined): TradeFlags {
  return FLAG_OBJECTS[conditionFlags(conditions) & (NO_LAST | NO_VOLUME)] as TradeFlags
}
