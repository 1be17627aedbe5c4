// lightweight-charts clears each widget's top-layer canvas (crosshair, labels) on every repaint, even when
// it is already blank. For the browser a cleared canvas is a changed canvas: it copies it to the compositor
// again, and with a dozen live charts those copies of blank canvases were half of all canvas commits. This
// skips a clear of the whole canvas when nothing has been drawn on it since the last one.
// It also reports when the canvas turns blank or drawn: a blank layer can be made fully transparent, and
// without a GPU the compositor then skips it instead of blending an empty layer over every chart each frame.

/** What drawing calls change pixels (path building does not). */
const DRAWS = ['fillRect', 'strokeRect', 'fillText', 'strokeText', 'fill', 'stroke', 'drawImage', 'putImageData'] as const

export interface ClearableContext {
  canvas: { width: number; height: number }
  clearRect(x: number, y: number, w: number, h: number): void
  getTransform(): { isIdentity: boolean }
}

/**
 * Installs the skip on one context (its own methods, not the shared prototype). `onBlank` hears each change
 * between blank (a whole clear) and drawn (the first drawing call after it).
 */
export function skipRedundantClears(ctx: ClearableContext, onBlank: (blank: boolean) => void = () => {}): void {
  // Unknown at first: the canvas may hold something.
  let blank = false
  const target = ctx as unknown as Record<string, unknown>
  for (const name of DRAWS) {
    const draw = target[name]
    if (typeof draw !== 'function') continue
    target[name] = function (this: unknown, ...args: unknown[]) {
      if (blank) {
        blank = false
        onBlank(false)
      }
      return (draw as (...a: unknown[]) => unknown).apply(ctx, args)
    }
  }
  const clear = ctx.clearRect
  ctx.clearRect = (x, y, w, h) => {
    const { width, height } = ctx.canvas
    // Only a clear of the whole canvas in its own pixels counts; a transform or part of it draws as usual.
    const whole = x <= 0 && y <= 0 && x + w >= width && y + h >= height && ctx.getTransform().isIdentity
    if (whole && blank) return
    clear.call(ctx, x, y, w, h)
    if (whole) {
      blank = true
      onBlank(true)
    }
  }
}
