import type { SyntaxNode } from '../../parse/tree-sitter';
import type { Span } from '../../types';
import type { JsEntry, JsValue } from './model';
import { jsStringValue } from './strings';

/** Evaluation stops this deep: a value is never nested further in a real configuration. */
const MAX_DEPTH = 64;
/** Nodes one file's evaluation visits at most; real files need a few thousand. */
const MAX_STEPS = 50_000;

/** Functions that draw a random value, by module and exported name. */
const GENERATORS: Record<string, Set<string>> = {
  crypto: new Set(['randomBytes', 'randomUUID', 'getRandomValues', 'randomInt', 'pseudoRandomBytes']),
  uuid: new Set(['v1', 'v4', 'v7', 'default']),
  nanoid: new Set(['nanoid', 'customAlphabet', 'default']),
  'crypto-random-string': new Set(['default']),
  randomstring: new Set(['generate']),
  'uid-safe': new Set(['sync', 'default']),
  hat: new Set(['default']),
};

/** Wrappers that pass their value through (`String(x)`, `x.trim()`, `x.toString("hex")`). */
const PASS_THROUGH_METHODS = new Set([
  'toString',
  'trim',
  'slice',
  'substring',
  'substr',
  'toUpperCase',
  'toLowerCase',
  'asString',
  'asBool',
  'asBoolStrict',
  'asInt',
  'asIntPositive',
  'asArray',
  'asJson',
]);

export const spanOf = (node: SyntaxNode): Span => ({ start: node.startIndex, end: node.endIndex });

/** Names bound in one file: declarations, destructuring, imports. */
export interface Bindings {
  /** The declaration's value node, and the members it destructures (`const { a } = x` gives x, ["a"]). */
  declared: Map<string, { node: SyntaxNode; path: string[]; fallback?: SyntaxNode }>;
  imported: Map<string, { source: string; name: string }>;
}

/** Evaluates expressions of one file, following its bindings; each name is evaluated once. */
export class JsEvaluator {
  private readonly cache = new Map<string, JsValue>();
  /** Nodes evaluated so far: an error-recovery tree of hostile text is bounded by MAX_STEPS. */
  private steps = 0;

  constructor(private readonly bindings: Bindings) {}

  evaluate(node: SyntaxNode | null | undefined, depth = 0): JsValue {
    if (!node) return { kind: 'other', span: { start: 0, end: 0 } };
    const span = spanOf(node);
    if (depth > MAX_DEPTH || ++this.steps > MAX_STEPS) return { kind: 'other', span };
    const next = depth + 1;
    switch (node.type) {
      case 'string':
      case 'template_string': {
        const value = jsStringValue(node);
        if (value !== undefined) return { kind: 'string', span, value };
        // `${crypto.randomUUID()}-x` is as random as its substitution.
        const generated = node.namedChildren.find(
          (c) => c?.type === 'template_substitution' && this.evaluate(c.namedChild(0), next).kind === 'generated',
        );
        return generated
          ? { kind: 'generated', span, generator: 'a template of a random value' }
          : { kind: 'other', span };
      }
      case 'number':
        return { kind: 'number', span, value: Number(node.text.replace(/_/g, '')) };
      case 'true':
      case 'false':
        return { kind: 'boolean', span, value: node.type === 'true' };
      case 'null':
      case 'undefined':
        return { kind: 'undefined', span };
      case 'identifier':
        return this.identifier(node, span, next);
      case 'parenthesized_expression':
      case 'as_expression':
      case 'satisfies_expression':
      case 'non_null_expression':
      case 'type_assertion':
        return this.evaluate(
          node.namedChildren.find((c) => c && !c.type.startsWith('type') && c.type !== 'comment'),
          next,
        );
      case 'member_expression':
      case 'subscript_expression':
        return this.member(node, span, next);
      case 'binary_expression':
        return this.binary(node, span, next);
      case 'ternary_expression':
        return this.ternary(node, span, next);
      case 'unary_expression':
        return node.childForFieldName('operator')?.text === 'void'
          ? { kind: 'undefined', span }
          : { kind: 'other', span };
      case 'object':
        return this.object(node, span, next);
      case 'array':
        return {
          kind: 'array',
          span,
          items: node.namedChildren.filter((c) => c && c.type !== 'comment').map((c) => this.evaluate(c, next)),
        };
      case 'call_expression':
        return this.call(node, span, next);
      default:
        return { kind: 'other', span };
    }
  }

