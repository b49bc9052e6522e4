import { lstatSync } from 'node:fs';
import path from 'node:path';
import type { GitContext } from '../core/project';
import { toCorePath } from './paths';
import { readRegularFile } from './read';

/** A git index larger than this is not read (a repository of millions of files). */
const MAX_INDEX_SIZE = 64 * 1024 * 1024;
/** How many folders above the project a repository root is looked for. */
const MAX_DEPTH = 32;

/**
 * What git says about a project inside a repository: the `.gitignore` files of the folders
 * between the repository root and the project (a monorepo's root `.gitignore` counts), and
 * which dotenv files the index tracks (committed). Only `.gitignore` files and `.git/index`
 * of that repository are read, each as a regular file within the size limit.
 */
export function readGitContext(projectRoot: string): GitContext | undefined {
  let repo: string | undefined;
  let dir = path.resolve(projectRoot);
  for (let i = 0; i < MAX_DEPTH; i++) {
    const stat = lstatOrUndefined(path.join(dir, '.git'));
    if (stat?.isDirectory()) {
      repo = dir;
      break;
    }
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  if (!repo) return undefined;
  const outerIgnores: GitContext['outerIgnores'] = [];
  for (
    let d = path.dirname(path.resolve(projectRoot));
    repo !== path.resolve(projectRoot) && d.startsWith(repo);
    d = path.dirname(d)
  ) {
    const read = readRegularFile(path.join(d, '.gitignore'), 1024 * 1024);
    if ('bytes' in read) outerIgnores.push({ dir: toCorePath(d), text: read.bytes.toString('utf8') });
    if (d === repo) break;
  }
  const index = readRegularFile(path.join(repo, '.git', 'index'), MAX_INDEX_SIZE);
  const tracked = 'bytes' in index ? trackedDotenvFiles(index.bytes) : [];
  return { repoRoot: toCorePath(repo), outerIgnores, tracked: new Set(tracked.map((p) => `${toCorePath(repo)}/${p}`)) };
}

function lstatOrUndefined(p: string) {
  try {
    return lstatSync(p);
  } catch {
    return undefined;
  }
}

/**
 * The paths of dotenv files (`.env`, `.env.*`) in a git index, versions 2 to 4. Format:
 * "DIRC", version, entry count; each entry has 62 bytes of stat data and flags, then its
 * path: NUL-terminated and padded to 8 bytes (v2, v3), or prefix-compressed against the
 * previous path (v4). Anything malformed ends the reading with what was read so far.
 */
export function trackedDotenvFiles(index: Buffer): string[] {
  if (index.length < 12 || index.toString('latin1', 0, 4) !== 'DIRC') return [];
  const version = index.readUInt32BE(4);
  const count = index.readUInt32BE(8);
  if (version < 2 || version > 4) return [];
  const out: string[] = [];
  let offset = 12;
  let previous = '';
  for (let i = 0; i < count && offset + 62 <= index.length; i++) {
    const start = offset;
    const flags = index.readUInt16BE(offset + 60);
    offset += 62;
    if (version >= 3 && flags & 0x4000) offset += 2; // extended flags
    let name: string;
    if (version === 4) {
      // A varint: how many bytes of the previous path to drop, then the rest, NUL-terminated.
      let drop = 0;
      let byte: number;
      let shift = 0;
      do {
        if (offset >= index.length || shift > 28) return out;
        byte = index[offset++];
        drop = shift === 0 ? byte & 0x7f : ((drop + 1) << 7) | (byte & 0x7f);
        shift += 7;
      } while (byte & 0x80);
      const end = index.indexOf(0, offset);
      if (end === -1 || drop > previous.length) return out;
      name = previous.slice(0, previous.length - drop) + index.toString('utf8', offset, end);
      offset = end + 1;
    } else {
      const end = index.indexOf(0, offset);
      if (end === -1) return out;
      name = index.toString('utf8', offset, end);
      // Entries are padded with 1 to 8 NULs to a multiple of 8 bytes.
      offset = start + Math.ceil((end - start + 1) / 8) * 8;
    }
    previous = name;
    const base = name.slice(name.lastIndexOf('/') + 1);
    if (base === '.env' || base.startsWith('.env.')) out.push(name);
  }
  return out;
}
