// Simulated time. Realtime and accelerated clocks derive from the wall clock; the fast clock is
// moved by the generation loop itself.
import type { ClockMode } from './types'

export class SimClock {
  readonly kind: ClockMode['kind']
  readonly start: number
  private readonly factor: number
  private readonly wall0: number
  private cursor: number

  constructor(
    mode: ClockMode,
    private readonly wallNow: () => number,
  ) {
    this.kind = mode.kind
    this.wall0 = wallNow()
    this.start = mode.kind === 'realtime' ? this.wall0 : Math.floor(mode.start ?? this.wall0)
    this.factor = mode.kind === 'accelerated' ? Math.max(0, mode.factor) : 1
    this.cursor = this.start
  }

  now(): number {
    switch (this.kind) {
      case 'realtime':
        return this.wallNow()
      case 'accelerated':
        return Math.floor(this.start + (this.wallNow() - this.wall0) * this.factor)
      case 'fast':
        return this.cursor
    }
  }

  /** Fast mode only: move simulated time forward. */
  advance(ms: number): void {
    this.cursor += ms
  }
}
