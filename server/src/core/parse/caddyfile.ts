import { type Directive, MAX_DIRECTIVE_DEPTH, splitLine } from './directives';

/**
 * Parses a Caddyfile into lines and blocks, as Caddy's lexer reads it: one directive per line,
 * a line ending in a lone `{` opens a block that a line `}` closes, `#` starts a comment, and
 * `"..."` and backticks quote. `{placeholder}` words are words. Never throws; an unclosed
 * block ends at the end of the file, a stray `}` is ignored.
 */
export function parseCaddyfile(text: string): Directive[] {
  const root: Directive[] = [];
  const stack: Directive[][] = [root];
  const open: Directive[] = [];
  for (let start = 0; start <= text.length; ) {
    const nl = text.indexOf('\n', start);
    const end = nl === -1 ? text.length : nl;
    const words = splitLine(text, start, end, '`');
    start = end + 1;
    if (words.length === 0) continue;
    const last = words[words.length - 1];
    if (words.length === 1 && last.text === '}' && text[last.span.start] === '}') {
      const closed = open.pop();
      if (closed) {
        closed.span = { start: closed.span.start, end: last.span.end };
        stack.pop();
      }
      continue;
    }
    const opens = last.text === '{' && text[last.span.start] === '{';
    const parts = opens ? words.slice(0, -1) : words;
    const directive: Directive = {
      name: parts[0]?.text ?? '',
      args: parts.slice(1),
      span: { start: words[0].span.start, end: last.span.end },
    };
    stack[stack.length - 1].push(directive);
    if (opens && stack.length < MAX_DIRECTIVE_DEPTH) {
      directive.block = [];
      stack.push(directive.block);
      open.push(directive);
    }
  }
  // Unclosed blocks run to the end of the file.
  for (const d of open) d.span = { start: d.span.start, end: text.length };
  return root;
}
