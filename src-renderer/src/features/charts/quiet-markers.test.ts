import type { ISeriesPrimitive, SeriesAttachedParameter, Time } from 'lightweight-charts'
import { describe, expect, it, vi } from 'vitest'
import { quietMarkerHost } from './quiet-markers'

/** A stand-in series: attaching a primitive hands it a requestUpdate, as lightweight-charts does. */
function fakeSeries() {
  const fullUpdates = vi.fn()
  let attached: ISeriesPrimitive<Time> | null = null
  const series = {
    tag: 'candles',
    attachPrimitive(p: ISeriesPrimitive<Time>) {
      attached = p
      p.attached?.({ requestUpdate: fullUpdates } as unknown as SeriesAttachedParameter<Time>)
    },
    priceFormatter() {
      return this.tag
    },
  }
  return { series, fullUpdates, primitive: () => attached }
}

/** A stand-in for the markers plugin: keeps requestUpdate and calls it on setMarkers and on every tick. */
function fakeMarkersPlugin(host: { attachPrimitive(p: ISeriesPrimitive<Time>): void }) {
  let request: () => void = () => {}
  host.attachPrimitive({
    attached(param: SeriesAttachedParameter<Time>) {
      request = param.requestUpdate
      request()
    },
  })
  return { setMarkers: () => request(), tick: () => request() }
}

describe('quietMarkerHost', () => {
  it('passes on update requests made while markers change, and none made on ticks', () => {
    const { series, fullUpdates, primitive } = fakeSeries()
    const quiet = quietMarkerHost(series)
    const plugin = quiet.changing(() => fakeMarkersPlugin(quiet.host))
    expect(primitive()).not.toBeNull() // attached to the real series
    expect(fullUpdates).toHaveBeenCalledTimes(1) // the attach itself

    for (let i = 0; i < 100; i++) plugin.tick()
    expect(fullUpdates).toHaveBeenCalledTimes(1)

    quiet.changing(() => plugin.setMarkers())
    expect(fullUpdates).toHaveBeenCalledTimes(2)
    plugin.tick()
    expect(fullUpdates).toHaveBeenCalledTimes(2)
  })

  it('restores the quiet state when a change throws, and nests', () => {
    const { series, fullUpdates } = fakeSeries()
    const quiet = quietMarkerHost(series)
    const plugin = quiet.changing(() => fakeMarkersPlugin(quiet.host))
    expect(() =>
      quiet.changing(() => {
        quiet.changing(() => plugin.setMarkers())
        plugin.setMarkers() // still inside the outer change
        throw new Error('boom')
      }),
    ).toThrow('boom')
    expect(fullUpdates).toHaveBeenCalledTimes(3)
    plugin.tick()
    expect(fullUpdates).toHaveBeenCalledTimes(3)
  })

  it('forwards everything else to the series, bound to it', () => {
    const { series } = fakeSeries()
    const { host } = quietMarkerHost(series)
    const { priceFormatter } = host
    expect(priceFormatter()).toBe('candles')
    expect(host.tag).toBe('candles')
  })
})
