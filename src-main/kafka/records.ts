// Kafka topic contract (docs/architecture.md, "Kafka topics"): names, keys, `schema` headers and the hand-written
// validators/encoders for every value the ingest worker publishes. Hand-written rather than zod because this
// runs once per trade on the hot path. Values are re-serialised field by field in contract order, so extra
// fields a caller carries never leak onto the wire.
import type { Bar, Quote, Trade } from '../domain/market'
import type { MoveAlert } from '../domain/impact'
import type { Article, ImpactRecord } from '../domain/news'

export const TOPICS = [
  'market.trades',
  'market.bars.1s',
  'market.bars.1m',
  'market.quotes',
  'news.articles',
  'signals.news-impact',
  'signals.moves',
] as const
export type TopicName = (typeof TOPICS)[number]

export interface TopicRecordMap {
  'market.trades': Trade
  'market.bars.1s': Bar
  'market.bars.1m': Bar
  'market.quotes': Quote
  'news.articles': Article
  'signals.news-impact': ImpactRecord
  'signals.moves': MoveAlert
}

/** Header `schema` value per topic: `<name>/v<N>`. Bump N on any incompatible value change. */
export const SCHEMAS: Record<TopicName, string> = {
  // v2 (issue 16): `size` may be decimal (fractional-share trades, exact to millionths), and `pt`, `trfi`,
  // `trft` (Polygon participant time, TRF id and time) follow the v1 fields when the trade has them.
  'market.trades': 'trade/v2',
  'market.bars.1s': 'bar/v1',
  'market.bars.1m': 'bar/v1',
  'market.quotes': 'quote/v1',
  'news.articles': 'article/v1',
  // v2 (docs/impact-v2.md): abnormal moves against the market proxy, early signal, history sources.
  'signals.news-impact': 'news-impact/v2',
  'signals.moves': 'move/v1',
}

export const topicName = (prefix: string, topic: TopicName): string => `${prefix}${topic}`

export interface EncodedRecord {
  /** Full topic name (prefix included). */
  topic: string
  key: string
  value: string
  schema: string
}

/** A record the validator refused: `reason` names the first bad field. */
export class InvalidRecordError extends Error {
  constructor(
    readonly topic: string,
    readonly reason: string,
  ) {
    super(`invalid ${topic} record: ${reason}`)
    this.name = 'InvalidRecordError'
  }
}

type Obj = Record<string, unknown>
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)
const fin = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v)
const int = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v)
const str = (v: unknown): v is string => typeof v === 'string'
const nestr = (v: unknown, max = 4096): v is string =>
  typeof v === 'string' && v.length > 0 && v.length <= max
const nullNum = (v: unknown): v is number | null => v === null || fin(v)
/** Epoch ms between 1990 and 2200: catches seconds-vs-ms and garbage. */
const epochMs = (v: unknown): v is number => int(v) && v > 631_152_000_000 && v < 7_258_118_400_000
const SYMBOL = /^[A-Z0-9][A-Z0-9.\-:/]{0,19}$/

type Check = (v: Obj) => string | null

