import { Component, type ReactNode } from 'react'

/**
 * One chart's failure (a charting-library assertion, bad data) stays in that chart: it says what failed and can
 * be reopened, and the rest of the window keeps working.
 */
export class ChartBoundary extends Component<{ symbol: string; onClose: () => void; children: ReactNode }, { error: string | null }> {
  override state: { error: string | null } = { error: null }

  static getDerivedStateFromError(e: unknown): { error: string } {
    return { error: e instanceof Error ? e.message : String(e) }
  }

  override componentDidCatch(e: unknown): void {
    console.error(`chart ${this.props.symbol} failed:`, e)
  }

  override render(): ReactNode {
    if (this.state.error === null) return this.props.children
    return (
      <div className="chart-panel" data-testid={`chart-${this.props.symbol}`} data-state="failed">
        <div className="chart-head">
          <strong>{this.props.symbol}</strong>
          <span className="field-error" role="alert">
            chart failed: {this.state.error}
          </span>
          <button className="link" onClick={() => this.setState({ error: null })}>
            reload
          </button>
          <button className="chart-close" aria-label={`Close ${this.props.symbol} chart`} onClick={this.props.onClose}>
            ×
          </button>
        </div>
      </div>
    )
  }
}
