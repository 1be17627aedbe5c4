// Sliding-window rate meter (records/s, bytes/s) for the status bar. Pure: the clock is passed in.

export class RateMeter {
  private readonly buckets: { sec: number; records: number; bytes: number }[] = []

  constructor(
    private readonly now: () => number,
    private readonly windowSec = 5,
  ) {}

  add(records: number, bytes: number): void {
    const sec = Math.floor(this.now() / 1000)
    const last = this.buckets[this.buckets.length - 1]
    if (last && last.sec === sec) {
      last.records += records
      last.bytes += bytes
    } else {
      this.buckets.push({ sec, records, bytes })
      this.trim(sec)
    }
  }

  /** Average over the last `windowSec` whole seconds (the current, partial second excluded). */
  rate(): { recordsPerSec: number; bytesPerSec: number } {
    const sec = Math.floor(this.now() / 1000)
    this.trim(sec)
    let r = 0
    let b = 0
    for (const x of this.buckets) {
      if (x.sec < sec) {
        r += x.records
        b += x.bytes
      }
    }
    return { recordsPerSec: r / this.windowSec, bytesPerSec: b / this.windowSec }
  }

  private trim(sec: number): void {
    while (this.buckets.length > 0 && (this.buckets[0]?.sec ?? 0) < sec - this.windowSec) this.buckets.shift()
  }
}
