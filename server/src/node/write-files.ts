import { lstatSync, promises as fs, type Stats } from 'node:fs';
import path from 'node:path';
import { randomHex } from '../core/fixes/random';
import { toFsPath } from './paths';
import { encodeText, readRegularFile, type Encoding } from './read';

/** One file a fix writes: its new text, and the text it was computed from (absent: a new file). */
export interface PlannedWrite {
  /** Core path (absolute, forward slashes). */
  path: string;
  text: string;
  /** What the file held when the fix was computed; undefined when the fix creates it. */
  expected?: string;
  encoding: Encoding;
}

export type WriteOutcome = { ok: true } | { ok: false; reason: string };

/** Larger than any file the project model reads, so a check read never truncates. */
const CHECK_READ_LIMIT = 64 * 1024 * 1024;

/**
 * Writes every file of one fix, or none. Each target must lie inside `root` with no symbolic
 * link on the way; a file to change must be a regular, writable file that still holds what the
 * fix was computed from; a file to create must not exist. New contents go to temporary files
 * beside their targets first, and are then renamed (or, for a new file, linked, which fails if
 * the name was taken meanwhile) into place; if one step fails, the files already replaced get
 * their old text back. `reason` is one sentence naming the file, never its contents.
 */
export async function writeAllOrNothing(root: string, writes: readonly PlannedWrite[]): Promise<WriteOutcome> {
  const rel = (p: string) => {
    const r = path.posix.relative(root, p);
    return r === '' || r.startsWith('..') ? p : r;
  };
  const originals = new Map<string, Stats>();
  for (const w of writes) {
    const problem = await checkTarget(root, w, rel(w.path));
    if (typeof problem === 'string') return { ok: false, reason: problem };
    if (problem) originals.set(w.path, problem);
  }
  const temps = new Map<string, string>();
  const committed: PlannedWrite[] = [];
  try {
    for (const w of writes) {
      const target = toFsPath(w.path);
      const temp = path.join(path.dirname(target), `.${path.basename(target)}.sessionlint-${randomHex(6)}`);
      const mode = originals.get(w.path)?.mode ?? (isDotenv(w.path) ? 0o600 : 0o644);
      await fs.writeFile(temp, encodeText(w.text, w.encoding), { flag: 'wx', mode: mode & 0o7777 });
      temps.set(w.path, temp);
    }
    for (const w of writes) {
      const target = toFsPath(w.path);
      const temp = temps.get(w.path);
      if (temp === undefined) throw new Error(`${rel(w.path)} was not staged`);
      if (w.expected === undefined) {
        await fs.link(temp, target);
        await fs.unlink(temp);
      } else {
        const now = await fs.lstat(target);
        const then = originals.get(w.path);
        if (!then || now.ino !== then.ino || now.mtimeMs !== then.mtimeMs || now.size !== then.size)
          throw new Stale(rel(w.path));
        await fs.rename(temp, target);
      }
      temps.delete(w.path);
      committed.push(w);
    }
    return { ok: true };
  } catch (e) {
    await rollBack(committed);
    const reason =
      e instanceof Stale ? `${e.message} changed on disk while the fix was being written` : `${describe(e)}`;
    return { ok: false, reason };
  } finally {
    for (const temp of temps.values()) await fs.unlink(temp).catch(() => undefined);
  }
}

class Stale extends Error {}

function isDotenv(p: string): boolean {
  const name = path.posix.basename(p);
  return name === '.env' || name.startsWith('.env.');
}

/** A sentence for the user: the file and the system's reason, never a stack. */
function describe(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  const where = err.path ? path.basename(err.path) : 'a file';
  return `${where} could not be written (${err.code ?? err.message})`;
}

/** Undoes what was already written: changed files get their old text, new ones go away. */
async function rollBack(committed: readonly PlannedWrite[]): Promise<void> {
  for (const w of [...committed].reverse()) {
    const target = toFsPath(w.path);
    if (w.expected === undefined) await fs.unlink(target).catch(() => undefined);
    else await fs.writeFile(target, encodeText(w.expected, w.encoding)).catch(() => undefined);
  }
}

/**
 * Why a target cannot be written (a sentence), or its current stat for a file to change, or
 * undefined for a file to create that is free. The writer writes itself, so it asks the strict
 * form of whyNotWritable, then checks the file still holds what the fix was computed from.
 */
async function checkTarget(root: string, w: PlannedWrite, shown: string): Promise<string | Stats | undefined> {
  const problem = whyNotWritable(root, w.path, w.expected === undefined, true);
  if (problem !== undefined || w.expected === undefined) return problem;
  const read = readRegularFile(toFsPath(w.path), CHECK_READ_LIMIT);
  if ('skipped' in read) return `${shown} ${read.skipped}`;
  if (!encodeText(w.expected, w.encoding).equals(read.bytes)) return `${shown} changed on disk since it was read`;
  return fs.lstat(toFsPath(w.path));
}

function kindOf(stat: Stats): string {
  if (stat.isDirectory()) return ' as a folder';
  if (stat.isSymbolicLink()) return ' as a symbolic link';
  if (stat.isFIFO()) return ' as a pipe';
  if (stat.isSocket()) return ' as a socket';
  return '';
}

/**
 * Why a fix could not be written to `corePath` as things are on disk now, in one sentence, or
 * undefined. The editor applies fixes itself, so the server asks this before offering one:
 * a file to create must not exist (as a folder, a pipe, a link), a file to change must be a
 * regular, writable file, and no folder on the way may be a link out of the project. `strict`
 * is for a writer that writes itself: the folders and the file to change must exist, and the
 * file must be readable (mode bits are honoured even where the process could override them).
 */
export function whyNotWritable(root: string, corePath: string, create: boolean, strict = false): string | undefined {
  const rootPrefix = root.endsWith('/') ? root : `${root}/`;
  if (!corePath.startsWith(rootPrefix)) return `${corePath} is outside the project`;
  const shown = corePath.slice(rootPrefix.length);
  let dir = root;
  for (const part of shown.split('/').slice(0, -1)) {
    dir = `${dir}/${part}`;
    const folder = path.posix.relative(root, dir);
    const stat = lstatOrError(dir);
    if (stat instanceof Error) {
      if (strict) return `folder ${folder} does not exist`;
      continue;
    }
    if (stat.isSymbolicLink()) return `${folder} is a symbolic link`;
    if (!stat.isDirectory()) return `${folder} is not a folder`;
  }
  const stat = lstatOrError(corePath);
  if (stat instanceof Error && stat.code !== 'ENOENT') return `${shown} cannot be read (${stat.code})`;
  const exists = !(stat instanceof Error);
  if (create) return exists ? `${shown} already exists${kindOf(stat)}` : undefined;
  // Not on disk: an unsaved editor buffer, which the editor writes; the CLI read it from disk.
  if (!exists) return strict ? `${shown} no longer exists` : undefined;
  if (stat.isSymbolicLink()) return `${shown} is a symbolic link`;
  if (!stat.isFile()) return `${shown} is not a regular file${kindOf(stat)}`;
  if ((stat.mode & 0o222) === 0) return `${shown} is read-only`;
  if (strict && (stat.mode & 0o444) === 0) return `${shown} cannot be read`;
  return undefined;
}

/** A path's own stat (links not followed), or the error that says why there is none. */
function lstatOrError(corePath: string): Stats | NodeJS.ErrnoException {
  try {
    return lstatSync(toFsPath(corePath));
  } catch (e) {
    return e as NodeJS.ErrnoException;
  }
}
