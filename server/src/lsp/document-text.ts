import { LineIndex, lineStartsOf, PiecedText, type Position } from '../core/text';

/** Characters per piece: a keystroke copies one piece, and a 5,000-line file has about 25. */
const PIECE_SIZE = 8192;

/**
 * An open document's text in pieces of whole lines (each but the last ends with a line feed),
 * changed in place by the editor's edits: a keystroke copies its piece, never the whole file
 * (see PiecedText), and a position is found by counting lines piece by piece.
 */
export class DocumentText {
  private pieces: string[] = [];
  /** Each piece's line starts (see lineStartsOf), found once per piece. */
  private starts: number[][] = [];
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
      // A piece ends with its last line's break, so its lines are its starts but the last.
      const lines = this.starts[i].length - 1;
      if (position.line < line + lines || i === this.pieces.length - 1) {
        const index = new LineIndex(this.pieces[i], this.starts[i]);
        return offset + index.offsetAt({ line: position.line - line, character: position.character });
      }
      line += lines;
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
    this.starts.splice(index, count, ...pieces.map(lineStartsOf));
  }
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
