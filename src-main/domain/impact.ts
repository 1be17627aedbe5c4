// News impact v2 and move alerts (docs/impact-v2.md): the records the app and the Flink job emit, the values of
// Kafka topics `signals.news-impact` (schema news-impact/v2) and `signals.moves` (schema move/v1).
// Pure TypeScript: the renderer imports it too.

/** Where the prints behind a number came from: the live socket, REST `/v3/trades`, or REST 1-second bars. */
export type PrintSource = 'live' | 'trades' | 'seconds'

export type Direction = 'up' | 'down'

/** Thresholds and the market proxy; every record carries the values it was computed with. */
export interface ImpactSettings {
  /** Market proxy symbol M, always subscribed to trades. Default SPY. */
  proxy: string
  /** Early signal |a| ≥ z·sigma·√5; +5 m rule |z5| ≥ z. Default 3. */
  z: number
  /** rvol5 at or above this, together with |z5| ≥ zWithVolume, fires at +5 m. Default 3. */
  rvol: number
  /** Default 2. */
  zWithVolume: number
  /** Move alert: |a(t−60 s, t)| ≥ zMove·sigma. Default 4. */
  zMove: number
}

export const DEFAULT_IMPACT_SETTINGS: ImpactSettings = { proxy: 'SPY', z: 3, rvol: 3, zWithVolume: 2, zMove: 4 }

/** News impact v2 of one article on one symbol, key `<articleId>|<symbol>`. */
export interface ImpactRecordV2 {
  articleId: string
  symbol: string
  /** t0: the article's own publication time. */
  published: number
  /** When the app first received the article. */
  receivedAt: number
  /** Data time the record was computed at. */
  asOf: number
  /** Source of the print behind p0 (docs/impact-v2.md), null without prints. */
  source: PrintSource | null
  p0: number | null
  beta: number
  /** False when the market proxy had no price at one end (moves are raw). */
  adjusted: boolean
  sigma: number | null
  sigmaRealised: number | null
  sigmaFloor: number | null
  ret1: number | null
  ret5: number | null
  ret15: number | null
  ar1: number | null
  ar5: number | null
  ar15: number | null
  z1: number | null
  z5: number | null
  z15: number | null
  quiet1: boolean | null
  quiet5: boolean | null
  quiet15: boolean | null
  rvol5: number | null
  rvolBasis: 'slot' | 'hour' | null
  /** up/down once fired (never withdrawn), none after +5 m without firing, null before. */
  signal: 'up' | 'down' | 'none' | null
  detectedAt: number | null
  /** Whether the +5 m rule holds in the signal's direction; null before +5 m or without a signal. */
  confirmed: boolean | null
  /** max(detectedAt, receivedAt) when fired. */
  alertAt: number | null
  /** Id of the linked move alert, if any. */
  move: string | null
  latencyMs: number
  stale: boolean
  final: boolean
  settings: ImpactSettings
  origin: 'app' | 'flink'
}

/** A move alert, the value of `signals.moves`, key = id = `<symbol>|<detectedAt>`. */
export interface MoveAlert {
  id: string
  symbol: string
  windowStart: number
  detectedAt: number
  direction: Direction
  /** a(windowStart, detectedAt): abnormal log move. */
  size: number
  z: number
  sigma: number
  beta: number
  adjusted: boolean
  /** p_S(detectedAt). */
  price: number
  /** Linked headlines' article ids, sorted by (published, id). */
  headlines: string[]
  settings: Pick<ImpactSettings, 'proxy' | 'zMove'>
  origin: 'app' | 'flink'
}

export const moveId = (symbol: string, detectedAt: number): string => `${symbol}|${detectedAt}`

/** A record with nothing measured yet (every number null, signal not decided): the start of every record. */
export function blankImpactRecord(init: {
  articleId: string
  symbol: string
  published: number
  receivedAt: number
  asOf: number
  settings: ImpactSettings
  origin: 'app' | 'flink'
}): ImpactRecordV2 {
  return {
    ...init,
    source: null,
    p0: null,
    beta: 1,
    adjusted: false,
    sigma: null,
    sigmaRealised: null,
    sigmaFloor: null,
    ret1: null,
    ret5: null,
    ret15: null,
    ar1: null,
    ar5: null,
    ar15: null,
    z1: null,
    z5: null,
    z15: null,
    quiet1: null,
    quiet5: null,
    quiet15: null,
    rvol5: null,
    rvolBasis: null,
    signal: null,
    detectedAt: null,
    confirmed: null,
    alertAt: null,
    move: null,
    latencyMs: init.receivedAt - init.published,
    stale: false,
    final: false,
  }
}
