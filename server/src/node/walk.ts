import type { Dirent } from 'node:fs';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { fileKindOf } from '../core/files';
import { toCorePath } from './paths';

/** Folders never worth reading, as in ruff's defaults, plus installed packages. */
export const DEFAULT_EXCLUDES = new Set([
  '.bzr', '.direnv', '.eggs', '.git', '.git-rewrite', '.hg', '.mypy_cache', '.nox', '.pants.d', '.pytype',
  '.ruff_cache', '.svn', '.tox', '.venv', '__pypackages__', '_build', 'buck-out', 'dist', 'node_modules',
  'venv', 'site-packages', '__pycache__',
]);

export interface WalkOptions {
  /** Honour .gitignore files and the default excludes (`--no-ignore` turns this off). */
  respectIgnores: boolean;
  /** Project `exclude` globs, gitignore syntax, relative to the root. */
  exclude: readonly string[];
}

export interface WalkResult {
  /** Core paths of the files the project model reads. */
  files: string[];
  /** Folders that could not be listed, each reported once. */
  unreadable: { path: string; reason: string }[];
}

interface Layer {
  dir: string;
  rules: Ignore;
}

/** Injected for tests of unreadable folders (as root, permissions cannot make one). */
export type ReadDir = (dir: string) => Promise<Dirent[]>;

const defaultReadDir: ReadDir = (dir) => fs.readdir(dir, { withFileTypes: true });

export async function walk(root: string, options: WalkOptions, readDir: ReadDir = defaultReadDir): Promise<WalkResult> {
  const result: WalkResult = { files: [], unreadable: [] };
  const exclude = ignore().add([...options.exclude]);
  const rootAbs = path.resolve(root);
  const visit = async (dir: string, layers: Layer[]): Promise<void> => {
    let entries: Dirent[];
    try {
      entries = await readDir(dir);
    } catch (e) {
      result.unreadable.push({ path: toCorePath(dir), reason: (e as NodeJS.ErrnoException).code ?? 'error' });
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const names = new Set(entries.map((e) => e.name));
    if (dir !== rootAbs && options.respectIgnores && names.has('pyvenv.cfg')) return; // a virtual environment
    if (options.respectIgnores && names.has('.gitignore')) {
      try {
        layers = [...layers, { dir, rules: ignore().add(await fs.readFile(path.join(dir, '.gitignore'), 'utf8')) }];
      } catch {
        // An unreadable .gitignore ignores nothing; the file itself is reported when read.
      }
    }
    const subdirs: string[] = [];
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      const isDir = entry.isDirectory();
      if (!isDir && !entry.isFile()) continue; // symlinks, sockets: never followed, no loops
      const rel = path.relative(rootAbs, full).split(path.sep).join('/');
      if (exclude.ignores(isDir ? `${rel}/` : rel)) continue;
      if (options.respectIgnores) {
        if (isDir && DEFAULT_EXCLUDES.has(entry.name)) continue;
        // .env and .gitignore are read even when git-ignored: fixes must see what they hold.
        const alwaysRead = !isDir && fileKindOf(entry.name) !== 'python';
        if (!alwaysRead && layers.some((l) => l.rules.ignores(path.relative(l.dir, full).split(path.sep).join('/') + (isDir ? '/' : '')))) continue;
      }
      if (isDir) subdirs.push(full);
      else if (fileKindOf(entry.name)) result.files.push(toCorePath(full));
    }
    for (const sub of subdirs) await visit(sub, layers);
  };
  await visit(rootAbs, []);
  return result;
}
