import { Edit, type Tree } from 'web-tree-sitter';

/**
 * A run of whole top-level statements of an open document, with its own syntax tree (the
 * file's offsets and positions). An edit above a chunk moves it at once and its tree only when
 * the tree is next read: most chunks of a large file are never read between two keystrokes, and
 * editing a hundred trees per keystroke cost a fifth of a millisecond.
 */
export class Chunk<M> {
  /** Whether the tree holds a syntax error: read on every keystroke, and a root node costs a call. */
  hasError = true;
  /**
   * Set when the tree stands in for a range it never covered (chunks joined by an edit): the
   * next parse starts afresh. Otherwise the tree, edited with each change, guides the reparse.
   */
  joined?: true;
  /** What a fact extractor derived from this chunk alone, dropped when the chunk is reparsed. */
  memo?: M;
  private current?: Tree;
  /** Where the tree was last told the chunk starts (offset and line). */
  private treeStart = 0;
  private treeRow = 0;

  constructor(
    public start: number,
    public end: number,
    /** The text of `[start, end)`: the document is held in its chunks, never whole. */
    readonly text: string,
    /** Zero-based line of `start`; chunks always start at a line's first column. */
    public startRow: number,
  ) {}

  /** The tree, moved to where the chunk is now. */
  get tree(): Tree {
    const tree = this.current;
    if (!tree) throw new Error('the chunk has not been parsed');
    if (this.treeStart !== this.start || this.treeRow !== this.startRow) {
      tree.edit(shiftEdit(this.treeStart, this.treeRow, this.start, this.startRow));
      this.treeStart = this.start;
      this.treeRow = this.startRow;
    }
    return tree;
  }

  /** A tree of the chunk where it is now. */
  set tree(tree: Tree) {
    this.current = tree;
    this.treeStart = this.start;
    this.treeRow = this.startRow;
  }

  /** Moves the chunk by an edit above it. */
  shift(delta: number, rows: number): void {
    this.start += delta;
    this.end += delta;
    this.startRow += rows;
  }

  /** Frees the tree (without moving it first). */
  free(): void {
    this.current?.delete();
    this.current = undefined;
  }
}

/**
 * One edit that moves a tree starting at `from` (line `fromRow`, column 0) to `to` (`toRow`):
 * the text before it grew or shrank by the difference. Placed just before the tree's first
 * byte (on the line above, whose column no node's position depends on), so that no node of the
 * tree counts as touched by it.
 */
function shiftEdit(from: number, fromRow: number, to: number, toRow: number): Edit {
  // Only a chunk after another moves, so both offsets are past the first line; were one not,
  // the edit would sit at the tree's first byte instead, which is still right, if less reusable.
  const back = from > 0 && to > 0 && fromRow > 0 && toRow > 0 ? 1 : 0;
  const before = { row: fromRow - back, column: 0 };
  const after = { row: toRow - back, column: 0 };
  // Text inserted before the tree starts where the tree started; text removed, where it starts now.
  const grew = to >= from;
  return new Edit({
    startIndex: Math.min(from, to) - back,
    oldEndIndex: from - back,
    newEndIndex: to - back,
    startPosition: grew ? before : after,
    oldEndPosition: before,
    newEndPosition: after,
  });
}
