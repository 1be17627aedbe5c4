import { describe, expect, it } from 'vitest'
import { expandMacros, intervalSeconds, UnknownMacroError } from './grafana-macros'

const ctx = { from: Date.UTC(2026, 10, 24, 14, 0, 0), to: Date.UTC(2026, 10, 24, 15, 30, 0), vars: { symbol: 'AAPL' } }

describe('expandMacros', () => {
  it.each([
    ['$__timeFilter(start_time)', "start_time BETWEEN '2026-11-24T14:00:00Z' AND '2026-11-24T15:30:00Z'"],
    ['$__timeFrom()', "'2026-11-24T14:00:00Z'"],
    ['$__timeTo()', "'2026-11-24T15:30:00Z'"],
    ['$__time(published)', 'published AS "time"'],
    ['$__timeEpoch(published)', 'extract(epoch from published) AS "time"'],
    ['$__unixEpochFilter(ts)', 'ts >= 1795528800 AND ts <= 1795534200'],
    ['$__unixEpochFrom() $__unixEpochTo()', '1795528800 1795534200'],
    ['$__timeGroup(start_time, 5m)', 'floor(extract(epoch from start_time)/300)*300'],
    ['$__timeGroupAlias(start_time, \'1h\')', 'floor(extract(epoch from start_time)/3600)*3600 AS "time"'],
    ["symbol = '$symbol'", "symbol = 'AAPL'"],
    ["symbol = '${symbol}'", "symbol = 'AAPL'"],
    ["symbol = '[[symbol]]'", "symbol = 'AAPL'"],
    ['$__interval $__interval_ms', '1m 60000'],
  ])('%s', (sql, expected) => {
    expect(expandMacros(sql, ctx)).toBe(expected)
  })

  it('refuses macros and variables it does not know, so a dashboard cannot hide an unchecked query', () => {
    expect(() => expandMacros('$__timeShift(x)', ctx)).toThrow(UnknownMacroError)
    expect(() => expandMacros("'$exchange'", ctx)).toThrow(/\$exchange/)
    expect(() => expandMacros('$__nope', ctx)).toThrow(UnknownMacroError)
  })

  it('parses interval specs', () => {
    expect(intervalSeconds('30s')).toBe(30)
    expect(intervalSeconds("'2h'")).toBe(7200)
    expect(() => intervalSeconds('soon')).toThrow(UnknownMacroError)
  })
})
