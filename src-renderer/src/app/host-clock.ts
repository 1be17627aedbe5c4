// The host's clock. Times in records and statuses are on it: the wall clock, or the demo simulator's at night
// (StatusSnapshot.clockOffsetMs), so "how long ago" and countdowns compare against this, not Date.now().
let offsetMs = 0

export const setHostClockOffset = (ms: number | undefined): void => {
  offsetMs = ms !== undefined && Number.isFinite(ms) ? ms : 0
}

export const hostNow = (): number => Date.now() + offsetMs
