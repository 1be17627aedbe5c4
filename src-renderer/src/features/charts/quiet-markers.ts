// lightweight-charts' series-markers plugin asks for a FULL chart update on every data change of its
// series, i.e. on every tick. A full update re-lays out the chart and repaints every widget; with a dozen
// live charts that took a third of the renderer's time and doubled the trade → drawn latency (measured
// with `npm run bench -- ui-12`). A tick already repaints the pane (a light update), and the plugin
// recomputes marker positions on every repaint, so the only full updates it needs are for our own marker
// changes. This host passes the plugin's requests on only inside `changing(fn)`.
import type { ISeriesPrimitive, SeriesAttachedParameter, Time } from 'lightweight-charts'

/** The part of a series the markers plugin attaches to. */
export interface PrimitiveHost {
  attachPrimitive(primitive: ISeriesPrimitive<Time>): void
}

export interface QuietHost<S extends PrimitiveHost> {
  /** The series to hand to createSeriesMarkers in place of the real one. */
  host: S
  /** Runs fn (creating the markers, setting them) with the plugin's update requests passed on. */
  changing<T>(fn: () => T): T
}

export function quietMarkerHost<S extends PrimitiveHost>(series: S): QuietHost<S> {
  let passOn = false
  const host = new Proxy(series, {
    get(target, prop) {
      if (prop === 'attachPrimitive')
        return (primitive: ISeriesPrimitive<Time>) => {
          const attached = primitive.attached?.bind(primitive)
          primitive.attached = (param: SeriesAttachedParameter<Time>) =>
            attached?.({
              ...param,
              requestUpdate: () => {
                if (passOn) param.requestUpdate()
              },
            })
          target.attachPrimitive(primitive)
        }
      const v: unknown = Reflect.get(target, prop, target)
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v
    },
  })
  return {
    host,
    changing(fn) {
      const was = passOn
      passOn = true
      try {
        return fn()
      } finally {
        passOn = was
      }
    },
  }
}
