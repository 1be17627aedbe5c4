import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import {
  buildConditionFlags,
  CONDITION_RULES,
  conditionFlags,
  NO_LAST,
  NO_VOLUME,
  parseConditionTable,
} from './conditions'

describe('trade-condition table', () => {
  it('is loaded from fixtures/trade-conditions.json, every entry', () => {
    const raw = JSON.parse(
      readFileSync(new URL('../../fixtures/trade-conditions.json', import.meta.url), 'utf8'),
    ) as {
      conditions: Record<string, { updatesLast: boolean; updatesVolume: boolean }>
    }
    expect(CONDITION_RULES.map((r) => r.code).sort((a, b) => a - b)).toEqual(
      Object.keys(raw.conditions)
        .map(Number)
        .sort((a, b) => a - b),
    )
    for (const r of CONDITION_RULES) {
      expect(r.updatesLast).toBe(raw.conditions[String(r.code)]?.updatesLast)
      expect(r.updatesVolume).toBe(raw.conditions[String(r.code)]?.updatesVolume)
    }
  })

  const cases: { conditions: number[] | undefined; flags: number }[] = [
    { conditions: undefined, flags: 0 },
    { conditions: [], flags: 0 },
    { conditions: [37], flags: NO_LAST },
    { conditions: [15], flags: NO_LAST | NO_VOLUME },
    { conditions: [16], flags: NO_LAST | NO_VOLUME },
    { conditions: [38], flags: NO_LAST | NO_VOLUME },
    { conditions: [14, 41], flags: 0 },
    { conditions: [12, 37], flags: NO_LAST },
    { conditions: [37, 16], flags: NO_LAST | NO_VOLUME },
    { conditions: [255, 256, -3, 2.5], flags: 0 },
  ]
  it.each(cases)('flags of $conditions = $flags', ({ conditions, flags }) => {
    expect(conditionFlags(conditions)).toBe(flags)
  })

  const bad: { name: string; raw: unknown; message: RegExp }[] = [
    { name: 'not an object', raw: 'x', message: /not an object/ },
    { name: 'no conditions', raw: {}, message: /conditions/ },
    {
      name: 'bad code',
      raw: { conditions: { abc: { updatesLast: true, updatesVolume: true } } },
      message: /bad code/,
    },
    {
      name: 'code out of range',
      raw: { conditions: { '300': { updatesLast: true, updatesVolume: true } } },
      message: /bad code/,
    },
    { name: 'missing boolean', raw: { conditions: { '2': { updatesLast: 'no' } } }, message: /boolean/ },
  ]
  it.each(bad)('rejects a malformed table: $name', ({ raw, message }) => {
    expect(() => parseConditionTable(raw)).toThrow(message)
  })

  it('builds flags from rules', () => {
    const f = buildConditionFlags([{ code: 9, name: 'x', updatesLast: true, updatesVolume: false }])
    expect(conditionFlags([9], f)).toBe(NO_VOLUME)
    expect(conditionFlags([37], f)).toBe(0)
  })
})
