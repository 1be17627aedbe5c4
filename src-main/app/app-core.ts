// The app core behind the contract: one implementation of every invoke channel and the source of every
// event, shared by the Electron shell (IPC adapter) and the browser-mode server (WebSocket adapter).
// Everything host-specific (worker, simulator, secrets backend, Grafana view, notifications) is injected.
import {
  ERROR_CODES,
  fail,
  ok,
  type EventChannel,
  type EventPayload,
  type InvokeChannel,
  type InvokeParsedArg,
  type InvokeResult,
  type Response,
  type NewsBundle,
  type SecretTestResult,
  type GrafanaProbe,
} from '../../src-preload/contract'
import type { Settings } from '../../src-preload/settings-schema'
import { moveAlertFresh, signalAlertFresh } from '../domain/alert-policy'
import type { MoveAlert } from '../domain/impact'
import type { Article, ImpactRecord } from '../domain/news'
import { impactKey } from '../domain/news'
import { pickImpact } from '../kafka/impact-merge'
import type { IngestConfig, WorkerEvent } from '../host/protocol'
import type { StatusSnapshot } from '../domain/status'
import type { IngestHost } from '../host/worker-host'
import type { SecretName, SecretStore } from './secrets'
import { SecretStoreError, unreadableKeysMessage } from './secrets'
import type { AppNotice } from '../domain/status'
import { SettingsReadOnlyError } from './settings-store'
import type { SettingsStore } from './settings-store'
import { buildIngestConfig, describeConfig, isDemo, kafkaSecurityFromSettings } from './ingest-config'
import type { KafkaSecretStore } from './kafka-secrets'
import { checkKafkaConnection } from '../kafka/connection-check'
import { TOPICS, topicName } from '../kafka/records'
import { GUARDIAN_BASE, type DemoEndpoints } from '../domain/endpoints'
import { createKeyGuard, createKeyHostApprovals, keyHeldBackMessage, type KeyHostApprovals } from './key-hosts'
import { polygonRestBase } from './key-check'
import { initialStatus } from './initial-status'
import { createImpactHistoryService, type HistorySettings, type ImpactHistorySource } from '../impact-history/impact-history'
import { existsSync, readFileSync } from 'node:fs'
import { writeFileAtomic } from '../domain/atomic-write'
import { addDenyRule, applyCorrection, applyUserTagging, proposeDeny, readCorrections, rememberEdit, serializeCorrections } from '../news/tagging/corrections'

/** Without a Kafka secret store nothing can be stored (and nothing is pretended to be). */
/** Move alerts kept for the timeline (a busy day across a 50-name watchlist is a few hundred). */
const MAX_MOVES = 2_000

const noKafkaSecrets: KafkaSecretStore = {
  set: () => {
    throw new SecretStoreError('encryption_unavailable', 'No secret store for Kafka credentials in this mode')
  },
  get: () => undefined,
  clear: () => {},
  status: () => ({ password: false, clientKey: false, oauthClientSecret: false }),
}

export interface DemoBackend {
  endpoints(): Promise<DemoEndpoints>
  stop(): Promise<void>
}

