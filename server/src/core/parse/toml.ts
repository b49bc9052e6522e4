import type { Span } from '../types';
import { checkNesting, InputRefusedError } from './nesting';
import type { SyntaxNode, SyntaxParser } from './tree-sitter';

/** A TOML value with the span it came from. */
export type TomlValue =
  | { kind: 'string'; value: string; span: Span }
  | { kind: 'number'; value: number; span: Span }
  | { kind: 'boolean'; value: boolean; span: Span }
  | { kind: 'array'; items: TomlValue[]; span: Span }
  | TomlTable
  | { kind: 'other'; span: Span };

export interface TomlTable {
  kind: 'table';
  entries: Map<string, TomlEntry>;
  span: Span;
}

/** A key and its value; `keySpan` covers the last key segment as written. */
export interface TomlEntry {
  keySpan: Span;
  value: TomlValue;
}

/** A parsed TOML document: values with positions, and whether the text had syntax errors. */
export interface TomlDocument {
  root: TomlTable;
  hasErrors: boolean;
}

/**
 * Converting a tree to values costs a few microseconds per table or key, so a megabyte of `[a]`
 * lines costs three times an ordinary file of its size. Real files (pyproject.toml, poetry.lock,
 * fly.toml) hold a top-level table or key every 50 bytes or more; denser text is refused.
 */
const BYTES_PER_ENTRY = 16;
const ENTRY_FLOOR = 4096;

/**
 * Parses TOML with tree-sitter, keeping source positions. Syntax errors are reported in
 * `hasErrors`; only nesting too deep to convert, or text too dense, throws (an InputRefusedError).
 */
export function parseToml(parser: SyntaxParser, text: string): TomlDocument {
  checkNesting(text);
  const tree = parser.parse(text);
  try {
    if (tree.rootNode.childCount > ENTRY_FLOOR + text.length / BYTES_PER_ENTRY)
      throw new InputRefusedError(`more than one TOML table or key every ${BYTES_PER_ENTRY} bytes`);
    const root: TomlTable = { kind: 'table', entries: new Map(), span: { start: 0, end: text.length } };
    for (const child of tree.rootNode.namedChildren) {
      if (!child) continue;
      if (child.type === 'pair') addPair(root, child);
      else if (child.type === 'table' || child.type === 'table_array_element') {
        const keyNode = child.namedChildren.find((c) => c && isKey(c));
        if (!keyNode) continue;
        const table: TomlTable = { kind: 'table', entries: new Map(), span: span(child) };
        for (const pair of child.namedChildren) if (pair?.type === 'pair') addPair(table, pair);
        place(root, keyPath(keyNode), table, child.type === 'table_array_element');
      }
    }
    return { root, hasErrors: tree.rootNode.hasError };
  } finally {
    tree.delete();
  }
}

/** Looks a dotted path up (`tool.sessionlint.select`); undefined when absent. */
export function tomlGet(table: TomlTable, path: string): TomlValue | undefined {
  let current: TomlValue | undefined = table;
  for (const part of path.split('.')) {
    if (current?.kind !== 'table') return undefined;
    current = current.entries.get(part)?.value;
  }
  return current;
}

/** The tables of an array of tables (`[[package]]`). */
export function tomlTables(value: TomlValue | undefined): TomlTable[] {
  if (!value) return [];
  if (value.kind === 'table') return [value];
  if (value.kind === 'array') return value.items.filter((v): v is TomlTable => v.kind === 'table');
  return [];
}

function span(node: SyntaxNode): Span {
  return { start: node.startIndex, end: node.endIndex };
}

function isKey(node: SyntaxNode): boolean {
  return node.type === 'bare_key' || node.type === 'quoted_key' || node.type === 'dotted_key';
}

function keyPath(node: SyntaxNode): { name: string; span: Span }[] {
  if (node.type === 'dotted_key') return node.namedChildren.flatMap((c) => (c ? keyPath(c) : []));
  const name = node.type === 'quoted_key' ? (decodeString(node.text) ?? node.text) : node.text;
  return [{ name, span: span(node) }];
}

