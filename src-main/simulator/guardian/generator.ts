// Deterministic article generator for the Guardian simulator. Two independent event streams, each with its
// own seeded PRNG so the output does not depend on how often `extendTo` is called:
//  - articles: a Poisson process (rate per simulated hour) of shock / null / recycled / other / macro stories;
//  - live blogs: one "business live" blog per UTC day (08:00–20:00), revised every 10–30 minutes; its id stays
//    while its webPublicationDate and lastModified move on.
// A shock article schedules a news-shaped price shock of its company starting at its publication (whole seconds;
// the simulator's shocks.ts shapes it); a macro article moves the whole market from its publication.
import { mulberry32 } from '../prng'
import { NEWS_SHOCK_AFTER_MS } from '../shocks'
import type { MacroMove, Shock } from '../types'
import { words } from './query-language'
import { BYLINES, COMPANY_NAMES, LIVEBLOG_MACRO, MACRO_STORIES, OTHER_STORIES, SECTION_NAMES, STORIES } from './templates'

export type GroundTruthKind = 'shock' | 'null' | 'recycled' | 'other' | 'liveblog' | 'macro'

/** What news may move prices at a time: everything, nothing (false-alert sessions), or only the whole market. */
export type ShockMode = 'all' | 'none' | 'macro-only'

export interface GroundTruthEntry {
  articleId: string
  kind: GroundTruthKind
  /** webPublicationDate of this article (or live-blog revision), epoch ms. */
  published: number
  /** 0 for articles; the revision number for live blogs. */
  revision: number
  title: string
  symbol: string | null
  /** The price jump this article caused (scheduled on the market simulator), or null. */
  shock: Shock | null
  /** The market-wide move this (macro) article caused, or null. */
  macro?: MacroMove | null
  /** For recycled headlines: the article whose story it repeats. */
  recycledOf: string | null
}

export interface Revision {
  /** webPublicationDate of this revision. */
  at: number
  lastModified: number
  title: string
  trailText: string
  body: string
}

export interface Tag {
  id: string
  type: string
  sectionId?: string
  sectionName?: string
  webTitle: string
  webUrl: string
  apiUrl: string
  references: never[]
}

export interface StoredItem {
  id: string
  type: 'article' | 'liveblog'
  sectionId: string
  sectionName: string
  pillarId: string
  pillarName: string
  byline: string
  shortId: string
  tags: Tag[]
  /** Ordered by `at`; the visible state is the last revision with `at` ≤ now. */
  revisions: Revision[]
  /** Live blogs: when coverage ends (isLive false afterwards). */
  endsAt: number | null
}

export interface GeneratorCompany {
  symbol: string
  name: string
}

export interface GeneratorOptions {
  seed: number
  /** Simulated time the streams start at, epoch ms. */
  start: number
  /** Shocks are only scheduled for articles published at or after this time (backfill before it is shock-free). */
  liveFrom: number
  companies: GeneratorCompany[]
  articlesPerHour: number
  /** Relative weights of the article kinds (normalised); `macro` (default 0): market-wide news that moves everything. */
  mix: { shock: number; null: number; recycled: number; other: number; macro?: number }
  liveBlogs: boolean
  /** Delay from publication to the shock's start, ms ([0, 0]: the shock starts at publication, as real news does). */
  shockDelayMs: [number, number]
  /** |jump| range, fraction (0.015 = 1.5 %). */
  shockPct: [number, number]
  onShock: (shock: Shock) => void
  /** Receives macro moves (absent: macro stories move nothing). */
  onMacro?: (move: MacroMove) => void
  /** |move| of the market for a macro story, fraction. Default [0.004, 0.012]. */
  macroPct?: [number, number]
  /** What may move at time t (default: all). Evaluated at each story's publication; deterministic by seed. */
  shockMode?: (t: number) => ShockMode
  /** Base of `apiUrl` values, e.g. `http://127.0.0.1:PORT/guardian`. */
  apiBase: string
  /**
   * Least time between two shock stories about the same company (0 or absent: no rule). When set, null stories
   * also keep clear of shocks: none about a company whose shock is still to land, and no shock within 5 minutes
   * after a null story about the same company. A story with no company free is not written (the stream thins).
   */
  shockSpacingMs?: number
  /**
   * Annualised volatility of a symbol (the market model's). When set, a shock's |jump| drawn from shockPct is
   * scaled by max(1, vol / 0.3): news moves a volatile stock further (a 1.5 % jump is noise for a 60 %-vol name).
   */
  volatilityOf?: (symbol: string) => number
}

