// Small state files (spool read cursors, settings, news state, the browser-mode key file) are replaced
// atomically: write a temp file beside the target, fsync it, rename it over the target, fsync the folder.
// A crash or power cut leaves the old file or the new one, never a torn one, and the rename itself is durable.
// Shared by every layer that keeps such a file, hence here (it imports only node:fs).
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'

let counter = 0

/** fsync a folder so a rename or unlink in it survives a power cut (a no-op where folders cannot be opened). */
export function fsyncDir(dir: string): void {
  let fd: number | null = null
  try {
    fd = openSync(dir, 'r')
    fsyncSync(fd)
  } catch {
    // Windows cannot open a folder for fsync; its renames are durable once the file is flushed.
  } finally {
    if (fd !== null) closeSync(fd)
  }
}

/** Replace `file` with `data` atomically and durably. `mode` applies to the new file (default 0o600). */
export function writeFileAtomic(file: string, data: string | Uint8Array, mode = 0o600): void {
  const dir = dirname(file)
  mkdirSync(dir, { recursive: true })
  const tmp = join(dir, `.${basename(file)}.${process.pid}.${++counter}.tmp`)
  const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data
  const fd = openSync(tmp, 'w', mode)
  try {
    let off = 0
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off)
    fsyncSync(fd)
  } catch (e) {
    closeSync(fd)
    rmSync(tmp, { force: true })
    throw e
  }
  closeSync(fd)
  try {
    renameSync(tmp, file)
  } catch (e) {
    rmSync(tmp, { force: true })
    throw e
  }
  fsyncDir(dir)
}

/** Time stamp for `<name>.corrupt-<time>` files: sortable, no characters that file systems refuse. */
export function asideStamp(now: number): string {
  return new Date(now).toISOString().replace(/[:.]/g, '-')
}
