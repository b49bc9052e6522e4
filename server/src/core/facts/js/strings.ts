import type { SyntaxNode } from '../../parse/tree-sitter';

const SIMPLE_ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', v: '\v', '0': '\0' };

/**
 * The value of a `string` literal, or of a `template_string` without substitutions; undefined
 * for a template with `${...}`. Escapes are decoded as JavaScript does, so a secret moved into
 * `.env` is the same string the app used.
 */
export function jsStringValue(node: SyntaxNode): string | undefined {
  let value = '';
  for (const part of node.namedChildren) {
    if (!part) continue;
    if (part.type === 'string_fragment') value += part.text;
    else if (part.type === 'escape_sequence') value += decodeEscape(part.text);
    else if (part.type === 'template_substitution') return undefined;
    // Comments inside a string cannot occur; anything else (an error node) has no faithful value.
    else return undefined;
  }
  return value;
}

function decodeEscape(sequence: string): string {
  const body = sequence.slice(1);
  if (body in SIMPLE_ESCAPES) return SIMPLE_ESCAPES[body];
  if (/^x[0-9a-fA-F]{2}$/.test(body)) return String.fromCharCode(parseInt(body.slice(1), 16));
  if (/^u[0-9a-fA-F]{4}$/.test(body)) return String.fromCharCode(parseInt(body.slice(1), 16));
  const braced = /^u\{([0-9a-fA-F]{1,6})\}$/.exec(body);
  if (braced) {
    const code = parseInt(braced[1], 16);
    return code <= 0x10ffff ? String.fromCodePoint(code) : '';
  }
  // A line continuation is nothing; any other escaped character stands for itself.
  if (/^(\r\n|\n|\r|\u2028|\u2029)$/.test(body)) return '';
  return body;
}
