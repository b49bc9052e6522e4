import { readdirSync, readFileSync, type Dirent } from 'node:fs';
import path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { fileKindOf } from '../core/files';
import { toCorePath } from './paths';

/** Folders never worth reading, as in ruff's defaults, plus installed packages. */
export const DEFAULT_EXCLUDES = new Set([
  '.bzr',
  '.direnv',
  '.eggs',
  '.git',
  '.git-rewrite',
  '.hg',
  '.mypy_cache',
  '.nox',
  '.pants.d',
  '.pytype',
  '.ruff_cache',
  '.svn',
  '.tox',
  '.venv',
  '__pypackages__',
  '_build',
  'buck-out',
  'dist',
  'node_modules',
  'venv',
  'site-packages',
  '__pycache__',
]);

export interface WalkOptions {
  /** Honour .gitignore files and the default excludes (`--no-ignore` turns this off). */
  respectIgnores: boolean;
  /** Project `exclude` globs, gitignore syntax, relative to the root. */
  exclude: readonly string[];
  /**
   * Paths given explicitly (absolute): linted even when a .gitignore above them or a default
   * exclude would leave them out, as ruff does. Inside a given folder its own .gitignore
   * files and the project's `exclude` still apply.
   */
  force?: readonly string[];
}

export interface WalkResult {
  /** Core paths of the files the project model reads, in path order. */
  files: string[];
  /** Folders that could not be listed, each reported once. */
  unreadable: { path: string; reason: string }[];
  /** What left files or folders out, with how many: said when nothing at all is linted. */
  hidden: Map<string, number>;
}

/** A .gitignore and the folder it applies to (relative to the root, '' or ending in '/'). */
interface Layer {
  base: string;
  rules: Ignore;
}

/** Injected for tests of unreadable folders (as root, permissions cannot make one). */
export type ReadDir = (dir: string) => Dirent[];

const defaultReadDir: ReadDir = (dir) => readdirSync(dir, { withFileTypes: true });

/** Folders listed between two yields to the event loop, so a server stays responsive. */
const FOLDERS_PER_TURN = 64;

/**
 * Lists the files the model reads. Synchronous calls in batches: on a local disk they are
 * several times faster than one promise per call, and the yields keep a server responsive.
 */
export async function walk(root: string, options: WalkOptions, readDir: ReadDir = defaultReadDir): Promise<WalkResult> {
  const result: WalkResult = { files: [], unreadable: [], hidden: new Map() };
  const hide = (reason: string) => result.hidden.set(reason, (result.hidden.get(reason) ?? 0) + 1);
  const forced = new Set((options.force ?? []).map((p) => path.resolve(p)));
  const exclude = options.exclude.length > 0 ? ignore().add([...options.exclude]) : undefined;
  const rootAbs = path.resolve(root);
  // Depth-first with an explicit stack: [absolute folder, path relative to the root, layers].
  const stack: [string, string, Layer[]][] = [[rootAbs, '', []]];
  let listed = 0;
  for (let next = stack.pop(); next; next = stack.pop()) {
    const [dir, rel, above] = next;
    // A folder given explicitly is not hidden by the .gitignore files above it.
    const inherited = forced.has(dir) ? [] : above;
    if (++listed % FOLDERS_PER_TURN === 0) await new Promise((resolve) => setImmediate(resolve));
    let entries: Dirent[];
    try {
      entries = readDir(dir);
    } catch (e) {
      result.unreadable.push({ path: toCorePath(dir), reason: (e as NodeJS.ErrnoException).code ?? 'error' });
      continue;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    let layers = inherited;
    if (options.respectIgnores) {
      if (rel !== '' && !forced.has(dir) && entries.some((e) => e.name === 'pyvenv.cfg')) {
        hide('a virtual environment (pyvenv.cfg)');
        continue;
      }
      if (entries.some((e) => e.name === '.gitignore' && e.isFile())) {
        try {
          layers = [...layers, { base: rel, rules: ignore().add(readFileSync(path.join(dir, '.gitignore'), 'utf8')) }];
        } catch {
          // An unreadable .gitignore ignores nothing.
        }
      }
    }
    const subdirs: [string, string, Layer[]][] = [];
    // Paths are built by concatenation: path.join() and toCorePath() per entry cost more than
    // listing the folder (names from readdir never hold a separator).
    const fsPrefix = dir.endsWith(path.sep) ? dir : dir + path.sep;
    const coreDir = toCorePath(dir);
    const corePrefix = coreDir.endsWith('/') ? coreDir : `${coreDir}/`;
    for (const entry of entries) {
      const isDir = entry.isDirectory();
      if (!isDir && !entry.isFile()) continue; // symlinks, sockets: never followed, no loops
      const relPath = rel + entry.name;
      const full = fsPrefix + entry.name;
      const isForced =
        forced.size > 0 && (forced.has(full) || (isDir && [...forced].some((f) => f.startsWith(full + path.sep))));
      if (!isForced && exclude) {
        const excluded = exclude.test(isDir ? `${relPath}/` : relPath);
        if (excluded.ignored) {
          hide(`\`exclude = ["${excluded.rule?.pattern ?? ''}"]\` in the project configuration`);
          continue;
        }
      }
      // Some kinds are known by their folder (`sites-available/shop`), so classify the whole path.
      const corePath = isDir ? undefined : corePrefix + entry.name;
      const kind = corePath ? fileKindOf(corePath) : undefined;
      if (options.respectIgnores && !isForced) {
        if (isDir && DEFAULT_EXCLUDES.has(entry.name)) {
          // Tool and version-control folders never hold project files: not worth naming.
          if (!entry.name.startsWith('.') && entry.name !== '__pycache__')
            hide(`the default exclude of \`${entry.name}/\``);
          continue;
        }
        // .env and .gitignore are read even when git-ignored: fixes must see what they hold.
        const alwaysRead = kind === 'dotenv' || kind === 'gitignore';
        if (!alwaysRead && (isDir || kind)) {
          const layer = layers.find((l) => l.rules.ignores(relPath.slice(l.base.length) + (isDir ? '/' : '')));
          if (layer) {
            const rule = layer.rules.test(relPath.slice(layer.base.length) + (isDir ? '/' : '')).rule;
            hide(`\`${rule?.pattern ?? '?'}\` in ${layer.base}.gitignore`);
            continue;
          }
        }
      }
      if (isDir) subdirs.push([full, `${relPath}/`, layers]);
      else if (kind && corePath) result.files.push(corePath);
    }
    for (let i = subdirs.length - 1; i >= 0; i--) stack.push(subdirs[i]);
  }
  return result;
}
