// Small interfaces for the outside world (socket, clock, timers) so the clients run against fakes in tests.
import WebSocket from 'ws'

/** The subset of a `ws` WebSocket the client uses. */
export interface WebSocketLike {
  send(data: string): void
  ping(): void
  close(code?: number, reason?: string): void
  terminate(): void
  on(event: 'open', listener: () => void): unknown
  on(event: 'message', listener: (data: WebSocket.RawData | string, isBinary: boolean) => void): unknown
  on(event: 'pong', listener: () => void): unknown
  on(event: 'close', listener: (code: number, reason: Buffer) => void): unknown
  on(event: 'error', listener: (err: Error) => void): unknown
}

export type SocketFactory = (url: string) => WebSocketLike
export type WebSocketConstructor = new (url: string) => WebSocketLike

export const defaultSocketFactory: SocketFactory = (url) => new WebSocket(url, { handshakeTimeout: 15_000 })

export function factoryFromConstructor(Ctor: WebSocketConstructor): SocketFactory {
  return (url) => new Ctor(url)
}

export interface Clock {
  /** Wall-clock epoch ms (liveness, rates, retryAt). */
  now(): number
}

export type TimerHandle = unknown

export interface Timers {
  setTimeout(fn: () => void, ms: number): TimerHandle
  clearTimeout(handle: TimerHandle): void
}

export const systemClock: Clock = { now: () => Date.now() }

export const systemTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
}

/** Runs `fn` soon, after pending I/O (setImmediate): the queue drain must never block socket reads. */
export type Defer = (fn: () => void) => void
export const defaultDefer: Defer = (fn) => {
  setImmediate(fn)
}

export type LogFn = (level: 'debug' | 'info' | 'warn' | 'error', message: string) => void
