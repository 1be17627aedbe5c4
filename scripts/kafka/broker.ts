// A real Apache Kafka broker (KRaft, single node) from Maven Central jars, run with the machine's Java 17.
// Used by `npm run kafka` (cli.ts), the vitest global setup and the integration tests/benchmarks.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { createServer, connect } from 'node:net'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  KAFKA_VERSION,
  STARTED_MARKER,
  brokerArtifacts,
  brokerPom,
  javaArgs,
  libsMarkerName,
  log4j2Properties,
  newClusterId,
  storageFormatArgs,
  serverProperties,
  type SecureListenerConfig,
} from './config'
import { makeBrokerTls, type BrokerTls } from './certs'

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')
export const DEFAULT_KAFKA_HOME = join(REPO_ROOT, '.data', 'kafka')
export const DEFAULT_LIBS_DIR = join(DEFAULT_KAFKA_HOME, 'libs')

export class MissingToolError extends Error {
  constructor(
    readonly tool: 'java' | 'mvn',
    detail: string,
  ) {
    super(
      `Kafka broker cannot start: '${tool}' is missing or unusable (${detail}). ` +
        (tool === 'java'
          ? 'Install a Java 17+ runtime (Debian: apt-get install -y openjdk-17-jre-headless).'
          : 'Install Maven (Debian: apt-get install -y maven) — it fetches the broker jars from Maven Central once.'),
    )
    this.name = 'MissingToolError'
  }
}

function checkTool(tool: 'java' | 'mvn'): void {
  const r = spawnSync(tool, tool === 'java' ? ['-version'] : ['-v'], { encoding: 'utf8', timeout: 60_000 })
  if (r.error) throw new MissingToolError(tool, r.error.message)
  if (r.status !== 0)
    throw new MissingToolError(tool, `exit ${String(r.status)}: ${(r.stderr || r.stdout).slice(0, 300)}`)
  if (tool === 'java') {
    const m = /version "(\d+)/.exec(r.stderr + r.stdout)
    const major = m?.[1] ? Number(m[1]) : 0
    if (major < 17) throw new MissingToolError('java', `found Java ${major || 'unknown'}, Kafka 4 needs 17+`)
  }
}

export interface EnsureLibsOptions {
  libsDir?: string
  version?: string
  log?: (line: string) => void
}

/**
 * Fetch the broker jars once with Maven (`dependency:copy-dependencies` on a generated pom) into `libsDir`.
 * A marker file names the version so a version bump refetches; the copy lands in a temp folder first and is
 * renamed into place so an interrupted download never leaves a half-filled libs folder behind.
 */
export function ensureLibs(opts: EnsureLibsOptions = {}): string {
  const libsDir = opts.libsDir ?? DEFAULT_LIBS_DIR
  const version = opts.version ?? KAFKA_VERSION
  const artifacts = brokerArtifacts(version)
  const marker = join(libsDir, libsMarkerName(artifacts))
  if (existsSync(marker)) return libsDir
  checkTool('mvn')
  // Per-process work folder: two test runs fetching at once must not trample each other.
  const work = `${libsDir}.fetch-${process.pid}`
  rmSync(work, { recursive: true, force: true })
  mkdirSync(work, { recursive: true })
  const pom = join(work, 'pom.xml')
  writeFileSync(pom, brokerPom(artifacts))
  opts.log?.(`fetching Apache Kafka ${version} broker jars with Maven (once; cached in ${libsDir})`)
  const out = join(work, 'libs')
  const r = spawnSync(
    'mvn',
    [
      '-B',
      '-q',
      '-f',
      pom,
      'dependency:copy-dependencies',
      `-DoutputDirectory=${out}`,
      '-DincludeScope=runtime',
    ],
    { encoding: 'utf8', timeout: 15 * 60_000 },
  )
  if (r.error || r.status !== 0) {
    throw new Error(
      `mvn could not fetch the Kafka jars (exit ${String(r.status)}): ${(r.error?.message ?? '') + (r.stdout + r.stderr).slice(-2000)}`,
    )
  }
  const jars = readdirSync(out).filter((f) => f.endsWith('.jar'))
  if (!jars.some((j) => j.startsWith('kafka_'))) throw new Error(`mvn finished but no kafka_*.jar in ${out}`)
  if (!existsSync(marker)) {
    rmSync(libsDir, { recursive: true, force: true })
    mkdirSync(dirname(libsDir), { recursive: true })
    try {
      renameSync(out, libsDir)
      writeFileSync(marker, `${jars.length} jars\n`)
    } catch (e) {
      // Another process won the race and put a complete folder in place: use that one.
      if (!existsSync(marker)) throw e
    }
  }
  rmSync(work, { recursive: true, force: true })
  return libsDir
}

