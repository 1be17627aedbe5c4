// Grafana's PostgreSQL macros and template variables, expanded the way Grafana's SQL datasource does, so the
// dashboards' SQL can be run and checked against a real PostgreSQL without a Grafana server. Pure.

export interface MacroContext {
  /** Dashboard time range, epoch ms. */
  from: number
  to: number
  /** Template variable values by name (single values, substituted raw as Grafana does). */
  vars: Record<string, string>
  /** $__interval in ms (default 60 000). */
  intervalMs?: number
}

export class UnknownMacroError extends Error {
  constructor(readonly macro: string) {
    super(`unknown Grafana macro or variable: ${macro}`)
    this.name = 'UnknownMacroError'
  }
}

const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')
const epoch = (ms: number): number => Math.floor(ms / 1000)

/** '5m' | '1h' | '30s' | '100ms' → seconds. */
export function intervalSeconds(spec: string): number {
  const m = /^'?(\d+)(ms|s|m|h|d)'?$/.exec(spec.trim())
  if (!m?.[1] || !m[2]) throw new UnknownMacroError(`interval ${spec}`)
  const n = Number(m[1])
  const unit: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400 }
  return n * (unit[m[2]] ?? 1)
}

function intervalText(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`
  if (ms % 60_000 === 0) return `${ms / 60_000}m`
  if (ms % 1000 === 0) return `${ms / 1000}s`
  return `${ms}ms`
}

function fn(name: string, rawArgs: string, ctx: MacroContext): string {
  const args = rawArgs.split(',').map((a) => a.trim())
  const col = args[0] ?? ''
  switch (name) {
    case 'time':
      return `${col} AS "time"`
    case 'timeEpoch':
      return `extract(epoch from ${col}) AS "time"`
    case 'timeFilter':
      return `${col} BETWEEN '${iso(ctx.from)}' AND '${iso(ctx.to)}'`
    case 'timeFrom':
      return `'${iso(ctx.from)}'`
    case 'timeTo':
      return `'${iso(ctx.to)}'`
    case 'timeGroup':
    case 'timeGroupAlias': {
      const s = intervalSeconds(args[1] ?? '')
      const g = `floor(extract(epoch from ${col})/${s})*${s}`
      return name === 'timeGroupAlias' ? `${g} AS "time"` : g
    }
    case 'unixEpochFilter':
      return `${col} >= ${epoch(ctx.from)} AND ${col} <= ${epoch(ctx.to)}`
    case 'unixEpochFrom':
      return String(epoch(ctx.from))
    case 'unixEpochTo':
      return String(epoch(ctx.to))
    case 'unixEpochGroup':
    case 'unixEpochGroupAlias': {
      const s = intervalSeconds(args[1] ?? '')
      const g = `floor(${col}/${s})*${s}`
      return name === 'unixEpochGroupAlias' ? `${g} AS "time"` : g
    }
    default:
      throw new UnknownMacroError(`$__${name}()`)
  }
}

/** Expands every `$__macro(...)`, `$__interval(_ms)`, `$var`, `${var}` and `[[var]]`; throws on anything unknown. */
export function expandMacros(sql: string, ctx: MacroContext): string {
  const intervalMs = ctx.intervalMs ?? 60_000
  let out = sql.replace(/\$__(\w+)\(([^)]*)\)/g, (_m, name: string, args: string) => fn(name, args, ctx))
  out = out.replace(/\$__(\w+)/g, (_m, name: string) => {
    if (name === 'interval_ms') return String(intervalMs)
    if (name === 'interval') return intervalText(intervalMs)
    throw new UnknownMacroError(`$__${name}`)
  })
  const variable = (name: string): string => {
    const v = ctx.vars[name]
    if (v === undefined) throw new UnknownMacroError(`$${name}`)
    return v
  }
  out = out.replace(/\$\{(\w+)(?::\w+)?\}/g, (_m, name: string) => variable(name))
  out = out.replace(/\[\[(\w+)\]\]/g, (_m, name: string) => variable(name))
  out = out.replace(/\$([A-Za-z_]\w*)/g, (_m, name: string) => variable(name))
  return out
}
