import type { SyntaxParser } from './tree-sitter';

/** The tree-sitter parsers the core uses, created by the host. */
export interface Parsers {
  python: SyntaxParser;
  toml: SyntaxParser;
}