/** A TCP port nobody listens on right now (the OS picks it). */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer()
    srv.once('error', reject)
    srv.listen(0, host, () => {
      const addr = srv.address()
      const port = typeof addr === 'object' && addr ? addr.port : 0
      srv.close(() => resolvePort(port))
    })
  })
}

/** True when something accepts TCP connections on host:port within `timeoutMs`. */
export async function portOpen(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((res) => {
    const s = connect({ host, port })
    const done = (ok: boolean): void => {
      s.destroy()
      res(ok)
    }
    s.setTimeout(timeoutMs, () => done(false))
    s.once('connect', () => done(true))
    s.once('error', () => done(false))
  })
}

export interface StartBrokerOptions {
  port?: number
  /** Broker home: `data/` (log dirs), `server.properties`, `broker.log`. */
  dataDir: string
  controllerPort?: number
  host?: string
  libsDir?: string
  heapMb?: number
  partitions?: number
  /** How long to wait for "Kafka Server started". */
  startTimeoutMs?: number
  log?: (line: string) => void
  /**
   * Also listen with SASL_SSL (TLS material made now under `<dataDir>/tls`, SCRAM users created by
   * `kafka-storage format --add-scram`, StandardAuthorizer on). PLAINTEXT stays on `port` for admin work.
   */
  secure?: SecureBrokerOptions
}

export interface SecureBrokerOptions {
  port?: number
  /** SCRAM credentials (both SHA-256 and SHA-512) created at format time. */
  scramUsers?: { name: string; password: string }[]
  plainUsers?: Record<string, string>
  reauthMs?: number
  superUsers?: string[]
  /** mTLS: ask for (`requested`) or insist on (`required`) a client certificate signed by the test CA. */
  clientAuth?: 'none' | 'requested' | 'required'
}

export interface SecureListenerHandle {
  /** `host:port` of the SASL_SSL listener. */
  brokers: string
  port: number
  tls: BrokerTls
}

export interface BrokerHandle {
  /** `host:port`, ready for kafkajs `brokers` / kcat `-b`. */
  readonly brokers: string
  readonly port: number
  readonly dataDir: string
  readonly pid: () => number | undefined
  /** SIGTERM (controlled shutdown), SIGKILL after 30 s. */
  stop(): Promise<void>
  /** SIGKILL: the crash a loss test needs. */
  kill(): Promise<void>
  /** Start again on the same data and ports (after stop or kill). */
  restart(): Promise<void>
  /** The SASL_SSL listener, when started with `secure`. */
  readonly secure: SecureListenerHandle | null
}

const children = new Set<ChildProcess>()
let exitHookInstalled = false
function installExitHook(): void {
  if (exitHookInstalled) return
  exitHookInstalled = true
  // A test runner that exits without teardown must not leave JVMs behind.
  process.once('exit', () => {
    for (const c of children) c.kill('SIGKILL')
  })
}

