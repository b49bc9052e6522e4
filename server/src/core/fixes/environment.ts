import ignore from 'ignore';
import type { ProjectFile, Project } from '../project';
import { joinPath } from '../paths';
import type { FileChange, Span, TextEdit } from '../types';
import { appendLine, statementAfter } from './edits';
import { stdlibImportEdit } from './imports';

/** How a Python file names `os.environ`, with the import to add when it has none. */
export function environAccess(file: ProjectFile): { environ: string; importEdits: TextEdit[] } {
  const environ = file.python?.os.environ;
  if (environ) return { environ, importEdits: [] };
  return { environ: 'os.environ', importEdits: [stdlibImportEdit(file, 'os')] };
}

/**
 * Replaces `span` in a Python file with a read of `variable` that fails fast when unset:
 * `reader("X")` in the project's own style (django-environ, decouple), else `os.environ["X"]`.
 */
export function readEnvChange(file: ProjectFile, span: Span, variable: string, reader?: string): FileChange {
  if (reader) return { path: file.path, edits: [{ ...span, newText: `${reader}("${variable}")` }] };
  const { environ, importEdits } = environAccess(file);
  return { path: file.path, edits: [...importEdits, { ...span, newText: `${environ}["${variable}"]` }] };
}

/**
 * The name a settings module reads variables with at `offset`, when it uses django-environ or
 * python-decouple: bound in the file before that point, imported by name from a module that
 * binds it (`from .base import env`), or brought in by `from .base import *`.
 */
export function envReader(project: Project, file: ProjectFile, offset: number): string | undefined {
  const facts = file.python;
  if (!facts) return undefined;
  const own = facts.os.envReader;
  if (own && own.bound <= offset) return own.name;
  for (const [local, binding] of Object.entries(facts.imports)) {
    const source = binding.name ? project.findModule(binding.module)?.python?.os.envReader : undefined;
    if (source && source.name === binding.name && binding.span.end <= offset) return local;
  }
  for (const module of facts.starImports) {
    const source = project.findModule(module)?.python?.os.envReader;
    if (source) return source.name;
  }
  return undefined;
}

/**
 * Removes the `default=` argument of a django-environ or decouple read
 * (`env("K", default="x")` to `env("K")`), so a missing variable fails at start-up. Undefined
 * when the default is not written as a keyword right after another argument.
 */
export function removeDefaultChange(file: ProjectFile, read: Span, fallback: Span): FileChange | undefined {
  const before = /,\s*default\s*=\s*$/.exec(file.text.slice(read.start, fallback.start));
  if (!before) return undefined;
  return { path: file.path, edits: [{ start: read.start + before.index, end: fallback.end, newText: '' }] };
}

/** Inserts `statement` on a new line after `offset` (the end of a statement), indented like it. */
export function insertStatementEdit(file: ProjectFile, offset: number, indent: string, statement: string): TextEdit {
  return statementAfter(file.text, offset, indent, statement);
}

/**
 * The development side of moving a secret into the environment: `.env` gets the value
 * (never duplicated, never overwritten), `.env` is git-ignored, `.env.example` gets the name.
 * `value` undefined writes no value (the variable exists already or there is nothing to keep).
 */
export function dotenvChanges(project: Project, variable: string, value: string | undefined): FileChange[] {
  const changes: FileChange[] = [];
  const envPath = joinPath(project.root, '.env');
  const env = project.get(envPath);
  const hasEntry = env?.dotenv?.entries.some((e) => e.name === variable) ?? false;
  if (!hasEntry && value !== undefined) {
    const line = `${variable}=${dotenvValue(value)}`;
    changes.push(
      env
        ? { path: envPath, edits: [appendLine(env.text, line)] }
        : { path: envPath, create: true, edits: [{ start: 0, end: 0, newText: `${line}\n` }] },
    );
  }
  const ignoring = ignoreChange(project, '.env');
  if (ignoring) changes.push(ignoring);
  const example = project.get(joinPath(project.root, '.env.example'));
  if (example && !example.dotenv?.entries.some((e) => e.name === variable)) {
    changes.push({ path: example.path, edits: [appendLine(example.text, `${variable}=`)] });
  }
  return changes;
}

/** Whether git ignores a file, by the project's .gitignore files from the root down. */
export function isGitIgnored(project: Project, relative: string): boolean {
  // A monorepo's .gitignore above the project counts as git counts it.
  for (const outer of project.git?.outerIgnores ?? []) {
    const fromThere = `${project.root.slice(outer.dir.length + 1)}/${relative}`;
    if (ignore().add(outer.text).ignores(fromThere)) return true;
  }
  const parts = relative.split('/');
  for (let depth = 0; depth < parts.length; depth++) {
    const dir = parts.slice(0, depth).join('/');
    const gitignore = project.get(joinPath(project.root, dir ? `${dir}/.gitignore` : '.gitignore'));
    if (gitignore && ignore().add(gitignore.text).ignores(parts.slice(depth).join('/'))) return true;
  }
  return false;
}

/** Appends `relative` to the root .gitignore (created if absent), unless git ignores it already. */
export function ignoreChange(project: Project, relative: string): FileChange | undefined {
  if (isGitIgnored(project, relative)) return undefined;
  const path = joinPath(project.root, '.gitignore');
  const gitignore = project.get(path);
  return gitignore
    ? { path, edits: [appendLine(gitignore.text, relative)] }
    : { path, create: true, edits: [{ start: 0, end: 0, newText: `${relative}\n` }] };
}

/** Whether `.env` already defines the variable (a fix then writes no value). */
export function dotenvHas(project: Project, variable: string): boolean {
  return project.get(joinPath(project.root, '.env'))?.dotenv?.entries.some((e) => e.name === variable) ?? false;
}

/**
 * The value as python-dotenv reads it back: bare when plain, else single-quoted (no escapes,
 * no interpolation), else double-quoted with escapes. Undefined when no form is faithful.
 */
export function dotenvValue(value: string): string {
  if (/^[A-Za-z0-9_\-.:/+=@%~,^*!]*$/.test(value)) return value;
  if (!value.includes("'") && !/[\r\n]/.test(value)) return `'${value}'`;
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\r/g, '\\r')}"`;
}

/** Whether a secret can be written to `.env` and read back unchanged. */
export function dotenvCanHold(value: string): boolean {
  // python-dotenv expands ${VAR} inside double quotes; single quotes cannot hold a quote or newline.
  return !(/\$\{/.test(value) && (value.includes("'") || /[\r\n]/.test(value))) && !value.includes('\0');
}