const checkTrade: Check = (v) => {
  if (!str(v.symbol) || !SYMBOL.test(v.symbol)) return 'symbol'
  if (!fin(v.price) || v.price <= 0) return 'price'
  if (!fin(v.size) || v.size < 0) return 'size'
  if (!epochMs(v.ts)) return 'ts'
  if (!int(v.exchange)) return 'exchange'
  if (!Array.isArray(v.conditions) || !v.conditions.every(int)) return 'conditions'
  if (!int(v.seq)) return 'seq'
  if (!nestr(v.id, 128)) return 'id'
  if (!int(v.tape)) return 'tape'
  if (v.pt != null && !epochMs(v.pt)) return 'pt'
  if (v.trfi != null && !int(v.trfi)) return 'trfi'
  if (v.trft != null && !epochMs(v.trft)) return 'trft'
  return null
}
const BAR_SOURCES = new Set(['trades', 'A', 'AM', 'rest'])
const checkBar: Check = (v) => {
  if (!str(v.symbol) || !SYMBOL.test(v.symbol)) return 'symbol'
  if (!epochMs(v.start)) return 'start'
  if (!epochMs(v.end) || v.end <= v.start) return 'end'
  for (const k of ['open', 'high', 'low', 'close', 'vwap'] as const) if (!fin(v[k]) || v[k] < 0) return k
  if ((v.high as number) < (v.low as number)) return 'high<low'
  if (!fin(v.volume) || v.volume < 0) return 'volume'
  if (!int(v.trades) || v.trades < 0) return 'trades'
  if (!str(v.source) || !BAR_SOURCES.has(v.source)) return 'source'
  return null
}
const checkQuote: Check = (v) => {
  if (!str(v.symbol) || !SYMBOL.test(v.symbol)) return 'symbol'
  for (const k of ['bid', 'bidSize', 'ask', 'askSize'] as const) if (!fin(v[k]) || v[k] < 0) return k
  if (!epochMs(v.ts)) return 'ts'
  return null
}
const checkArticle: Check = (v) => {
  if (!nestr(v.id, 1024)) return 'id'
  if (!epochMs(v.published)) return 'published'
  if (!epochMs(v.updated)) return 'updated'
  for (const k of ['title', 'url', 'section', 'type', 'trailText', 'query'] as const) if (!str(v[k])) return k
  if (!Array.isArray(v.tickers) || !v.tickers.every((t) => str(t) && SYMBOL.test(t))) return 'tickers'
  if (!epochMs(v.receivedAt)) return 'receivedAt'
  if (typeof v.stale !== 'boolean') return 'stale'
  return checkArticleTagging(v)
}
/** Optional article fields (after the contract ones): why each ticker was tagged, and the user's correction. */
const TAG_RULES = new Set(['cashtag', 'exchange', 'ric', 'ticker', 'name', 'name-in-context', 'user-alias', 'guardian-tag', 'user'])
const TAG_FIELDS = new Set(['title', 'trail', 'tags', 'user'])
const symbolList = (x: unknown): boolean => Array.isArray(x) && x.length <= 64 && x.every((t) => str(t) && SYMBOL.test(t))
function checkArticleTagging(v: Obj): string | null {
  const r = v.tagReasons
  if (r !== undefined) {
    if (!Array.isArray(r) || r.length > 64) return 'tagReasons'
    for (const x of r as unknown[]) {
      if (!isObj(x) || !str(x.symbol) || !SYMBOL.test(x.symbol) || !nestr(x.term, 200) || !str(x.rule) || !TAG_RULES.has(x.rule) || !str(x.field) || !TAG_FIELDS.has(x.field)) return 'tagReasons'
    }
  }
  const e = v.tagEdit
  if (e !== undefined && !(isObj(e) && symbolList(e.added) && symbolList(e.removed))) return 'tagEdit'
  return null
}
/** JSON tail for the optional article fields, in a fixed field order; '' when there are none. */
function articleTail(v: Obj): string {
  let tail = ''
  const r = v.tagReasons as { symbol: string; term: string; rule: string; field: string }[] | undefined
  if (r !== undefined) tail += `,"tagReasons":${JSON.stringify(r.map((x) => ({ symbol: x.symbol, term: x.term, rule: x.rule, field: x.field })))}`
  const e = v.tagEdit as { added: string[]; removed: string[] } | undefined
  if (e !== undefined) tail += `,"tagEdit":${JSON.stringify({ added: e.added, removed: e.removed })}`
  return tail
}
const SIGNALS = new Set(['up', 'down', 'none'])
const SOURCES = new Set(['live', 'trades', 'seconds'])
const nullBool = (v: unknown): boolean => v === null || typeof v === 'boolean'
const checkSettings = (v: unknown, keys: readonly string[]): boolean =>
  isObj(v) && str(v.proxy) && SYMBOL.test(v.proxy) && keys.every((k) => k === 'proxy' || fin(v[k]))