  private identifier(node: SyntaxNode, span: Span, depth: number): JsValue {
    const name = node.text;
    const imported = this.bindings.imported.get(name);
    if (imported) return { kind: 'import', span, source: imported.source, name: imported.name, path: [] };
    const declared = this.bindings.declared.get(name);
    if (!declared) {
      if (name === 'undefined') return { kind: 'undefined', span };
      // Node's global `crypto` is the module's webcrypto: `crypto.randomUUID()` draws the same way.
      if (name === 'crypto') return { kind: 'import', span, source: 'crypto', name: 'default', path: [] };
      return { kind: 'other', span };
    }
    let value = this.cache.get(name);
    if (!value) {
      // A name whose value refers back to itself (`let a = b; b = a`) is unknown, not a loop.
      this.cache.set(name, { kind: 'other', span });
      value = this.evaluate(declared.node, depth);
      for (const key of declared.path) value = memberOf(value, key, spanOf(declared.node));
      if (declared.fallback) value = withFallback(value, this.evaluate(declared.fallback, depth));
      this.cache.set(name, value);
    }
    return value;
  }

  private member(node: SyntaxNode, span: Span, depth: number): JsValue {
    const objectNode = node.childForFieldName('object');
    const key = propertyKey(node);
    if (
      objectNode?.type === 'identifier' &&
      objectNode.text === 'process' &&
      !this.bindings.declared.has('process') &&
      key === 'env'
    )
      return { kind: 'env-object', span };
    const object = this.evaluate(objectNode, depth);
    return key === undefined ? { kind: 'other', span } : memberOf(object, key, span);
  }

  private binary(node: SyntaxNode, span: Span, depth: number): JsValue {
    const operator = node.childForFieldName('operator')?.text;
    const left = node.childForFieldName('left');
    const right = node.childForFieldName('right');
    if (operator === '||' || operator === '??') {
      const l = this.evaluate(left, depth);
      if (l.kind === 'undefined') return this.evaluate(right, depth);
      if (l.kind === 'env' || l.kind === 'import' || l.kind === 'other')
        return withFallback(l, this.evaluate(right, depth), span);
      return l;
    }
    if (operator && /^[!=]==?$/.test(operator)) {
      const production = productionTest(this.evaluate(left, depth), this.evaluate(right, depth));
      if (production !== undefined)
        return { kind: 'production', span, negated: operator.startsWith('!') !== !production };
    }
    return { kind: 'other', span };
  }

  private ternary(node: SyntaxNode, span: Span, depth: number): JsValue {
    const test = this.evaluate(node.childForFieldName('condition'), depth);
    const options = [
      this.evaluate(node.childForFieldName('consequence'), depth),
      this.evaluate(node.childForFieldName('alternative'), depth),
    ];
    return {
      kind: 'either',
      span,
      options,
      production: test.kind === 'production' ? (test.negated ? 1 : 0) : undefined,
    };
  }

  private object(node: SyntaxNode, span: Span, depth: number): JsValue {
    const entries: JsEntry[] = [];
    for (const child of node.namedChildren) {
      if (!child) continue;
      if (child.type === 'pair') {
        const keyNode = child.childForFieldName('key');
        const key = keyNode ? literalKey(keyNode) : undefined;
        const valueNode = child.childForFieldName('value');
        if (key !== undefined && keyNode && valueNode)
          entries.push({
            key,
            keySpan: spanOf(keyNode),
            span: spanOf(child),
            valueSpan: spanOf(valueNode),
            value: this.evaluate(valueNode, depth),
          });
      } else if (child.type === 'shorthand_property_identifier') {
        entries.push({
          key: child.text,
          keySpan: spanOf(child),
          span: spanOf(child),
          valueSpan: spanOf(child),
          value: this.identifier(child, spanOf(child), depth),
        });
      } else if (child.type === 'spread_element') {
        entries.push({ spread: this.evaluate(child.namedChild(0), depth) });
      }
    }
    return { kind: 'object', span, entries, close: node.endIndex - 1 };
  }

