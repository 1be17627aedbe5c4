import { describe, expect, it } from 'vitest'
import { keyAction, type KeyInput } from './keyboard'

const k = (key: string, over: Partial<KeyInput> = {}): KeyInput => ({ key, ctrlKey: false, metaKey: false, altKey: false, targetTag: 'BODY', targetEditable: false, ...over })

describe('keyAction', () => {
  it.each([
    [k('/'), { type: 'focus-add' }],
    [k('1'), { type: 'timeframe', timeframe: '1s' }],
    [k('2'), { type: 'timeframe', timeframe: '1m' }],
    [k('3'), { type: 'timeframe', timeframe: '5m' }],
    [k('4'), { type: 'timeframe', timeframe: '15m' }],
    [k(' '), { type: 'pause' }],
    [k('5'), null],
    [k('0'), null],
    [k('a'), null],
    [k('/', { targetTag: 'INPUT' }), null],
    [k('1', { targetTag: 'SELECT' }), null],
    [k(' ', { targetTag: 'TEXTAREA' }), null],
    [k(' ', { targetTag: 'BUTTON' }), null],
    [k('1', { targetEditable: true }), null],
    [k('1', { ctrlKey: true }), null],
    [k('/', { metaKey: true }), null],
  ])('%j → %j', (input, expected) => {
    expect(keyAction(input)).toEqual(expected)
  })
})
