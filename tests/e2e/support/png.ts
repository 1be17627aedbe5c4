// A tiny PNG decoder (8-bit greyscale/RGB/RGBA, non-interlaced: what Chromium's screenshots are), so a
// test can tell a drawn chart from a blank canvas without an image library.
import { inflateSync } from 'node:zlib'

export interface Image {
  width: number
  height: number
  /** RGBA, 4 bytes per pixel. */
  rgba: Uint8Array
}

const SIGNATURE = [137, 80, 78, 71, 13, 10, 26, 10]

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c
  const pa = Math.abs(p - a)
  const pb = Math.abs(p - b)
  const pc = Math.abs(p - c)
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c
}

export function decodePng(buf: Uint8Array): Image {
  const data = Buffer.from(buf)
  if (!SIGNATURE.every((b, i) => data[i] === b)) throw new Error('not a PNG')
  let off = 8
  let width = 0
  let height = 0
  let colorType = -1
  const idat: Buffer[] = []
  while (off + 8 <= data.length) {
    const len = data.readUInt32BE(off)
    const type = data.toString('latin1', off + 4, off + 8)
    const body = data.subarray(off + 8, off + 8 + len)
    if (type === 'IHDR') {
      width = body.readUInt32BE(0)
      height = body.readUInt32BE(4)
      const depth = body[8]
      colorType = body[9]!
      if (depth !== 8 || body[12] !== 0) throw new Error(`unsupported PNG (bit depth ${depth}, interlace ${body[12]})`)
    } else if (type === 'IDAT') idat.push(body)
    else if (type === 'IEND') break
    off += 12 + len
  }
  const channels = { 0: 1, 2: 3, 4: 2, 6: 4 }[colorType]
  if (!channels) throw new Error(`unsupported PNG colour type ${colorType}`)
  const raw = inflateSync(Buffer.concat(idat))
  const stride = width * channels
  const px = new Uint8Array(stride * height)
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!
    const src = y * (stride + 1) + 1
    const dst = y * stride
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? px[dst + x - channels]! : 0
      const b = y > 0 ? px[dst - stride + x]! : 0
      const c = x >= channels && y > 0 ? px[dst - stride + x - channels]! : 0
      const v = raw[src + x]!
      px[dst + x] = (filter === 0 ? v : filter === 1 ? v + a : filter === 2 ? v + b : filter === 3 ? v + ((a + b) >> 1) : v + paeth(a, b, c)) & 0xff
    }
  }
  const rgba = new Uint8Array(width * height * 4)
  for (let i = 0; i < width * height; i++) {
    const s = i * channels
    if (channels === 1 || channels === 2) {
      rgba.fill(px[s]!, i * 4, i * 4 + 3)
      rgba[i * 4 + 3] = channels === 2 ? px[s + 1]! : 255
    } else {
      rgba[i * 4] = px[s]!
      rgba[i * 4 + 1] = px[s + 1]!
      rgba[i * 4 + 2] = px[s + 2]!
      rgba[i * 4 + 3] = channels === 4 ? px[s + 3]! : 255
    }
  }
  return { width, height, rgba }
}

/** Pixel statistics: how many distinct colours, and the share of pixels that differ from the most common one. */
export function pixelStats(img: Image): { distinctColors: number; nonBackgroundShare: number; lumaStdDev: number } {
  const counts = new Map<number, number>()
  let sum = 0
  let sumSq = 0
  const n = img.width * img.height
  for (let i = 0; i < n; i++) {
    const r = img.rgba[i * 4]!
    const g = img.rgba[i * 4 + 1]!
    const b = img.rgba[i * 4 + 2]!
    const key = (r << 16) | (g << 8) | b
    counts.set(key, (counts.get(key) ?? 0) + 1)
    const luma = 0.2126 * r + 0.7152 * g + 0.0722 * b
    sum += luma
    sumSq += luma * luma
  }
  const top = Math.max(0, ...counts.values())
  const mean = n > 0 ? sum / n : 0
  return {
    distinctColors: counts.size,
    nonBackgroundShare: n > 0 ? 1 - top / n : 0,
    lumaStdDev: n > 0 ? Math.sqrt(Math.max(0, sumSq / n - mean * mean)) : 0,
  }
}

/** Counts pixels close (per channel within `tol`) to an `#rrggbb` colour. */
export function countColor(img: Image, hex: string, tol = 24): number {
  const r = parseInt(hex.slice(1, 3), 16)
  const g = parseInt(hex.slice(3, 5), 16)
  const b = parseInt(hex.slice(5, 7), 16)
  let n = 0
  for (let i = 0; i < img.width * img.height; i++) {
    if (Math.abs(img.rgba[i * 4]! - r) <= tol && Math.abs(img.rgba[i * 4 + 1]! - g) <= tol && Math.abs(img.rgba[i * 4 + 2]! - b) <= tol) n++
  }
  return n
}