  private call(node: SyntaxNode, span: Span, depth: number): JsValue {
    const callee = node.childForFieldName('function');
    const args = (node.childForFieldName('arguments')?.namedChildren ?? []).filter(
      (c): c is SyntaxNode => !!c && c.type !== 'comment',
    );
    if (callee?.type === 'identifier' && callee.text === 'require' && !this.bindings.declared.has('require')) {
      const source =
        args[0] && (args[0].type === 'string' || args[0].type === 'template_string')
          ? jsStringValue(args[0])
          : undefined;
      return source === undefined
        ? { kind: 'other', span }
        : { kind: 'import', span, source, name: 'default', path: [] };
    }
    if (callee?.type === 'identifier' && callee.text === 'String' && args.length === 1) {
      const value = this.evaluate(args[0], depth);
      // String(undefined) is "undefined": an unset variable becomes a key anyone can guess.
      return value.kind === 'env' && !value.fallback && !value.required
        ? { ...value, span, coerced: true, fallback: { kind: 'string', span, value: 'undefined' } }
        : value;
    }
    // The callee is evaluated once: evaluating `a.b().c()` again through its object at each
    // level would double the work per link of the chain.
    let fn: JsValue;
    if (callee?.type === 'member_expression') {
      const method = propertyKey(callee);
      const objectNode = callee.childForFieldName('object');
      if (objectNode?.text === 'Math' && method === 'random')
        return { kind: 'generated', span, generator: 'Math.random()' };
      if (objectNode?.text === 'Object' && method === 'assign')
        return { kind: 'object', span, entries: args.map((a) => ({ spread: this.evaluate(a, depth) })), close: -1 };
      const object = this.evaluate(objectNode, depth);
      if (object.kind === 'generated' && method && PASS_THROUGH_METHODS.has(method)) return { ...object, span };
      if (object.kind === 'env') {
        if (method === 'default')
          return withFallback({ ...object, required: false }, this.evaluate(args[0], depth), span);
        if (method === 'required') return { ...object, span, required: true };
        if (method && PASS_THROUGH_METHODS.has(method)) return { ...object, span };
      }
      const firstString = args[0]?.type === 'string' ? jsStringValue(args[0]) : undefined;
      if (object.kind === 'import' && object.source === 'env-var' && method === 'get' && firstString !== undefined)
        return { kind: 'env', span, variable: firstString, required: false };
      // node-config's and convict's `config.get("session.secret")` read the setting that
      // `config.session.secret` names: an imported config, or a convict instance built here.
      if (
        (object.kind === 'import' || object.kind === 'object') &&
        method === 'get' &&
        firstString !== undefined &&
        args.length === 1
      )
        return firstString.split('.').reduce((at: JsValue, key) => memberOf(at, key, span), object);
      // Express's `app.get("env")` is NODE_ENV (or "development").
      if (method === 'get' && firstString === 'env' && args.length === 1)
        return { kind: 'env', span, variable: 'NODE_ENV', required: false };
      fn = method === undefined ? { kind: 'other', span } : memberOf(object, method, spanOf(callee));
    } else fn = this.evaluate(callee, depth);
    if (fn.kind === 'import' && fn.source === 'convict' && fn.path.length === 0 && args[0])
      return convictSettings(this.evaluate(args[0], depth));
    if (fn.kind === 'import') {
      const name = fn.path.length > 0 ? fn.path[fn.path.length - 1] : fn.name;
      const source = fn.source.replace(/^node:/, '');
      if (
        GENERATORS[source]?.has(name) ||
        (source === 'crypto' && fn.path.length === 2 && fn.path[0] === 'webcrypto' && GENERATORS.crypto.has(name))
      ) {
        return { kind: 'generated', span, generator: `${callee?.text ?? name}()` };
      }
    }
    return { kind: 'other', span };
  }
}

/**
 * The settings a convict schema gives: each leaf (`{ default, env, format }`) is the variable
 * it names with its default as the fallback, or the default alone; nested groups stay objects.
 */
