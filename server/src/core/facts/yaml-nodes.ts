import {
  Composer,
  type Document,
  isMap,
  isScalar,
  isSeq,
  Lexer,
  Parser,
  type Node as YamlNode,
  type Pair,
  type Scalar,
  YAMLParseError,
} from 'yaml';
import { checkNesting, InputRefusedError } from '../parse/nesting';
import { splitCommands, type SimpleCommand } from '../parse/shell-words';
import type { Span } from '../types';

// Reading YAML deployment files (compose, Kubernetes, render.yaml) with source positions.

/** An environment variable as written: `KEY: value`, `- KEY=value`, `{ name, value }`. */
export interface EnvEntry {
  name: string;
  nameSpan: Span;
  value?: string;
  valueSpan?: Span;
}

/**
 * A `command:` string is shell words (with quote escapes only when it is plain or
 * single-quoted YAML, so spans map to the source); a flow list of double-quoted strings is
 * already split. Other shapes are read but get no fix.
 */
export function commandsOf(node: YamlNode | undefined): { commands: SimpleCommand[]; form?: CommandForm } {
  if (isScalar(node) && typeof node.value === 'string') {
    const at = span(node);
    const quote = node.type === 'QUOTE_DOUBLE' ? '"' : node.type === 'QUOTE_SINGLE' ? "'" : undefined;
    return { commands: splitCommands(node.value, at.start + (quote ? 1 : 0)), form: { quote } };
  }
  if (isSeq(node)) {
    const items = (node.items as YamlNode[]).filter(isScalar) as Scalar[];
    const words = items.map((s) => {
      const at = span(s);
      const quoted = s.type === 'QUOTE_DOUBLE' || s.type === 'QUOTE_SINGLE' ? 1 : 0;
      return { text: String(s.value), span: { start: at.start + quoted, end: at.end - quoted } };
    });
    // `["sh", "-c", "waitress-serve ..."]`: the last word is itself a command line.
    if (words.length === 3 && /(^|\/)(ba)?sh$/.test(words[0].text) && words[1].text === '-c') {
      return {
        commands: splitCommands(words[2].text, words[2].span.start),
        form: { quote: items[2].type === 'QUOTE_DOUBLE' ? '"' : "'" },
      };
    }
    const array = (node as { flow?: boolean }).flow === true && items.every((s) => s.type === 'QUOTE_DOUBLE');
    const commands =
      words.length > 0
        ? [{ assignments: [], words, span: { start: words[0].span.start, end: words[words.length - 1].span.end } }]
        : [];
    return { commands, form: array ? { array: true } : undefined };
  }
  return { commands: [] };
}

/** `environment:` as a map (`KEY: value`) or a list (`- KEY=value`). */
export function environment(node: YamlNode | undefined): EnvEntry[] {
  if (isMap(node)) {
    return (node.items as Pair<YamlNode, YamlNode>[]).flatMap((p) => {
      if (!isScalar(p.key)) return [];
      const value = isScalar(p.value) && p.value.value !== null ? String(p.value.value) : undefined;
      return [
        { name: String(p.key.value), nameSpan: span(p.key), value, valueSpan: p.value ? span(p.value) : undefined },
      ];
    });
  }
  if (isSeq(node)) {
    return (node.items as YamlNode[]).filter(isScalar).flatMap((s) => {
      const text = String((s as Scalar).value);
      const eq = text.indexOf('=');
      if (eq <= 0) return [];
      // The scalar's source may be quoted: locate the value inside it.
      const at = span(s);
      const quoted = (s as Scalar).type === 'QUOTE_DOUBLE' || (s as Scalar).type === 'QUOTE_SINGLE' ? 1 : 0;
      const nameStart = at.start + quoted;
      return [
        {
          name: text.slice(0, eq),
          nameSpan: { start: nameStart, end: nameStart + eq },
          value: text.slice(eq + 1),
          valueSpan: { start: nameStart + eq + 1, end: at.end - quoted },
        },
      ];
    });
  }
  return [];
}

export type CommandForm = { array?: boolean; quote?: '"' | "'" };

export function scalarText(node: YamlNode | undefined): string | undefined {
  return isScalar(node) && node.value !== null ? String(node.value) : undefined;
}

export function span(node: YamlNode): Span {
  const range = node.range ?? [0, 0, 0];
  return { start: range[0], end: range[1] };
}

/**
 * YAML lexical tokens allowed per byte of text, above a floor for small files. The `yaml`
 * library's time is proportional to its tokens, so a file of `a: 1` lines or of quote
 * characters costs four times an ordinary file of its size. Real files stay near 0.3 tokens a
 * byte (measured over 960 YAML files: compose, Kubernetes, CI, cloud SDK data); denser text is
 * refused, which also keeps the time within twice that of an ordinary file.
 */
const TOKENS_PER_BYTE = 0.45;
const TOKEN_FLOOR = 16_384;

const OPTIONS = { keepSourceTokens: false, prettyErrors: false, uniqueKeys: false } as const;

/**
 * Every document of a YAML stream, parsed in time linear in its size. The `yaml` library turns
 * every syntax error into an Error object: capturing a stack trace for each, and giving each a
 * line and column computed from the start ("pretty" errors), made a few hundred KB of quote
 * characters take minutes. Neither is needed here, since a file with errors yields no facts.
 * Duplicate-key checks are quadratic in a map's size and also unneeded (Compose itself rejects
 * the file). Text denser than TOKENS_PER_BYTE is refused (an InputRefusedError).
 */
export function parseYamlDocuments(text: string): Document.Parsed[] {
  checkNesting(text);
  const budget = TOKEN_FLOOR + Math.floor(text.length * TOKENS_PER_BYTE);
  const parser = new Parser();
  function* tokens() {
    let count = 0;
    for (const lexeme of new Lexer().lex(text)) {
      if (++count > budget) throw new InputRefusedError(`more than ${TOKENS_PER_BYTE} YAML tokens a byte`);
      yield* parser.next(lexeme);
    }
    yield* parser.end();
  }
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return [...new Composer(OPTIONS).compose(tokens(), true, text.length)];
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/**
 * A single-document file (compose, traefik.yml): its first document, and an error when the
 * text holds more than one, as the `yaml` library's parseDocument gives.
 */
export function parseYaml(text: string): Document.Parsed {
  // `forceDoc` makes the composer yield a document even for empty text.
  const [first, second] = parseYamlDocuments(text);
  if (second) first.errors.push(multipleDocuments(second));
  return first;
}

function multipleDocuments(second: Document.Parsed): YAMLParseError {
  const at = second.range ?? [0, 0];
  return new YAMLParseError([at[0], at[1]], 'MULTIPLE_DOCS', 'Source contains multiple documents');
}
