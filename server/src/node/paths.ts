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

export function uriToCorePath(uri: string): string | undefined {
  return uri.startsWith('file:') ? toCorePath(fileURLToPath(uri)) : undefined;
}

export function corePathToUri(corePath: string): string {
  return pathToFileURL(toFsPath(corePath)).href;
}