export interface AppCoreDeps {
  mode: 'electron' | 'browser'
  version: string
  platform: string
  dataDir: string
  settings: SettingsStore
  secrets: SecretStore
  /** Kafka credentials (SASL password, client key, OAuth client secret), same backend as `secrets`. */
  kafkaSecrets?: KafkaSecretStore
  startHost: (config: IngestConfig) => IngestHost
  demo: DemoBackend
  emit: <E extends EventChannel>(event: E, payload: EventPayload<E>) => void
  openExternal: (url: string) => Promise<void>
  testKey: (name: SecretName, key: string, settings: Settings) => Promise<SecretTestResult>
  probeGrafana: (settings: Settings) => Promise<GrafanaProbe>
  grafanaView?: { show(bounds: { x: number; y: number; width: number; height: number }, url: string): void; hide(): void }
  /**
   * Called for every impact record that carries a signal, once per key and signal, when it arrives while still
   * worth a popup (domain/alert-policy.ts: at its alertAt; not for history computed long after the move).
   */
  onSignal?: (impact: ImpactRecord, article: Article | undefined) => void
  /** Called once per new move alert while still worth a popup (not again when a headline links to it). */
  onMove?: (move: MoveAlert) => void
  /** Wall clock (ms); the data clock adds the demo's offset from the status. Default Date.now. */
  now?: () => number
  log: (level: 'info' | 'warn' | 'error', message: string) => void
  /** Start-up notices (files moved aside, read-only settings), shown in the status until the app restarts. */
  notices?: readonly AppNotice[]
  /** Where stored keys live, for the "cannot be decrypted" notice (e.g. "the OS keychain changed"). */
  keyStoreHint?: string
  /** Hosts the user confirmed per key (kept beside the keys). Default: in memory. */
  keyApprovals?: KeyHostApprovals
  /**
   * Desktop app: asks the user, in a main-process dialog, whether a stored key may go to `origin` (not an
   * official host). Absent (browser mode): such a host needs the key typed again.
   */
  confirmKeyHost?: (name: SecretName, origin: string) => Promise<boolean>
  /** Bound on the articles kept for `news:list`. */
  maxArticles?: number
  /** Opens the per-symbol news-impact history store (PostgreSQL `impact_history`); absent: `impact:history` is unavailable. */
  openImpactHistory?: (settings: HistorySettings) => ImpactHistorySource
  /** How long `impact:history` answers are reused (ms, default 60 s). */
  impactHistoryTtlMs?: number
}

export interface AppCore {
  start(): Promise<void>
  handle<C extends InvokeChannel>(channel: C, arg: InvokeParsedArg<C>): Promise<Response<InvokeResult<C>>>
  pause(): void
  resume(): void
  isPaused(): boolean
  status(): StatusSnapshot
  settings(): Settings
  /** Stops the streams cleanly: the worker flushes or spools Kafka records before it exits. */
  stop(): Promise<void>
  onStatus(listener: (s: StatusSnapshot) => void): () => void
}

