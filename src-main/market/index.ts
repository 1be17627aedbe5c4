// Public surface of the market engine (pure core: trades/aggregates/backfill in, bars/summaries/updates out).
export { createMarketEngine } from './engine'
export type {
  BackfillGap,
  BackfillResult,
  MarketEngine,
  MarketEngineOptions,
  MarketStats,
  MarketUpdate,
  RingSize,
} from './engine'
export { CONDITION_RULES, conditionFlags, NO_LAST, NO_VOLUME } from './conditions'
export type { ConditionRule } from './conditions'
