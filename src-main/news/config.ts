// The Guardian poller's settings, as the ingest worker receives them.

export interface NewsConfig {
  enabled: boolean
  /** Guardian key; absent in demo mode. Never logged. */
  key?: string
  /** Custom base URL (tests, demo). Default https://content.guardianapis.com */
  base?: string
  sections: string[]
  tier: 'developer' | 'commercial'
  /** Commercial tiers: calls per second and per day. */
  perSecond?: number
  perDay?: number
}
