export interface BenchResult {
  scenario: string
  metric: string
  value: number
  unit: string
  /** Human-readable target, e.g. "≥ 1,000,000". */
  target?: string
  pass?: boolean
  note?: string
}

export interface BenchScenario {
  name: string
  run(): Promise<BenchResult[]>
}
