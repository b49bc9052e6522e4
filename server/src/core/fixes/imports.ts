import type { TopImport } from '../facts/python-model';
import type { ProjectFile } from '../project';
import { detectEol } from '../text';
import type { TextEdit } from '../types';
import { headerEnd } from './edits';

/**
 * Standard-library modules real Flask projects import at the top. isort and ruff put these in
 * one section before third-party imports; a module not listed here is taken as third-party,
 * which only moves where the new import goes, never whether the code runs.
 */
const STDLIB = new Set([
  'abc',
  'argparse',
  'asyncio',
  'base64',
  'binascii',
  'collections',
  'contextlib',
  'copy',
  'csv',
  'datetime',
  'decimal',
  'enum',
  'functools',
  'glob',
  'hashlib',
  'hmac',
  'html',
  'http',
  'importlib',
  'inspect',
  'io',
  'itertools',
  'json',
  'logging',
  'math',
  'mimetypes',
  'os',
  'pathlib',
  'pickle',
  'platform',
  'random',
  're',
  'secrets',
  'shutil',
  'signal',
  'smtplib',
  'socket',
  'sqlite3',
  'string',
  'struct',
  'subprocess',
  'sys',
  'tempfile',
  'threading',
  'time',
  'traceback',
  'typing',
  'unicodedata',
  'urllib',
  'uuid',
  'warnings',
  'zlib',
]);

/**
 * The edit that adds `import <module>` (a standard-library module) where isort and ruff's
 * default profile would: among the plain `import` lines of the standard-library section, in
 * alphabetical order, before its `from` imports; as a section of its own before the first
 * third-party import; after `from __future__` imports and the module docstring.
 */
export function stdlibImportEdit(file: ProjectFile, module: string): TextEdit {
  const text = file.text;
  const eol = detectEol(text);
  const line = `import ${module}`;
  const imports = file.python?.os.imports ?? [];
  const top = (i: TopImport) => i.module.split('.')[0];
  const stdlib = imports.filter((i) => i.module !== '__future__' && STDLIB.has(top(i)));
  const plain = stdlib.filter((i) => !i.from);
  const after = plain.find((i) => top(i) > module);
  if (after) return before(text, after, `${line}${eol}`);
  if (plain.length > 0) return behind(plain[plain.length - 1], `${eol}${line}`);
  if (stdlib.length > 0) return before(text, stdlib[0], `${line}${eol}`);
  const future = imports.filter((i) => i.module === '__future__');
  const firstOther = imports.find((i) => i.module !== '__future__');
  if (firstOther && (future.length === 0 || firstOther.span.start > future[future.length - 1].span.end)) {
    return before(text, firstOther, `${line}${eol}${eol}`);
  }
  if (future.length > 0) return behind(future[future.length - 1], `${eol}${eol}${line}`);
  const at = file.python?.os.importOffset ?? -1;
  if (at >= 0) return { start: at, end: at, newText: `${eol}${line}` };
  const start = headerEnd(text);
  return { start, end: start, newText: `${line}${eol}${eol.repeat(blankLinesToAdd(text.slice(start)))}` };
}

/**
 * Blank lines a first import needs before `rest`, as isort and ruff leave them: two before a
 * class or function, one before other code, none at the end of the file; fewer when `rest`
 * already starts with some.
 */
function blankLinesToAdd(rest: string): number {
  const lines = rest.split('\n');
  const blank = lines.findIndex((l) => l.trim() !== '');
  if (blank === -1) return 0;
  const wanted = /^(class|def|async\s+def|@)/.test(lines[blank]) ? 2 : 1;
  return Math.max(0, wanted - blank);
}

/** Inserts at the start of the import's line (its indentation is none: it is module-level). */
function before(text: string, imp: TopImport, newText: string): TextEdit {
  const start = text.lastIndexOf('\n', imp.span.start - 1) + 1;
  return { start, end: start, newText };
}

function behind(imp: TopImport, newText: string): TextEdit {
  return { start: imp.span.end, end: imp.span.end, newText };
}
