// Production wiring of the ingest core's dependencies (kafkajs publisher, Guardian poller, tagger).
import type { IngestDeps } from './ingest-core'
import { createPublisher } from '../kafka/publisher'

export function defaultIngestDeps(): Omit<IngestDeps, 'emit'> {
  return {
    createPublisher: (config, log) => createPublisher(config, { log }),
  }
}