/** `--add-scram` arguments of kafka-storage format: each user for SCRAM-SHA-256 and SCRAM-SHA-512. Pure. */
export function addScramArgs(users: readonly { name: string; password: string }[]): string[] {
  const q = (v: string): string => `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`
  return users.flatMap((u) =>
    ['SCRAM-SHA-256', 'SCRAM-SHA-512'].flatMap((m) => [
      '--add-scram',
      `${m}=[name=${q(u.name)},password=${q(u.password)}]`,
    ]),
  )
}

function formatIfNeeded(
  libsDir: string,
  dataDir: string,
  propsFile: string,
  log4j: string,
  logDir: string,
  scram: string[] = [],
): void {
  if (existsSync(join(logDir, 'meta.properties'))) return
  mkdirSync(logDir, { recursive: true })
  const r = spawnSync(
    'java',
    javaArgs({
      libsDir,
      log4jConfig: log4j,
      heapMb: 256,
      mainClass: 'kafka.tools.StorageTool',
      args: storageFormatArgs(newClusterId(), propsFile, scram),
    }),
    { encoding: 'utf8', timeout: 120_000, cwd: dataDir },
  )
  if (r.error || r.status !== 0) {
    throw new Error(
      `kafka-storage format failed (exit ${String(r.status)}): ${(r.error?.message ?? '') + (r.stdout + r.stderr).slice(-2000)}`,
    )
  }
}

