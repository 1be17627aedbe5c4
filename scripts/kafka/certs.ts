// Throwaway TLS material for a local SASL_SSL listener, made at test time: a CA (openssl), the broker's key
// and certificate signed by it (SAN: 127.0.0.1, ::1, localhost, the host asked for), the broker keystore as
// PKCS12 (openssl), checked with the JDK's keytool so a keystore Java cannot read fails here, not in the broker.
import { spawnSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

export interface CaFiles {
  dir: string
  /** CA certificate (PEM): what a client trusts. */
  caPem: string
  caKey: string
}

export interface BrokerTls {
  ca: CaFiles
  /** PKCS12 keystore with the broker key and certificate chain. */
  keystore: string
  keystorePassword: string
  /** Broker certificate (PEM). */
  certPem: string
}

function run(cmd: string, args: string[], cwd: string): string {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout: 60_000 })
  if (r.error || r.status !== 0)
    throw new Error(
      `${cmd} ${args.slice(0, 3).join(' ')} failed (exit ${String(r.status)}): ${(r.error?.message ?? '') + r.stderr.slice(-1500)}`,
    )
  return r.stdout
}

/** A fresh self-signed CA in `dir` (`name`-ca.pem / -ca.key). */
export function makeCa(dir: string, name = 'newstape-test'): CaFiles {
  mkdirSync(dir, { recursive: true })
  const caKey = join(dir, `${name}-ca.key`)
  const caPem = join(dir, `${name}-ca.pem`)
  run(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      caKey,
      '-out',
      caPem,
      '-days',
      '2',
      '-subj',
      `/CN=${name} CA`,
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ],
    dir,
  )
  return { dir, caPem, caKey }
}

/** A key and certificate signed by `ca` for `cn` with the given SANs (PEM files `<base>.key`, `<base>.pem`). */
export function signCert(
  ca: CaFiles,
  base: string,
  cn: string,
  san: string[],
  clientAuth = false,
): { key: string; cert: string } {
  const key = join(ca.dir, `${base}.key`)
  const csr = join(ca.dir, `${base}.csr`)
  const cert = join(ca.dir, `${base}.pem`)
  const ext = join(ca.dir, `${base}.ext`)
  run(
    'openssl',
    ['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', csr, '-subj', `/CN=${cn}`],
    ca.dir,
  )
  writeFileSync(
    ext,
    [
      'basicConstraints=CA:FALSE',
      'keyUsage=digitalSignature,keyEncipherment',
      `extendedKeyUsage=${clientAuth ? 'clientAuth' : 'serverAuth,clientAuth'}`,
      ...(san.length > 0 ? [`subjectAltName=${san.join(',')}`] : []),
      '',
    ].join('\n'),
  )
  run(
    'openssl',
    [
      'x509',
      '-req',
      '-in',
      csr,
      '-CA',
      ca.caPem,
      '-CAkey',
      ca.caKey,
      '-CAcreateserial',
      '-out',
      cert,
      '-days',
      '2',
      '-sha256',
      '-extfile',
      ext,
    ],
    ca.dir,
  )
  return { key, cert }
}

/** CA + broker certificate + PKCS12 keystore for a broker reachable as `host`. */
export function makeBrokerTls(dir: string, host = '127.0.0.1'): BrokerTls {
  const ca = makeCa(dir)
  const san = ['IP:127.0.0.1', 'IP:0:0:0:0:0:0:0:1', 'DNS:localhost']
  if (!san.some((s) => s.endsWith(`:${host}`))) san.push(/^[\d.]+$/.test(host) ? `IP:${host}` : `DNS:${host}`)
  const { key, cert } = signCert(ca, 'broker', 'localhost', san)
  const keystore = join(dir, 'broker.p12')
  const keystorePassword = 'newstape-test-keystore'
  run(
    'openssl',
    [
      'pkcs12',
      '-export',
      '-in',
      cert,
      '-inkey',
      key,
      '-certfile',
      ca.caPem,
      '-name',
      'broker',
      '-out',
      keystore,
      '-passout',
      `pass:${keystorePassword}`,
    ],
    dir,
  )
  run(
    'keytool',
    ['-list', '-keystore', keystore, '-storetype', 'PKCS12', '-storepass', keystorePassword],
    dir,
  )
  return { ca, keystore, keystorePassword, certPem: cert }
}