/** shockPct is the jump of a name with this annualised volatility (or less); see volatilityOf. */
const REFERENCE_VOL = 0.3
/** A null story's impact horizon (the 5-minute return): no shock of its company may land in it. */
const NULL_CLEAR_MS = 5 * 60_000
/** Least time between two market-wide moves (a later macro story in it is told without moving anything). */
const MACRO_SPACING_MS = 60 * 60_000
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec']
const HOUR = 3_600_000
const DAY = 86_400_000

export function slugify(s: string): string {
  return words(s).join('-').slice(0, 80).replace(/-+$/, '')
}

function datePath(t: number): string {
  const d = new Date(t)
  return `${d.getUTCFullYear()}/${MONTHS[d.getUTCMonth()]}/${String(d.getUTCDate()).padStart(2, '0')}`
}

export function jaccard(a: string, b: string): number {
  const sa = new Set(words(a))
  const sb = new Set(words(b))
  let inter = 0
  for (const w of sa) if (sb.has(w)) inter++
  const union = sa.size + sb.size - inter
  return union === 0 ? 0 : inter / union
}

export class ArticleGenerator {
  private readonly items: StoredItem[] = []
  private readonly byId = new Map<string, StoredItem>()
  private readonly truth: GroundTruthEntry[] = []
  private readonly ids = new Set<string>()
  private readonly rMain: () => number
  private readonly rLive: () => number
  private nextArticleAt: number
  /** Company stories published so far, for recycling: index into STORIES, variant used, company, id, time. */
  private readonly history: {
    story: number
    variant: number
    company: GeneratorCompany
    id: string
    at: number
  }[] = []
  /** Last live shock story / null story per symbol (for shockSpacingMs). */
  private readonly lastShockAt = new Map<string, number>()
  private readonly lastNullAt = new Map<string, number>()
  private lastMacroAt = -Infinity
  private liveDay: number
  private liveNextAt: number | null = null
  private liveItem: StoredItem | null = null
  private horizon: number

  constructor(private readonly o: GeneratorOptions) {
    this.rMain = mulberry32(o.seed)
    this.rLive = mulberry32((o.seed ^ 0x5bd1e995) >>> 0)
    this.nextArticleAt = Math.ceil(o.start / 1000) * 1000 + this.expGap()
    this.liveDay = Math.floor(o.start / DAY)
    this.horizon = o.start
  }

  /** Everything generated so far (including items scheduled after now). */
  all(): readonly StoredItem[] {
    return this.items
  }

  get(id: string): StoredItem | undefined {
    return this.byId.get(id)
  }

  groundTruth(): readonly GroundTruthEntry[] {
    return this.truth
  }

  /** Future stories use these companies (already generated look-ahead keeps its names). */
  setCompanies(companies: GeneratorCompany[]): void {
    this.o.companies = companies
  }

  generatedUntil(): number {
    return this.horizon
  }

  /** Generates every event with time ≤ t (idempotent for earlier t). */
  extendTo(t: number): void {
    if (t <= this.horizon) return
    for (;;) {
      const liveAt = this.o.liveBlogs ? this.peekLive() : Infinity
      const next = Math.min(this.nextArticleAt, liveAt)
      if (next > t) break
      if (next === this.nextArticleAt) {
        this.genArticle(next)
        this.nextArticleAt = next + this.expGap()
      } else {
        this.genLiveRevision(next)
      }
    }
    this.horizon = t
  }

  private expGap(): number {
    const rate = Math.max(this.o.articlesPerHour, 1e-6) / HOUR
    // Whole seconds: the real API's dates have seconds precision, so from-date filters must be exact.
    return Math.max(1000, Math.round(-Math.log(1 - this.rMain()) / rate / 1000) * 1000)
  }

  private pick<T>(r: () => number, xs: readonly T[]): T {
    return xs[Math.min(xs.length - 1, Math.floor(r() * xs.length))]!
  }

