import type { PyNode } from '../parse/tree-sitter';
import { evaluateString } from '../parse/python-strings';
import type { SettingValue } from './python-model';
import type { Span } from '../types';

/** Name bindings visible to an expression: its function's, then the module's. */
export interface Scope {
  lookup(name: string): PyNode | undefined;
}

const GENERATORS =
  /(^|\.)(urandom|token_hex|token_urlsafe|token_bytes|uuid1|uuid4|getrandbits|randbytes|randint|random|choice|choices|sample|generate_key|get_random_string|get_random_secret_key|get_random_bytes)$/;
const RANDOM_MODULES = new Set(['os', 'secrets', 'uuid', 'random', 'Fernet']);

/** A function that makes a random value when called (`secrets.token_hex`, `uuid4`), by name. */
export function isGeneratorName(fn: string): boolean {
  return GENERATORS.test(fn) && (RANDOM_MODULES.has(fn.split('.')[0]) || !fn.includes('.'));
}

/** Dotted text of a name or attribute chain (`os.environ.get`), or undefined for anything else. */
export function dotted(node: PyNode | null | undefined): string | undefined {
  // A loop, not recursion: a chain of a hundred thousand attributes is only text to a parser.
  const parts: string[] = [];
  for (let n = node; n; n = n.childForFieldName('object')) {
    if (n.type === 'identifier') {
      parts.push(n.text);
      return parts.reverse().join('.');
    }
    if (n.type !== 'attribute') return undefined;
    const attribute = n.childForFieldName('attribute');
    if (!attribute) return undefined;
    parts.push(attribute.text);
  }
  return undefined;
}

export function spanOf(node: PyNode): Span {
  return { start: node.startIndex, end: node.endIndex };
}

/** The constant string value of a literal node, if it is one. */
export function stringConstant(node: PyNode | null | undefined): string | undefined {
  if (!node || (node.type !== 'string' && node.type !== 'concatenated_string')) return undefined;
  const s = evaluateString(node);
  return s.interpolated ? undefined : s.value;
}

/** Positional and keyword arguments of a call. */
export function callArguments(call: PyNode): { positional: PyNode[]; keywords: Map<string, PyNode> } {
  const positional: PyNode[] = [];
  const keywords = new Map<string, PyNode>();
  const args = call.childForFieldName('arguments');
  for (const arg of args?.namedChildren ?? []) {
    if (!arg || arg.type === 'comment') continue;
    if (arg.type === 'keyword_argument') {
      const name = arg.childForFieldName('name');
      const value = arg.childForFieldName('value');
      if (name && value) keywords.set(name.text, value);
    } else positional.push(arg);
  }
  return { positional, keywords };
}

/**
 * Classifies a secret's value. `isRandomModule(name)` says whether a bare name was imported
 * from a module that makes random values (`from secrets import token_hex`).
 */
