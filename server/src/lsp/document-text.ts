import { PiecedText, type Position } from '../core/text';

/** Characters per piece: a keystroke copies one piece, and a 5,000-line file has about 25. */
const PIECE_SIZE = 8192;

/**
 * An open document's text in pieces of whole lines (each but the last ends with a line feed),
 * changed in place by the editor's edits: a keystroke copies its piece, never the whole file
 * (see PiecedText), and a position is found by counting lines piece by piece.
 */
export class DocumentText {
  private pieces: string[] = [];
  /** Line breaks per piece: `\n`, `\r\n` and a lone `\r`, as LSP counts lines. */
  private breaks: number[] = [];
  private total = 0;

  /** `pieceSize` is for tests, to make many pieces of a short text. */
  constructor(
    text: string,
    private readonly pieceSize = PIECE_SIZE,
  ) {
    this.replace(0, 0, cut(text, pieceSize));
    this.total = text.length;
  }

  get length(): number {
    return this.total;
  }

  /** This version, for the model: later edits leave it alone. */
  snapshot(): PiecedText {
    return new PiecedText([...this.pieces], this.total);
  }

  /** The offset of a position; a column past the line's end means its end, as in LineIndex. */
  offsetAt(position: Position): number {
    let line = 0;
    let offset = 0;
    for (let i = 0; i < this.pieces.length; i++) {
      if (position.line < line + this.breaks[i] || i === this.pieces.length - 1)
        return offset + offsetInPiece(this.pieces[i], position.line - line, position.character);
      line += this.breaks[i];
      offset += this.pieces[i].length;
    }
    return 0;
  }

  /** Replaces `[start, oldEnd)` with `newText`; the offsets are in order and within the text. */
  apply(start: number, oldEnd: number, newText: string): void {
    if (start < 0 || oldEnd < start || oldEnd > this.total) throw new Error('change out of range');
    let first = 0;
    let firstStart = 0;
    while (first < this.pieces.length - 1 && start >= firstStart + this.pieces[first].length) {
      firstStart += this.pieces[first].length;
      first++;
    }
    let last = first;
    let lastEnd = firstStart + this.pieces[first].length;
    while (last < this.pieces.length - 1 && oldEnd > lastEnd) {
      last++;
      lastEnd += this.pieces[last].length;
    }
    const joined = this.pieces.slice(first, last + 1).join('');
    let text = joined.slice(0, start - firstStart) + newText + joined.slice(oldEnd - firstStart);
    // Pieces end at a line feed, so that no line (nor a `\r\n`) is split between two.
    while (!text.endsWith('\n') && last < this.pieces.length - 1) text += this.pieces[++last];
    this.replace(first, last - first + 1, cut(text, this.pieceSize));
    this.total += newText.length - (oldEnd - start);
  }

  private replace(index: number, count: number, pieces: string[]): void {
    this.pieces.splice(index, count, ...pieces);
    this.breaks.splice(index, count, ...pieces.map(lineBreaks));
  }
}

/** Where line `line` of `text` starts (0 past the last), scanning without building a table. */
function lineStartIn(text: string, line: number): number {
  let start = 0;
  for (let seen = 0; seen < line; seen++) {
    const next = nextLineStart(text, start);
    if (next === -1) return -1;
    start = next;
  }
  return start;
}

/** The start of the line after the one at `from` (after `\n`, `\r\n` or a lone `\r`), or -1. */
function nextLineStart(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) return i + 1;
    if (c === 13) return text.charCodeAt(i + 1) === 10 ? i + 2 : i + 1;
  }
  return -1;
}

/** As LineIndex.offsetAt() over `text` alone: a line past the end means the end. */
function offsetInPiece(text: string, line: number, character: number): number {
  const start = lineStartIn(text, line);
  if (start === -1) return text.length;
  const next = nextLineStart(text, start);
  let end = next === -1 ? text.length : next;
  if (next !== -1) end -= text.charCodeAt(next - 1) === 10 && text.charCodeAt(next - 2) === 13 ? 2 : 1;
  return Math.min(start + Math.max(0, character), end);
}

/** Line breaks in `text`, as LSP counts lines. */
function lineBreaks(text: string): number {
  let count = 0;
  for (let at = nextLineStart(text, 0); at !== -1; at = nextLineStart(text, at)) count++;
  return count;
}

/** Cuts text into pieces of about `size`, each ending after a line feed (but the last). */
function cut(text: string, size: number): string[] {
  const pieces: string[] = [];
  let from = 0;
  while (text.length - from > size) {
    const at = text.indexOf('\n', from + size);
    if (at === -1) break;
    pieces.push(text.slice(from, at + 1));
    from = at + 1;
  }
  if (from < text.length || pieces.length === 0) pieces.push(text.slice(from));
  return pieces;
}
