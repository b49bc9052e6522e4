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
  /** The first MAX_NGINX_ERRORS syntax errors; `errorCount` has them all. */
  errors: { message: string; span: Span }[];
  errorCount: number;
}

/** Errors kept with their message: nginx itself stops at the first, and a file of a million
 * stray braces must not cost a million error objects. */
export const MAX_NGINX_ERRORS = 100;

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
  const lexer = new Lexer(text, true);
  for (let t = lexer.take(); t; t = lexer.take()) {
    if (t.kind === 'comment') out.push({ span: t.span, kind: 'comment' });
    else if (t.kind !== 'word') {
      out.push({ span: t.span, kind: 'punctuation' });
      statementStart = true;
    } else {
      const kind: NginxHighlightKind | undefined = statementStart
        ? 'directive'
        : t.quoted
          ? 'string'
          : t.text.startsWith('$')
            ? 'variable'
            : /^\d+[kKmMgGsmhd]?$/.test(t.text)
              ? 'number'
              : undefined;
      if (kind) out.push({ span: t.span, kind });
      statementStart = false;
    }
  }
  return out;
}

/**
 * Parses nginx configuration the way nginx's own lexer does: words, single- and double-quoted
 * strings with escapes, `#` comments, `{`, `}` and `;`. Errors (a missing `;`, an unbalanced
 * brace) are collected, and parsing goes on; it never throws. Tokens are read one at a time,
 * so a file of a million braces costs no million-entry token array.
 */
export function parseNginx(text: string): NginxConfig {
  const lexer = new Lexer(text, false);
  const errors: NginxConfig['errors'] = [];
  let errorCount = 0;
  const error = (message: string, span: Span): void => {
    if (errorCount++ < MAX_NGINX_ERRORS) errors.push({ message, span });
  };
  const parseBlock = (closing: boolean): NginxDirective[] => {
    const out: NginxDirective[] = [];
    for (let t = lexer.peek(); t; t = lexer.peek()) {
      if (t.kind === '}') {
        if (closing) return out;
        error('unexpected "}"', t.span);
        lexer.take();
        continue;
      }
      lexer.take();
      if (t.kind !== 'word') {
        error(`unexpected "${t.text}"`, t.span);
        continue;
      }
      const name = t;
      const args: NginxArg[] = [];
      for (let a = lexer.peek(); a?.kind === 'word'; a = lexer.peek()) {
        lexer.take();
        args.push({ text: a.text, span: a.span });
      }
      const end = lexer.peek();
      if (!end) {
        error(`"${name.text}" has no ";"`, name.span);
        out.push({ name: name.text, args, span: { start: name.span.start, end: text.length } });
        break;
      }
      if (end.kind === ';') {
        lexer.take();
        out.push({ name: name.text, args, span: { start: name.span.start, end: end.span.end } });
      } else if (end.kind === '{') {
        lexer.take();
        const block = parseBlock(true);
        const close = lexer.peek();
        if (close?.kind === '}') lexer.take();
        else error(`block "${name.text}" is not closed`, name.span);
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
        error(`"${name.text}" has no ";"`, name.span);
        out.push({
          name: name.text,
          args,
          span: { start: name.span.start, end: args.length ? args[args.length - 1].span.end : name.span.end },
        });
      }
    }
    if (closing) error('unexpected end of file, expecting "}"', { start: text.length, end: text.length });
    return out;
  };
  const directives = parseBlock(false);
  return { directives, errors, errorCount };
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

/** nginx's tokens, one at a time, with one token of look-ahead. */
class Lexer {
  private i = 0;
  private ahead: Token | undefined;

  constructor(
    private readonly text: string,
    private readonly withComments: boolean,
  ) {}

  peek(): Token | undefined {
    this.ahead ??= this.read();
    return this.ahead;
  }

  take(): Token | undefined {
    const t = this.peek();
    this.ahead = undefined;
    return t;
  }

  /** Every branch consumes at least one character, so reading ends on any input. */
  private read(): Token | undefined {
    const text = this.text;
    let i = this.i;
    const token = (t: Token): Token => {
      this.i = i;
      return t;
    };
    while (i < text.length) {
      const c = text[i];
      if (isNginxSpace(c)) {
        i++;
      } else if (c === '#') {
        const start = i;
        while (i < text.length && text[i] !== '\n') i++;
        if (this.withComments) return token({ kind: 'comment', text: text.slice(start, i), span: { start, end: i } });
      } else if (c === '{' || c === '}' || c === ';') {
        i++;
        return token({ kind: c, text: c, span: { start: i - 1, end: i } });
      } else if (c === '"' || c === "'") {
        const start = i;
        let value = '';
        i++;
        // Runs between escapes are sliced whole: a character at a time, a long word is a rope of
        // a million pieces for the garbage collector.
        let run = i;
        while (i < text.length && text[i] !== c) {
          if (text[i] === '\\' && i + 1 < text.length) {
            const next = text[i + 1];
            value += text.slice(run, i) + (next === c || next === '\\' ? next : `\\${next}`);
            i += 2;
            run = i;
          } else i++;
        }
        value += text.slice(run, i);
        i++;
        return token({ kind: 'word', text: value, span: { start, end: Math.min(i, text.length) }, quoted: true });
      } else {
        const start = i;
        let value = '';
        // `${var}` may hold braces; otherwise a word ends at space, ';', '{', '}' or a quote.
        // The first character is taken whatever it is: it is none of those (the branches above).
        let run = i;
        while (i < text.length && (i === start || !endsWord(text[i]))) {
          if (text[i] === '$' && text[i + 1] === '{') {
            const close = text.indexOf('}', i);
            i = close === -1 ? text.length : close + 1;
          } else if (text[i] === '\\' && i + 1 < text.length) {
            value += text.slice(run, i) + text[i + 1];
            i += 2;
            run = i;
          } else i++;
        }
        value += text.slice(run, i);
        return token({ kind: 'word', text: value, span: { start, end: i } });
      }
    }
    this.i = i;
    return undefined;
  }
}
