import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/** Files above this size are skipped with a note (1 MB, as documented). */
export const DEFAULT_MAX_FILE_SIZE = 1024 * 1024;

/** A file's text and the encoding to write it back in, or why it was skipped. */
export type ReadResult = { text: string; encoding: 'utf8' | 'latin1' } | { skipped: string };

/**
 * Reads a source file: size checked before reading, binary files refused, encoding kept.
 * `wanted` sees the bytes as latin-1 text (ASCII keywords read the same) before the costlier
 * UTF-8 decoding; a file it turns down comes back as `{ unwanted: true }`.
 */
export function readSourceFile(fsPath: string, maxFileSize: number, wanted?: (bytes: string) => boolean): ReadResult | { unwanted: true } {
  let buffer: Buffer;
  let fd: number | undefined;
  try {
    fd = openSync(fsPath, 'r');
    const stat = fstatSync(fd);
    if (!stat.isFile()) return { skipped: 'not a regular file' };
    if (stat.size > maxFileSize) return { skipped: `larger than ${formatSize(maxFileSize)}` };
    buffer = Buffer.allocUnsafe(stat.size);
    let read = 0;
    while (read < stat.size) {
      const n = readSync(fd, buffer, read, stat.size - read, read);
      if (n === 0) break;
      read += n;
    }
    buffer = buffer.subarray(0, read);
  } catch (e) {
    return { skipped: `cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})` };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  if (buffer.subarray(0, 8192).includes(0)) return { skipped: 'binary file' };
  if (wanted && !wanted(buffer.toString('latin1'))) return { unwanted: true };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(buffer), encoding: 'utf8' };
  } catch {
    // Not UTF-8 (a latin-1 source with a coding line): keep every byte so fixes can write it back.
    return { text: buffer.toString('latin1'), encoding: 'latin1' };
  }
}

export function formatSize(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${+(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.round(bytes / 1024)} KB`;
}
