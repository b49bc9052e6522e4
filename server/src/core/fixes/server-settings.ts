import type { SettingInsert } from '../facts/deploy-model';
import type { ProjectFile } from '../project';
import { detectEol } from '../text';
import type { FileChange } from '../types';

/**
 * Adds settings to a server where it is configured, in that place's own syntax:
 * `serve(app, trusted_proxy="...")`, `waitress-serve --trusted-proxy=...` (shell words, or one
 * element per flag in an exec-form array), a PasteDeploy `key = value` line, or an assignment
 * in gunicorn.conf.py. Undefined when the place cannot be edited safely.
 */
export function addServerSettings(
  file: ProjectFile,
  run: { insert?: SettingInsert },
  settings: [name: string, value: string][],
): FileChange | undefined {
  const insert = run.insert;
  if (!insert || settings.length === 0) return undefined;
  const eol = detectEol(file.text);
  let newText: string;
  switch (insert.style) {
    case 'keyword': {
      const before = file.text.slice(0, insert.offset).trimEnd();
      const comma = before.endsWith(',') || before.endsWith('(') ? (before.endsWith(',') ? ' ' : '') : ', ';
      newText = comma + settings.map(([k, v]) => `${k}=${pythonLiteral(v)}`).join(', ');
      break;
    }
    case 'flag': {
      const flags = settings.map(([k, v]) => `--${k.replace(/_/g, '-')}=${v}`);
      if (insert.array) newText = flags.map((f) => `", "${f}`).join('');
      else newText = flags.map((f) => ` ${shellQuote(f, insert.quote)}`).join('');
      break;
    }
    case 'ini':
      newText = settings.map(([k, v]) => `${eol}${k} = ${v}`).join('');
      break;
    case 'assignment': {
      const lead = file.text.length === 0 || file.text.endsWith('\n') ? '' : eol;
      newText = lead + settings.map(([k, v]) => `${k} = ${pythonLiteral(v)}${eol}`).join('');
      break;
    }
  }
  return { path: file.path, edits: [{ start: insert.offset, end: insert.offset, newText }] };
}

function pythonLiteral(value: string): string {
  return /^\d+$/.test(value) || value === 'True' || value === 'False' ? value : JSON.stringify(value);
}

/** `--flag=value` as one shell word, quoted only when needed and never with `avoid`. */
function shellQuote(flag: string, avoid?: string): string {
  const eq = flag.indexOf('=');
  const value = flag.slice(eq + 1);
  // `*` is quoted too: a shell would otherwise try it as a file name pattern.
  if (/^[\w@%+=:,./-]*$/.test(value)) return flag;
  const quote = avoid === '"' ? "'" : '"';
  return `${flag.slice(0, eq + 1)}${quote}${value}${quote}`;
}
