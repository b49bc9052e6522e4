import { type Directive, MAX_DIRECTIVE_DEPTH, splitLine } from './directives';

/**
 * Parses Apache httpd configuration into directives and sections, as httpd reads it: one
 * directive per logical line (a trailing `\` continues it), `<Section args>` ... `</Section>`
 * blocks, `#` comment lines, `"..."` quoting. Never throws; an unclosed section ends at the
 * end of the file, an unmatched closing line is ignored. Section names keep their case; match
 * them case-insensitively, as httpd does.
 */
export function parseApache(text: string): Directive[] {
  const root: Directive[] = [];
  const stack: { name: string; list: Directive[]; directive?: Directive }[] = [{ name: '', list: root }];
  for (let start = 0; start <= text.length; ) {
    // A logical line: physical lines joined while they end in a backslash.
    let end = start;
    for (;;) {
      const nl = text.indexOf('\n', end);
      end = nl === -1 ? text.length : nl;
      const lineEnd = text[end - 1] === '\r' ? end - 1 : end;
      if (text[lineEnd - 1] === '\\' && nl !== -1) end = nl + 1;
      else break;
    }
    const lineStart = start;
    start = end + 1;
    // A continuation's backslash is no word (nor the end of one).
    const words = splitLine(text, lineStart, end)
      .map((w) =>
        /[\r\n]/.test(text[w.span.end] ?? '') && w.text.endsWith('\\') ? { ...w, text: w.text.slice(0, -1) } : w,
      )
      .filter((w) => w.text !== '');
    if (words.length === 0) continue;
    const first = words[0].text;
    const last = words[words.length - 1];
    const span = { start: words[0].span.start, end: last.span.end };
    if (first.startsWith('</')) {
      const name = first.slice(2).replace(/>$/, '').toLowerCase();
      let at = stack.length - 1;
      while (at > 0 && stack[at].name !== name) at--;
      if (at > 0) {
        for (const s of stack.slice(at))
          if (s.directive) s.directive.span = { start: s.directive.span.start, end: span.end };
        stack.length = at;
      }
      continue;
    }
    const top = stack[stack.length - 1];
    if (first.startsWith('<') && first.length > 1) {
      // `<VirtualHost *:443>`: the `>` ends the last word (or stands alone).
      const args = words
        .slice(1)
        .map((w, i, all) => (i === all.length - 1 ? { text: w.text.replace(/>$/, ''), span: w.span } : w));
      const directive: Directive = {
        name: first.slice(1).replace(/>$/, ''),
        args: args.filter((a) => a.text !== ''),
        span,
        block: [],
      };
      top.list.push(directive);
      if (stack.length < MAX_DIRECTIVE_DEPTH && directive.block)
        stack.push({ name: directive.name.toLowerCase(), list: directive.block, directive });
      continue;
    }
    top.list.push({ name: first, args: words.slice(1), span });
  }
  for (const s of stack) if (s.directive) s.directive.span = { start: s.directive.span.start, end: text.length };
  return root;
}
