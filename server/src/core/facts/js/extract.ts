import { partsHaveErrors, partText, type SyntaxNode, type TreePart } from '../../parse/tree-sitter';
import type { SourceText } from '../../types';
import { isPm2File } from '../../files';
import type { JsFacts, JsValue, Pm2App, SessionLibrary } from './model';
import { jsStringValue } from './strings';
import { JsEvaluator, memberOf, propertyKey, spanOf, type Bindings } from './values';

const SESSION_LIBRARIES = new Set<string>(['express-session', 'cookie-session', 'cookie-parser']);
/** Request properties that Express derives from X-Forwarded-* only when it trusts the proxy. */
const SCHEME_PROPERTIES = new Set(['ip', 'ips', 'protocol', 'secure', 'hostname']);
/** Places a finding lists at most; a generated file can hold thousands. */
const MAX_USES = 20;

/** The nodes one walk of the tree collects; everything else is derived from them. */
interface Collected {
  bindings: Bindings;
  declaredDepth: Map<string, number>;
  exports: SyntaxNode[];
  assignments: SyntaxNode[];
  calls: SyntaxNode[];
  requestMembers: SyntaxNode[];
  imports: SyntaxNode[];
  quotes: { single: number; double: number };
  statements: { withSemicolon: number; without: number };
  envChecks: Set<string>;
  importsEnd: number;
}

/** Upper-case names in a condition or a validation schema: the variables it checks. */
const ENV_NAME = /\b[A-Z][A-Z0-9_]{2,}\b/g;
/** Calls that fail at start-up when their argument is falsy or a variable is missing. */
const CHECK_CALLS =
  /^(assert(\.ok)?|invariant|cleanEnv|envalid\.cleanEnv|requireEnv|requiredEnv|getRequiredEnv|mustGetEnv)$/;

/** What the extractor finds in one part alone (an open document's chunk), kept until it is reparsed. */
export interface JsPartMemo {
  /** Offsets of STATEMENT_KEYWORDS matches, from the part's start. */
  keywords: number[];
  /** Offsets of calls of the names the file binds to modules, for the names in `pattern`. */
  calls?: { pattern: string; offsets: number[] };
  /** The part's top-level statements and their style (offsets from the part's start). */
  statements?: PartStatements;
}

/** A part's top-level statements, listed once (see listStatements()). */
interface PartStatements {
  list: { type: string; start: number; end: number; child: number }[];
  withSemicolon: number;
  without: number;
  /** Where the requires and imports at its top end, or -1. */
  importsEnd: number;
}

/** A whole file's tree, or an open document's chunk. */
export type JsPart = TreePart<JsPartMemo>;

/**
 * Reads what the rules need from a parsed JavaScript or TypeScript file: one tree for a whole
 * file, or an open document's chunks of top-level statements, in order. `text` is read in
 * parts: an open document's text is never joined on a keystroke.
 */
export function extractJsFacts(
  parts: readonly JsPart[],
  text: SourceText,
  path: string,
  language: JsFacts['language'],
): JsFacts {
  const collected = collect(parts, text);
  const evaluator = new JsEvaluator(collected.bindings);
  const facts: JsFacts = {
    language,
    imports: Object.fromEntries(collected.bindings.imported),
    exports: {},
    reexportAll: [],
    apps: [],
    sessions: [],
    trustProxy: [],
    schemeUses: [],
    listenHosts: [],
    servesHttps: false,
    loadsDotenv: false,
    pm2: [],
    envChecks: [...collected.envChecks],
    importsEnd: collected.importsEnd,
    style: {
      quote: collected.quotes.double > collected.quotes.single ? '"' : "'",
      semicolons: collected.statements.withSemicolon >= collected.statements.without,
      module: collected.imports.length > 0 || collected.exports.length > 0 ? 'esm' : 'commonjs',
    },
    hasSyntaxErrors: partsHaveErrors(parts),
  };
  for (const node of collected.imports) {
    const source = node.childForFieldName('source');
    const name = source ? jsStringValue(source) : undefined;
    if (name === 'dotenv/config') facts.loadsDotenv = true;
    if (name === 'express-rate-limit' && facts.schemeUses.length < MAX_USES)
      facts.schemeUses.push({ span: spanOf(node), what: 'express-rate-limit (keys clients by req.ip)' });
  }
  readExports(collected, evaluator, facts);
  for (const call of collected.calls) readCall(call, evaluator, facts);
  for (const member of collected.requestMembers) {
    if (facts.schemeUses.length >= MAX_USES) break;
    facts.schemeUses.push({ span: spanOf(member), what: member.text });
  }
  if (isPm2File(path)) facts.pm2 = pm2Apps(facts.exports.default);
  return facts;
}

