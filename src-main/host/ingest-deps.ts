// Production wiring of the ingest core's dependencies (kafkajs publisher, Guardian poller, tagger).
import type { IngestDeps } from './ingest-core'
import { createPublisher } from '../kafka/publisher'
import { createArticleExplainer } from '../news/tagging/tagger'
import { createNewsPoller } from '../news/poller'
import { createSignalsConsumer } from '../kafka/signals-consumer'

export function defaultIngestDeps(): Omit<IngestDeps, 'emit'> {
  return {
    createPublisher: (config, log) => createPublisher(config, { log }),
    createTagger: (watchlist) => {
      const explain = createArticleExplainer(watchlist)
      return (a) => {
        const r = explain({ title: a.title, trailText: a.trailText, tags: a.guardianTags })
        // Why each ticker was tagged travels with the article (news.articles, the timeline's hover).
        a.tagReasons = r.reasons
        return r.symbols
      }
    },
    createSignalsConsumer: (config, groupId, onRecords, log, onMoves) =>
      createSignalsConsumer({
        brokers: config.brokers,
        topicPrefix: config.topicPrefix,
        groupId,
        onRecords,
        log,
        ...(onMoves ? { onMoves } : {}),
        ...(config.security ? { security: config.security } : {}),
      }),
    createNews: (o) =>
      createNewsPoller({
        config: o.config,
        watchlist: o.watchlist,
        fetch: (url, init) => fetch(url, init),
        clock: { now: o.now ?? Date.now },
        timers: { setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout) },
        stateFile: o.stateFile,
        tag: o.tag,
        onArticle: (a) => o.onArticle(a),
        onStatus: o.onStatus,
        ...(o.demo ? { activeHours: null } : {}),
      }),
  }
}
