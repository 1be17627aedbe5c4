import type { ImpactRecordV2 } from './impact'
/** A news article as the app knows it, the value of Kafka topic `news.articles`. */
export interface Article {
  /** Guardian content id, e.g. `business/2026/nov/28/...`; stable across revisions (live blogs). */
  id: string
  /** webPublicationDate, epoch ms. */
  published: number
  /** fields.lastModified when present, else `published`; epoch ms. */
  updated: number
  title: string
  url: string
  section: string
  /** Guardian `type`: article, liveblog, … */
  type: string
  trailText: string
  /** Watchlist symbols the tagger found. */
  tickers: string[]
  /** The query that found it. */
  query: string
  /** When the poller first received this revision, epoch ms. */
  receivedAt: number
  /** Recycled headline (see fixtures/news-impact/README.md). */
  stale: boolean
  /** Why each ticker was tagged (first reason per symbol); absent from older records. */
  tagReasons?: TagReason[]
  /** The user's correction of `tickers` (already applied to it); absent when there is none. */
  tagEdit?: TagEdit
  /** The Guardian's own keyword tags (ids such as "technology/apple"), when the feed sent them. */
  guardianTags?: string[]
}

/** How the tagger found a ticker, or 'user' for a ticker the user added. */
export type TagRule = 'cashtag' | 'exchange' | 'ric' | 'ticker' | 'name' | 'name-in-context' | 'user-alias' | 'guardian-tag' | 'user'

/** Why a ticker was tagged: the matched text ("Apple", "$NVDA", "NYSE: CAT"), the rule, and where it was found. */
export interface TagReason {
  symbol: string
  term: string
  rule: TagRule
  field: 'title' | 'trail' | 'tags' | 'user'
}

/** A user's correction of one article's tags. */
export interface TagEdit {
  added: string[]
  removed: string[]
}

export type Signal = 'up' | 'down' | 'none'

/** The v2 news-impact record (domain/impact.ts): what `signals.news-impact` carries and the app shows. */
export type ImpactRecord = ImpactRecordV2

/** v1 news impact (30-minute sigma, live trades only), kept only for the v1 maths until it is removed. */
export interface ImpactRecordV1 {
  articleId: string
  symbol: string
  /** t0: the article's own publication time, epoch ms. */
  published: number
  p0: number | null
  ret1: number | null
  ret5: number | null
  ret15: number | null
  sigma: number | null
  z1: number | null
  z5: number | null
  z15: number | null
  rvol5: number | null
  /** null until ret5 is known. */
  signal: Signal | null
  /** receivedAt − published, ms. */
  latencyMs: number
  stale: boolean
  /** Which implementation produced it. */
  origin: 'app' | 'flink'
  /** True once all three horizons are known (no further updates). */
  final: boolean
}

export interface SignalThresholds {
  /** |z5| at or above this signals on its own. Default 3. */
  z: number
  /** rvol5 at or above this, together with |z5| ≥ zWithVolume, signals. Default 3. */
  rvol: number
  /** Default 2. */
  zWithVolume: number
}

export const DEFAULT_THRESHOLDS: SignalThresholds = { z: 3, rvol: 3, zWithVolume: 2 }

export const impactKey = (r: { articleId: string; symbol: string }): string => `${r.articleId}|${r.symbol}`
