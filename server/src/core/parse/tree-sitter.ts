import { Parser, type Language, type Node, type Tree, type Point, type Range } from 'web-tree-sitter';

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

  /** Parses the whole of `text`. */
  parse(text: string): Tree {
    return this.mustParse(text);
  }

  /**
   * Parses only `range` of the text `source` reads (from an offset to the end). The tree's
   * offsets are the text's, and its nodes' `text` is read through `source` as it is then.
   */
  parseRange(source: (offset: number) => string, range: Range): Tree {
    return this.mustParse(source, range);
  }

  private mustParse(text: string | ((offset: number) => string), range?: Range): Tree {
    const tree = this.parser.parse(text, null, range ? { includedRanges: [range] } : undefined);
    if (!tree) throw new Error('tree-sitter returned no tree');
    return tree;
  }
}

/** The point where `inserted`, put at `start`, ends. */
export function pointAfter(start: Point, inserted: string): Point {
  const lastBreak = inserted.lastIndexOf('\n');
  if (lastBreak === -1) return { row: start.row, column: start.column + inserted.length };
  let rows = 0;
  for (let i = inserted.indexOf('\n'); i !== -1; i = inserted.indexOf('\n', i + 1)) rows++;
  return { row: start.row + rows, column: inserted.length - lastBreak - 1 };
}
