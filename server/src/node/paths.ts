import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Absolute path with forward slashes: the form the core uses. */
export function toCorePath(p: string): string {
  return path.resolve(p).split(path.sep).join('/');
}

/** Back to the platform's form for the file system. */
export function toFsPath(corePath: string): string {
  return corePath.split('/').join(path.sep);
}

/** The core path of a `file:` URI; undefined for other schemes and for URIs no local path has
 * (`file://host/share` on Linux, a malformed escape), which then are simply not served. */
export function uriToCorePath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return toCorePath(fileURLToPath(uri));
  } catch {
    return undefined;
  }
}

export function corePathToUri(corePath: string): string {
  return pathToFileURL(toFsPath(corePath)).href;
}
