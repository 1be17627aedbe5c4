import { describe, expect, it } from 'vitest'
import { MAIN_CLASSES, planHistory } from './plan'

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
