import { describe, expect, it } from 'vitest'
import { raisedAxisFloor } from './chart-options'

describe('raisedAxisFloor', () => {
  it.each([
    [72, 60, null],
    [72, 72, null],
    [72, 76, 76],
    [76, 72, null], // never shrinks: that is the flapping it stops
    [76, 90, 90],
  ])('floor %i, axis %i → %s', (floor, width, expected) => {
    expect(raisedAxisFloor(floor, width)).toBe(expected)
  })
})
