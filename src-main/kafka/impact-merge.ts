// News-impact records from two implementations (the app's own tracker and the Flink job, via
// `signals.news-impact`), merged into one view, one record per key `<articleId>|<symbol>`. Pure.
//
// Precedence for two records with the same key (first rule that decides wins):
//  1. the more complete one: `final` beats not final; then more horizons known (ret1/ret5/ret15 non-null);
//  2. on a tie, the app's own record ('app' beats 'flink'): it is what the user already sees, so the view
//     does not flicker between two equal-by-definition computations; Flink fills in what the app lacks
//     (articles from before the app started, horizons the app missed while it was closed);
//  3. same origin and completeness: the later one in arrival order (a replacement update).
import { impactKey, type ImpactRecord } from '../domain/news'

const horizons = (r: ImpactRecord): number =>
  (r.ret1 !== null ? 1 : 0) + (r.ret5 !== null ? 1 : 0) + (r.ret15 !== null ? 1 : 0)

/** The record to keep when `current` (already held) and `incoming` share a key. */
export function pickImpact(current: ImpactRecord, incoming: ImpactRecord): ImpactRecord {
  if (current.final !== incoming.final) return incoming.final ? incoming : current
  const hc = horizons(current)
  const hi = horizons(incoming)
  if (hc !== hi) return hi > hc ? incoming : current
  if (current.origin !== incoming.origin) return current.origin === 'app' ? current : incoming
  return incoming
}

/**
 * Merge `incoming` into `current` (not mutated): returns the merged map and the records that changed the view
 * (what to push to the renderer).
 */
export function mergeImpacts(
  current: ReadonlyMap<string, ImpactRecord>,
  incoming: readonly ImpactRecord[],
): { merged: Map<string, ImpactRecord>; changed: ImpactRecord[] } {
  const merged = new Map(current)
  const changed = new Map<string, ImpactRecord>()
  for (const r of incoming) {
    const key = impactKey(r)
    const held = merged.get(key)
    const keep = held ? pickImpact(held, r) : r
    if (keep !== held) {
      merged.set(key, keep)
      changed.set(key, keep)
    }
  }
  return { merged, changed: [...changed.values()] }
}

/** Merge two lists (e.g. app records and Flink records) into one, one record per key, in first-seen key order. */
export function mergeImpactLists(
  app: readonly ImpactRecord[],
  flink: readonly ImpactRecord[],
): ImpactRecord[] {
  return [...mergeImpacts(new Map(), [...app, ...flink]).merged.values()]
}
