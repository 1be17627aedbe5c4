// Who used the machine's cores during a benchmark window: CPU time per process role, read from Linux's /proc
// (null elsewhere). Roles: this process (the app core with its simulator and ingest threads), and Chromium's
// renderer, GPU process (without a GPU: the compositor that draws every frame in software) and the rest.
import { spawnSync } from 'node:child_process'
import { readFileSync, readdirSync } from 'node:fs'

export type CpuRole = 'core' | 'renderer' | 'compositor' | 'chromium other' | 'other'
export type CpuTicks = Map<CpuRole, number>

const role = (pid: number, cmdline: string): CpuRole => {
  if (pid === process.pid) return 'core'
  if (!/chrom/.test(cmdline)) return 'other'
  const type = /--type=(\S+)/.exec(cmdline)?.[1]
  return type === 'renderer' ? 'renderer' : type === 'gpu-process' ? 'compositor' : 'chromium other'
}

/** CPU clock ticks used so far per role, or null without /proc. */
export function cpuTicks(): CpuTicks | null {
  let pids: string[]
  try {
    pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d))
  } catch {
    return null
  }
  const ticks: CpuTicks = new Map()
  for (const pid of pids) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ')
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
      // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      const r = role(Number(pid), cmdline)
      ticks.set(r, (ticks.get(r) ?? 0) + Number(f[11]) + Number(f[12]))
    } catch {
      // The process ended meanwhile.
    }
  }
  return ticks
}

const clockTicksPerSec = (() => {
  const r = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' })
  return Number(r.stdout) > 0 ? Number(r.stdout) : 100
})()

/** Share of one core per role between two readings `secs` apart (1 = a whole core). Processes gone by `b` drop out. */
export function cpuShares(a: CpuTicks | null, b: CpuTicks | null, secs: number): Partial<Record<CpuRole, number>> {
  if (!a || !b || !(secs > 0)) return {}
  const out: Partial<Record<CpuRole, number>> = {}
  for (const [r, t] of b) {
    const used = (t - (a.get(r) ?? 0)) / clockTicksPerSec / secs
    if (used > 0) out[r] = used
  }
  return out
}

/** "core 56 %, renderer 50 %, …" in descending order. */
export const formatShares = (s: Partial<Record<CpuRole, number>>): string =>
  (Object.entries(s) as [CpuRole, number][])
    .sort((x, y) => y[1] - x[1])
    .map(([r, v]) => `${r} ${Math.round(100 * v)} %`)
    .join(', ')