  private uniqueId(base: string): string {
    let id = base
    for (let n = 2; this.ids.has(id); n++) id = `${base}-${n}`
    this.ids.add(id)
    return id
  }

  private tag(id: string, type: string, webTitle: string, section?: string): Tag {
    const t: Tag = {
      id,
      type,
      webTitle,
      webUrl: `https://www.theguardian.com/${id}`,
      apiUrl: `${this.o.apiBase}/${id}`,
      references: [],
    }
    if (section) {
      t.sectionId = section
      t.sectionName = SECTION_NAMES[section] ?? section
    }
    return t
  }

  private makeItem(
    type: 'article' | 'liveblog',
    section: string,
    title: string,
    at: number,
    r: () => number,
    company: string | null,
  ): StoredItem {
    const base =
      type === 'liveblog'
        ? `${section}/live/${datePath(at)}/${slugify(title)}`
        : `${section}/${datePath(at)}/${slugify(title)}`
    const id = this.uniqueId(base)
    const byline = this.pick(r, BYLINES)
    const tags = [
      this.tag(`${section}/${section}`, 'keyword', SECTION_NAMES[section] ?? section, section),
      this.tag(`type/${type}`, 'type', type === 'liveblog' ? 'Live blog' : 'Article'),
      this.tag('tone/news', 'tone', 'News'),
      this.tag(`profile/${slugify(byline)}`, 'contributor', byline),
    ]
    if (company) tags.splice(1, 0, this.tag(`business/${slugify(company)}`, 'keyword', company, 'business'))
    if (section === 'business')
      tags.splice(1, 0, this.tag('business/stock-markets', 'keyword', 'Stock markets', 'business'))
    const sport = section === 'sport'
    const item: StoredItem = {
      id,
      type,
      sectionId: section,
      sectionName: SECTION_NAMES[section] ?? section,
      pillarId: sport ? 'pillar/sport' : 'pillar/news',
      pillarName: sport ? 'Sport' : 'News',
      byline,
      shortId: Math.floor(r() * 36 ** 5)
        .toString(36)
        .padStart(5, 'a'),
      tags,
      revisions: [],
      endsAt: null,
    }
    this.items.push(item)
    this.byId.set(id, item)
    return item
  }

  private body(title: string, trail: string, name: string | null): string {
    const who = name ?? 'Analysts'
    return [
      `<p>${trail}</p>`,
      `<p>${title}. ${who} ${name ? 'declined to comment further when contacted on Friday' : 'said the picture could change quickly'}.</p>`,
      `<p>Markets have been volatile this week as investors weigh the outlook for interest rates and growth.</p>`,
    ].join('')
  }

