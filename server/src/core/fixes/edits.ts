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

/** A compound statement's header: a one-line body follows its `:` on the same line. */
const COMPOUND_HEADER = /^\s*(async\s+)?(class|def|if|elif|else|for|while|with|try|except|finally|match|case)\b/;

/**
 * Inserts a Python statement right after the statement ending at `end`. Normally that is a
 * new line with the statement's indentation; but when the statement is the one-line body of
 * a compound statement (`class Config: X = 1`, `if debug: app = Flask(...)`), a new line would
 * land outside the body, or with the header's indentation turn the body into something else,
 * so the new statement joins the body on the same line: `class Config: X = 1; Y = 2`.
 */
export function statementAfter(text: string, end: number, indent: string, statement: string): TextEdit {
  const lineStart = text.lastIndexOf('\n', end - 1) + 1;
  if (COMPOUND_HEADER.test(text.slice(lineStart, end))) return { start: end, end, newText: `; ${statement}` };
  return { start: end, end, newText: `${detectEol(text)}${indent}${statement}` };
}
