import { flaskConfig } from '../flask-config';
import type { ProjectFile } from '../project';
import type { RuleContext } from '../rules/rule';
import { detectEol } from '../text';
import type { FileChange, Span, TextEdit } from '../types';
import { environAccess, readEnvChange } from './environment';

/**
 * The code side of reading the session key from `variable` at `span`. At module level or in
 * the app factory that is `os.environ["X"]`, which fails at start-up when the variable is
 * unset. A config class body runs when its module is imported, for every configuration, the
 * test one included, so there the read is `os.environ.get("X")` and the app fails fast after
 * it loads its configuration, unless it is testing or debugging:
 * `if not app.config["SECRET_KEY"] and not (app.testing or app.debug): raise RuntimeError(...)`.
 * The check is added once, after the app's last `config.from_*` call, where nothing checks
 * the key yet; the module stays importable by tests and development without the variable.
 */
export function keyReadChanges(
  ctx: RuleContext,
  file: ProjectFile,
  span: Span,
  variable: string,
  inClass: boolean,
): FileChange[] {
  if (!inClass) return [readEnvChange(file, span, variable)];
  const { environ, importEdits } = environAccess(file);
  const changes = new Map<string, TextEdit[]>([
    [file.path, [...importEdits, { ...span, newText: `${environ}.get("${variable}")` }]],
  ]);
  const check = failFastCheck(ctx, variable);
  if (check) changes.set(check.path, [...(changes.get(check.path) ?? []), check.edit]);
  return [...changes].map(([path, edits]) => ({ path, edits }));
}

function failFastCheck(ctx: RuleContext, variable: string): { path: string; edit: TextEdit } | undefined {
  const checked = [...ctx.project.all()].some(
    (f) => !f.isTest && f.python?.failFast.some((n) => n === variable || /^(SECRET_KEY|secret_key)$/.test(n)),
  );
  if (checked) return undefined;
  // One app that loads its configuration: the check goes after its last load.
  const loaders = flaskConfig(ctx.project).apps.filter(({ file, app }) => app.target && file.python?.loads.length);
  if (loaders.length !== 1) return undefined;
  const { file, app } = loaders[0];
  const last = file.python?.loads.reduce((a, b) => (b.span.end > a.span.end ? b : a));
  if (!last) return undefined;
  const text = file.text;
  const lineStart = text.lastIndexOf('\n', last.span.start - 1) + 1;
  const indent = /^[ \t]*/.exec(text.slice(lineStart))?.[0] ?? '';
  const lineEnd = text.indexOf('\n', last.span.end);
  const end = lineEnd === -1 ? text.length : text[lineEnd - 1] === '\r' ? lineEnd - 1 : lineEnd;
  // A load that shares its line with more code (`x = 1; app.config.from_object(C)`) is left alone.
  if (text.slice(last.span.end, end).trim() !== '') return undefined;
  const eol = detectEol(text);
  const a = app.target;
  const statement = `if not ${a}.config["SECRET_KEY"] and not (${a}.testing or ${a}.debug):${eol}${indent}    raise RuntimeError("${variable} is not set")`;
  return { path: file.path, edit: { start: end, end, newText: `${eol}${indent}${statement}` } };
}
