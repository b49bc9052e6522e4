import { Edit, Parser, type Language, type Node, type Tree, type Point, type Range } from 'web-tree-sitter';
import type { TextChange } from '../types';

export type { Node as SyntaxNode, Tree as SyntaxTree };
/** Python's nodes and trees, named for readability where only Python is meant. */
export type { Node as PyNode, Tree as PyTree };

/**
 * A tree-sitter parser for one grammar. The grammar is loaded by the host (the node layer reads
 * the .wasm files); the core only parses text, so it stays free of file-system access.
 */
export class SyntaxParser {
  private readonly parser = new Parser();

  constructor(language: Language) {
    this.parser.setLanguage(language);
  }

  /** Parses `text`; with `old` and the changes that led from its text, reparses incrementally. */
  parse(text: string, old?: { tree: Tree; text: string; changes: readonly TextChange[] }): Tree {
    if (!old) return this.mustParse(text);
    let before = old.text;
    for (const change of old.changes) {
      old.tree.edit(
        new Edit({
          startIndex: change.start,
          oldEndIndex: change.oldEnd,
          newEndIndex: change.start + change.newText.length,
          startPosition: pointAt(before, change.start),
          oldEndPosition: pointAt(before, change.oldEnd),
          newEndPosition: pointAfter(pointAt(before, change.start), change.newText),
        }),
      );
      before = before.slice(0, change.start) + change.newText + before.slice(change.oldEnd);
    }
    return this.mustParse(text, old.tree);
  }

  /**
   * Parses only `range` of the text `source` reads (from an offset to the end). The tree's
   * offsets are the text's, and its nodes' `text` is read through `source` as it is then.
   */
  parseRange(source: (offset: number) => string, range: Range): Tree {
    return this.mustParse(source, undefined, range);
  }

  private mustParse(text: string | ((offset: number) => string), old?: Tree, range?: Range): Tree {
    const tree = this.parser.parse(text, old ?? null, range ? { includedRanges: [range] } : undefined);
    if (!tree) throw new Error('tree-sitter returned no tree');
    return tree;
  }
}

function pointAt(text: string, offset: number): Point {
  let row = 0;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    row++;
    lineStart = i + 1;
  }
  return { row, column: offset - lineStart };
}

/** The point where `inserted`, put at `start`, ends. */
export function pointAfter(start: Point, inserted: string): Point {
  const lastBreak = inserted.lastIndexOf('\n');
  if (lastBreak === -1) return { row: start.row, column: start.column + inserted.length };
  let rows = 0;
  for (let i = inserted.indexOf('\n'); i !== -1; i = inserted.indexOf('\n', i + 1)) rows++;
  return { row: start.row + rows, column: inserted.length - lastBreak - 1 };
}
