import type { Span } from '../types';

/** A directive argument after quote removal. */
export interface NginxArg {
  text: string;
  span: Span;
}

/** `name arg ... ;` or `name arg ... { ... }`. */
export interface NginxDirective {
  name: string;
  args: NginxArg[];
  /** From the name to the `;` or the closing `}`. */
  span: Span;
  /** The directives inside `{ ... }`, for block directives. */
  block?: NginxDirective[];
  /** Offset just after `{` and of the closing `}`. */
  blockOpen?: number;
  blockClose?: number;
}

export interface NginxConfig {
  directives: NginxDirective[];
  errors: { message: string; span: Span }[];
}

interface Token {
  kind: 'word' | '{' | '}' | ';' | 'comment';
  text: string;
  span: Span;
  /** A quoted word. */
  quoted?: boolean;
}

/** What a stretch of nginx configuration is, for highlighting. */
export type NginxHighlightKind = 'comment' | 'directive' | 'string' | 'variable' | 'number' | 'punctuation';

/** Highlights from nginx's own lexical rules: editors without an nginx grammar use these. */
export function nginxHighlights(text: string): { span: Span; kind: NginxHighlightKind }[] {
  const out: { span: Span; kind: NginxHighlightKind }[] = [];
  let statementStart = true;
  for (const t of tokenize(text, true)) {
    if (t.kind === 'comment') out.push({ span: t.span, kind: 'comment' });
    else if (t.kind !== 'word') {
      out.push({ span: t.span, kind: 'punctuation' });
      statementStart = true;
    } else {
      const kind: NginxHighlightKind | undefined = statementStart ? 'directive' : t.quoted ? 'string' : t.text.startsWith('$') ? 'variable' : /^\d+[kKmMgGsmhd]?$/.test(t.text) ? 'number' : undefined;
      if (kind) out.push({ span: t.span, kind });
      statementStart = false;
    }
  }
  return out;
}

/**
 * Parses nginx configuration the way nginx's own lexer does: words, single- and double-quoted
 * strings with escapes, `#` comments, `{`, `}` and `;`. Errors (a missing `;`, an unbalanced
 * brace) are collected, and parsing goes on; it never throws.
 */
export function parseNginx(text: string): NginxConfig {
  const tokens = tokenize(text);
  const errors: NginxConfig['errors'] = [];
  let i = 0;
  const parseBlock = (closing: boolean): NginxDirective[] => {
    const out: NginxDirective[] = [];
    while (i < tokens.length) {
      const t = tokens[i];
      if (t.kind === '}') {
        if (closing) return out;
        errors.push({ message: 'unexpected "}"', span: t.span });
        i++;
        continue;
      }
      if (t.kind !== 'word') {
        errors.push({ message: `unexpected "${t.text}"`, span: t.span });
        i++;
        continue;
      }
      const name = t;
      const args: NginxArg[] = [];
      i++;
      while (i < tokens.length && tokens[i].kind === 'word') args.push({ text: tokens[i].text, span: tokens[i++].span });
      const end = tokens[i];
      if (!end) {
        errors.push({ message: `"${name.text}" has no ";"`, span: name.span });
        out.push({ name: name.text, args, span: { start: name.span.start, end: text.length } });
        break;
      }
      if (end.kind === ';') {
        i++;
        out.push({ name: name.text, args, span: { start: name.span.start, end: end.span.end } });
      } else if (end.kind === '{') {
        i++;
        const block = parseBlock(true);
        const close = tokens[i];
        if (close?.kind === '}') i++;
        else errors.push({ message: `block "${name.text}" is not closed`, span: name.span });
        out.push({
          name: name.text,
          args,
          span: { start: name.span.start, end: close ? close.span.end : text.length },
          block,
          blockOpen: end.span.end,
          blockClose: close ? close.span.start : text.length,
        });
      } else {
        // `}` right after arguments: the `;` is missing.
        errors.push({ message: `"${name.text}" has no ";"`, span: name.span });
        out.push({ name: name.text, args, span: { start: name.span.start, end: args.length ? args[args.length - 1].span.end : name.span.end } });
      }
    }
    if (closing) errors.push({ message: 'unexpected end of file, expecting "}"', span: { start: text.length, end: text.length } });
    return out;
  };
  const directives = parseBlock(false);
  return { directives, errors };
}

/**
 * nginx's lexer (ngx_conf_read_token) separates words by these four characters only: a
 * non-breaking space, a form feed or U+3000 is part of a word, as it is to nginx.
 */
function isNginxSpace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\r' || c === '\n';
}

/** Characters that end an unquoted word. */
function endsWord(c: string): boolean {
  return isNginxSpace(c) || c === ';' || c === '{' || c === '}' || c === '"' || c === "'";
}

/** Every branch consumes at least one character, so the loop ends on any input. */
function tokenize(text: string, withComments = false): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (isNginxSpace(c)) {
      i++;
    } else if (c === '#') {
      const start = i;
      while (i < text.length && text[i] !== '\n') i++;
      if (withComments) tokens.push({ kind: 'comment', text: text.slice(start, i), span: { start, end: i } });
    } else if (c === '{' || c === '}' || c === ';') {
      tokens.push({ kind: c, text: c, span: { start: i, end: i + 1 } });
      i++;
    } else if (c === '"' || c === "'") {
      const start = i;
      let value = '';
      i++;
      while (i < text.length && text[i] !== c) {
        if (text[i] === '\\' && i + 1 < text.length) {
          const next = text[i + 1];
          value += next === c || next === '\\' ? next : `\\${next}`;
          i += 2;
        } else value += text[i++];
      }
      i++;
      tokens.push({ kind: 'word', text: value, span: { start, end: Math.min(i, text.length) }, quoted: true });
    } else {
      const start = i;
      let value = '';
      // `${var}` may hold braces; otherwise a word ends at space, ';', '{', '}' or a quote.
      // The first character is taken whatever it is: it is none of those (the branches above).
      while (i < text.length && (i === start || !endsWord(text[i]))) {
        if (text[i] === '$' && text[i + 1] === '{') {
          const close = text.indexOf('}', i);
          const stop = close === -1 ? text.length : close + 1;
          value += text.slice(i, stop);
          i = stop;
        } else if (text[i] === '\\' && i + 1 < text.length) {
          value += text[i + 1];
          i += 2;
        } else value += text[i++];
      }
      tokens.push({ kind: 'word', text: value, span: { start, end: i } });
    }
  }
  return tokens;
}
