// The user's tag corrections inside the ingest worker. The app sends the confirmed deny phrases and the kept
// per-article corrections (with the start config and again whenever they change); every article the pipeline
// tags afterwards gets them applied before it is tracked and published, with the same function the app applies
// on arrival (news/tagging/corrections.ts), so the record on `news.articles` and the timeline agree. An article
// the user corrected comes back as the record to re-publish: same key (the article id), its `tagEdit` on it.
// Aliases need nothing here: they live on the watchlist entries, which reach the tagger with the watchlist.
import type { Article, TagEdit } from '../domain/news'
import { applyUserTagging, emptyCorrections, MAX_DENY, rememberEdit, type CorrectionsState, type UserTagRule } from '../news/tagging/corrections'

export interface UserTaggingState {
  deny: UserTagRule[]
  edits: Record<string, TagEdit>
}

export interface UserTagging {
  /** Replaces the deny rules and kept corrections with the app's current ones. */
  set(state: UserTaggingState): void
  /** An article the pipeline just tagged (new or a revision), with the user's tagging applied. */
  apply(article: Article): Article
  /**
   * The user corrected these articles in the timeline: their corrections are kept for later revisions (an article
   * without `tagEdit` was corrected back to what the tagger found: its kept correction goes), and the records to
   * re-publish come back, one per id (the last), an undone correction included so the topic's latest record for
   * that key is right again.
   */
  corrected(articles: readonly Article[]): Article[]
}

export function createUserTagging(initial?: UserTaggingState): UserTagging {
  let state: CorrectionsState = emptyCorrections()
  const set = (s: UserTaggingState): void => {
    state = { deny: s.deny.filter((r) => r.kind === 'deny').slice(-MAX_DENY), edits: { ...s.edits } }
  }
  if (initial) set(initial)
  return {
    set,
    apply: (a) => (state.deny.length === 0 && !(a.id in state.edits) ? a : applyUserTagging(a, state)),
    corrected(articles) {
      const byId = new Map<string, Article>()
      for (const a of articles) {
        state = rememberEdit(state, a.id, a.tagEdit)
        byId.delete(a.id)
        byId.set(a.id, a)
      }
      return [...byId.values()]
    },
  }
}
