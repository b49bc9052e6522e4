import type { SyntaxParser } from './tree-sitter';

/** The tree-sitter parsers the core uses, created by the host. */
export interface Parsers {
  python: SyntaxParser;
  toml: SyntaxParser;
  /**
   * JavaScript and TypeScript, loaded by the host only once a project has such a file (a
   * Python-only workspace never pays for them); see `needsNodeParsers`.
   */
  node?: { javascript: SyntaxParser; typescript: SyntaxParser };
}
