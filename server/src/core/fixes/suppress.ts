import type { ProjectFile } from '../project';
import { detectEol, LineIndex } from '../text';
import type { Fix, Finding } from '../types';
import { headerEnd } from './edits';

/** "Disable SL101 for this line": adds the code to the line's suppression comment. */
export function disableForLine(file: ProjectFile, finding: Finding): Fix {
  const index = new LineIndex(file.text);
  const line = index.positionAt(finding.span.start).line;
  const start = index.lineStart(line);
  const end = index.lineEnd(line);
  const text = file.text.slice(start, end);
  const existing = /(#|\/\/)\s*sessionlint:\s*disable=([\w\-]+(?:\s*,\s*[\w\-]+)*)/.exec(text);
  const edit = existing
    ? { start: start + existing.index + existing[0].length, end: start + existing.index + existing[0].length, newText: `,${finding.ruleId}` }
    : { start: end, end, newText: `  # sessionlint: disable=${finding.ruleId}` };
  return { title: `Disable ${finding.ruleId} for this line`, safety: 'safe', changes: [{ path: file.path, edits: [edit] }] };
}

/** "Disable SL101 for this file": a `disable-file` comment at the top. */
export function disableForFile(file: ProjectFile, finding: Finding): Fix {
  const existing = /(#|\/\/)\s*sessionlint:\s*disable-file=([\w\-]+(?:\s*,\s*[\w\-]+)*)/.exec(file.text);
  const at = existing ? existing.index + existing[0].length : headerEnd(file.text);
  const newText = existing ? `,${finding.ruleId}` : `# sessionlint: disable-file=${finding.ruleId}${detectEol(file.text)}`;
  return { title: `Disable ${finding.ruleId} for this file`, safety: 'safe', changes: [{ path: file.path, edits: [{ start: at, end: at, newText }] }] };
}
