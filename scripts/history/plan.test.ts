import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { MAIN_CLASSES, S3_BUNDLE, planHistory } from './plan'

describe('planHistory', () => {
  it.each([
    ['job', MAIN_CLASSES.job],
    ['maintain', MAIN_CLASSES.maintain],
  ])('runs %s from the job jar', (cmd, main) => {
    const p = planHistory([cmd], {}, '/repo')
    expect(p.command).toBe(cmd)
    expect(p.javaArgs[0]).toBe('-Xmx1024m')
    expect(p.javaArgs.slice(-3)).toEqual(['-cp', '/repo/flink/target/newstape-flink-0.1.0.jar', main])
  })

  it('passes --NAME value pairs through and takes the heap from FLINK_HEAP_MB', () => {
    const p = planHistory(['maintain', '--MAINTAIN_RETAIN_LAST', '3', '--ICEBERG_WAREHOUSE', '/w'], { FLINK_HEAP_MB: '512' }, '/r')
    expect(p.javaArgs[0]).toBe('-Xmx512m')
    expect(p.javaArgs.slice(-5)).toEqual([MAIN_CLASSES.maintain, '--MAINTAIN_RETAIN_LAST', '3', '--ICEBERG_WAREHOUSE', '/w'])
  })

  it.each<[string, string[], { ICEBERG_WAREHOUSE?: string }, boolean]>([
    ['filesystem warehouse (default)', ['job'], {}, false],
    ['s3 warehouse from the environment', ['job'], { ICEBERG_WAREHOUSE: 's3://newstape-warehouse/' }, true],
    ['s3a warehouse as an argument', ['maintain', '--ICEBERG_WAREHOUSE', 's3a://b/wh'], {}, true],
    ['the argument overrides an s3 environment', ['job', '--ICEBERG_WAREHOUSE', '/data/iceberg'], { ICEBERG_WAREHOUSE: 's3://b/' }, false],
    ['a folder named s3 is not a bucket', ['job', '--ICEBERG_WAREHOUSE', 's3/wh'], {}, false],
  ])('%s → S3 bundle on the class path: %s', (_name, argv, env, s3) => {
    const p = planHistory(argv, env, '/r', '/m2')
    const cp = p.javaArgs[p.javaArgs.indexOf('-cp') + 1]
    const bundle = '/m2/org/apache/iceberg/iceberg-aws-bundle/1.10.1/iceberg-aws-bundle-1.10.1.jar'
    expect(p.s3Bundle).toBe(s3 ? bundle : null)
    expect(cp).toBe(s3 ? `/r/flink/target/newstape-flink-0.1.0.jar:${bundle}` : '/r/flink/target/newstape-flink-0.1.0.jar')
  })

  it('fetches the same S3 bundle the pom’s s3 profile packs', () => {
    const pom = readFileSync(resolve(import.meta.dirname, '../../flink/pom.xml'), 'utf8')
    const profile = /<id>s3<\/id>[\s\S]*?<\/profile>/.exec(pom)?.[0] ?? ''
    expect(profile).toContain(`<groupId>${S3_BUNDLE.group}</groupId>`)
    expect(profile).toContain(`<artifactId>${S3_BUNDLE.artifact}</artifactId>`)
    expect(profile).toContain(`<version>${S3_BUNDLE.version}</version>`)
    // …and the Iceberg release the job runs.
    expect(pom).toMatch(new RegExp(`<artifactId>iceberg-flink-runtime-2\\.0</artifactId>\\s*<version>${S3_BUNDLE.version.replace(/\./g, '\\.')}</version>`))
  })

  it.each([
    [[], /usage/],
    [['compact'], /usage/],
    [['toString'], /usage/],
    [['job', '--PG_SCHEMA'], /pairs/],
    [['job', 'PG_SCHEMA', 'x'], /--NAME/],
    [['job', '--pg_schema', 'x'], /--NAME/],
  ])('refuses %o', (argv, msg) => {
    expect(() => planHistory(argv, {}, '/r')).toThrow(msg)
  })

  it.each(['lots', '64'])('refuses FLINK_HEAP_MB=%s', (heap) => {
    expect(() => planHistory(['job'], { FLINK_HEAP_MB: heap }, '/r')).toThrow(/FLINK_HEAP_MB/)
  })
})
