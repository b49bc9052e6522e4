import type { PyNode } from './tree-sitter';

/** What a Python string literal (or implicit concatenation of them) evaluates to. */
export interface StringValue {
  /** The value, or undefined when it cannot be represented (undecodable bytes, `\N{...}`). */
  value: string | undefined;
  bytes: boolean;
  /** An f-string with `{...}` fields: not a constant. */
  interpolated: boolean;
}

/** Evaluates a `string` or `concatenated_string` node without running any code. */
export function evaluateString(node: PyNode): StringValue {
  const parts = node.type === 'concatenated_string' ? node.namedChildren.filter((c) => c?.type === 'string') : [node];
  let value: string | undefined = '';
  let bytes = false;
  let interpolated = false;
  for (const part of parts) {
    if (!part) continue;
    const one = evaluateOne(part);
    bytes ||= one.bytes;
    interpolated ||= one.interpolated;
    value = value === undefined || one.value === undefined ? undefined : value + one.value;
  }
  return { value, bytes, interpolated };
}

function evaluateOne(node: PyNode): StringValue {
  const start = node.firstChild;
  const end = node.lastChild;
  if (!start || !end || start.type !== 'string_start' || end.type !== 'string_end') {
    return { value: undefined, bytes: false, interpolated: false };
  }
  const prefix = start.text.replace(/['"]+$/, '').toLowerCase();
  const raw = prefix.includes('r');
  const bytes = prefix.includes('b');
  const fstring = prefix.includes('f');
  const interpolated = fstring && node.namedChildren.some((c) => c?.type === 'interpolation');
  let body = node.text.slice(start.text.length, node.text.length - end.text.length);
  if (fstring) body = body.replace(/\{\{/g, '{').replace(/\}\}/g, '}');
  const decoded = raw ? body : decodeBody(body, bytes);
  if (decoded === undefined || !bytes) return { value: decoded, bytes, interpolated };
  return { value: decodeUtf8(decoded), bytes, interpolated };
}

const SIMPLE: Record<string, string> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  n: '\n',
  r: '\r',
  t: '\t',
  a: '\x07',
  b: '\b',
  f: '\f',
  v: '\v',
};

function decodeBody(body: string, bytes: boolean): string | undefined {
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c !== '\\') {
      out += c;
      continue;
    }
    const next = body[i + 1];
    if (next === undefined) return undefined;
    if (next === '\n') {
      i++;
      continue;
    }
    if (next in SIMPLE) {
      out += SIMPLE[next];
      i++;
      continue;
    }
    const octal = /^[0-7]{1,3}/.exec(body.slice(i + 1));
    if (octal) {
      out += String.fromCharCode(parseInt(octal[0], 8));
      i += octal[0].length;
      continue;
    }
    const hexLength = next === 'x' ? 2 : !bytes && next === 'u' ? 4 : !bytes && next === 'U' ? 8 : 0;
    if (hexLength) {
      const hex = body.slice(i + 2, i + 2 + hexLength);
      if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== hexLength) return undefined;
      out += String.fromCodePoint(parseInt(hex, 16));
      i += 1 + hexLength;
      continue;
    }
    if (!bytes && next === 'N') return undefined;
    out += c;
  }
  return out;
}

function decodeUtf8(latin1: string): string | undefined {
  const bytes = Uint8Array.from(latin1, (ch) => ch.charCodeAt(0));
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}
