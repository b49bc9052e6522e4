import type { ConfigSite } from '../facts/python-model';
import type { ProjectFile } from '../project';
import { statementAfter } from './edits';
import type { FileChange, Span } from '../types';

/**
 * Sets another Flask setting next to an existing one, written the same way: a class or module
 * attribute (`SESSION_COOKIE_SECURE = True`) or an app config item (`app.config[...] = True`).
 * Undefined for settings that live in a TOML/JSON file or whose statement is unknown.
 */
export function siblingSettingChange(
  file: ProjectFile,
  site: ConfigSite,
  key: string,
  pythonValue: string,
): FileChange | undefined {
  if (!file.python || !site.statement) return undefined;
  const target = site.owner.kind === 'app' ? (site.configObject ? `${site.configObject}["${key}"]` : undefined) : key;
  if (!target) return undefined;
  const at = site.statement.end;
  return {
    path: file.path,
    edits: [statementAfter(file.text, at, site.statement.indent, `${target} = ${pythonValue}`)],
  };
}

/** Replaces a setting's value in Python code. */
export function replaceValueChange(file: ProjectFile, span: Span, pythonValue: string): FileChange | undefined {
  return file.python ? { path: file.path, edits: [{ ...span, newText: pythonValue }] } : undefined;
}