/** Node types `visit` reads as nodes; every other node is seen only through the cursor (fast). */
const VISITED = new Set([
  'import_statement',
  'variable_declarator',
  'export_statement',
  'assignment_expression',
  'call_expression',
  'member_expression',
  'if_statement',
]);

/**
 * Text that makes a top-level statement worth walking: imports and requires, exports, trust
 * proxy, listening, dotenv, request properties Express derives from proxies, start-up checks.
 */
const STATEMENT_KEYWORDS =
  /\brequire\s*\(|\bimport\b|\bexports?\b|trust proxy|\.listen\s*\(|createServer|loadEnvFile|dotenv|Object\.assign|\breq(uest)?\.(ips?|protocol|secure|hostname)\b|\bprocess\.exit|\bthrow\b|\bassert|invariant|cleanEnv|\bapps\b|\binstances\b/g;

/** Offsets where `pattern` matches, in order (a native scan: much cheaper than visiting nodes). */
function matchOffsets(text: string, pattern: RegExp): number[] {
  const out: number[] = [];
  for (const m of text.matchAll(pattern)) out.push(m.index);
  return out;
}

/** Whether a sorted list holds an offset in `start..end`. */
function anyWithin(offsets: number[], start: number, end: number): boolean {
  let lo = 0;
  let hi = offsets.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (offsets[mid] < start) lo = mid + 1;
    else hi = mid;
  }
  return lo < offsets.length && offsets[lo] < end;
}

/**
 * Collects what the rules read, walking only the top-level statements that can matter: those
 * that mention a keyword or call a name bound to an imported module (`session(`, `express(`).
 * A 5,000-line file of routes is then mostly skipped, which keeps a keystroke cheap. Top-level
 * declarations are always recorded: an option object may be built in any of them.
 */
function collect(parts: readonly JsPart[], text: SourceText): Collected {
  const out: Collected = {
    bindings: { declared: new Map(), imported: new Map() },
    declaredDepth: new Map(),
    exports: [],
    assignments: [],
    calls: [],
    requestMembers: [],
    imports: [],
    quotes: { single: 0, double: 0 },
    statements: { withSemicolon: 0, without: 0 },
    envChecks: new Set(),
    importsEnd: 0,
  };
  // Matches are found once per part (a keystroke scans only its own chunk), then made absolute.
  const keywords: number[] = [];
  for (const part of parts) {
    part.memo ??= { keywords: matchOffsets(partText(part, text), STATEMENT_KEYWORDS) };
    for (const offset of part.memo.keywords) keywords.push((part.start ?? 0) + offset);
  }
  const walked = new Set<number>();
  const statements: TopStatement[] = [];
  for (const part of parts) {
    const memo = part.memo as JsPartMemo;
    memo.statements ??= listStatements(part, text);
    const at = part.start ?? 0;
    const listed = memo.statements;
    out.statements.withSemicolon += listed.withSemicolon;
    out.statements.without += listed.without;
    if (listed.importsEnd >= 0) out.importsEnd = Math.max(out.importsEnd, at + listed.importsEnd);
    for (const { type, start, end, child } of listed.list)
      statements.push({ type, start: at + start, end: at + end, node: () => part.tree.rootNode.child(child) });
  }
  // First the statements with keywords (imports among them), then those that call what they bound.
  statements.forEach((st, i) => {
    const node = anyWithin(keywords, st.start, st.end) ? st.node() : null;
    if (node) {
      walked.add(i);
      walk(node, out, text);
    }
  });
  const names = [
    ...out.bindings.imported.keys(),
    ...[...out.bindings.declared].filter(([, d]) => d.node.text.startsWith('require')).map(([n]) => n),
  ];
  const calls: number[] = [];
  const pattern = names.length > 0 ? `(?<![.\\w$])(${names.map(escapeDollar).join('|')})\\s*[(.]` : undefined;
  if (pattern)
    for (const part of parts) {
      const memo = part.memo as JsPartMemo;
      // Kept while the file binds the same names: a keystroke elsewhere rescans no other chunk.
      if (memo.calls?.pattern !== pattern)
        memo.calls = { pattern, offsets: matchOffsets(partText(part, text), new RegExp(pattern, 'g')) };
      for (const offset of memo.calls.offsets) calls.push((part.start ?? 0) + offset);
    }
  statements.forEach((st, i) => {
    if (walked.has(i)) return;
    const calling = anyWithin(calls, st.start, st.end);
    if (!calling && st.type !== 'lexical_declaration' && st.type !== 'variable_declaration') return;
    const node = st.node();
    if (!node) return;
    if (calling) walk(node, out, text);
    else
      for (const declarator of node.namedChildren)
        if (declarator?.type === 'variable_declarator') readDeclarator(declarator, 1, out);
  });
  return out;
}

/**
 * Lists a part's top-level statements (building no node) and the style they are written in,
 * once per part: a keystroke lists only its own chunk's.
 */
function listStatements(part: JsPart, text: SourceText): PartStatements {
  const at = part.start ?? 0;
  const own = partText(part, text);
  const listed: PartStatements = { list: [], withSemicolon: 0, without: 0, importsEnd: -1 };
  const cursor = part.tree.rootNode.walk();
  try {
    let index = -1;
    if (cursor.gotoFirstChild()) {
      do {
        index++;
        if (!cursor.nodeIsNamed) continue;
        const type = cursor.nodeType;
        // Offsets from the part's start, in its own text.
        const start = cursor.startIndex - at;
        const end = cursor.endIndex - at;
        if (type === 'lexical_declaration' || type === 'variable_declaration' || type === 'expression_statement') {
          if (own[end - 1] === ';') listed.withSemicolon++;
          else listed.without++;
          // Requires, `require("dotenv").config()` and "use strict" stay above a start-up check.
          const statement = own.slice(start, Math.min(end, start + 400));
          if (/\brequire\s*\(|\.config\s*\(/.test(statement) || /^["']use strict["']/.test(statement))
            listed.importsEnd = Math.max(listed.importsEnd, end);
        }
        if (type === 'import_statement') listed.importsEnd = Math.max(listed.importsEnd, end);
        listed.list.push({ type, start, end, child: index });
      } while (cursor.gotoNextSibling());
    }
  } finally {
    cursor.delete();
  }
  return listed;
}

const escapeDollar = (name: string) => name.replace(/[$]/g, '\\$');

/** A top-level statement, its node built only when needed: most of a large file is never read. */
interface TopStatement {
  type: string;
  start: number;
  end: number;
  node: () => SyntaxNode | null;
}

/** Visits every node of one top-level statement, with one cursor and no recursion. */
function walk(statement: SyntaxNode, out: Collected, text: SourceText): void {
  const cursor = statement.walk();
  let depth = 1;
  try {
    for (;;) {
      const type = cursor.nodeType;
      // Building a node object crosses into WebAssembly: only the types read are built.
      if (type === 'string') {
        const at = cursor.startIndex;
        if (text.slice(at, at + 1) === "'") out.quotes.single++;
        else out.quotes.double++;
      } else if (
        VISITED.has(type) &&
        (type !== 'member_expression' || text.slice(cursor.startIndex, cursor.startIndex + 3) === 'req')
      )
        visit(type, cursor.currentNode, depth, out);
      if (type !== 'string' && type !== 'comment' && cursor.gotoFirstChild()) {
        depth++;
        continue;
      }
      while (!cursor.gotoNextSibling()) {
        if (depth === 1 || !cursor.gotoParent()) return;
        depth--;
      }
    }
  } finally {
    cursor.delete();
  }
}

function visit(type: string, node: SyntaxNode, depth: number, out: Collected): void {
  switch (type) {
    case 'import_statement':
      out.imports.push(node);
      readImport(node, out.bindings);
      break;
    case 'variable_declarator':
      readDeclarator(node, depth, out);
      break;
    case 'export_statement':
      out.exports.push(node);
      break;
    case 'assignment_expression':
      out.assignments.push(node);
      break;
    case 'call_expression':
      out.calls.push(node);
      break;
    case 'member_expression': {
      const object = node.childForFieldName('object');
      if ((object?.text === 'req' || object?.text === 'request') && SCHEME_PROPERTIES.has(propertyKey(node) ?? ''))
        out.requestMembers.push(node);
      break;
    }
    case 'if_statement': {
      const consequence = node.childForFieldName('consequence')?.text ?? '';
      if (/\bthrow\b|process\.exit/.test(consequence))
        for (const name of node.childForFieldName('condition')?.text.match(ENV_NAME) ?? []) out.envChecks.add(name);
      break;
    }
  }
  if (type === 'call_expression') {
    const callee = node.childForFieldName('function')?.text ?? '';
    if (CHECK_CALLS.test(callee))
      for (const name of node.childForFieldName('arguments')?.text.match(ENV_NAME) ?? []) out.envChecks.add(name);
  }
}

function readImport(node: SyntaxNode, bindings: Bindings): void {
  const sourceNode = node.childForFieldName('source');
  const source = sourceNode ? jsStringValue(sourceNode) : undefined;
  if (source === undefined) return;
  const clause = node.namedChildren.find((c) => c?.type === 'import_clause');
  for (const part of clause?.namedChildren ?? []) {
    if (!part) continue;
    if (part.type === 'identifier') bindings.imported.set(part.text, { source, name: 'default' });
    else if (part.type === 'namespace_import') {
      const local = part.namedChildren.find((c) => c?.type === 'identifier');
      if (local) bindings.imported.set(local.text, { source, name: '*' });
    } else if (part.type === 'named_imports') {
      for (const spec of part.namedChildren) {
        if (spec?.type !== 'import_specifier') continue;
        const name = spec.childForFieldName('name');
        const alias = spec.childForFieldName('alias') ?? name;
        const imported = name ? (name.type === 'string' ? jsStringValue(name) : name.text) : undefined;
        if (imported !== undefined && alias) bindings.imported.set(alias.text, { source, name: imported });
      }
    }
  }
}

/** `const x = v`, `const { a, b: c, d = 1 } = v`: the shallowest declaration of a name wins. */
function readDeclarator(node: SyntaxNode, depth: number, out: Collected): void {
  const name = node.childForFieldName('name');
  const value = node.childForFieldName('value');
  if (!name || !value) return;
  const declare = (local: string, path: string[], fallback?: SyntaxNode) => {
    const before = out.declaredDepth.get(local);
    if (before !== undefined && before <= depth) return;
    out.declaredDepth.set(local, depth);
    out.bindings.declared.set(local, { node: value, path, fallback });
  };
  if (name.type === 'identifier') {
    declare(name.text, []);
    return;
  }
  if (name.type !== 'object_pattern') return;
  for (const part of name.namedChildren) {
    if (!part) continue;
    if (part.type === 'shorthand_property_identifier_pattern') declare(part.text, [part.text]);
    else if (part.type === 'object_assignment_pattern' || part.type === 'assignment_pattern') {
      const left = part.childForFieldName('left');
      const right = part.childForFieldName('right');
      if (left?.type === 'shorthand_property_identifier_pattern' || left?.type === 'identifier')
        declare(left.text, [left.text], right ?? undefined);
    } else if (part.type === 'pair_pattern') {
      const key = part.childForFieldName('key');
      const local = part.childForFieldName('value');
      const keyText = key?.type === 'string' ? jsStringValue(key) : key?.text;
      if (keyText !== undefined && local?.type === 'identifier') declare(local.text, [keyText]);
      else if (keyText !== undefined && local?.type === 'assignment_pattern') {
        const left = local.childForFieldName('left');
        if (left?.type === 'identifier') declare(left.text, [keyText], local.childForFieldName('right') ?? undefined);
      }
    }
  }
}

function readExports(collected: Collected, evaluator: JsEvaluator, facts: JsFacts): void {
  for (const node of collected.assignments) {
    const left = node.childForFieldName('left');
    const right = node.childForFieldName('right');
    if (!left || !right || left.type !== 'member_expression') continue;
    const target = left.text.replace(/\s+/g, '');
    if (target === 'module.exports') facts.exports.default = evaluator.evaluate(right);
    else {
      const m = /^(?:module\.)?exports\.([A-Za-z_$][\w$]*)$/.exec(target);
      if (m) facts.exports[m[1]] = evaluator.evaluate(right);
    }
  }
  for (const node of collected.exports) {
    const value = node.childForFieldName('value');
    if (value) {
      facts.exports.default = evaluator.evaluate(value);
      continue;
    }
    const declaration = node.childForFieldName('declaration');
    if (declaration) {
      for (const declarator of declaration.namedChildren) {
        const name = declarator?.type === 'variable_declarator' ? declarator.childForFieldName('name') : undefined;
        if (name?.type === 'identifier') facts.exports[name.text] = evaluator.evaluate(name);
      }
      continue;
    }
    const sourceNode = node.childForFieldName('source');
    const source = sourceNode ? jsStringValue(sourceNode) : undefined;
    const clause = node.namedChildren.find((c) => c?.type === 'export_clause');
    if (!clause) {
      if (source !== undefined && node.text.includes('*')) facts.reexportAll.push(source);
      continue;
    }
    for (const spec of clause.namedChildren) {
      if (spec?.type !== 'export_specifier') continue;
      const name = spec.childForFieldName('name');
      const alias = spec.childForFieldName('alias') ?? name;
      if (!name || !alias) continue;
      facts.exports[alias.text] =
        source !== undefined
          ? { kind: 'import', span: spanOf(spec), source, name: name.text, path: [] }
          : evaluator.evaluate(name);
    }
  }
}

function readCall(call: SyntaxNode, evaluator: JsEvaluator, facts: JsFacts): void {
  const callee = call.childForFieldName('function');
  if (!callee) return;
  const args = (call.childForFieldName('arguments')?.namedChildren ?? []).filter(
    (c): c is SyntaxNode => !!c && c.type !== 'comment',
  );
  if (callee.type === 'identifier' && callee.text === 'require') {
    if (args[0]?.type === 'string' && jsStringValue(args[0]) === 'dotenv/config') facts.loadsDotenv = true;
    return;
  }
  if (callee.type === 'member_expression') {
    const method = propertyKey(callee);
    const first = args[0]?.type === 'string' ? jsStringValue(args[0]) : undefined;
    if ((method === 'set' || method === 'enable' || method === 'disable') && first === 'trust proxy') {
      const value: JsValue =
        method === 'set'
          ? evaluator.evaluate(args[1])
          : { kind: 'boolean', span: spanOf(call), value: method === 'enable' };
      facts.trustProxy.push({
        span: spanOf(call),
        value: method === 'set' && !args[1] ? { kind: 'undefined', span: spanOf(call) } : value,
      });
      return;
    }
    if (method === 'listen') {
      // `listen(port)` binds every interface; `listen(port, "127.0.0.1")` one; a socket path none.
      if (first !== undefined && !/^\d+$/.test(first)) return;
      const host = args[1]?.type === 'string' ? jsStringValue(args[1]) : undefined;
      facts.listenHosts.push(host ?? '0.0.0.0');
      return;
    }
    if (method === 'loadEnvFile' && callee.childForFieldName('object')?.text === 'process') {
      facts.loadsDotenv = true;
      return;
    }
  }
  if (callee.type !== 'identifier' && callee.type !== 'member_expression' && callee.type !== 'call_expression') return;
  // Only names that can be imported need evaluating (most calls are to local functions).
  const fn = evaluator.evaluate(callee);
  if (fn.kind !== 'import') return;
  const source = fn.source.replace(/^node:/, '');
  const plain = fn.path.length === 0 && (fn.name === 'default' || fn.name === '*');
  if (plain && SESSION_LIBRARIES.has(source)) {
    facts.sessions.push({
      library: source as SessionLibrary,
      span: spanOf(call),
      options: args[0] ? evaluator.evaluate(args[0]) : undefined,
    });
  } else if (plain && source === 'express') {
    facts.apps.push(appCreation(call));
  } else if (servesTls(source, fn.path.join('.') || fn.name)) {
    facts.servesHttps = true;
  } else if (source === 'dotenv' && (fn.path.join('.') === 'config' || fn.name === 'config')) {
    facts.loadsDotenv = true;
  }
}

/** `https.createServer`, `http2.createSecureServer`, `spdy.createServer`: Node ends TLS itself. */
function servesTls(source: string, fn: string): boolean {
  if (source === 'https' || source === 'spdy') return fn === 'createServer';
  return source === 'http2' && fn === 'createSecureServer';
}

function appCreation(call: SyntaxNode): JsFacts['apps'][number] {
  let statement = call;
  while (statement.parent && !/^(program|statement_block|class_body|switch_case)$/.test(statement.parent.type))
    statement = statement.parent;
  const declarator =
    call.parent?.type === 'variable_declarator'
      ? call.parent.childForFieldName('name')
      : call.parent?.type === 'assignment_expression'
        ? call.parent.childForFieldName('left')
        : undefined;
  return {
    name: declarator?.text,
    span: spanOf(call),
    statementEnd: statement.endIndex,
    indent: ' '.repeat(statement.startPosition.column),
  };
}

/** The apps of a pm2 ecosystem file: `module.exports = { apps: [{ instances, exec_mode, env }] }`. */
function pm2Apps(exported: JsValue | undefined): Pm2App[] {
  if (!exported) return [];
  const apps = memberOf(exported, 'apps', exported.span);
  if (apps.kind !== 'array') return [];
  return apps.items.flatMap((app): Pm2App[] => {
    if (app.kind !== 'object') return [];
    const instances = memberOf(app, 'instances', app.span);
    const mode = memberOf(app, 'exec_mode', app.span);
    const count =
      instances.kind === 'number'
        ? instances.value
        : instances.kind === 'string'
          ? instances.value === 'max'
            ? 0
            : Number(instances.value)
          : 1;
    // pm2 reads 0 and -1 (and "max") as "one per CPU": several on any server.
    const processes = Number.isNaN(count) ? 1 : count <= 0 ? 'many' : count;
    const env = memberOf(app, 'env', app.span);
    const nodeEnv = memberOf(env, 'NODE_ENV', app.span);
    const production =
      memberOf(app, 'env_production', app.span).kind === 'object' ||
      (nodeEnv.kind === 'string' && /^prod/i.test(nodeEnv.value));
    // Cluster mode without `instances` runs one process, like fork mode.
    return [
      { span: app.span, processes: mode.kind === 'string' || instances.kind !== 'other' ? processes : 1, production },
    ];
  });
}
