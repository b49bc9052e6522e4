import { closeSync, constants, fstatSync, lstatSync, openSync, readSync } from 'node:fs';

/** Files above this size are skipped with a note (1 MB, as documented). */
export const DEFAULT_MAX_FILE_SIZE = 1024 * 1024;

/** A file's text and the encoding to write it back in, or why it was skipped. */
export type ReadResult = { text: string; encoding: Encoding } | { skipped: string; code?: string };

/**
 * How a file's bytes became its text, so a fix writes them back the same way. A UTF-8 byte
 * order mark is not part of the text (editors leave it out too) but is written back.
 */
export type Encoding = 'utf8' | 'utf8-bom' | 'latin1';

/** Encodes text as a file read in `encoding` held it. */
export function encodeText(text: string, encoding: Encoding): Buffer {
  if (encoding === 'latin1') return Buffer.from(text, 'latin1');
  return Buffer.from(encoding === 'utf8-bom' ? `\ufeff${text}` : text, 'utf8');
}

/**
 * Reads a source file: size checked before reading, binary files refused, encoding kept.
 * `wanted` sees the bytes as latin-1 text (ASCII keywords read the same) before the costlier
 * UTF-8 decoding; a file it turns down comes back as `{ unwanted: true }`.
 */
export function readSourceFile(
  fsPath: string,
  maxFileSize: number,
  wanted?: (bytes: string) => boolean,
): ReadResult | { unwanted: true } {
  const read = readRegularFile(fsPath, maxFileSize);
  if ('skipped' in read) return read;
  const buffer = read.bytes;
  if (buffer.subarray(0, 8192).includes(0)) return { skipped: 'binary file' };
  if (wanted && !wanted(buffer.toString('latin1'))) return { unwanted: true };
  const bom = buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf;
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(buffer), encoding: bom ? 'utf8-bom' : 'utf8' };
  } catch {
    // Not UTF-8 (a latin-1 source with a coding line): keep every byte so fixes can write it back.
    return { text: buffer.toString('latin1'), encoding: 'latin1' };
  }
}

export function formatSize(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${+(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.round(bytes / 1024)} KB`;
}

/**
 * Reads a regular file's bytes, or says why not. Symlinks, FIFOs, sockets and devices are
 * refused before anything opens them (opening a FIFO blocks; a symlink may lead out of the
 * project, to /dev/urandom say), and so is a file over the size limit. The open itself refuses
 * symlinks and never blocks, and the opened file is checked again, so a file swapped between
 * the check and the open is refused too.
 */
export function readRegularFile(
  fsPath: string,
  maxFileSize: number,
): { bytes: Buffer } | { skipped: string; code?: string } {
  let fd: number | undefined;
  try {
    const before = lstatSync(fsPath);
    if (before.isSymbolicLink()) return { skipped: 'a symbolic link' };
    if (!before.isFile()) return { skipped: 'not a regular file' };
    if (before.size > maxFileSize) return { skipped: `larger than ${formatSize(maxFileSize)}` };
    fd = openSync(fsPath, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    const stat = fstatSync(fd);
    if (!stat.isFile() || stat.ino !== before.ino || stat.dev !== before.dev) return { skipped: 'not a regular file' };
    if (stat.size > maxFileSize) return { skipped: `larger than ${formatSize(maxFileSize)}` };
    let buffer = Buffer.allocUnsafe(stat.size);
    let read = 0;
    while (read < stat.size) {
      const n = readSync(fd, buffer, read, stat.size - read, read);
      if (n === 0) break;
      read += n;
    }
    buffer = buffer.subarray(0, read);
    return { bytes: buffer };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') return { skipped: 'a symbolic link' };
    return { skipped: `cannot be read (${code ?? 'error'})`, code };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