export function createAppCore(deps: AppCoreDeps): AppCore {
  const kafkaSecrets: KafkaSecretStore = deps.kafkaSecrets ?? noKafkaSecrets
  const maxArticles = deps.maxArticles ?? 2_000
  const articles = new Map<string, Article>()
  const impacts = new Map<string, ImpactRecord>()
  const signalled = new Set<string>()
  const moves = new Map<string, MoveAlert>()
  const statusListeners = new Set<(s: StatusSnapshot) => void>()
  let host: IngestHost | null = null
  let offHost: (() => void) | null = null
  let status: StatusSnapshot = initialStatus()
  let paused = false
  let restartChain: Promise<void> = Promise.resolve()
  const openImpactHistory = deps.openImpactHistory
  const impactHistory = openImpactHistory
    ? createImpactHistoryService({
        open: openImpactHistory,
        ...(deps.impactHistoryTtlMs !== undefined ? { ttlMs: deps.impactHistoryTtlMs } : {}),
        onUnavailable: (m) => deps.log(m === null ? 'info' : 'warn', m === null ? 'impact history: available' : `impact history: ${m}`),
      })
    : null

  // The user's tag corrections and deny rules, kept in the data folder; applied to every article that arrives.
  const correctionsFile = `${deps.dataDir}/tag-corrections.json`
  const loadedCorrections = readCorrections(() => (existsSync(correctionsFile) ? readFileSync(correctionsFile, 'utf8') : null))
  if (loadedCorrections.problem) deps.log('warn', `tag corrections: ${loadedCorrections.problem} (starting without them)`)
  let corrections = loadedCorrections.state
  const saveCorrections = (): void => {
    try {
      writeFileAtomic(correctionsFile, serializeCorrections(corrections))
    } catch (e) {
      deps.log('warn', `tag corrections not saved: ${e instanceof Error ? e.message : String(e)}`)
    }
  }

  // Stored keys go only where the main process allows (key-hosts.ts); the renderer only chooses URLs.
  let lastDemo: DemoEndpoints | null = null
  const memoryApprovals = new Map<string, unknown>()
  const keyGuard = createKeyGuard({
    approvals:
      deps.keyApprovals ??
      createKeyHostApprovals({ get: (k) => memoryApprovals.get(k), set: (k, v) => void memoryApprovals.set(k, v) }),
    demo: () => lastDemo,
    ...(deps.confirmKeyHost ? { confirm: deps.confirmKeyHost } : {}),
  })
  /** Keys held back from unconfirmed hosts at the last (re)start of the streams. */
  let heldBack: AppNotice[] = []
  const feedUrls = (s: Settings): string[] =>
    s.feed.mode === 'custom' ? [s.feed.url, polygonRestBase(s, lastDemo)].filter((u) => u !== '') : []
  const testUrl = (name: SecretName, s: Settings): string =>
    name === 'polygon'
      ? polygonRestBase(s, lastDemo)
      : s.feed.mode === 'demo' && lastDemo
        ? `${lastDemo.httpBase}/guardian`
        : GUARDIAN_BASE

  const notices = (): AppNotice[] => {
    const out = [...(deps.notices ?? []), ...heldBack]
    const keys = unreadableKeysMessage(deps.secrets.unreadable(), deps.keyStoreHint ?? 'the key store changed since they were saved')
    if (keys) out.push({ id: 'secrets-unreadable', level: 'error', text: keys })
    return out
  }
  for (const n of notices()) deps.log(n.level, n.text)
  status = { ...status, notices: notices() }

  const setStatus = (s: StatusSnapshot): void => {
    status = { ...s, paused, notices: notices() }
    deps.emit('status:changed', status)
    for (const l of statusListeners) l(status)
  }

  /** The market data's clock: the wall clock, or the demo's when it runs in another session (status.clockOffsetMs). */
  const dataNow = (): number => (deps.now ?? Date.now)() + (status.clockOffsetMs ?? 0)

  const rememberMoves = (incoming: readonly MoveAlert[]): void => {
    for (const m of incoming) {
      const isNew = !moves.has(m.id)
      moves.delete(m.id)
      moves.set(m.id, m)
      if (isNew && moveAlertFresh(m, dataNow())) deps.onMove?.(m)
    }
    while (moves.size > MAX_MOVES) moves.delete(moves.keys().next().value as string)
  }

  const rememberNews = (bundle: NewsBundle): void => {
    for (const a of bundle.articles) {
      articles.delete(a.id) // re-insert so a revision counts as recent
      articles.set(a.id, a)
    }
    while (articles.size > maxArticles) {
      const oldest = articles.keys().next().value as string
      articles.delete(oldest)
      for (const k of impacts.keys()) if (k.startsWith(`${oldest}|`)) impacts.delete(k)
    }
    for (const r of bundle.impacts) {
      const key = impactKey(r)
      const prev = impacts.get(key)
      // The app's own record and Flink's agree by definition; keep the more complete one.
      const kept = prev ? pickImpact(prev, r) : r
      if (kept === prev) continue
      impacts.set(key, kept)
      if (r.signal === 'up' || r.signal === 'down') {
        const sk = `${key}|${r.signal}`
        if (!signalled.has(sk)) {
          signalled.add(sk)
          if (signalAlertFresh(r, dataNow())) deps.onSignal?.(r, articles.get(r.articleId))
        }
      }
    }
  }

  const onWorker = (ev: WorkerEvent): void => {
    switch (ev.type) {
      case 'batch':
        if (ev.updates.length > 0) deps.emit('market:batch', ev.updates)
        if (ev.articles.length > 0 || ev.impacts.length > 0 || ev.moves.length > 0) {
          const bundle = { articles: ev.articles.map((a) => applyUserTagging(a, corrections)), impacts: ev.impacts, moves: ev.moves }
          rememberMoves(ev.moves)
          rememberNews(bundle)
          deps.emit('news:batch', bundle)
        }
        return
      case 'status':
        setStatus(ev.status)
        return
      case 'log':
        if (ev.level !== 'debug') deps.log(ev.level, `[ingest] ${ev.message}`)
        return
      default:
        return
    }
  }

  const currentConfig = async (): Promise<IngestConfig> => {
    const settings = deps.settings.get()
    const endpoints = isDemo(settings) ? await deps.demo.endpoints() : null
    if (endpoints) lastDemo = endpoints
    const config = buildIngestConfig(
      settings,
      { polygon: deps.secrets.get('polygon'), guardian: deps.secrets.get('guardian'), kafka: (n) => kafkaSecrets.get(n) },
      endpoints,
      deps.dataDir,
    )
    // A stored key goes to the configured hosts only if they are official, the simulator, or confirmed.
    heldBack = []
    const feedKey = config.feed.key
    if (feedKey !== undefined && config.feed.mode !== 'demo') {
      const blocked = await keyGuard.check('polygon', feedKey, [config.feed.url, config.feed.restBase].filter((u): u is string => !!u))
      if (blocked.length > 0) {
        delete config.feed.key
        heldBack.push({ id: 'key-held-back-polygon', level: 'error', text: keyHeldBackMessage('polygon', blocked, deps.mode) })
      }
    }
    const newsKey = config.news.key
    if (newsKey !== undefined && !isDemo(settings)) {
      const blocked = await keyGuard.check('guardian', newsKey, [config.news.base ?? GUARDIAN_BASE])
      if (blocked.length > 0) {
        delete config.news.key
        heldBack.push({ id: 'key-held-back-guardian', level: 'error', text: keyHeldBackMessage('guardian', blocked, deps.mode) })
      }
    }
    for (const n of heldBack) deps.log('warn', n.text)
    return config
  }

  const startHost = async (): Promise<void> => {
    const config = await currentConfig()
    deps.log('info', `starting ingest: ${describeConfig(config)}`)
    // The worker applies the user's deny phrases and kept corrections too, so `news.articles` matches the timeline.
    host = deps.startHost({ ...config, userTagging: { deny: corrections.deny, edits: corrections.edits } })
    offHost = host.on(onWorker)
    setStatus(status)
    if (paused) host.send({ type: 'pause' })
  }

  const stopHost = async (): Promise<void> => {
    const h = host
    host = null
    offHost?.()
    offHost = null
    if (h) await h.stop()
  }

  /** Feed, keys, news or Kafka settings changed: restart the worker with the new config (serialised). */
  const restart = (): Promise<void> => {
    restartChain = restartChain.then(async () => {
      await stopHost()
      await startHost()
    })
    return restartChain
  }

  const setPaused = (p: boolean): void => {
    if (paused === p) return
    paused = p
    host?.send({ type: p ? 'pause' : 'resume' })
    deps.emit('streams:paused', p)
    setStatus({ ...status, paused: p })
  }

  const newsList = (limit: number): NewsBundle => {
    const list = [...articles.values()].sort((a, b) => b.published - a.published).slice(0, limit)
    const ids = new Set(list.map((a) => a.id))
    return { articles: list, impacts: [...impacts.values()].filter((r) => ids.has(r.articleId)), moves: [...moves.values()] }
  }

  const handlers: { [C in InvokeChannel]: (arg: InvokeParsedArg<C>) => Promise<Response<InvokeResult<C>>> } = {
    'watchlist:get': async () => ok(deps.settings.get().watchlist.symbols),
    'watchlist:set': async (entries) => {
      let s: Settings
      try {
        s = deps.settings.update({ watchlist: { ...deps.settings.get().watchlist, symbols: entries } })
      } catch (e) {
        if (e instanceof SettingsReadOnlyError) return fail(ERROR_CODES.unsupported, e.message)
        throw e
      }
      // Subscriptions change on the live socket: no restart.
      host?.send({ type: 'watchlist', watchlist: s.watchlist.symbols })
      return ok(s.watchlist.symbols)
    },
    'settings:get': async () => ok(deps.settings.get()),
    'settings:update': async (patch) => {
      const before = deps.settings.get()
      let after: Settings
      try {
        after = deps.settings.update(patch)
      } catch (e) {
        if (e instanceof SettingsReadOnlyError) return fail(ERROR_CODES.unsupported, e.message)
        return fail(ERROR_CODES.invalidArg, e instanceof Error ? e.message : String(e))
      }
      if (patch.watchlist) host?.send({ type: 'watchlist', watchlist: after.watchlist.symbols })
      if (patch.thresholds) host?.send({ type: 'thresholds', thresholds: after.thresholds })
      const needsRestart =
        JSON.stringify([before.feed, before.news, before.kafka, before.watchlist.channels]) !==
        JSON.stringify([after.feed, after.news, after.kafka, after.watchlist.channels])
      if (needsRestart) await restart()
      return ok(after)
    },
    'kafka:secrets-status': async () => ok(kafkaSecrets.status()),
    'kafka:secret-set': async ({ name, value }) => {
      try {
        kafkaSecrets.set(name, value)
      } catch (e) {
        if (e instanceof SecretStoreError) return fail(e.code, e.message)
        throw e
      }
      if (deps.settings.get().kafka.enabled) await restart()
      return ok(kafkaSecrets.status())
    },
    'kafka:secret-clear': async ({ name }) => {
      kafkaSecrets.clear(name)
      if (deps.settings.get().kafka.enabled) await restart()
      return ok(kafkaSecrets.status())
    },
    'kafka:test-connection': async ({ kafka, password }) => {
      const k = kafka ?? deps.settings.get().kafka
      const security = kafkaSecurityFromSettings(k.security, (n) =>
        n === 'password' && password !== undefined ? password : kafkaSecrets.get(n),
      )
      const r = await checkKafkaConnection({
        brokers: k.brokers,
        security,
        topics: TOPICS.map((t) => topicName(k.topicPrefix, t)),
      })
      deps.log(r.ok ? 'info' : 'warn', `kafka test connection: ${r.steps.map((x) => `${x.label} ${x.ok ? 'ok' : `FAILED: ${x.detail}`}`).join('; ')}`)
      return ok(r)
    },
    'secrets:status': async () => ok(deps.secrets.status()),
    'secrets:set': async ({ name, value }) => {
      try {
        deps.secrets.set(name, value)
        // Typed by the user: the hosts configured now may have it (their typing is the confirmation).
        const typed = deps.secrets.get(name)
        if (typed !== undefined && name === 'polygon') keyGuard.typed(name, typed, feedUrls(deps.settings.get()))
      } catch (e) {
        if (e instanceof SecretStoreError) return fail(e.code, e.message)
        throw e
      }
      setStatus(status) // the "enter it again" notice goes once the key is readable
      if (!isDemo(deps.settings.get())) await restart()
      return ok(deps.secrets.status())
    },
    'secrets:clear': async ({ name }) => {
      deps.secrets.clear(name)
      setStatus(status)
      if (!isDemo(deps.settings.get())) await restart()
      return ok(deps.secrets.status())
    },
    'secrets:test': async ({ name, value }) => {
      const settings = deps.settings.get()
      const url = testUrl(name, settings)
      if (value !== undefined) {
        // A key the caller typed is theirs to send; typing it confirms the host for that key.
        keyGuard.typed(name, value.trim(), [url])
        return ok(await deps.testKey(name, value, settings))
      }
      const key = deps.secrets.get(name)
      if (!key) return ok({ ok: false, message: `No ${name === 'polygon' ? 'Polygon' : 'Guardian'} key is set.` })
      const blocked = await keyGuard.check(name, key, [url])
      if (blocked.length > 0) return ok({ ok: false, message: keyHeldBackMessage(name, blocked, deps.mode) })
      return ok(await deps.testKey(name, key, settings))
    },
    'streams:pause': async () => {
      setPaused(true)
      return ok(null)
    },
    'streams:resume': async () => {
      setPaused(false)
      return ok(null)
    },
    'status:get': async () => ok(status),
    'history:get': async ({ symbol, timeframe, limit }) => {
      if (!host) return fail(ERROR_CODES.unavailable, 'Streams are not running')
      return ok(await host.history(symbol, timeframe, limit))
    },
    'news:list': async ({ limit }) => ok(newsList(limit)),
    'news:correct-tags': async ({ articleId, add, remove }) => {
      const before = articles.get(articleId)
      if (!before) return fail(ERROR_CODES.invalidArg, 'That article is no longer in the timeline')
      const after = applyCorrection(before, add, remove)
      articles.set(articleId, after)
      corrections = rememberEdit(corrections, articleId, after.tagEdit)
      saveCorrections()
      deps.emit('news:batch', { articles: [after], impacts: [], moves: [] })
      // The worker re-publishes it on news.articles (same key) and keeps the correction for later revisions.
      host?.send({ type: 'tag-correction', articles: [after] })
      const proposals = remove.flatMap((s) => proposeDeny(before, s) ?? [])
      return ok({ article: after, proposals })
    },
    'tagging:add-rule': async (rule) => {
      if (rule.kind === 'deny') {
        corrections = addDenyRule(corrections, rule)
        saveCorrections()
        const changed = [...articles.values()].map((a) => [a, applyUserTagging(a, corrections)] as const).filter(([a, b]) => a.tickers.join() !== b.tickers.join())
        for (const [, b] of changed) articles.set(b.id, b)
        // Later articles in the worker get the rule; the articles it changed here are re-published corrected.
        host?.send({ type: 'tag-rules', userTagging: { deny: corrections.deny, edits: corrections.edits } })
        if (changed.length > 0) {
          deps.emit('news:batch', { articles: changed.map(([, b]) => b), impacts: [], moves: [] })
          host?.send({ type: 'tag-correction', articles: changed.map(([, b]) => b) })
        }
        return ok(null)
      }
      const s = deps.settings.get()
      const entries = s.watchlist.symbols
      const i = entries.findIndex((e) => e.symbol === rule.symbol)
      if (i < 0) return fail(ERROR_CODES.invalidArg, `${rule.symbol} is not on the watchlist`)
      const entry = entries[i]!
      if (entry.aliases.some((a) => a.toLowerCase() === rule.phrase.toLowerCase())) return ok(null)
      const next = entries.map((e, k) => (k === i ? { ...e, aliases: [...e.aliases, rule.phrase] } : e))
      let saved: Settings
      try {
        saved = deps.settings.update({ watchlist: { ...s.watchlist, symbols: next } })
      } catch (e) {
        if (e instanceof SettingsReadOnlyError) return fail(ERROR_CODES.unsupported, e.message)
        return fail(ERROR_CODES.invalidArg, e instanceof Error ? e.message : String(e))
      }
      // The worker's tagger reads aliases from the watchlist entry.
      host?.send({ type: 'watchlist', watchlist: saved.watchlist.symbols })
      return ok(null)
    },
    'impact:history': async ({ symbol }) =>
      ok(
        impactHistory
          ? await impactHistory.get(symbol, deps.settings.get().history)
          : { state: 'unavailable' as const, message: 'Impact history is not available in this mode' },
      ),
    'shell:open-external': async ({ url }) => {
      await deps.openExternal(url)
      return ok(null)
    },
    'app:info': async () =>
      ok({
        name: 'Newstape',
        version: deps.version,
        mode: deps.mode,
        platform: deps.platform,
        demo: isDemo(deps.settings.get()),
      }),
    'grafana:probe': async () => ok(await deps.probeGrafana(deps.settings.get())),
    'grafana:show': async ({ bounds }) => {
      if (!deps.grafanaView) return fail(ERROR_CODES.unsupported, 'The embedded Grafana view exists only in the desktop app')
      const probe = await deps.probeGrafana(deps.settings.get())
      deps.grafanaView.show(bounds, probe.url)
      return ok(null)
    },
    'grafana:hide': async () => {
      deps.grafanaView?.hide()
      return ok(null)
    },
  }

  return {
    async start() {
      await startHost()
    },
    async handle(channel, arg) {
      try {
        return await handlers[channel](arg)
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e)
        deps.log('error', `${channel} failed: ${message}`)
        return fail(ERROR_CODES.internal, message)
      }
    },
    pause: () => setPaused(true),
    resume: () => setPaused(false),
    isPaused: () => paused,
    status: () => status,
    settings: () => deps.settings.get(),
    async stop() {
      await restartChain.catch(() => undefined)
      await stopHost()
      await deps.demo.stop()
      await impactHistory?.close()
    },
    onStatus(listener) {
      statusListeners.add(listener)
      return () => statusListeners.delete(listener)
    },
  }
}