const IMPACT_SETTINGS = ['proxy', 'z', 'rvol', 'zWithVolume', 'zMove'] as const
const checkImpact: Check = (v) => {
  if (!nestr(v.articleId, 1024)) return 'articleId'
  if (!str(v.symbol) || !SYMBOL.test(v.symbol)) return 'symbol'
  for (const k of ['published', 'receivedAt', 'asOf'] as const) if (!epochMs(v[k])) return k
  if (v.source !== null && !(str(v.source) && SOURCES.has(v.source))) return 'source'
  if (!fin(v.beta)) return 'beta'
  if (typeof v.adjusted !== 'boolean') return 'adjusted'
  for (const k of ['p0', 'sigma', 'sigmaRealised', 'sigmaFloor', 'ret1', 'ret5', 'ret15', 'ar1', 'ar5', 'ar15', 'z1', 'z5', 'z15', 'rvol5', 'detectedAt', 'alertAt'] as const)
    if (!nullNum(v[k])) return k
  for (const k of ['quiet1', 'quiet5', 'quiet15', 'confirmed'] as const) if (!nullBool(v[k])) return k
  if (v.rvolBasis !== null && v.rvolBasis !== 'slot' && v.rvolBasis !== 'hour') return 'rvolBasis'
  if (v.signal !== null && !(str(v.signal) && SIGNALS.has(v.signal))) return 'signal'
  if (v.move !== null && !nestr(v.move, 100)) return 'move'
  if (!fin(v.latencyMs)) return 'latencyMs'
  if (typeof v.stale !== 'boolean') return 'stale'
  if (typeof v.final !== 'boolean') return 'final'
  if (!checkSettings(v.settings, IMPACT_SETTINGS)) return 'settings'
  if (v.origin !== 'app' && v.origin !== 'flink') return 'origin'
  return null
}
const checkMove: Check = (v) => {
  if (!nestr(v.id, 100)) return 'id'
  if (!str(v.symbol) || !SYMBOL.test(v.symbol)) return 'symbol'
  for (const k of ['windowStart', 'detectedAt'] as const) if (!epochMs(v[k])) return k
  if (v.direction !== 'up' && v.direction !== 'down') return 'direction'
  for (const k of ['size', 'z', 'sigma', 'beta', 'price'] as const) if (!fin(v[k])) return k
  if (typeof v.adjusted !== 'boolean') return 'adjusted'
  if (!Array.isArray(v.headlines) || v.headlines.length > 200 || !v.headlines.every((h) => nestr(h, 1024))) return 'headlines'
  if (!checkSettings(v.settings, ['proxy', 'zMove'])) return 'settings'
  if (v.origin !== 'app' && v.origin !== 'flink') return 'origin'
  return null
}

interface TopicSpec {
  check: Check
  key: (v: Obj) => string
  /** Contract field order for the JSON value. */
  fields: readonly string[]
}

const TRADE_FIELDS = ['symbol', 'price', 'size', 'ts', 'exchange', 'conditions', 'seq', 'id', 'tape'] as const
/** trade/v2 fields written after the v1 ones, each only when the trade has it. */
const TRADE_OPTIONAL = ['pt', 'trfi', 'trft'] as const
const BAR_FIELDS = [
  'symbol',
  'start',
  'end',
  'open',
  'high',
  'low',
  'close',
  'volume',
  'vwap',
  'trades',
  'source',
] as const
const QUOTE_FIELDS = ['symbol', 'bid', 'bidSize', 'ask', 'askSize', 'ts'] as const
const ARTICLE_FIELDS = [
  'id',
  'published',
  'updated',
  'title',
  'url',
  'section',
  'type',
  'trailText',
  'tickers',
  'query',
  'receivedAt',
  'stale',
] as const
const IMPACT_FIELDS = [
  'articleId',
  'symbol',
  'published',
  'receivedAt',
  'asOf',
  'source',
  'p0',
  'beta',
  'adjusted',
  'sigma',
  'sigmaRealised',
  'sigmaFloor',
  'ret1',
  'ret5',
  'ret15',
  'ar1',
  'ar5',
  'ar15',
  'z1',
  'z5',
  'z15',
  'quiet1',
  'quiet5',
  'quiet15',
  'rvol5',
  'rvolBasis',
  'signal',
  'detectedAt',
  'confirmed',
  'alertAt',
  'move',
  'latencyMs',
  'stale',
  'final',
  'settings',
  'origin',
] as const
const MOVE_FIELDS = ['id', 'symbol', 'windowStart', 'detectedAt', 'direction', 'size', 'z', 'sigma', 'beta', 'adjusted', 'price', 'headlines', 'settings', 'origin'] as const

