// Why a ticker is on a headline, in words for the timeline's hover.
import type { Article, TagReason } from '@domain/news'

const RULES: Record<TagReason['rule'], string> = {
  cashtag: 'cashtag',
  exchange: 'exchange notation',
  ric: 'Reuters code',
  ticker: 'ticker symbol',
  name: 'company name',
  'name-in-context': 'name, read from its context',
  'user-alias': 'your alias',
  'guardian-tag': "the Guardian's tag",
  user: 'added by you',
}
const FIELDS: Record<TagReason['field'], string> = { title: 'headline', trail: 'standfirst', tags: 'tags', user: 'your correction' }

export function reasonFor(a: Pick<Article, 'tagReasons'>, symbol: string): TagReason | undefined {
  return a.tagReasons?.find((r) => r.symbol === symbol)
}

/** "Tagged from “Target” (name, read from its context) in the headline". */
export function describeReason(r: TagReason | undefined): string {
  if (!r) return 'Tagged (no reason recorded)'
  if (r.rule === 'user') return 'Added by you'
  return `Tagged from “${r.term}” (${RULES[r.rule]}) in the ${FIELDS[r.field]}`
}