export async function startBroker(opts: StartBrokerOptions): Promise<BrokerHandle> {
  checkTool('java')
  const libsDir = ensureLibs({ libsDir: opts.libsDir, log: opts.log })
  const host = opts.host ?? '127.0.0.1'
  const port = opts.port ?? (await freePort(host))
  const controllerPort = opts.controllerPort ?? (await freePort(host))
  const dataDir = resolve(opts.dataDir)
  const logDir = join(dataDir, 'data')
  mkdirSync(dataDir, { recursive: true })
  const propsFile = join(dataDir, 'server.properties')
  const log4j = join(dataDir, 'log4j2.properties')
  let secure: SecureListenerHandle | null = null
  let secureConfig: SecureListenerConfig | undefined
  if (opts.secure) {
    const securePort = opts.secure.port ?? (await freePort(host))
    const tlsDir = join(dataDir, 'tls')
    const tls = existsSync(join(tlsDir, 'broker.p12'))
      ? {
          ca: {
            dir: tlsDir,
            caPem: join(tlsDir, 'newstape-test-ca.pem'),
            caKey: join(tlsDir, 'newstape-test-ca.key'),
          },
          keystore: join(tlsDir, 'broker.p12'),
          keystorePassword: 'newstape-test-keystore',
          certPem: join(tlsDir, 'broker.pem'),
        }
      : makeBrokerTls(tlsDir, host)
    secure = { brokers: `${host}:${securePort}`, port: securePort, tls }
    secureConfig = {
      port: securePort,
      keystore: tls.keystore,
      keystorePassword: tls.keystorePassword,
      plainUsers: opts.secure.plainUsers,
      reauthMs: opts.secure.reauthMs,
      superUsers: opts.secure.superUsers,
      ...(opts.secure.clientAuth && opts.secure.clientAuth !== 'none'
        ? { clientAuth: opts.secure.clientAuth, truststorePem: tls.ca.caPem }
        : {}),
    }
  }
  writeFileSync(
    propsFile,
    serverProperties({
      host,
      port,
      controllerPort,
      logDir,
      partitions: opts.partitions,
      secure: secureConfig,
    }),
  )
  writeFileSync(log4j, log4j2Properties())
  formatIfNeeded(libsDir, dataDir, propsFile, log4j, logDir, addScramArgs(opts.secure?.scramUsers ?? []))
  installExitHook()

  let child: ChildProcess | undefined
  let exited: Promise<void> = Promise.resolve()

  const launch = async (): Promise<void> => {
    if (await portOpen(host, port, 300))
      throw new Error(`port ${host}:${port} is already in use; cannot start a broker there`)
    const logStream = createWriteStream(join(dataDir, 'broker.log'), { flags: 'a' })
    const c = spawn(
      'java',
      javaArgs({
        libsDir,
        log4jConfig: log4j,
        heapMb: opts.heapMb,
        mainClass: 'kafka.Kafka',
        args: [propsFile],
      }),
      {
        cwd: dataDir,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    )
    child = c
    children.add(c)
    let tail = ''
    let started = false
    let onStarted: () => void = () => {}
    let onExit: (code: number | null, sig: string | null) => void = () => {}
    const ready = new Promise<void>((res, rej) => {
      onStarted = res
      onExit = (code, sig) =>
        rej(
          new Error(
            `broker exited before it started (code ${String(code)}, signal ${String(sig)}):\n${tail.slice(-3000)}`,
          ),
        )
    })
    const scan = (chunk: Buffer): void => {
      logStream.write(chunk)
      if (started) return
      tail = (tail + chunk.toString('utf8')).slice(-8000)
      if (tail.includes(STARTED_MARKER)) {
        started = true
        onStarted()
      }
    }
    c.stdout?.on('data', scan)
    c.stderr?.on('data', scan)
    exited = new Promise<void>((res) => {
      c.once('exit', (code, sig) => {
        children.delete(c)
        logStream.end()
        if (!started) onExit(code, sig)
        res()
      })
    })
    c.once('error', (err) => onExit(null, err.message))
    const timeoutMs = opts.startTimeoutMs ?? 120_000
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<never>((_, rej) => {
      timer = setTimeout(
        () => rej(new Error(`broker did not start within ${timeoutMs} ms; log tail:\n${tail.slice(-3000)}`)),
        timeoutMs,
      )
    })
    try {
      await Promise.race([ready, timeout])
    } catch (e) {
      c.kill('SIGKILL')
      await exited
      throw e
    } finally {
      clearTimeout(timer)
    }
    opts.log?.(`kafka broker ${KAFKA_VERSION} up on ${host}:${port} (pid ${String(c.pid)}, data ${dataDir})`)
  }

  const terminate = async (signal: NodeJS.Signals): Promise<void> => {
    const c = child
    if (!c || c.exitCode !== null || c.signalCode !== null) return
    c.kill(signal)
    if (signal === 'SIGTERM') {
      const t = setTimeout(() => c.kill('SIGKILL'), 30_000)
      await exited
      clearTimeout(t)
    } else {
      await exited
    }
  }

  await launch()
  if (secure) opts.log?.(`  SASL_SSL listener on ${secure.brokers} (CA ${secure.tls.ca.caPem})`)
  return {
    secure,
    brokers: `${host}:${port}`,
    port,
    dataDir,
    pid: () => child?.pid,
    stop: () => terminate('SIGTERM'),
    kill: () => terminate('SIGKILL'),
    restart: async () => {
      await terminate('SIGTERM')
      await launch()
    },
  }
}

/** Tail of the broker's log file (for error messages). */
export function brokerLogTail(dataDir: string, chars = 3000): string {
  const f = join(dataDir, 'broker.log')
  return existsSync(f) ? readFileSync(f, 'utf8').slice(-chars) : ''
}

/** Runs `fn` against the broker at KAFKA_BROKERS when one answers, else against a fresh one it starts and stops. */
export async function withBroker<T>(name: string, fn: (brokers: string) => Promise<T>): Promise<T> {
  const env = process.env.KAFKA_BROKERS
  if (env) {
    const first = env.split(',')[0] ?? ''
    const i = first.lastIndexOf(':')
    if (await portOpen(first.slice(0, i), Number(first.slice(i + 1)))) return fn(env)
  }
  const dataDir = join(DEFAULT_KAFKA_HOME, name)
  rmSync(dataDir, { recursive: true, force: true })
  const broker = await startBroker({ dataDir })
  try {
    return await fn(broker.brokers)
  } finally {
    await broker.stop()
  }
}