const bySymbol = (v: Obj): string => v.symbol as string
const SPECS: Record<TopicName, TopicSpec> = {
  'market.trades': { check: checkTrade, key: bySymbol, fields: TRADE_FIELDS },
  'market.bars.1s': { check: checkBar, key: bySymbol, fields: BAR_FIELDS },
  'market.bars.1m': { check: checkBar, key: bySymbol, fields: BAR_FIELDS },
  'market.quotes': { check: checkQuote, key: bySymbol, fields: QUOTE_FIELDS },
  'news.articles': { check: checkArticle, key: (v) => v.id as string, fields: ARTICLE_FIELDS },
  'signals.news-impact': {
    check: checkImpact,
    key: (v) => `${v.articleId as string}|${v.symbol as string}`,
    fields: IMPACT_FIELDS,
  },
  // Keyed by the move's id (`<symbol>|<detectedAt>`): consumers upsert by key, and a move is sent again under the
  // same id when a headline links to it.
  'signals.moves': { check: checkMove, key: (v) => v.id as string, fields: MOVE_FIELDS },
}

export const isTopicName = (t: unknown): t is TopicName =>
  typeof t === 'string' && (TOPICS as readonly string[]).includes(t)

/** Why `record` is not a valid value for `topic`, or null when it is. */
export function validateRecord(topic: unknown, record: unknown): string | null {
  if (!isTopicName(topic)) return `unknown topic ${JSON.stringify(String(topic)).slice(0, 80)}`
  if (!isObj(record)) return 'not an object'
  const bad = SPECS[topic].check(record)
  return bad === null ? null : `bad field '${bad}'`
}

/**
 * JSON of one validated field value, exactly as JSON.stringify writes it. Validated values are finite numbers,
 * strings, booleans, null, or arrays of those, so numbers need no special case (`'' + n` is the same
 * Number-to-String conversion JSON uses, -0 included).
 */
function jsonValue(v: unknown): string {
  switch (typeof v) {
    case 'number':
      return '' + v
    case 'string':
      return JSON.stringify(v)
    case 'boolean':
      return v ? 'true' : 'false'
    default:
      return JSON.stringify(v)
  }
}

/**
 * Per topic, a reusable parts array `['{"a":', <a>, ',"b":', <b>, …, '}']`: the value is written field by field
 * without an intermediate object, and join() returns a flat string (a chain of `+` would leave a rope that
 * costs more to flatten later, when the transport measures and copies it).
 */
const PARTS = {} as Record<TopicName, string[]>
for (const t of TOPICS) {
  const parts: string[] = []
  SPECS[t].fields.forEach((f, i) => parts.push(`${i === 0 ? '{' : ','}${JSON.stringify(f)}:`, ''))
  parts.push('}')
  PARTS[t] = parts
}

/** topicName() without building a new string per record (the prefix is the same for a publisher's life). */
let namesFor: { prefix: string; names: Record<TopicName, string> } | null = null
function fullName(prefix: string, t: TopicName): string {
  if (namesFor?.prefix !== prefix) {
    const names = {} as Record<TopicName, string>
    for (const x of TOPICS) names[x] = topicName(prefix, x)
    namesFor = { prefix, names }
  }
  return namesFor.names[t]
}

/** Validate and encode; throws InvalidRecordError. */
export function encodeRecord(prefix: string, topic: unknown, record: unknown): EncodedRecord {
  const why = validateRecord(topic, record)
  if (why !== null) throw new InvalidRecordError(String(topic), why)
  const t = topic as TopicName
  const spec = SPECS[t]
  const v = record as Obj
  const fields = spec.fields
  const parts = PARTS[t]
  for (let i = 0; i < fields.length; i++) parts[2 * i + 1] = jsonValue(v[fields[i] as string])
  const last = parts.length - 1
  if (t === 'market.trades') {
    let tail = ''
    for (const f of TRADE_OPTIONAL) {
      const x = v[f]
      if (x != null) tail += `,"${f}":${'' + (x as number)}`
    }
    if (tail !== '') parts[last] = tail + '}'
  }
  if (t === 'news.articles') {
    const tail = articleTail(v)
    if (tail !== '') parts[last] = tail + '}'
  }
  const value = parts.join('')
  for (let i = 0; i < fields.length; i++) parts[2 * i + 1] = ''
  parts[last] = '}'
  return { topic: fullName(prefix, t), key: spec.key(v), value, schema: SCHEMAS[t] }
}
