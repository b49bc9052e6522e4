import type { SourceText } from './types';

/** A zero-based line and a UTF-16 column, as in LSP. */
export interface Position {
  line: number;
  character: number;
}

/**
 * One version of an open document's text, kept in the pieces the editor's copy is held in.
 * V8 puts a string over 128 KB in its large-object space, so joining a large file anew on each
 * keystroke costs a third of a millisecond before anything reads it; what reads only parts (an
 * open Python document's chunks) never joins it, and the rest joins it once, on first read.
 */
export class PiecedText {
  private joined?: string;

  constructor(
    private readonly pieces: readonly string[],
    readonly length: number,
  ) {}

  toString(): string {
    this.joined ??= this.pieces.join('');
    return this.joined;
  }
}

/** A file's text as the model is given it: whole, or an open document's pieces. */
export type Content = string | PiecedText;

/**
 * Where each line starts: after `\n`, `\r\n` or a lone `\r`, as LSP counts lines. The first
 * line's start (0) is included.
 */
export function lineStartsOf(text: string): number[] {
  const starts = [0];
  // Without a carriage return, only line feeds break lines: indexOf finds them several
  // times faster than a loop over every character (a keystroke builds one per version).
  if (!text.includes('\r')) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    return starts;
  }
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) starts.push(i + 1);
    else if (c === 13 && text.charCodeAt(i + 1) !== 10) starts.push(i + 1);
  }
  return starts;
}

/** Maps offsets to lines and columns and back; built once per text. */
export class LineIndex {
  private readonly text: SourceText;
  private readonly starts: number[];

  constructor(text: string);
  /**
   * A text held in parts, with its line starts (see lineStartsOf) found by whoever holds it:
   * the text is then read only for a line's end.
   */
  constructor(text: SourceText, starts: number[]);
  constructor(text: SourceText, starts?: number[]) {
    this.text = text;
    this.starts = starts ?? lineStartsOf(text as string);
  }

  get lineCount(): number {
    return this.starts.length;
  }

  lineStart(line: number): number {
    return this.starts[Math.max(0, Math.min(line, this.starts.length - 1))];
  }

  /** The offset just before the line's line break. */
  lineEnd(line: number): number {
    if (line + 1 >= this.starts.length) return this.text.length;
    let end = this.starts[line + 1];
    const lineBreak = this.text.slice(Math.max(0, end - 2), end);
    if (lineBreak.endsWith('\n')) end--;
    if (lineBreak === '\r\n' || lineBreak.endsWith('\r')) end--;
    return end;
  }

  positionAt(offset: number): Position {
    offset = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: offset - this.starts[lo] };
  }

  offsetAt(position: Position): number {
    if (position.line >= this.starts.length) return this.text.length;
    const start = this.lineStart(position.line);
    return Math.min(start + Math.max(0, position.character), this.lineEnd(position.line));
  }
}

/** The line break a file already uses, so inserted lines match it. */
export function detectEol(text: string): string {
  const i = text.indexOf('\n');
  return i > 0 && text[i - 1] === '\r' ? '\r\n' : '\n';
}

/** Applies non-overlapping edits; throws on overlap so a fix can never garble text. */
export function applyEdits(text: string, edits: readonly { start: number; end: number; newText: string }[]): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  let out = '';
  let pos = 0;
  for (const e of sorted) {
    if (e.start < pos || e.end < e.start || e.end > text.length) throw new Error('overlapping or out-of-range edit');
    out += text.slice(pos, e.start) + e.newText;
    pos = e.end;
  }
  return out + text.slice(pos);
}

/** The spaces and tabs that start the line holding `offset`, up to it. */
export function indentAt(text: string, offset: number): string {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart, offset))?.[0] ?? '';
}

/** The whole lines a span touches, without the final line break. */
export function lineSpan(text: string, span: { start: number; end: number }): { start: number; end: number } {
  const start = text.lastIndexOf('\n', span.start - 1) + 1;
  const nl = text.indexOf('\n', span.end);
  return { start, end: nl === -1 ? text.length : nl };
}