function addPair(table: TomlTable, pair: SyntaxNode): void {
  const keyNode = pair.namedChildren.find((c) => c && isKey(c));
  const valueNode = pair.namedChildren.find((c) => c && !isKey(c) && c.type !== 'comment');
  if (!keyNode || !valueNode) return;
  const path = keyPath(keyNode);
  const last = path[path.length - 1];
  let target = table;
  for (const part of path.slice(0, -1)) target = child(target, part.name, span(pair));
  target.entries.set(last.name, { keySpan: last.span, value: convert(valueNode) });
}

function child(table: TomlTable, name: string, at: Span): TomlTable {
  const existing = table.entries.get(name)?.value;
  if (existing?.kind === 'table') return existing;
  const created: TomlTable = { kind: 'table', entries: new Map(), span: at };
  table.entries.set(name, { keySpan: at, value: created });
  return created;
}

function place(root: TomlTable, path: { name: string; span: Span }[], table: TomlTable, arrayElement: boolean): void {
  let target = root;
  for (const part of path.slice(0, -1)) {
    const existing = target.entries.get(part.name)?.value;
    // `[a.b]` after `[[a]]` extends the last element of the array.
    if (existing?.kind === 'array') {
      const last = existing.items[existing.items.length - 1];
      if (last?.kind === 'table') {
        target = last;
        continue;
      }
    }
    target = child(target, part.name, part.span);
  }
  const last = path[path.length - 1];
  if (!arrayElement) {
    const existing = target.entries.get(last.name)?.value;
    if (existing?.kind === 'table') for (const [k, v] of table.entries) existing.entries.set(k, v);
    else target.entries.set(last.name, { keySpan: last.span, value: table });
    return;
  }
  const existing = target.entries.get(last.name)?.value;
  if (existing?.kind === 'array') existing.items.push(table);
  else
    target.entries.set(last.name, { keySpan: last.span, value: { kind: 'array', items: [table], span: table.span } });
}

function convert(node: SyntaxNode): TomlValue {
  const at = span(node);
  switch (node.type) {
    case 'string': {
      const value = decodeString(node.text);
      return value === undefined ? { kind: 'other', span: at } : { kind: 'string', value, span: at };
    }
    case 'integer':
    case 'float': {
      const value = Number(node.text.replace(/_/g, ''));
      return Number.isNaN(value) ? { kind: 'other', span: at } : { kind: 'number', value, span: at };
    }
    case 'boolean':
      return { kind: 'boolean', value: node.text === 'true', span: at };
    case 'array':
      return {
        kind: 'array',
        items: node.namedChildren.filter((c): c is SyntaxNode => !!c && c.type !== 'comment').map(convert),
        span: at,
      };
    case 'inline_table': {
      const table: TomlTable = { kind: 'table', entries: new Map(), span: at };
      for (const pair of node.namedChildren) if (pair?.type === 'pair') addPair(table, pair);
      return table;
    }
    default:
      return { kind: 'other', span: at };
  }
}

const ESCAPES: Record<string, string> = {
  b: '\b',
  t: '\t',
  n: '\n',
  f: '\f',
  r: '\r',
  e: '\x1b',
  '"': '"',
  '\\': '\\',
};

/** Decodes a TOML string literal (basic, literal, and their multi-line forms). */
function decodeString(raw: string): string | undefined {
  const quote = raw.startsWith('"""') ? '"""' : raw.startsWith("'''") ? "'''" : raw[0];
  if (quote !== '"' && quote !== "'" && quote !== '"""' && quote !== "'''") return undefined;
  let body = raw.slice(quote.length, raw.length - quote.length);
  if (quote.length === 3) body = body.replace(/^\r?\n/, '');
  if (quote[0] === "'") return body;
  if (quote.length === 3) body = body.replace(/\\[ \t]*\r?\n[\s]*/g, '');
  let out = '';
  for (let i = 0; i < body.length; i++) {
    if (body[i] !== '\\') {
      out += body[i];
      continue;
    }
    const next = body[++i];
    if (next in ESCAPES) out += ESCAPES[next];
    else if (next === 'u' || next === 'U') {
      const length = next === 'u' ? 4 : 8;
      const hex = body.slice(i + 1, i + 1 + length);
      if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== length) return undefined;
      out += String.fromCodePoint(parseInt(hex, 16));
      i += length;
    } else return undefined;
  }
  return out;
}
