import { Edit, type Node, type Point, type Tree } from 'web-tree-sitter';
import { Chunk } from './chunk';
import type { SourceText, TextChange } from '../types';
import { pointAfter, type SyntaxParser } from './tree-sitter';

/**
 * Source per chunk: a file of 5,000 lines has about a hundred. A keystroke reparses its chunk
 * from the chunk's old tree (0.1 to 0.3 ms). Smaller chunks cost less per keystroke while the
 * text parses, but an unclosed bracket then reaches a chunk's last statement more often, and
 * the chunk is parsed afresh with its neighbours (1 KB doubled the median without auto-closed
 * brackets).
 */
export const CHUNK_SIZE = 2048;

/**
 * An open document's syntax, kept as independent chunks of top-level statements.
 *
 * tree-sitter-python reparses every top-level statement after any edit (its module's statement
 * list and the first token of each statement are not reusable), and an unclosed bracket makes
 * any grammar reparse the rest of the file. Here a keystroke reparses only the chunk it falls
 * in; the chunks after it are shifted. Statements are independent at top level, so chunks that
 * each parse cleanly say exactly what a whole parse says. A chunk that no longer parses alone
 * is parsed again with its neighbours (a bracket closed in the next chunk, a line indented into
 * the function above), and stays on its own if that does not help: the error is then the
 * file's own, and the rest of the file keeps its structure instead of whatever recovery would
 * make of it. `hasError` tells the caller when a whole parse may disagree.
 */
export class ChunkedTree<M> implements SourceText {
  readonly chunks: Chunk<M>[] = [];
  /**
   * The current text from an offset to the end of its chunk, as every tree reads it: a chunk
   * shifted by an edit above it holds the new text's offsets, so its nodes' `text` must come
   * from the new text too. tree-sitter asks again where a chunk ends.
   */
  private readonly source = (offset: number) => {
    const chunk = this.chunks[this.indexAt(offset)];
    return chunk && offset < chunk.end ? chunk.text.slice(offset - chunk.start) : '';
  };
  private constructor(private readonly continuesAbove: (firstCharacter: string) => boolean) {}

  /**
   * The whole text, joined from the chunks. V8 puts a string over 128 KB in its large-object
   * space, so building a large file's text anew on each keystroke costs more than reparsing its
   * chunk: the text is held in the chunks, and joined only when something reads it whole.
   */
  get text(): string {
    return this.chunks.map((c) => c.text).join('');
  }

  /** A part of the text, read across chunks (a SourceText, without the whole). */
  slice(start: number, end: number): string {
    let out = '';
    for (let i = this.indexAt(start); i < this.chunks.length && this.chunks[i].start < end; i++) {
      const chunk = this.chunks[i];
      out += chunk.text.slice(Math.max(0, start - chunk.start), end - chunk.start);
    }
    return out;
  }

  get length(): number {
    return this.chunks.length === 0 ? 0 : this.chunks[this.chunks.length - 1].end;
  }

  /**
   * Parses the whole text once to find statement boundaries, then each chunk on its own.
   * `continuesAbove` says when a statement that begins with a character may, in a whole parse,
   * continue the statement above it (JavaScript's `(` or `[` after a line without a semicolon).
   */
  static parse<M>(
    parser: SyntaxParser,
    text: string,
    continuesAbove: (firstCharacter: string) => boolean = () => false,
  ): ChunkedTree<M> {
    const document = new ChunkedTree<M>(continuesAbove);
    const whole = parser.parse(text);
    let cuts: Cut[];
    try {
      cuts = cutsOf(whole, 0, text.length, 0);
    } finally {
      // Freed before the chunks are parsed: WebAssembly memory never shrinks, so the whole tree
      // and all the chunks' trees at once would set the process's memory for good.
      whole.delete();
    }
    document.chunks.push(...chunksAt<M>(text, 0, cuts));
    for (const chunk of document.chunks) document.parseChunk(parser, chunk);
    return document;
  }

  /** Whether any chunk holds a syntax error. */
  get hasError(): boolean {
    return this.chunks.some((c) => c.hasError);
  }

