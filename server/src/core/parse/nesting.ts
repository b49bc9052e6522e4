/** Deeper brackets than this are refused: no real configuration file comes near it. */
export const MAX_NESTING = 256;

/**
 * Thrown by a parser adapter for input it refuses to parse, with a one-line reason that
 * names no value from the file. Callers turn it into a skipped-file note or a config error.
 */
export class InputRefusedError extends Error {
  override readonly name = 'InputRefusedError';
}

/**
 * Refuses text whose `[`/`{` nesting exceeds MAX_NESTING. Recursive-descent parsers and the
 * converters over tree-sitter trees recurse once per level, so 50,000 brackets would end in a
 * RangeError. The scan is linear and ignores quoting: brackets inside strings count too, which
 * over-estimates only for text no configuration file holds.
 */
export function checkNesting(text: string): void {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5b || c === 0x7b) {
      if (++depth > MAX_NESTING) throw new InputRefusedError(`nesting deeper than ${MAX_NESTING} levels`);
    } else if ((c === 0x5d || c === 0x7d) && depth > 0) depth--;
  }
}
