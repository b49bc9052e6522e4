import {
  Parser,
  type Language,
  type Node,
  type ParseOptions,
  type ParseState,
  type Tree,
  type Point,
  type Range,
} from 'web-tree-sitter';
import type { SourceText } from '../types';
import { InputRefusedError } from './nesting';
import { ordinaryText, overFloor, PROBE_CHECKS, PROBE_ERRORS, STRIKES, tooSlow } from './parse-budget';

export type { Node as SyntaxNode, Tree as SyntaxTree };
/** Python's nodes and trees, named for readability where only Python is meant. */
export type { Node as PyNode, Tree as PyTree };

/**
 * A file's syntax in parts, as the extractors read it: one tree for a whole file, or an open
 * document's chunks in order (see Chunk), each with its span, its own text, whether its tree
 * holds a syntax error, and what an extractor found in the part alone (`memo`).
 */
export interface TreePart<M> {
  tree: Tree;
  start?: number;
  end?: number;
  text?: string;
  hasError?: boolean;
  memo?: M;
}

/** A part's own text: an open document's chunk holds it; a whole file's part is all of it. */
export function partText(part: TreePart<unknown>, text: SourceText): string {
  return part.text ?? text.slice(part.start ?? 0, part.end ?? text.length);
}

/** Whether any part's tree holds a syntax error (a chunk knows without asking its tree). */
export function partsHaveErrors(parts: readonly TreePart<unknown>[]): boolean {
  return parts.some((part) => part.hasError ?? part.tree.rootNode.hasError);
}

/**
 * A tree-sitter parser for one grammar. The grammar is loaded by the host (the node layer reads
 * the .wasm files); the core only parses text, so it stays free of file-system access. A parse
 * whose syntax errors make tree-sitter run far slower than on ordinary text is stopped, and the
 * text refused with an InputRefusedError (see parse-budget.ts).
 */
export class SyntaxParser {
  private readonly parser = new Parser();
  /** This machine's time per character on the grammar's ordinary sample, once measured. */
  private msPerCharacter: number | undefined;

  /**
   * `sample` is ordinary code of the grammar, to measure the parser's pace on; `clock` gives
   * milliseconds of the work done (the host's CPU time: a parse is judged by what it cost, not by
   * how much of a busy machine it was given).
   */
  constructor(
    private readonly language: Language,
    private readonly sample: string,
    private readonly clock: () => number = () => performance.now(),
  ) {
    this.parser.setLanguage(language);
  }

  /** Parses the whole of `text`. */
  parse(text: string): Tree {
    return this.boundedParse(text);
  }

  /**
   * Parses only `range` of the text `source` reads (from an offset to the end). The tree's
   * offsets are the text's, and its nodes' `text` is read through `source` as it is then.
   * `previous`, the range's last tree with the edits since applied (Tree.edit), lets tree-sitter
   * reuse what the edits left alone: a keystroke in a function body then costs a tenth of a parse.
   */
  parseRange(source: (offset: number) => string, range: Range, previous?: Tree): Tree {
    return this.boundedParse(source, range, previous);
  }

  /**
   * Parses in stretches: one that outlasts the floor at a pace slower than the allowance is
   * probed, and it strikes when the probe meets dense syntax errors and the stretch is still too
   * slow against the pace measured again then. STRIKES in a row refuse the text; otherwise (slow
   * but valid text, a cold start, a garbage collection) the parse resumes and a new stretch begins.
   */
  private boundedParse(text: string | ((offset: number) => string), range?: Range, previous?: Tree): Tree {
    const start = range?.startIndex ?? 0;
    const options = (progressCallback: (state: ParseState) => boolean) => ({
      includedRanges: range ? [range] : undefined,
      progressCallback,
    });
    let since = this.clock();
    // The host's clock can cost a system call: it is read only once the cheap one says a floor
    // may have passed (a process's CPU time does not run ahead of the time it has run).
    let wallSince = performance.now();
    let from = 0;
    let read = 0;
    let strikes = 0;
    for (;;) {
      const tree = this.parser.parse(
        text,
        previous ?? null,
        options((state) => {
          // tree-sitter reads UTF-16, so its offsets are twice the text's.
          read = state.currentOffset / 2 - start;
          return overFloor(performance.now() - wallSince) && overFloor(this.clock() - since);
        }),
      );
      if (tree) return tree;
      const elapsed = this.clock() - since;
      const characters = read - from;
      let measuredNow = false;
      if (this.msPerCharacter === undefined) {
        this.msPerCharacter = this.measurePace();
        measuredNow = true;
      }
      let struck = false;
      if (tooSlow(elapsed, characters, this.msPerCharacter)) {
        const probed = this.probe(text, previous, options);
        if (probed.errors >= PROBE_ERRORS) {
          // The pace again, as it is now: a machine slowed down slows ordinary text too.
          if (!measuredNow) this.msPerCharacter = this.measurePace();
          struck = tooSlow(elapsed, characters, this.msPerCharacter);
        }
        if (struck && strikes + 1 >= STRIKES) {
          probed.tree?.delete();
          // A stopped parse resumes on the next call unless the parser is reset.
          this.parser.reset();
          throw new InputRefusedError('syntax errors too dense to parse in bounded time');
        }
        if (probed.tree) return probed.tree;
      }
      strikes = struck ? strikes + 1 : 0;
      since = this.clock();
      wallSince = performance.now();
      from = read;
    }
  }

  /**
   * Resumes the stopped parse for PROBE_CHECKS progress checks with tree-sitter's log on (ten
   * times slower, so only for the probe) and counts the syntax errors it meets.
   */
  private probe(
    text: string | ((offset: number) => string),
    previous: Tree | undefined,
    options: (progressCallback: (state: ParseState) => boolean) => ParseOptions,
  ): { tree: Tree | null; errors: number } {
    let errors = 0;
    let checks = 0;
    this.parser.setLogger((message) => {
      if (ERROR_LOG.test(message)) errors++;
    });
    try {
      const tree = this.parser.parse(
        text,
        previous ?? null,
        options(() => errors >= PROBE_ERRORS || ++checks >= PROBE_CHECKS),
      );
      return { tree, errors };
    } finally {
      this.parser.setLogger(null);
    }
  }

  /**
   * This machine's pace on the grammar's ordinary sample: the fastest of a few parses (the first
   * ones run before WebAssembly has compiled the parser's hot code fully), by a parser of its
   * own, so that the stopped parse can resume.
   */
  private measurePace(): number {
    const parser = new Parser();
    parser.setLanguage(this.language);
    const text = ordinaryText(this.sample);
    let fastest = Number.POSITIVE_INFINITY;
    for (let i = 0; i < 4; i++) {
      const started = this.clock();
      parser.parse(text)?.delete();
      fastest = Math.min(fastest, this.clock() - started);
    }
    parser.delete();
    return fastest / text.length;
  }
}

/**
 * tree-sitter's log lines for the steps of an error's recovery. Not `detect_error`: one of several
 * stack versions (an ambiguity being explored) meets it in valid code too.
 */
const ERROR_LOG = /^(recover|skip_token|skip_unrecognized)/;

/** The point where `inserted`, put at `start`, ends. */
export function pointAfter(start: Point, inserted: string): Point {
  const lastBreak = inserted.lastIndexOf('\n');
  if (lastBreak === -1) return { row: start.row, column: start.column + inserted.length };
  let rows = 0;
  for (let i = inserted.indexOf('\n'); i !== -1; i = inserted.indexOf('\n', i + 1)) rows++;
  return { row: start.row + rows, column: inserted.length - lastBreak - 1 };
}
