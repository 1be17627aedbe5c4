import { describe, expect, it } from 'vitest'
import { skipRedundantClears, type ClearableContext } from './quiet-canvas'

/** A context that records what reaches the "browser". */
function fakeContext(width = 200, height = 100) {
  const calls: string[] = []
  let identity = true
  const ctx = {
    canvas: { width, height },
    clearRect: (x: number, y: number, w: number, h: number) => calls.push(`clear ${x},${y},${w},${h}`),
    getTransform: () => ({ isIdentity: identity }),
    fillRect: () => calls.push('fillRect'),
    fillText: () => calls.push('fillText'),
    stroke: () => calls.push('stroke'),
    moveTo: () => calls.push('moveTo'),
  }
  return { ctx, calls, setIdentity: (v: boolean) => (identity = v) }
}

describe('skipRedundantClears', () => {
  it('clears once, then skips whole-canvas clears until something is drawn', () => {
    const { ctx, calls } = fakeContext()
    skipRedundantClears(ctx as ClearableContext)
    ctx.clearRect(0, 0, 200, 100) // state unknown: goes through
    ctx.clearRect(0, 0, 200, 100)
    ctx.clearRect(0, 0, 200, 100)
    expect(calls).toEqual(['clear 0,0,200,100'])
    ctx.fillText()
    ctx.clearRect(0, 0, 200, 100)
    ctx.clearRect(0, 0, 200, 100)
    expect(calls).toEqual(['clear 0,0,200,100', 'fillText', 'clear 0,0,200,100'])
  })

  it.each([
    ['part of the canvas', [10, 0, 50, 100], true],
    ['under a transform', [0, 0, 200, 100], false],
  ] as const)('always passes on a clear of %s', (_name, [x, y, w, h], identity) => {
    const { ctx, calls, setIdentity } = fakeContext()
    skipRedundantClears(ctx as ClearableContext)
    ctx.clearRect(0, 0, 200, 100)
    setIdentity(identity)
    ctx.clearRect(x, y, w, h)
    ctx.clearRect(x, y, w, h)
    expect(calls.filter((c) => c.startsWith('clear'))).toHaveLength(3)
  })

  it('a partial clear does not make the canvas count as blank', () => {
    const { ctx, calls } = fakeContext()
    skipRedundantClears(ctx as ClearableContext)
    ctx.stroke()
    ctx.clearRect(0, 0, 10, 10)
    ctx.clearRect(0, 0, 200, 100)
    expect(calls).toEqual(['stroke', 'clear 0,0,10,10', 'clear 0,0,200,100'])
  })

  it('path building is not drawing; a resized (hence blank) canvas needs no clear', () => {
    const { ctx, calls } = fakeContext()
    skipRedundantClears(ctx as ClearableContext)
    ctx.clearRect(0, 0, 200, 100)
    ctx.moveTo()
    ctx.clearRect(0, 0, 200, 100)
    expect(calls).toEqual(['clear 0,0,200,100', 'moveTo'])
    ctx.canvas.width = 300
    ctx.clearRect(0, 0, 300, 100)
    expect(calls).toEqual(['clear 0,0,200,100', 'moveTo'])
  })

  it('reports each change between blank and drawn, once', () => {
    const { ctx, calls } = fakeContext()
    const seen: boolean[] = []
    skipRedundantClears(ctx as ClearableContext, (blank) => seen.push(blank))
    ctx.fillText() // unknown → drawn: nothing to report
    ctx.clearRect(0, 0, 200, 100)
    ctx.clearRect(0, 0, 200, 100)
    ctx.clearRect(0, 0, 10, 10) // a partial clear changes nothing
    expect(seen).toEqual([true])
    ctx.stroke()
    ctx.fillRect()
    expect(seen).toEqual([true, false])
    ctx.clearRect(0, 0, 200, 100)
    expect(seen).toEqual([true, false, true])
    expect(calls).toEqual(['fillText', 'clear 0,0,200,100', 'clear 0,0,10,10', 'stroke', 'fillRect', 'clear 0,0,200,100'])
  })
})
