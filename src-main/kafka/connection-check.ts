// "Test connection": walks the steps a Kafka client takes — settings, DNS, TCP, TLS handshake, SASL, then the
// topics' metadata (is this principal authorised to see them?) — and reports each in words, stopping at the
// first that fails. The same code path the producer uses (BrokerConnection), so what passes here works there.
import { lookup } from 'node:dns/promises'
import { isIP } from 'node:net'
import { createTokenSource } from './oauth'
import {
  KafkaConnectError,
  STEP_LABEL,
  securityProblems,
  usesSasl,
  usesTls,
  type ConnectStep,
  type KafkaSecurityConfig,
} from './security'
import { BrokerConnection, connectionSecurity, fetchMetadata, splitHostPort } from './transport'
import { errorName } from './wire'

export interface CheckStep {
  step: ConnectStep
  label: string
  ok: boolean
  detail: string
}

export interface ConnectionCheck {
  ok: boolean
  steps: CheckStep[]
}

export interface CheckInput {
  brokers: readonly string[]
  security: KafkaSecurityConfig
  /** Topics the publisher writes (prefix applied). */
  topics: readonly string[]
  timeoutMs?: number
  clientId?: string
}

const ORDER: ConnectStep[] = ['config', 'dns', 'tcp', 'tls', 'sasl', 'authorization']

export async function checkKafkaConnection(input: CheckInput): Promise<ConnectionCheck> {
  const steps: CheckStep[] = []
  const sec = input.security
  const timeoutMs = input.timeoutMs ?? 5000
  const add = (step: ConnectStep, ok: boolean, detail: string): void => {
    steps.push({ step, label: STEP_LABEL[step], ok, detail })
  }
  const done = (): ConnectionCheck => ({ ok: steps.every((s) => s.ok), steps })
  const problems = securityProblems(sec)
  const first = input.brokers[0]
  if (!first) problems.push('no bootstrap broker is set')
  if (problems.length > 0) {
    add('config', false, problems.join('; '))
    return done()
  }
  add(
    'config',
    true,
    `${sec.protocol}${usesSasl(sec.protocol) ? ` with ${sec.mechanism ?? '?'}` : ''}${sec.insecure && usesTls(sec.protocol) ? ', TLS verification OFF (insecure, testing only)' : ''}`,
  )
  const { host, port } = splitHostPort(first as string)
  if (isIP(host) === 0) {
    try {
      const a = await lookup(host)
      add('dns', true, `${host} → ${a.address}`)
    } catch (e) {
      add(
        'dns',
        false,
        `cannot resolve ${host} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
      )
      return done()
    }
  }
  const tokens = sec.mechanism === 'OAUTHBEARER' && sec.oauth ? createTokenSource(sec.oauth) : null
  let c: BrokerConnection | null = null
  try {
    c = await BrokerConnection.open(
      host,
      port,
      input.clientId ?? 'newstape-check',
      timeoutMs,
      connectionSecurity(sec, tokens),
    )
    add('tcp', true, `connected to ${host}:${port}`)
    if (usesTls(sec.protocol))
      add(
        'tls',
        true,
        sec.insecure
          ? 'handshake done, certificate NOT verified (insecure)'
          : 'handshake done, certificate verified',
      )
    if (usesSasl(sec.protocol))
      add(
        'sasl',
        true,
        `authenticated as ${sec.mechanism === 'OAUTHBEARER' ? 'the token’s principal' : (sec.username ?? '')} (${sec.mechanism ?? ''})`,
      )
    const md = await fetchMetadata(c, input.topics, sec, timeoutMs + 5000)
    const denied = md.topics.filter((t) => t.errorCode === 29)
    const other = md.topics.filter((t) => t.errorCode !== 0 && t.errorCode !== 29 && t.errorCode !== 3)
    const missing = md.topics.filter((t) => t.errorCode === 3)
    if (denied.length > 0) {
      add(
        'authorization',
        false,
        `not authorised for ${denied.map((t) => t.name).join(', ')} (broker error TOPIC_AUTHORIZATION_FAILED (29))`,
      )
    } else if (other.length > 0) {
      add(
        'authorization',
        false,
        other.map((t) => `${t.name}: ${errorName(t.errorCode)} (${t.errorCode})`).join('; '),
      )
    } else {
      add(
        'authorization',
        true,
        `${input.topics.length - missing.length} of ${input.topics.length} topics visible${missing.length > 0 ? `; ${missing.length} not created yet (the publisher creates them)` : ''}`,
      )
    }
  } catch (e) {
    const err = e instanceof KafkaConnectError ? e : new KafkaConnectError('broker', (e as Error).message)
    // Every step before the failing one passed.
    const failAt = err.step === 'protocol' ? (usesTls(sec.protocol) ? 'sasl' : 'tls') : err.step
    const idx = ORDER.indexOf(failAt)
    for (const s of ORDER.slice(2, idx < 0 ? 2 : idx)) {
      if (s === 'tls' && !usesTls(sec.protocol)) continue
      if (s === 'sasl' && !usesSasl(sec.protocol)) continue
      if (!steps.some((x) => x.step === s))
        add(s, true, s === 'tcp' ? `connected to ${host}:${port}` : 'passed')
    }
    steps.push({ step: err.step, label: STEP_LABEL[err.step], ok: false, detail: err.message })
  } finally {
    c?.close()
    tokens?.close()
  }
  return done()
}