  private genArticle(at: number): void {
    const r = this.rMain
    const { mix } = this.o
    const macroWeight = mix.macro ?? 0
    const total = mix.shock + mix.null + mix.recycled + mix.other + macroWeight
    let u = r() * (total > 0 ? total : 1)
    let kind: GroundTruthKind
    if ((u -= mix.shock) < 0) kind = 'shock'
    else if ((u -= mix.null) < 0) kind = 'null'
    else if ((u -= mix.recycled) < 0) kind = 'recycled'
    else if ((u -= mix.other) < 0 || macroWeight <= 0) kind = 'other'
    else kind = 'macro'
    // Consume a fixed number of draws per article so the stream stays aligned whatever the kind.
    const d = [r(), r(), r(), r(), r()] as const
    if (this.o.companies.length === 0 && kind !== 'other' && kind !== 'macro') kind = 'other'
    const recent = this.history.filter((h) => h.at > at - DAY)
    if (kind === 'recycled' && recent.length === 0) kind = 'null'
    const mode = this.o.shockMode?.(at) ?? 'all'
    // A session without company shocks tells the same kind of story about a company without moving it.
    if (kind === 'shock' && mode !== 'all') kind = 'null'

    if (kind === 'macro') {
      const s = MACRO_STORIES[Math.floor(d[0] * MACRO_STORIES.length)]!
      const moves = mode !== 'none' && at >= this.o.liveFrom && at - this.lastMacroAt >= MACRO_SPACING_MS && this.o.onMacro !== undefined
      const item = this.makeItem('article', s.section, s.title, at, r, null)
      item.revisions.push({ at, lastModified: at, title: s.title, trailText: s.trail, body: this.body(s.title, s.trail, null) })
      let macro: MacroMove | null = null
      if (moves) {
        const [pl, ph] = this.o.macroPct ?? [0.004, 0.012]
        macro = { at, jumpPct: s.dir * (pl + d[3] * (ph - pl)), articleId: item.id }
        this.lastMacroAt = at
        this.o.onMacro?.(macro)
      }
      this.truth.push({ articleId: item.id, kind, published: at, revision: 0, title: s.title, symbol: null, shock: null, macro, recycledOf: null })
      return
    }

    if (kind === 'other') {
      const s = OTHER_STORIES[Math.floor(d[0] * OTHER_STORIES.length)]!
      const item = this.makeItem('article', s.section, s.title, at, r, null)
      item.revisions.push({
        at,
        lastModified: at,
        title: s.title,
        trailText: s.trail,
        body: this.body(s.title, s.trail, null),
      })
      this.truth.push({
        articleId: item.id,
        kind,
        published: at,
        revision: 0,
        title: s.title,
        symbol: null,
        shock: null,
        macro: null,
        recycledOf: null,
      })
      return
    }

    let storyIdx: number
    let variant: number
    let company: GeneratorCompany
    let recycledOf: string | null = null
    if (kind === 'recycled') {
      const h = recent[Math.floor(d[0] * recent.length)]!
      storyIdx = h.story
      company = h.company
      variant = 1 + ((h.variant + Math.floor(d[1] * 2)) % 2) // any rewording, never the original wording
      if (variant === h.variant) variant = h.variant === 1 ? 2 : 1
      recycledOf = h.id
    } else {
      const pool = STORIES.map((s, i) => ({ s, i })).filter(({ s }) =>
        kind === 'shock' ? s.dir !== 0 : s.dir === 0,
      )
      storyIdx = pool[Math.floor(d[0] * pool.length)]!.i
      const free = this.freeCompanies(kind, at)
      // Nobody is free for this kind of story: it is not written (the draws above keep the stream aligned).
      if (free.length === 0) return
      company = free[Math.floor(d[1] * free.length)]!
      variant = 0
    }
    const story = STORIES[storyIdx]!
    const title = story.variants[variant]!.replaceAll('{name}', company.name)
    const trail = story.trail.replaceAll('{name}', company.name)
    const item = this.makeItem('article', story.section, title, at, r, company.name)
    item.revisions.push({
      at,
      lastModified: at,
      title,
      trailText: trail,
      body: this.body(title, trail, company.name),
    })
    let shock: Shock | null = null
    if (kind === 'shock') {
      if (at >= this.o.liveFrom) {
        const [dl, dh] = this.o.shockDelayMs
        const [pl, ph] = this.o.shockPct
        const vol = this.o.volatilityOf?.(company.symbol) ?? 0
        const scale = Number.isFinite(vol) ? Math.max(1, vol / REFERENCE_VOL) : 1
        // The headline's publication is the shock's start (whole seconds, as the API prints dates).
        shock = {
          symbol: company.symbol,
          at: at + Math.round((dl + d[2] * (dh - dl)) / 1000) * 1000,
          jumpPct: story.dir * (pl + d[3] * (ph - pl)) * scale,
          volumeFactor: 4,
          shape: 'news',
          articleId: item.id,
        }
        // Its leakage keeps out of the 5 minutes of the company's last null story.
        const lastNull = this.lastNullAt.get(company.symbol)
        if (lastNull !== undefined) shock.leakNotBefore = lastNull + NULL_CLEAR_MS
        this.o.onShock(shock)
      } else {
        kind = 'null' // backfill before the simulator went live: the market cannot move in the past
      }
    }
    if (kind === 'shock') this.lastShockAt.set(company.symbol, at)
    if (kind === 'null') this.lastNullAt.set(company.symbol, at)
    if (kind !== 'recycled') this.history.push({ story: storyIdx, variant, company, id: item.id, at })
    this.truth.push({
      articleId: item.id,
      kind,
      published: at,
      revision: 0,
      title,
      symbol: company.symbol,
      shock,
      macro: null,
      recycledOf,
    })
  }