function convictSettings(schema: JsValue, depth = 0): JsValue {
  if (schema.kind !== 'object' || depth > 16) return schema;
  const field = (key: string) => {
    const entry = schema.entries.find((e) => 'key' in e && e.key === key);
    return entry && 'key' in entry ? entry.value : undefined;
  };
  const fallback = field('default');
  // A leaf has a default and says something about it; a group of settings named `default` does not.
  if (fallback && ['format', 'env', 'doc', 'arg', 'sensitive'].some((k) => field(k) !== undefined)) {
    const variable = field('env');
    if (variable?.kind !== 'string') return fallback;
    const unset = fallback.kind === 'undefined' || (fallback.kind === 'string' && fallback.value === '');
    return {
      kind: 'env',
      span: fallback.span,
      variable: variable.value,
      required: false,
      fallback: unset ? undefined : fallback,
    };
  }
  return {
    ...schema,
    entries: schema.entries.map((e) => ('key' in e ? { ...e, value: convictSettings(e.value, depth + 1) } : e)),
  };
}

/** A member of a value: a property of an object, a variable of `process.env`, a path into an import. */
export function memberOf(object: JsValue, key: string, span: Span): JsValue {
  switch (object.kind) {
    case 'env-object':
      return { kind: 'env', span, variable: key, required: false };
    case 'import':
      return { ...object, span, path: [...object.path, key] };
    case 'object': {
      const found = lookupLocal(object, key);
      return found ?? { kind: 'other', span };
    }
    default:
      return { kind: 'other', span };
  }
}

/**
 * A property of an object literal, later entries winning as at run time. A spread that is not
 * an object literal (an import, a parameter) may hold the key: the answer is then unknown.
 */
function lookupLocal(
  object: Extract<JsValue, { kind: 'object' }>,
  key: string,
  budget = { left: MAX_LOOKUP_STEPS },
): JsValue | undefined {
  for (let i = object.entries.length - 1; i >= 0; i--) {
    // Shared spreads (`a = {...b, ...b}`, `b = {...c, ...c}`) make a lookup exponential: past
    // the budget the answer is unknown.
    if (--budget.left < 0) return undefined;
    const entry = object.entries[i];
    if ('key' in entry) {
      if (entry.key === key) return entry.value;
    } else if (entry.spread.kind === 'object') {
      const inner = lookupLocal(entry.spread, key, budget);
      if (inner) return inner;
    } else if (entry.spread.kind !== 'undefined') return undefined;
  }
  return undefined;
}

/** Entries a property lookup visits at most. */
const MAX_LOOKUP_STEPS = 10_000;

/** `a || b`, `a ?? b`, `{ A = b } = process.env`: an environment read gets a fallback. */
function withFallback(value: JsValue, fallback: JsValue, span: Span = value.span): JsValue {
  if (value.kind === 'env') return { ...value, span, fallback: value.fallback ? value.fallback : fallback };
  return { kind: 'either', span, options: [value, fallback] };
}

/** Whether `a === b` compares the environment's name with production (true) or development (false). */
function productionTest(a: JsValue, b: JsValue): boolean | undefined {
  const [env, literal] = a.kind === 'string' ? [b, a] : [a, b];
  if (literal.kind !== 'string') return undefined;
  if (env.kind !== 'env' || env.variable !== 'NODE_ENV') return undefined;
  if (/^prod(uction)?$/i.test(literal.value)) return true;
  if (/^(dev(elopment)?|test|local)$/i.test(literal.value)) return false;
  return undefined;
}

/** The name of a member access (`a.b`, `a["b"]`), when it is written literally. */
export function propertyKey(node: SyntaxNode): string | undefined {
  if (node.type === 'member_expression') {
    const property = node.childForFieldName('property');
    return property?.type === 'property_identifier' || property?.type === 'private_property_identifier'
      ? property.text
      : undefined;
  }
  const index = node.childForFieldName('index');
  return index && (index.type === 'string' || index.type === 'template_string')
    ? jsStringValue(index)
    : index?.type === 'number'
      ? index.text
      : undefined;
}

/** An object key written literally: `secret`, `"secret"`, `0`. */
function literalKey(node: SyntaxNode): string | undefined {
  if (node.type === 'property_identifier' || node.type === 'number') return node.text;
  if (node.type === 'string') return jsStringValue(node);
  if (node.type === 'computed_property_name') {
    const inner = node.namedChild(0);
    return inner?.type === 'string' ? jsStringValue(inner) : undefined;
  }
  return undefined;
}