  /**
   * Applies changes (each relative to the text after the previous one) and reparses the chunks
   * they touch. `length`, when the caller knows it, is the length they must lead to.
   */
  update(parser: SyntaxParser, changes: readonly TextChange[], length?: number): void {
    const dirty = new Set<Chunk<M>>();
    for (const change of changes) dirty.add(this.applyChange(change, dirty));
    if (length !== undefined && this.length !== length) throw new Error('the changes do not lead to the text');
    for (const chunk of dirty) if (this.chunks.includes(chunk)) this.reparse(parser, chunk);
  }

  delete(): void {
    for (const chunk of this.chunks) chunk.free();
    this.chunks.length = 0;
  }

  /** Records one change: the chunks it touches become one, later chunks shift. */
  private applyChange(change: TextChange, dirty: Set<Chunk<M>>): Chunk<M> {
    const { start, oldEnd, newText } = change;
    if (start < 0 || oldEnd < start || oldEnd > this.length) throw new Error('change out of range');
    const first = this.indexAt(start);
    // A change ending where a chunk starts may take the line break before it: that chunk joins.
    const last = Math.max(first, this.indexAt(oldEnd));
    const startPosition = this.pointAt(first, start);
    const edit = new Edit({
      startIndex: start,
      oldEndIndex: oldEnd,
      newEndIndex: start + newText.length,
      startPosition,
      oldEndPosition: this.pointAt(last, oldEnd),
      newEndPosition: pointAfter(startPosition, newText),
    });
    const delta = newText.length - (oldEnd - start);
    const rows = edit.newEndPosition.row - edit.oldEndPosition.row;
    for (let i = last + 1; i < this.chunks.length; i++) this.chunks[i].shift(delta, rows);
    const touched = this.chunks.slice(first, last + 1);
    const joined = touched.map((c) => c.text).join('');
    const from = touched[0].start;
    const merged = new Chunk<M>(
      from,
      touched[touched.length - 1].end + delta,
      joined.slice(0, start - from) + newText + joined.slice(oldEnd - from),
      touched[0].startRow,
    );
    merged.tree = touched[0].tree;
    if (touched.length === 1 && !touched[0].joined) merged.tree.edit(edit);
    else merged.joined = true;
    // The first tree stands in until the reparse (it is never read meanwhile); the others go.
    for (const chunk of touched.slice(1)) {
      chunk.free();
      dirty.delete(chunk);
    }
    dirty.delete(touched[0]);
    this.chunks.splice(first, touched.length, merged);
    return merged;
  }

  /** Reparses a chunk; one that does not parse alone is tried with its neighbours. */
  private reparse(parser: SyntaxParser, chunk: Chunk<M>): void {
    const index = this.chunks.indexOf(chunk);
    const previous = chunk.tree;
    this.parseChunk(parser, chunk, chunk.joined ? undefined : previous);
    previous.delete();
    chunk.joined = undefined;
    chunk.memo = undefined;
    const root = chunk.tree.rootNode;
    // Only an error in the first or the last statement can come from a neighbour: a statement
    // in the middle is whole on both sides, and statements are independent at top level.
    const first = firstStatement(root);
    // A first statement that a whole parse reads with the chunk above, although it parses alone:
    // an indented one belongs to the block above (tree-sitter-python parses a module that starts
    // indented without an error), and one `continuesAbove` names may continue the statement
    // above. It joins the chunk above even if that does not parse: the error is then the file's.
    const joined =
      index > 0 &&
      !!first &&
      (first.startPosition.column > 0 || this.continuesAbove(chunk.text[first.startIndex - chunk.start] ?? ''));
    const withPrevious = joined || (index > 0 && !!first?.hasError);
    // The next chunk can mend a last statement only with a closer or a body it cannot parse
    // alone: one with an error, or one that starts indented. An unclosed bracket typed at top
    // level otherwise cost a wasted parse of both chunks per keystroke; a string opened here
    // and closed there is read right once typing pauses (see Project.settle).
    const next = this.chunks[index + 1];
    const withNext =
      !!next &&
      !!root.lastChild?.hasError &&
      (next.hasError || (firstStatement(next.tree.rootNode)?.startPosition.column ?? 0) > 0);
    if (withPrevious || withNext) {
      const from = withPrevious ? index - 1 : index;
      const to = withNext ? index + 1 : index;
      const neighbours = this.chunks.slice(from, to + 1);
      const merged = new Chunk<M>(
        neighbours[0].start,
        neighbours[neighbours.length - 1].end,
        neighbours.map((c) => c.text).join(''),
        neighbours[0].startRow,
      );
      const tree = this.parseRangeOf(parser, merged);
      if (tree.rootNode.hasError && !joined) tree.delete();
      else {
        merged.tree = tree;
        merged.hasError = tree.rootNode.hasError;
        for (const old of neighbours) old.free();
        this.chunks.splice(from, to - from + 1, merged);
        this.resplit(parser, merged);
        return;
      }
    }
    this.resplit(parser, chunk);
  }

