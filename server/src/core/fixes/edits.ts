import { detectEol } from '../text';
import type { TextEdit } from '../types';

/** An edit that adds `line` as the last line of `text`, keeping its line breaks. */
export function appendLine(text: string, line: string): TextEdit {
  const eol = detectEol(text);
  const needsBreak = text.length > 0 && !text.endsWith('\n');
  return { start: text.length, end: text.length, newText: (needsBreak ? eol : '') + line + eol };
}

/**
 * Offset after the lines that must stay first: a shebang, a Python encoding line, Dockerfile
 * parser directives (`# syntax=`, `# escape=`, `# check=`, which a comment above would disable).
 */
export function headerEnd(text: string): number {
  let offset = 0;
  while (offset < text.length) {
    const lineEnd = text.indexOf('\n', offset);
    const line = text.slice(offset, lineEnd === -1 ? text.length : lineEnd);
    if (!/^#!|^#.*coding[:=]|^#\s*(syntax|escape|check)\s*=/i.test(line)) break;
    offset = lineEnd === -1 ? text.length : lineEnd + 1;
  }
  return offset;
}
