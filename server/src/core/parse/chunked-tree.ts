import { Edit, type Node, type Point, type Tree } from 'web-tree-sitter';
import type { TextChange } from '../types';
import { pointAfter, type SyntaxParser } from './tree-sitter';

/**
 * Source per chunk. Reparsing this much takes about half a millisecond, and a file of 5,000
 * lines has about a hundred chunks, each shifted (not reparsed) by an edit above it.
 */
export const CHUNK_SIZE = 2048;

/** A run of whole top-level statements with its own syntax tree (absolute offsets). */
export interface Chunk<M> {
  start: number;
  end: number;
  /** Zero-based line of `start`; chunks always start at a line's first column. */
  startRow: number;
  tree: Tree;
  /**
   * Set when `tree` stands in for a range it never covered (chunks joined by an edit): the next
   * parse starts afresh. Otherwise the tree, edited with each change, guides the reparse.
   */
  joined?: true;
  /** What a fact extractor derived from this chunk alone, dropped when the chunk is reparsed. */
  memo?: M;
}

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
export class ChunkedTree<M> {
  readonly chunks: Chunk<M>[] = [];
  /**
   * The current text, as every chunk's tree reads it: a chunk shifted by an edit above it
   * holds the offsets of the new text, so its nodes' `text` must come from the new text too.
   */
  private readonly source = (offset: number) => this.text.slice(offset);

  private constructor(
    private text: string,
    private readonly continuesAbove: (firstCharacter: string) => boolean,
  ) {}

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
    const document = new ChunkedTree<M>(text, continuesAbove);
    const whole = parser.parse(text);
    let cuts: Cut[];
    try {
      cuts = cutsOf(whole, 0, text.length, 0);
    } finally {
      // Freed before the chunks are parsed: WebAssembly memory never shrinks, so the whole tree
      // and all the chunks' trees at once would set the process's memory for good.
      whole.delete();
    }
    document.chunks.push(...parseChunks<M>(parser, document.source, cuts, text.length));
    return document;
  }

  /** Whether any chunk holds a syntax error. */
  get hasError(): boolean {
    return this.chunks.some((c) => c.tree.rootNode.hasError);
  }

  /**
   * Applies the changes that lead to `text` (each relative to the text after the previous one)
   * and reparses the chunks they touch.
   */
  update(parser: SyntaxParser, text: string, changes: readonly TextChange[]): void {
    const dirty = new Set<Chunk<M>>();
    for (const [i, change] of changes.entries())
      dirty.add(this.applyChange(change, i === changes.length - 1 ? text : undefined, dirty));
    for (const chunk of dirty) if (this.chunks.includes(chunk)) this.reparse(parser, chunk);
  }

  delete(): void {
    for (const chunk of this.chunks) chunk.tree.delete();
    this.chunks.length = 0;
  }

  /**
   * Records one change: the chunks it touches become one, later chunks shift. `after` is the
   * text it leads to when the caller has it (building it again would copy the whole file).
   */
  private applyChange(change: TextChange, after: string | undefined, dirty: Set<Chunk<M>>): Chunk<M> {
    const { start, oldEnd, newText } = change;
    const before = this.text;
    if (start < 0 || oldEnd < start || oldEnd > before.length) throw new Error('change out of range');
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
    this.text = after ?? before.slice(0, start) + newText + before.slice(oldEnd);
    if (this.text.length !== before.length + delta) throw new Error('the changes do not lead to the text');
    for (let i = last + 1; i < this.chunks.length; i++) {
      const chunk = this.chunks[i];
      chunk.tree.edit(edit);
      chunk.start += delta;
      chunk.end += delta;
      chunk.startRow += rows;
    }
    const touched = this.chunks.slice(first, last + 1);
    const merged: Chunk<M> = {
      start: touched[0].start,
      end: touched[touched.length - 1].end + delta,
      startRow: touched[0].startRow,
      tree: touched[0].tree,
    };
    if (touched.length === 1 && !touched[0].joined) merged.tree.edit(edit);
    else merged.joined = true;
    // The first tree stands in until the reparse (it is never read meanwhile); the others go.
    for (const chunk of touched.slice(1)) {
      chunk.tree.delete();
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
    chunk.tree = parseRange(
      parser,
      this.source,
      chunk.start,
      chunk.end,
      chunk.startRow,
      chunk.joined ? undefined : previous,
    );
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
      (first.startPosition.column > 0 || this.continuesAbove(this.text[first.startIndex] ?? ''));
    const withPrevious = joined || (index > 0 && !!first?.hasError);
    const withNext = index < this.chunks.length - 1 && !!root.lastChild?.hasError;
    if (withPrevious || withNext) {
      const from = withPrevious ? index - 1 : index;
      const to = withNext ? index + 1 : index;
      const start = this.chunks[from].start;
      const end = this.chunks[to].end;
      const tree = parseRange(parser, this.source, start, end, this.chunks[from].startRow);
      if (tree.rootNode.hasError && !joined) tree.delete();
      else {
        const merged: Chunk<M> = { start, end, startRow: this.chunks[from].startRow, tree };
        for (const old of this.chunks.slice(from, to + 1)) old.tree.delete();
        this.chunks.splice(from, to - from + 1, merged);
        this.resplit(parser, merged);
        return;
      }
    }
    this.resplit(parser, chunk);
  }

  /** A clean chunk grown well past the chunk size (a paste, a merge) is cut up again. */
  private resplit(parser: SyntaxParser, chunk: Chunk<M>): void {
    if (chunk.end - chunk.start <= 2 * CHUNK_SIZE || chunk.tree.rootNode.hasError) return;
    const cuts = cutsOf(chunk.tree, chunk.start, chunk.end, chunk.startRow);
    if (cuts.length === 1) return;
    chunk.tree.delete();
    this.chunks.splice(this.chunks.indexOf(chunk), 1, ...parseChunks<M>(parser, this.source, cuts, chunk.end));
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

  /** The point of an offset within chunk `index`, counted from the chunk's first line. */
  private pointAt(index: number, offset: number): Point {
    const chunk = this.chunks[index];
    return pointFrom(this.text, chunk.start, chunk.startRow, offset);
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

/** Parses each chunk the cuts make, up to `end`, on its own. */
function parseChunks<M>(
  parser: SyntaxParser,
  source: (offset: number) => string,
  cuts: Cut[],
  end: number,
): Chunk<M>[] {
  return cuts.map((cut, i) => {
    const chunkEnd = i + 1 < cuts.length ? cuts[i + 1].offset : end;
    return {
      start: cut.offset,
      end: chunkEnd,
      startRow: cut.row,
      tree: parseRange(parser, source, cut.offset, chunkEnd, cut.row),
    };
  });
}

function parseRange(
  parser: SyntaxParser,
  source: (offset: number) => string,
  start: number,
  end: number,
  startRow: number,
  previous?: Tree,
): Tree {
  const range = {
    startIndex: start,
    endIndex: end,
    startPosition: { row: startRow, column: 0 },
    endPosition: pointFrom(source(0), start, startRow, end),
  };
  return parser.parseRange(source, range, previous);
}

/** The point of `offset`, counting lines from `from` (a line start on row `fromRow`). */
function pointFrom(text: string, from: number, fromRow: number, offset: number): Point {
  let row = fromRow;
  let lineStart = from;
  for (let i = text.indexOf('\n', from); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    row++;
    lineStart = i + 1;
  }
  return { row, column: offset - lineStart };
}
