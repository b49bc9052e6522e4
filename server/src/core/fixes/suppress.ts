import type { FileKind } from '../files';
import type { ProjectFile } from '../project';
import { detectEol, LineIndex } from '../text';
import type { Fix, Finding, TextEdit } from '../types';
import { headerEnd } from './edits';

/**
 * Where a `#` comment may go in each kind of file. In Dockerfiles, systemd units and INI files
 * a `#` after a value is part of the value, so comments go on their own line; JSON has none.
 */
const COMMENTS: Record<FileKind, 'inline' | 'own-line' | 'none'> = {
  python: 'inline',
  dotenv: 'inline',
  gitignore: 'own-line',
  requirements: 'inline',
  pyproject: 'inline',
  'poetry-lock': 'inline',
  'toml-config': 'inline',
  nginx: 'inline',
  caddyfile: 'inline',
  traefik: 'inline',
  'uwsgi-yaml': 'inline',
  'fly-toml': 'inline',
  'render-yaml': 'inline',
  // JSON takes no comments.
  'app-json': 'none',
  kubernetes: 'inline',
  // Apache allows no comment after a directive on its line.
  apache: 'own-line',
  compose: 'inline',
  procfile: 'inline',
  shell: 'inline',
  dockerfile: 'own-line',
  systemd: 'own-line',
  'paste-ini': 'own-line',
  'setup-cfg': 'own-line',
  supervisor: 'own-line',
  'pipfile-lock': 'none',
  'json-config': 'none',
  'node-config': 'none',
  'config-candidate': 'none',
  javascript: 'inline',
  typescript: 'inline',
  'package-json': 'none',
  'npm-lock': 'none',
};

/** The line comment of a file kind: `//` in scripts, `#` everywhere else. */
const marker = (file: ProjectFile) => (file.kind === 'javascript' || file.kind === 'typescript' ? '//' : '#');

const LINE_COMMENT = /(#|\/\/)\s*sessionlint:\s*disable=([\w-]+(?:\s*,\s*[\w-]+)*)/;
const NEXT_LINE_COMMENT = /^(\s*)(?:#|\/\/)\s*sessionlint:\s*disable-next-line=([\w-]+(?:\s*,\s*[\w-]+)*)/;

/**
 * "Disable SL101 for this line". At the end of the line where that is a comment; otherwise
 * (own-line kinds, a line continued with `\`, a finding that runs past its first line, such as a
 * multi-line string) as `disable-next-line` on its own line above. Undefined for JSON.
 */
export function disableForLine(file: ProjectFile, finding: Finding): Fix | undefined {
  const style = COMMENTS[file.kind];
  if (style === 'none') return undefined;
  const index = new LineIndex(file.text);
  const line = index.positionAt(finding.span.start).line;
  const start = index.lineStart(line);
  const end = index.lineEnd(line);
  const text = file.text.slice(start, end);
  const title = `Disable ${finding.ruleId} for this line`;
  const existing = LINE_COMMENT.exec(text);
  const inline = style === 'inline' && finding.span.end <= end && !/\\\s*$/.test(text);
  let edit: TextEdit;
  if (existing) {
    const at = start + existing.index + existing[0].length;
    edit = { start: at, end: at, newText: `,${finding.ruleId}` };
  } else if (inline) {
    edit = { start: end, end, newText: `  ${marker(file)} sessionlint: disable=${finding.ruleId}` };
  } else {
    const above =
      line > 0 ? NEXT_LINE_COMMENT.exec(file.text.slice(index.lineStart(line - 1), index.lineEnd(line - 1))) : null;
    if (above) {
      const at = index.lineStart(line - 1) + above[0].length;
      edit = { start: at, end: at, newText: `,${finding.ruleId}` };
    } else {
      const indent = /^[ \t]*/.exec(text)?.[0] ?? '';
      edit = {
        start,
        end: start,
        newText: `${indent}${marker(file)} sessionlint: disable-next-line=${finding.ruleId}${detectEol(file.text)}`,
      };
    }
  }
  return { title, safety: 'safe', changes: [{ path: file.path, edits: [edit] }] };
}

/** "Disable SL101 for this file": a `disable-file` comment at the top. Undefined for JSON. */
export function disableForFile(file: ProjectFile, finding: Finding): Fix | undefined {
  if (COMMENTS[file.kind] === 'none') return undefined;
  const existing = /(#|\/\/)\s*sessionlint:\s*disable-file=([\w-]+(?:\s*,\s*[\w-]+)*)/.exec(file.text);
  const at = existing ? existing.index + existing[0].length : headerEnd(file.text);
  const newText = existing
    ? `,${finding.ruleId}`
    : `${marker(file)} sessionlint: disable-file=${finding.ruleId}${detectEol(file.text)}`;
  return {
    title: `Disable ${finding.ruleId} for this file`,
    safety: 'safe',
    changes: [{ path: file.path, edits: [{ start: at, end: at, newText }] }],
  };
}