  /**
   * Companies a new shock or null story may be about. Without shockSpacingMs: all of them. With it, the ground
   * truth stays unambiguous under the impact definition (sigma over the 30 min before t0, move over the 5 min
   * after): shock stories of a company are at least shockSpacingMs apart (the default leaves the 30 min before one
   * calm after the previous one's tail), no shock starts within 5 minutes after a null story of its company (and its
   * leakage stays out of them: leakNotBefore), and a null story comes only once its company's last shock has stopped
   * moving.
   */
  private freeCompanies(kind: 'shock' | 'null', at: number): GeneratorCompany[] {
    const spacing = this.o.shockSpacingMs ?? 0
    if (spacing <= 0 || at < this.o.liveFrom) return this.o.companies
    const delay = this.o.shockDelayMs[1]
    // A shock story's move runs from NEWS_SHOCK_BEFORE_MS before its start to NEWS_SHOCK_AFTER_MS after it.
    const settled = delay + NEWS_SHOCK_AFTER_MS
    return this.o.companies.filter((c) => {
      const shock = this.lastShockAt.get(c.symbol) ?? -Infinity
      const nul = this.lastNullAt.get(c.symbol) ?? -Infinity
      return kind === 'shock' ? at - shock >= spacing && at - nul >= NULL_CLEAR_MS : at - shock >= settled
    })
  }

  /** Time of the next live-blog revision, creating the next day's schedule lazily. */
  private peekLive(): number {
    if (this.liveNextAt !== null) return this.liveNextAt
    for (;;) {
      const dayStart = this.liveDay * DAY
      const open = dayStart + 8 * HOUR
      const close = dayStart + 20 * HOUR
      const wd = new Date(dayStart).getUTCDay()
      if (wd !== 0 && wd !== 6 && close > this.o.start) {
        const first = open + Math.round(this.rLive() * 5 * 60) * 1000
        // A start inside today's coverage picks the blog up shortly after the start.
        this.liveNextAt =
          first >= this.o.start
            ? first
            : Math.ceil(this.o.start / 1000) * 1000 + 1000 + Math.round(this.rLive() * 10 * 60) * 1000
        if (this.liveNextAt < close) return this.liveNextAt
      }
      this.liveNextAt = null
      this.liveDay++
    }
  }

  private genLiveRevision(at: number): void {
    const r = this.rLive
    const dayStart = this.liveDay * DAY
    const close = dayStart + 20 * HOUR
    const macro = this.pick(r, LIVEBLOG_MACRO)
    const company = this.o.companies.length > 0 ? this.pick(r, this.o.companies) : null
    const moves = this.pick(r, ['shares rise', 'shares fall', 'in focus', 'shares edge higher', 'shares dip'])
    const lead = company ? `${company.name} ${moves}` : 'Markets wait for data'
    const title = `${lead}; ${macro} – business live`
    const trail = 'Rolling coverage of the latest economic and financial news'
    if (!this.liveItem) {
      this.liveItem = this.makeItem(
        'liveblog',
        'business',
        `${lead} ${macro} business live`,
        at,
        r,
        company?.name ?? null,
      )
      this.liveItem.endsAt = close
    }
    const item = this.liveItem
    const revision = item.revisions.length
    item.revisions.push({
      at,
      lastModified: at,
      title,
      trailText: trail,
      body: this.body(title, trail, company?.name ?? null),
    })
    this.truth.push({
      articleId: item.id,
      kind: 'liveblog',
      published: at,
      revision,
      title,
      symbol: company?.symbol ?? null,
      shock: null,
      macro: null,
      recycledOf: null,
    })
    const next = at + Math.round((10 + r() * 20) * 60) * 1000
    if (next < close) {
      this.liveNextAt = next
    } else {
      this.liveNextAt = null
      this.liveItem = null
      this.liveDay++
    }
  }
}

/** Company names for the generator: first alias, else the built-in map, else the symbol itself. */
export function companiesFor(
  watchlist: readonly { symbol: string; aliases?: readonly string[] }[],
): GeneratorCompany[] {
  return watchlist.map((w) => ({
    symbol: w.symbol,
    name: w.aliases?.[0] ?? COMPANY_NAMES[w.symbol] ?? w.symbol,
  }))
}
