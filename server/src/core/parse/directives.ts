import type { Span } from '../types';

/** A word of a configuration line, quotes removed. */
export interface DirectiveArg {
  text: string;
  span: Span;
}

/**
 * One line of a line-based configuration file (a Caddyfile, an Apache configuration): its
 * first word, the rest, and the lines of the block it opens (`{ ... }`, `<Section> ... </Section>`).
 */
export interface Directive {
  name: string;
  args: DirectiveArg[];
  /** The line, or the whole block with its closing line. */
  span: Span;
  block?: Directive[];
}

/** Block depth past which lines are read as if at that depth: no real file nests so deep. */
export const MAX_DIRECTIVE_DEPTH = 64;

/**
 * Splits one line into words: whitespace-separated, `"..."` quoted with `\"` escapes, a `#`
 * at a word's start ending the line. `extraQuote` is a second quote character (Caddy's backtick).
 */
export function splitLine(text: string, start: number, end: number, extraQuote?: string): DirectiveArg[] {
  const words: DirectiveArg[] = [];
  let i = start;
  while (i < end) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n') {
      i++;
      continue;
    }
    if (c === '#') break;
    const from = i;
    if (c === '"' || c === extraQuote) {
      let value = '';
      for (i++; i < end && text[i] !== c; i++) {
        if (text[i] === '\\' && c === '"' && i + 1 < end) i++;
        value += text[i];
      }
      i = Math.min(i + 1, end);
      words.push({ text: value, span: { start: from, end: i } });
      continue;
    }
    while (i < end && text[i] !== ' ' && text[i] !== '\t' && text[i] !== '\r' && text[i] !== '\n') i++;
    words.push({ text: text.slice(from, i), span: { start: from, end: i } });
  }
  return words;
}

/** Every directive of a tree, depth first, with no recursion. */
export function* allDirectives(directives: readonly Directive[]): Generator<Directive> {
  const stack: Directive[] = [...directives].reverse();
  for (let d = stack.pop(); d; d = stack.pop()) {
    yield d;
    if (d.block) for (let i = d.block.length - 1; i >= 0; i--) stack.push(d.block[i]);
  }
}