export function classifyValue(
  node: PyNode,
  scope: Scope,
  isRandomModule: (name: string) => boolean,
  names: string[] = [],
  depth = 0,
): SettingValue {
  const span = spanOf(node);
  if (depth > 8) return { kind: 'other', span };
  switch (node.type) {
    case 'parenthesized_expression': {
      const inner = node.namedChildren.find((c) => c && c.type !== 'comment');
      return inner ? classifyValue(inner, scope, isRandomModule, names, depth + 1) : { kind: 'other', span };
    }
    case 'string':
    case 'concatenated_string': {
      const s = evaluateString(node);
      if (s.interpolated) return { kind: 'other', span };
      return { kind: 'literal', span, empty: s.value === '', value: s.value };
    }
    case 'none':
      return { kind: 'none', span };
    case 'true':
    case 'false':
      return { kind: 'boolean', span, value: node.type === 'true' };
    case 'list':
    case 'tuple':
      return {
        kind: 'list',
        span,
        items: node.namedChildren
          .filter((c): c is PyNode => !!c && c.type !== 'comment')
          .map((c) => classifyValue(c, scope, isRandomModule, names, depth + 1)),
      };
    case 'identifier': {
      const bound = scope.lookup(node.text);
      if (!bound) return { kind: 'other', span };
      names.push(node.text);
      return classifyValue(bound, scope, isRandomModule, names, depth + 1);
    }
    case 'subscript': {
      const env = requiredEnvRead(node);
      if (env) return { kind: 'env', span, variable: env, required: true };
      break;
    }
    case 'boolean_operator': {
      const left = node.childForFieldName('left');
      const right = node.childForFieldName('right');
      const operator = node.childForFieldName('operator')?.text ?? node.child(1)?.text;
      if (operator === 'or' && left && right) {
        const first = classifyValue(left, scope, isRandomModule, names, depth + 1);
        if (first.kind === 'env' && !first.fallback) {
          return {
            ...first,
            span,
            required: false,
            fallback: classifyValue(right, scope, isRandomModule, names, depth + 1),
          };
        }
      }
      break;
    }
    case 'call': {
      const fn = dotted(node.childForFieldName('function'));
      const { positional, keywords } = callArguments(node);
      // "literal".encode() and bytes("literal", ...) are still the literal.
      const fnNode = node.childForFieldName('function');
      if (fnNode?.type === 'attribute' && fnNode.childForFieldName('attribute')?.text === 'encode') {
        const object = fnNode.childForFieldName('object');
        if (object && (object.type === 'string' || object.type === 'concatenated_string')) {
          const inner = classifyValue(object, scope, isRandomModule, names, depth + 1);
          if (inner.kind === 'literal') return { ...inner, span };
        }
      }
      if ((fn === 'bytes' || fn === 'str') && positional[0] && stringConstant(positional[0]) !== undefined) {
        return { ...classifyValue(positional[0], scope, isRandomModule, names, depth + 1), span };
      }
      // str(None) is "None": an unset variable becomes a key anyone can guess.
      if (fn === 'str' && positional.length === 1 && keywords.size === 0) {
        const inner = classifyValue(positional[0], scope, isRandomModule, names, depth + 1);
        if (inner.kind === 'env' && !inner.required && !inner.fallback)
          return { ...inner, span, coerced: true, fallback: { kind: 'literal', span, empty: false, value: 'None' } };
      }
      // django-environ's `env("SECRET_KEY", default=...)` / `env.str(...)`, python-decouple's
      // `config("SECRET_KEY", default=...)`: a read that raises when unset and has no default.
      const envName = stringConstant(positional[0]);
      if (fn && /^(env(\.str)?|config)$/.test(fn) && envName && /^[A-Z][A-Z0-9_]*$/.test(envName)) {
        const fallbackNode = keywords.get('default');
        const fallback = fallbackNode
          ? classifyValue(fallbackNode, scope, isRandomModule, names, depth + 1)
          : undefined;
        return {
          kind: 'env',
          span,
          variable: envName,
          required: !fallbackNode,
          fallback: fallback?.kind === 'none' ? undefined : fallback,
        };
      }
      if (fn && /(^|\.)environ\.(get|setdefault)$|(^|\.)getenv$/.test(fn)) {
        const variable = stringConstant(positional[0]);
        if (variable !== undefined) {
          const fallbackNode = positional[1] ?? keywords.get('default');
          const fallback = fallbackNode
            ? classifyValue(fallbackNode, scope, isRandomModule, names, depth + 1)
            : undefined;
          return {
            kind: 'env',
            span,
            variable,
            required: false,
            fallback: fallback?.kind === 'none' ? undefined : fallback,
          };
        }
      }
      break;
    }
  }
  const generator = findGenerator(node, isRandomModule);
  if (generator) return { kind: 'generated', span, call: spanOf(generator.call), generator: generator.name };
  return { kind: 'other', span };
}

function requiredEnvRead(node: PyNode): string | undefined {
  const value = dotted(node.childForFieldName('value'));
  if (!value || !/(^|\.)environ$/.test(value)) return undefined;
  return stringConstant(node.childForFieldName('subscript'));
}

/** The first call in `node` that makes a random value at run time. */
function findGenerator(
  node: PyNode,
  isRandomModule: (name: string) => boolean,
): { call: PyNode; name: string } | undefined {
  const calls = node.type === 'call' ? [node, ...node.descendantsOfType('call')] : node.descendantsOfType('call');
  for (const call of calls) {
    if (!call) continue;
    const fnNode = call.childForFieldName('function');
    // `random.SystemRandom().choice(...)`: a chain through a call, which `dotted` does not name.
    if (fnNode && /^(random\.)?SystemRandom\(\)\.(choice|choices|sample|randint|getrandbits)$/.test(fnNode.text))
      return { call, name: fnNode.text };
    const fn = dotted(fnNode);
    if (!fn || !GENERATORS.test(fn)) continue;
    const head = fn.split('.')[0];
    const bare = !fn.includes('.');
    if ((bare && isRandomModule(fn)) || (!bare && (RANDOM_MODULES.has(head) || isRandomModule(head)))) {
      return { call, name: fn };
    }
  }
  return undefined;
}