  /** A clean chunk grown well past the chunk size (a paste, a merge) is cut up again. */
  private resplit(parser: SyntaxParser, chunk: Chunk<M>): void {
    if (chunk.end - chunk.start <= 2 * CHUNK_SIZE || chunk.hasError) return;
    const cuts = cutsOf(chunk.tree, chunk.start, chunk.end, chunk.startRow);
    if (cuts.length === 1) return;
    chunk.free();
    const parts = chunksAt<M>(chunk.text, chunk.start, cuts);
    this.chunks.splice(this.chunks.indexOf(chunk), 1, ...parts);
    for (const part of parts) this.parseChunk(parser, part);
  }

  /** Parses a chunk (its text already in place among the chunks), guided by `previous`. */
  private parseChunk(parser: SyntaxParser, chunk: Chunk<M>, previous?: Tree): void {
    chunk.tree = this.parseRangeOf(parser, chunk, previous);
    chunk.hasError = chunk.tree.rootNode.hasError;
  }

  private parseRangeOf(parser: SyntaxParser, chunk: Chunk<M>, previous?: Tree): Tree {
    const range = {
      startIndex: chunk.start,
      endIndex: chunk.end,
      startPosition: { row: chunk.startRow, column: 0 },
      endPosition: pointIn(chunk.text, chunk.startRow, chunk.text.length),
    };
    return parser.parseRange(this.source, range, previous);
  }

  /** The chunk holding an offset (the last one for the end of the text). */
  private indexAt(offset: number): number {
    let lo = 0;
    let hi = this.chunks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.chunks[mid].start <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** The point of an offset within chunk `index`. */
  private pointAt(index: number, offset: number): Point {
    const chunk = this.chunks[index];
    return pointIn(chunk.text, chunk.startRow, offset - chunk.start);
  }
}

/** The first child of a chunk's root that is not a comment (a comment starts any column). */
function firstStatement(root: Node): Node | null {
  for (let child = root.firstNamedChild; child; child = child.nextNamedSibling)
    if (child.type !== 'comment') return child;
  return null;
}

/** Where a chunk starts: an offset at a line's first column, and that line. */
interface Cut {
  offset: number;
  row: number;
}

/**
 * Where to cut `[start, end)` into chunks: at the top-level statements of `tree` (a parse
 * covering that range) that begin a line, about CHUNK_SIZE apart. Never at a comment, which
 * belongs to whatever follows it.
 */
function cutsOf(tree: Tree, start: number, end: number, startRow: number): Cut[] {
  const cuts: Cut[] = [{ offset: start, row: startRow }];
  const cursor = tree.rootNode.walk();
  try {
    if (cursor.gotoFirstChild()) {
      do {
        const at = cursor.startIndex;
        const previous = cuts[cuts.length - 1].offset;
        if (
          at - previous >= CHUNK_SIZE &&
          at < end &&
          cursor.startPosition.column === 0 &&
          cursor.nodeType !== 'comment'
        )
          cuts.push({ offset: at, row: cursor.startPosition.row });
      } while (cursor.gotoNextSibling());
    }
  } finally {
    cursor.delete();
  }
  return cuts;
}

/**
 * The chunks the cuts make of `text`, which starts at offset `start`; their trees are set by
 * parseChunk() once all of them are in place (a parse reads through the chunks).
 */
function chunksAt<M>(text: string, start: number, cuts: Cut[]): Chunk<M>[] {
  return cuts.map((cut, i) => {
    const end = i + 1 < cuts.length ? cuts[i + 1].offset : start + text.length;
    return new Chunk<M>(cut.offset, end, text.slice(cut.offset - start, end - start), cut.row);
  });
}

/** The point of `offset` in `text`, whose first line is row `row`. */
function pointIn(text: string, row: number, offset: number): Point {
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    row++;
    lineStart = i + 1;
  }
  return { row, column: offset - lineStart };
}
