import type { TreeCursor } from 'web-tree-sitter';
import { partsHaveErrors, partText, type PyNode, type TreePart } from '../parse/tree-sitter';
import type { SourceText } from '../types';
import { basename } from '../paths';
import { emptyDeployFacts, isSecretName, type DeployFacts } from './deploy-model';
import {
  gunicornConfigRun,
  installRequires,
  isGunicornConfig,
  proxyFixUse,
  uvicornRun,
  waitressServe,
} from './python-deploy';
import {
  CONFIG_KEYS,
  type AppCreation,
  type ClassDef,
  type ConfigLoad,
  type ConfigRef,
  type ImportBinding,
  type PythonFacts,
  type ConfigKey,
  type ConfigSite,
  type ProxyFixUse,
  type SessionUse,
  type SettingsClass,
  type SettingsReference,
  type SettingValue,
  type SiteOwner,
  type TopImport,
} from './python-model';
import { type BindingLayer, Bindings, bindingLayer, type LazyValue } from './python-bindings';
import { callArguments, classifyValue, dotted, spanOf, stringConstant, type Scope } from './python-values';
import { factoryClass, isSettingsClass, settingsClass, settingsInstance } from './pydantic-settings';

const CONFIG_KEY_SET = new Set<string>(CONFIG_KEYS);
const LOAD_METHODS = new Set(['from_object', 'from_pyfile', 'from_envvar', 'from_prefixed_env', 'from_file']);
const UPDATE_METHODS = new Set(['update', 'from_mapping', 'setdefault']);
const RANDOM_SOURCES =
  /^(os|secrets|uuid|random|cryptography\.fernet|django\.utils\.crypto|django\.core\.management\.utils|Crypto\.Random)$/;
/**
 * Words without which a statement cannot hold a secret site, an app or a config load. Skipping
 * statements that lack them keeps a keystroke in a 5,000-line file cheap.
 */
const KEYWORDS =
  /secret_key|SECRET_KEY|Flask|SessionMiddleware|DJANGO_SETTINGS_MODULE|CSRF_COOKIE|SESSION_ENGINE|CACHES|USE_X_FORWARDED_HOST|ALLOWED_HOSTS|SECURE_PROXY_SSL_HEADER|SECURE_SSL_REDIRECT|CSRF_TRUSTED_ORIGINS|INSTALLED_APPS|ROOT_URLCONF|from_(?:object|pyfile|envvar|prefixed_env|file)|ProxyFix|serve|create_server|uvicorn|SESSION_COOKIE|SERVER_NAME|TRUSTED_HOSTS|PREFERRED_URL_SCHEME|subdomain|install_requires|BaseSettings|Settings\(\)/g;

function keywordOffsets(text: string): number[] {
  return Array.from(text.matchAll(KEYWORDS), (m) => m.index);
}

/** `app.debug`, `DEBUG`, `os.environ.get("FLASK_DEBUG") == "1"`, `ENV == "development"`. */
const DEV_CONDITION = /(?<![A-Za-z])(debug|DEBUG|Debug|development|DEVELOPMENT|dev|DEV)(?![A-Za-z])/;
const SESSION_IMPORTS: Record<string, (name: string) => string | undefined> = {
  flask: (name) => (name === 'session' || name === 'flash' ? `flask.${name}` : undefined),
  flask_login: () => 'Flask-Login',
  flask_wtf: () => 'Flask-WTF',
  'flask_wtf.csrf': () => 'Flask-WTF CSRF',
};

/** A site found during the walk; its value is classified once every binding is known. */
interface PendingSite {
  key: ConfigKey;
  form: string;
  owner: SiteOwner;
  value: PyNode;
  devBranch: boolean;
  scope: number;
  configObject?: string;
}

/** Flask's APIs whose `subdomain=` routes requests by subdomain. */
const FLASK_ROUTING = new Set([
  'route',
  'add_url_rule',
  'Blueprint',
  'register_blueprint',
  'get',
  'post',
  'put',
  'patch',
  'delete',
]);

/** How deep the extractor descends into a syntax tree. */
const MAX_SYNTAX_DEPTH = 400;

interface WalkContext {
  className?: string;
  inFunction: boolean;
  devBranch: boolean;
  scope: number;
}

const MODULE_LEVEL: WalkContext = { inFunction: false, devBranch: false, scope: 0 };

/**
 * What a part's module-level statements contribute, found once per chunk of an open document
 * and replayed on every keystroke elsewhere in the file: the bindings nothing has looked at
 * yet, and the statements to visit (by index among the part's root's children).
 */
export interface PartSummary {
  layer: BindingLayer;
  /** Names bound that look like secrets (see secretConstants). */
  secrets: string[];
  /** Module-level dicts of names (`{"dev": DevConfig}`), in source order (`at`: from the part's start). */
  dicts: { name: string; values: string[]; at: number }[];
  visits: number[];
}

/** What the extractor derives from one part alone, kept until the part is reparsed. */
export interface PartMemo {
  /** Offsets of KEYWORDS matches, relative to the part's start. */
  keywords: number[];
  summary?: PartSummary;
}

/** A module's statements: one tree for a whole file, or an open document's chunks in order. */
export type ModulePart = TreePart<PartMemo>;

/** Extracts the facts of one Python file; `module` is its dotted name in the project. */
export function extractPythonFacts(
  parts: readonly ModulePart[],
  text: SourceText,
  module: string,
  isPackage: boolean,
  path: string,
): PythonFacts {
  return new Extractor(text, module, isPackage, path).run(parts);
}

/** `not NAME` or `NAME is None`: the test of a value that may be unset. */
const EMPTY_TEST = /^(?:not\s+([\w.]+)|([\w.]+)\s+is\s+None)$/;

class Extractor {
  /** Current recursion depth of visit(). */
  private depth = 0;
  private readonly imports: Record<string, ImportBinding> = {};
  private readonly pending: PendingSite[] = [];
  private readonly classes: ClassDef[] = [];
  private readonly dicts: Record<string, string[]> = {};
  private readonly loads: ConfigLoad[] = [];
  private readonly sessionUses: SessionUse[] = [];
  private readonly failFast = new Set<string>();
  private readonly refilled = new Set<string>();
  private readonly flaskCalls: { call: PyNode; statement?: PyNode; target?: string }[] = [];
  /** Bindings per scope id (0 = module), last assignment wins. */
  private readonly bindings = new Map<number, Bindings>([[0, new Bindings()]]);
  private lastImportEnd = -1;
  private readonly topImports: TopImport[] = [];
  private readonly proxyFixes: ProxyFixUse[] = [];
  private readonly subdomains: { start: number; end: number }[] = [];
  private readonly deploy: DeployFacts = emptyDeployFacts();
  private readonly serveCalls: PyNode[] = [];
  private readonly settingsClasses: SettingsClass[] = [];
  /** `get_settings()` -> the class its body returns an instance of. */
  private readonly settingsFactories: Record<string, string> = {};
  /** Module-level names bound that look like secrets (see secretConstants). */
  private readonly secretNames = new Set<string>();
  private readonly sessionMiddlewares: { call: PyNode; options: Map<string, PyNode>; ctx: WalkContext }[] = [];
  private readonly starImports: string[] = [];
  private readonly djangoSettingsModules: string[] = [];
  /** Sorted offsets of KEYWORDS matches in the text. */
  private readonly keywordAt: number[] = [];

  constructor(
    private readonly text: SourceText,
    private readonly module: string,
    private readonly isPackage: boolean,
    private readonly path: string,
  ) {}

  /** Whether any keyword starts inside the node (binary search, no substring). */
  private mentionsKeyword(node: PyNode): boolean {
    return this.keywordBetween(node.startIndex, node.endIndex);
  }

  private keywordBetween(start: number, end: number): boolean {
    const a = this.keywordAt;
    let lo = 0;
    let hi = a.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (a[mid] < start) lo = mid + 1;
      else hi = mid;
    }
    return lo < a.length && a[lo] < end;
  }

  run(parts: readonly ModulePart[]): PythonFacts {
    // Keywords first: visiting a part asks about offsets anywhere in it. A chunk's matches are
    // found once, when it is parsed, so a keystroke scans only its own chunk.
    for (const part of parts) {
      const start = part.start ?? 0;
      part.memo ??= { keywords: keywordOffsets(partText(part, this.text)) };
      for (const offset of part.memo.keywords) this.keywordAt.push(start + offset);
    }
    for (const part of parts) this.visitModulePart(part);
    const root = parts[0].tree.rootNode;
    const sites = this.pending.map((p) => this.classify(p));
    const apps = this.flaskCalls.filter((c) => this.isFlaskConstructor(c.call)).map((c) => this.appCreation(c));
    for (const call of this.serveCalls) {
      const run = waitressServe(call, this.imports, (name) => this.bindings.get(0)?.get(name));
      if (run) this.deploy.servers.push(run);
    }
    if (isGunicornConfig(this.path))
      this.deploy.servers.push(gunicornConfigRun(this.bindings.get(0) ?? new Bindings(), this.text.length));
    return {
      module: this.module,
      importsFlask: Object.values(this.imports).some((b) => b.module === 'flask' || b.module.startsWith('flask_')),
      imports: this.imports,
      apps,
      sites,
      classes: this.classes,
      dicts: this.dicts,
      loads: this.loads,
      sessionUses: this.sessionUses,
      failFast: [...this.failFast],
      refilled: [...this.refilled],
      os: this.osAccess(root),
      hasSyntaxErrors: partsHaveErrors(parts),
      proxyFixes: this.proxyFixes,
      subdomains: this.subdomains,
      deploy: this.deploy,
      starImports: this.starImports,
      djangoSettingsModules: this.djangoSettingsModules,
      starletteSessions: this.sessionMiddlewares.map(({ call, options, ctx }) => ({
        span: spanOf(call),
        options: Object.fromEntries([...options].map(([name, value]) => [name, this.classifyIn(value, ctx.scope)])),
        devBranch: ctx.devBranch,
        references: Object.fromEntries(
          [...options].flatMap(([name, value]) => {
            const reference = settingsReference(value);
            return reference ? [[name, reference]] : [];
          }),
        ),
        imported: Object.fromEntries(
          [...options].flatMap(([name, value]) => {
            const binding = value.type === 'identifier' ? this.imports[value.text] : undefined;
            return binding?.name ? [[name, binding]] : [];
          }),
        ),
      })),
      settingsClasses: this.settingsClasses,
      settingsObjects: this.settingsObjects(),
      secretConstants: this.secretConstants(),
    };
  }

  /** Replays a part's module-level statements, summarising them first if the part is new. */
  private visitModulePart(part: ModulePart): void {
    const memo = part.memo as PartMemo;
    memo.summary ??= this.summarise(part);
    const summary = memo.summary;
    const module = this.bindings.get(0) as Bindings;
    const start = part.start ?? 0;
    module.addLayer(summary.layer, start);
    for (const name of summary.secrets) this.secretNames.add(name);
    // Dicts in source order with the statements visited, which may bind the same name.
    let dict = 0;
    const dictsBefore = (offset: number) => {
      for (; dict < summary.dicts.length && start + summary.dicts[dict].at < offset; dict++)
        this.recordDict(summary.dicts[dict].name, summary.dicts[dict].values);
    };
    if (summary.visits.length > 0) {
      const root = part.tree.rootNode;
      for (const child of summary.visits) {
        const statement = root.child(child);
        if (!statement) continue;
        dictsBefore(statement.startIndex);
        module.until = statement.startIndex;
        this.visit(statement, MODULE_LEVEL);
      }
      module.until = Number.POSITIVE_INFINITY;
    }
    dictsBefore(Number.POSITIVE_INFINITY);
  }

  /** The module-level statements of a part that matter, as visitBlock() would pick them. */
  private summarise(part: ModulePart): PartSummary {
    const start = part.start ?? 0;
    const bindings: { name: string; value: LazyValue; at: number }[] = [];
    const secrets: string[] = [];
    const dicts: PartSummary['dicts'] = [];
    const visits: number[] = [];
    const cursor = part.tree.rootNode.walk();
    try {
      let child = 0;
      if (cursor.gotoFirstChild())
        do {
          // Read with the cursor: a node object per statement would cost more than the rest.
          if (cursor.nodeIsNamed && !this.skipAtCursor(cursor, MODULE_LEVEL)) {
            if (this.keywordBetween(cursor.startIndex, cursor.endIndex) || !skippableType(cursor.nodeType))
              visits.push(child);
            else {
              const binding = moduleBinding(cursor, part, child, this.text);
              if (binding) {
                const at = binding.at - start;
                bindings.push({ name: binding.name, value: binding.value, at });
                if (isSecretName(binding.name)) secrets.push(binding.name);
                if (binding.dict) dicts.push({ name: binding.name, values: binding.dict, at });
              }
            }
          }
          child++;
        } while (cursor.gotoNextSibling());
    } finally {
      cursor.delete();
    }
    return { layer: bindingLayer(bindings), secrets, dicts, visits };
  }

  /**
   * Visits a statement list. A cursor looks at each statement's type and offsets first, so the
   * statements that cannot matter (most of a large file) never become node objects.
   */
  private visitBlock(block: PyNode, ctx: WalkContext): void {
    const cursor = block.walk();
    try {
      if (!cursor.gotoFirstChild()) return;
      do {
        if (cursor.nodeIsNamed && !this.skipAtCursor(cursor, ctx)) this.visit(cursor.currentNode, ctx);
      } while (cursor.gotoNextSibling());
    } finally {
      cursor.delete();
    }
  }

  /** Function definitions (plain or decorated) and calls without keywords: skipped unseen. */
  private skipAtCursor(cursor: TreeCursor, ctx: WalkContext): boolean {
    if (this.keywordBetween(cursor.startIndex, cursor.endIndex)) return false;
    const type = cursor.nodeType;
    if (type === 'function_definition') return true;
    if (type === 'decorated_definition') {
      cursor.gotoLastChild();
      const wrapped = cursor.nodeType;
      cursor.gotoParent();
      return wrapped === 'function_definition';
    }
    if (type === 'expression_statement' && (ctx.scope !== 0 || ctx.className)) return true;
    return false;
  }

  private visit(node: PyNode, ctx: WalkContext): void {
    if (!this.mentionsKeyword(node) && skippableType(node.type)) {
      const assignment = node.type === 'expression_statement' ? node.firstNamedChild : null;
      if (assignment?.type === 'assignment' && ctx.scope === 0 && !ctx.className) this.recordBinding(assignment, ctx);
      return;
    }
    // CPython refuses code nested this deep (200 parentheses, 100 indentation levels), so
    // nothing below can run; an error-recovery tree of hostile text can be far deeper.
    if (this.depth >= MAX_SYNTAX_DEPTH) return;
    this.depth++;
    try {
      this.visitNode(node, ctx);
    } finally {
      this.depth--;
    }
  }

  private visitNode(node: PyNode, ctx: WalkContext): void {
    switch (node.type) {
      case 'import_statement':
      case 'import_from_statement':
        this.recordImport(node);
        return;
      case 'class_definition':
        this.recordClass(node, ctx);
        return;
      case 'function_definition': {
        const factory = ctx.scope === 0 && !ctx.className ? factoryClass(node) : undefined;
        const fnName = node.childForFieldName('name')?.text;
        if (factory && fnName) this.settingsFactories[`${fnName}()`] = factory;
        const scope = node.id;
        this.bindings.set(scope, new Bindings());
        const body = node.childForFieldName('body');
        if (body) this.visitBlock(body, { inFunction: true, devBranch: ctx.devBranch, scope });
        return;
      }
      case 'if_statement':
        this.visitIf(node, ctx);
        return;
      case 'assert_statement':
        this.collectFailFast(node);
        break;
      case 'assignment':
        this.recordAssignment(node, ctx);
        break;
      case 'call':
        this.recordCall(node, ctx);
        break;
    }
    for (const child of node.namedChildren) if (child) this.visit(child, ctx);
  }

  /** `name = value`: the binding in its scope, and at module level a dict of classes. */
  private recordBinding(assignment: PyNode, ctx: WalkContext): void {
    const left = assignment.childForFieldName('left');
    const right = assignment.childForFieldName('right');
    if (left?.type !== 'identifier' || !right) return;
    this.bindings.get(ctx.scope)?.set(left.text, right);
    if (ctx.scope === 0 && isSecretName(left.text)) this.secretNames.add(left.text);
    if (!ctx.inFunction && !ctx.className && right.type === 'dictionary') this.recordDict(left.text, dictValues(right));
  }

  private visitIf(node: PyNode, ctx: WalkContext): void {
    const condition = node.childForFieldName('condition');
    const consequence = node.childForFieldName('consequence');
    if (condition) this.visit(condition, ctx);
    if (condition && consequence && this.failsFast(consequence)) this.collectFailFast(condition);
    // `if not SECRET_KEY: SECRET_KEY = ...`: the branch fills the name the test found empty.
    const tested = condition ? EMPTY_TEST.exec(condition.text)?.slice(1).find(Boolean) : undefined;
    if (
      tested &&
      consequence?.descendantsOfType('assignment').some((a) => a?.childForFieldName('left')?.text === tested)
    )
      this.refilled.add(tested);
    // `if not app.debug:` is the production branch.
    const dev = ctx.devBranch || (!!condition && DEV_CONDITION.test(condition.text) && !/^not\b/.test(condition.text));
    if (consequence) this.visitBlock(consequence, { ...ctx, devBranch: dev });
    for (const alternative of node.childrenForFieldName('alternative')) {
      if (alternative) this.visit(alternative, ctx);
    }
  }

  private failsFast(block: PyNode): boolean {
    if (block.descendantsOfType('raise_statement').length > 0) return true;
    return block
      .descendantsOfType('call')
      .some((c) => /^(sys\.)?exit$/.test(dotted(c?.childForFieldName('function')) ?? ''));
  }

  private collectFailFast(node: PyNode): void {
    for (const n of node.descendantsOfType(['identifier', 'string'])) {
      if (!n) continue;
      const text = n.type === 'string' ? stringConstant(n) : n.text;
      if (text) this.failFast.add(text);
    }
  }

  private recordImport(node: PyNode): void {
    this.lastImportEnd = Math.max(this.lastImportEnd, node.parent?.type === 'module' ? node.endIndex : -1);
    if (node.parent?.type === 'module') {
      const first =
        node.type === 'import_statement' ? node.childrenForFieldName('name')[0] : node.childForFieldName('module_name');
      const module = (first?.type === 'aliased_import' ? first.childForFieldName('name') : first)?.text;
      if (module) this.topImports.push({ module, from: node.type !== 'import_statement', span: spanOf(node) });
    }
    if (node.type === 'import_statement') {
      for (const name of node.childrenForFieldName('name')) {
        if (!name) continue;
        if (name.type === 'aliased_import') {
          const module = name.childForFieldName('name')?.text;
          const alias = name.childForFieldName('alias')?.text;
          if (module && alias) this.imports[alias] = { module, span: spanOf(name) };
        } else {
          // `import a.b` binds `a`; dotted uses like `a.b.C` are resolved through it.
          this.imports[name.text.split('.')[0]] = { module: name.text.split('.')[0], span: spanOf(name) };
        }
      }
      return;
    }
    const moduleNode = node.childForFieldName('module_name');
    if (!moduleNode) return;
    const module = this.absoluteModule(moduleNode.text);
    if (node.parent?.type === 'module' && node.descendantsOfType('wildcard_import').length > 0)
      this.starImports.push(module);
    const session = SESSION_IMPORTS[module];
    for (const name of node.childrenForFieldName('name')) {
      if (!name) continue;
      const original = name.type === 'aliased_import' ? name.childForFieldName('name')?.text : name.text;
      const local = name.type === 'aliased_import' ? name.childForFieldName('alias')?.text : name.text;
      if (!original || !local) continue;
      this.imports[local] = { module, name: original, span: spanOf(name) };
      const what = session?.(original);
      if (what) this.sessionUses.push({ span: spanOf(name), what });
    }
    if (session && node.descendantsOfType('wildcard_import').length > 0) {
      this.sessionUses.push({
        span: spanOf(node),
        what: module === 'flask' ? 'flask.session' : (session('*') ?? module),
      });
    }
  }

  /** Resolves `.config` / `..pkg.mod` against this file's package. */
  private absoluteModule(written: string): string {
    const dots = /^\.*/.exec(written)?.[0].length ?? 0;
    if (dots === 0) return written;
    const parts = this.module.split('.');
    const packageParts = this.isPackage ? parts : parts.slice(0, -1);
    const base = packageParts.slice(0, Math.max(0, packageParts.length - (dots - 1)));
    const rest = written.slice(dots);
    return [...base, ...(rest ? [rest] : [])].join('.');
  }

  private recordClass(node: PyNode, ctx: WalkContext): void {
    const name = node.childForFieldName('name');
    const body = node.childForFieldName('body');
    if (!name || !body) return;
    const bases = (node.childForFieldName('superclasses')?.namedChildren ?? [])
      .map((b) => dotted(b))
      .filter((b): b is string => !!b);
    this.classes.push({ name: name.text, span: spanOf(name), bases });
    if (isSettingsClass(bases) && !ctx.inFunction) {
      // Its fields are environment reads with fallbacks, not config-class attributes.
      this.settingsClasses.push(settingsClass(name.text, body, (value) => this.classifyIn(value, ctx.scope)));
      return;
    }
    const inBody: WalkContext = {
      className: ctx.inFunction ? undefined : name.text,
      inFunction: false,
      devBranch: ctx.devBranch,
      scope: ctx.scope,
    };
    // Statements directly in the class body are class attributes, and so are those under an
    // `if`/`else` there (a key chosen by a condition), which keep the condition's context. A
    // cursor passes over methods without keywords before any becomes a node (see visitBlock).
    const inMethod = { ...inBody, className: undefined };
    const cursor = body.walk();
    try {
      if (!cursor.gotoFirstChild()) return;
      do {
        if (!cursor.nodeIsNamed || this.skipAtCursor(cursor, inMethod)) continue;
        const type = cursor.nodeType;
        const attribute = type === 'expression_statement' || type === 'if_statement';
        this.visit(cursor.currentNode, attribute ? inBody : inMethod);
      } while (cursor.gotoNextSibling());
    } finally {
      cursor.delete();
    }
  }

  private recordAssignment(node: PyNode, ctx: WalkContext): void {
    const left = node.childForFieldName('left');
    const right = node.childForFieldName('right');
    if (!left || !right) return;
    if (left.type === 'identifier') {
      this.recordBinding(node, ctx);
      if (CONFIG_KEY_SET.has(left.text) && !ctx.inFunction) {
        const owner: SiteOwner = ctx.className ? { kind: 'class', className: ctx.className } : { kind: 'module' };
        this.addSite(left.text as ConfigKey, left.text, owner, right, ctx);
      }
      return;
    }
    if (left.type === 'attribute' && left.childForFieldName('attribute')?.text === 'secret_key') {
      this.addSite(
        'SECRET_KEY',
        left.text,
        { kind: 'app' },
        right,
        ctx,
        `${left.childForFieldName('object')?.text}.config`,
      );
      return;
    }
    const object = left.type === 'subscript' ? left.childForFieldName('value') : null;
    if (object && this.isConfigObject(object)) {
      const key = stringConstant(left.childForFieldName('subscript'));
      if (key && CONFIG_KEY_SET.has(key))
        this.addSite(key as ConfigKey, left.text, { kind: 'app' }, right, ctx, object.text);
    }
  }

  private recordDict(name: string, values: string[]): void {
    if (values.length > 0) this.dicts[name] = values;
  }

  /** `app.config`, `current_app.config`, `self.app.config`: Flask's Config object. */
  private isConfigObject(node: PyNode | null): boolean {
    if (!node) return false;
    return (
      (node.type === 'attribute' && node.childForFieldName('attribute')?.text === 'config') ||
      (node.type === 'identifier' && node.text === 'config')
    );
  }

  private recordCall(node: PyNode, ctx: WalkContext): void {
    const fn = node.childForFieldName('function');
    if (!fn) return;
    const fnText = dotted(fn);
    const { keywords } = callArguments(node);
    // Subdomain routing is evidence only through Flask's own routing APIs; any other call's
    // `subdomain=` (a URL builder, a DNS client) says nothing about the session cookie.
    const called = fnText?.slice(fnText.lastIndexOf('.') + 1);
    const subdomain =
      called === 'Flask'
        ? keywords.get('subdomain_matching')?.type === 'true'
          ? keywords.get('subdomain_matching')
          : undefined
        : called && FLASK_ROUTING.has(called)
          ? keywords.get('subdomain')
          : undefined;
    if (subdomain) this.subdomains.push(spanOf(subdomain));
    if (fnText === 'ProxyFix' || fnText?.endsWith('.ProxyFix')) {
      const use = proxyFixUse(node);
      if (use) this.proxyFixes.push(use);
      return;
    }
    // `os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")` in manage.py, wsgi.py, asgi.py.
    if (fnText && /environ\.(setdefault|get)$/.test(fnText)) {
      const { positional } = callArguments(node);
      const named = stringConstant(positional[1]);
      if (stringConstant(positional[0]) === 'DJANGO_SETTINGS_MODULE' && named) this.djangoSettingsModules.push(named);
    }
    const middleware = sessionMiddlewareOptions(node, fnText);
    if (middleware) {
      this.sessionMiddlewares.push({ call: node, options: middleware, ctx });
      return;
    }
    if (fnText && /^(waitress\.)?(serve|create_server)$/.test(fnText)) {
      this.serveCalls.push(node);
      return;
    }
    if (fnText === 'uvicorn.run' || fnText === 'run') {
      const run = uvicornRun(node, this.imports, (name) => this.bindings.get(0)?.get(name));
      if (run) this.deploy.asgiRuns.push(run);
    }
    if ((fnText === 'setup' || fnText === 'setuptools.setup') && basename(this.path) === 'setup.py') {
      this.deploy.versions.push(...installRequires(keywords.get('install_requires')));
      return;
    }
    if (fnText === 'Flask' || fnText?.endsWith('.Flask')) {
      const statement = node.parent?.type === 'assignment' ? node.parent : undefined;
      const target = statement?.childForFieldName('left')?.text;
      this.flaskCalls.push({ call: node, statement, target });
      return;
    }
    if (fn.type !== 'attribute') return;
    const method = fn.childForFieldName('attribute')?.text ?? '';
    const object = fn.childForFieldName('object');
    if (!object || !this.isConfigObject(object)) return;
    if (LOAD_METHODS.has(method)) this.loads.push({ method, span: spanOf(node), refs: this.configRefs(method, node) });
    else if (UPDATE_METHODS.has(method)) this.recordUpdate(node, method, object.text, ctx);
  }

  private recordUpdate(call: PyNode, method: string, objectText: string, ctx: WalkContext): void {
    const { positional, keywords } = callArguments(call);
    if (method === 'setdefault') {
      const key = stringConstant(positional[0]);
      if (key && CONFIG_KEY_SET.has(key) && positional[1]) {
        this.addSite(
          key as ConfigKey,
          `${objectText}.setdefault("${key}")`,
          { kind: 'app' },
          positional[1],
          ctx,
          objectText,
        );
      }
      return;
    }
    const addKeywords = (kw: Map<string, PyNode>) => {
      for (const [name, value] of kw) {
        if (CONFIG_KEY_SET.has(name))
          this.addSite(
            name as ConfigKey,
            `${objectText}.${method}(${name}=...)`,
            { kind: 'app' },
            value,
            ctx,
            objectText,
          );
      }
    };
    addKeywords(keywords);
    for (const arg of positional) {
      if (arg.type === 'dictionary') {
        for (const pair of arg.namedChildren) {
          if (pair?.type !== 'pair') continue;
          const key = stringConstant(pair.childForFieldName('key'));
          const value = pair.childForFieldName('value');
          if (key && value && CONFIG_KEY_SET.has(key))
            this.addSite(
              key as ConfigKey,
              `${objectText}.${method}({"${key}": ...})`,
              { kind: 'app' },
              value,
              ctx,
              objectText,
            );
        }
      } else if (arg.type === 'call' && dotted(arg.childForFieldName('function')) === 'dict') {
        addKeywords(callArguments(arg).keywords);
      }
    }
  }

  private configRefs(method: string, call: PyNode): ConfigRef[] {
    if (method === 'from_prefixed_env') return [{ kind: 'prefixed-env' }];
    const arg = callArguments(call).positional[0];
    if (!arg) return [{ kind: 'unknown' }];
    if (method === 'from_pyfile' || method === 'from_file') {
      const file = stringConstant(arg) ?? this.lastStringIn(arg);
      return [file ? { kind: 'file', file } : { kind: 'unknown' }];
    }
    if (method !== 'from_object') return [{ kind: 'unknown' }];
    if (arg.type === 'identifier' && arg.text === '__name__') return [{ kind: 'self' }];
    const literal = stringConstant(arg);
    if (literal !== undefined) return [{ kind: 'dotted', path: literal }];
    // Collect every name the argument mentions: `config[name]`, `A if x else B`, `configs.get(k, Default)`.
    const refs: ConfigRef[] = [];
    const nodes = [arg, ...arg.descendantsOfType(['identifier', 'attribute', 'string'])];
    for (const n of nodes) {
      if (!n) continue;
      if (n.type === 'string') {
        const s = stringConstant(n);
        if (s && /^[\w.]+$/.test(s) && s.includes('.')) refs.push({ kind: 'dotted', path: s });
      } else if (n.type === 'attribute') {
        const d = dotted(n);
        if (d) refs.push({ kind: 'dotted', path: d });
      } else if (n.type === 'identifier' && n.parent?.type !== 'attribute') {
        refs.push({ kind: 'name', name: n.text });
      }
    }
    return refs.length > 0 ? refs : [{ kind: 'unknown' }];
  }

  private lastStringIn(node: PyNode): string | undefined {
    const strings = node.descendantsOfType('string');
    const last = strings[strings.length - 1];
    return last ? stringConstant(last) : undefined;
  }

  private addSite(
    key: ConfigKey,
    form: string,
    owner: SiteOwner,
    value: PyNode,
    ctx: WalkContext,
    configObject?: string,
  ): void {
    this.pending.push({
      key,
      form: displayForm(form, key),
      owner,
      value,
      devBranch: ctx.devBranch,
      scope: ctx.scope,
      configObject,
    });
  }

  /** The statement holding `node`: its end and indentation. */
  private statementOf(node: PyNode): { end: number; indent: string } {
    let n: PyNode = node;
    // Each `parent` read makes a node: read it once per step.
    for (let up = n.parent; up && up.type !== 'block' && up.type !== 'module'; up = n.parent) n = up;
    const lineStart = n.startIndex - n.startPosition.column;
    return { end: n.endIndex, indent: this.text.slice(lineStart, n.startIndex) };
  }

  /** Module-level names that look like secrets, classified: another module may import them. */
  private secretConstants(): Record<string, SettingValue> {
    const module = this.bindings.get(0);
    const constants: Record<string, SettingValue> = {};
    for (const name of this.secretNames) {
      const value = module?.get(name);
      if (value) constants[name] = this.classifyIn(value, 0);
    }
    return constants;
  }

  /**
   * Settings objects as written, to their class: each settings class called bare (`Settings()`),
   * module-level instances (`settings = Settings()`, also of an imported class) and factories.
   */
  private settingsObjects(): Record<string, string> {
    const objects: Record<string, string> = { ...this.settingsFactories };
    for (const cls of this.settingsClasses) objects[`${cls.name}()`] = cls.name;
    for (const [name, value] of this.bindings.get(0)?.calls() ?? []) {
      const cls = settingsInstance(value);
      if (cls) objects[name] = objects[`${cls}()`] ?? cls;
    }
    return objects;
  }

  /** Classifies a value with the bindings of its scope (then the module's). */
  private classifyIn(node: PyNode, scopeId: number, names: string[] = []): SettingValue {
    const scope: Scope = {
      lookup: (name) => this.bindings.get(scopeId)?.get(name) ?? this.bindings.get(0)?.get(name),
    };
    const isRandomModule = (name: string) => {
      const binding = this.imports[name];
      return !!binding && RANDOM_SOURCES.test(binding.module);
    };
    return classifyValue(node, scope, isRandomModule, names);
  }

  private classify(p: PendingSite): ConfigSite {
    const names: string[] = [];
    const value = this.classifyIn(p.value, p.scope, names);
    return {
      key: p.key,
      form: p.form,
      owner: p.owner,
      value,
      devBranch: p.devBranch,
      names,
      statement: this.statementOf(p.value),
      configObject: p.configObject,
    };
  }

  private isFlaskConstructor(call: PyNode): boolean {
    const fn = dotted(call.childForFieldName('function')) ?? '';
    if (fn === 'Flask') return this.imports.Flask?.module === 'flask';
    const head = fn.split('.')[0];
    return fn.endsWith('.Flask') && this.imports[head]?.module === 'flask';
  }

  private appCreation(c: { call: PyNode; statement?: PyNode; target?: string }): AppCreation {
    const statement =
      c.statement?.parent?.type === 'expression_statement' ? c.statement.parent : (c.statement ?? c.call);
    const lineStart = statement.startIndex - statement.startPosition.column;
    return {
      span: spanOf(c.call),
      target: c.target,
      statementEnd: statement.endIndex,
      indent: this.text.slice(lineStart, statement.startIndex),
    };
  }

  private osAccess(root: PyNode): PythonFacts['os'] {
    const osAlias = Object.entries(this.imports).find(([, b]) => b.module === 'os' && !b.name)?.[0];
    const environ = Object.entries(this.imports).find(([, b]) => b.module === 'os' && b.name === 'environ')?.[0];
    return {
      environ: osAlias ? `${osAlias}.environ` : environ,
      envReader: this.envReader(),
      importOffset: this.lastImportEnd >= 0 ? this.lastImportEnd : this.firstStatementOffset(root),
      imports: this.topImports,
    };
  }

  /** `from decouple import config`, `env = environ.Env(...)`, `config = AutoConfig(...)`. */
  private envReader(): PythonFacts['os']['envReader'] {
    for (const [local, b] of Object.entries(this.imports))
      if (b.module === 'decouple' && b.name === 'config') return { name: local, bound: b.span.end };
    for (const [name, value] of this.bindings.get(0)?.calls() ?? []) {
      if (value.type !== 'call') continue;
      const fn = dotted(value.childForFieldName('function')) ?? '';
      const cls = fn.split('.').pop();
      const module = this.imports[fn.split('.')[0]]?.module;
      if (
        (module === 'environ' && cls === 'Env') ||
        (module === 'decouple' && (cls === 'AutoConfig' || cls === 'Config'))
      )
        return { name, bound: value.endIndex };
    }
    return undefined;
  }

  /** Where a new import goes when the file has none: after the docstring and `__future__` imports. */
  private firstStatementOffset(root: PyNode): number {
    const first = root.namedChildren.find((c) => c && c.type !== 'comment');
    if (first?.type === 'expression_statement' && first.firstNamedChild?.type === 'string') return first.endIndex;
    return -1;
  }
}

/** The dotted values of a dict display (`{"dev": DevConfig}` -> `DevConfig`). */
function dictValues(dict: PyNode): string[] {
  const values: string[] = [];
  for (const pair of dict.namedChildren) {
    const value = pair?.type === 'pair' ? dotted(pair.childForFieldName('value')) : undefined;
    if (value) values.push(value);
  }
  return values;
}

/**
 * A dict entry whose value may be a name (`"dev": DevConfig`), as dictValues() reads them, or
 * a comment or a bracket before it (then dictValues() decides).
 */
const NAME_VALUE = /:\s*[A-Za-z_#(\\]/;

/**
 * Whether a statement without keywords can be passed over. Imports, class headers (for
 * inheritance) and `if`/`assert` (fail-fast checks) cannot; a module-level binding
 * (`KEY = "..."` used elsewhere) is passed over once its name is recorded (see visit()).
 */
function skippableType(type: string): boolean {
  switch (type) {
    case 'import_statement':
    case 'import_from_statement':
    case 'class_definition':
    case 'decorated_definition':
    case 'if_statement':
    case 'assert_statement':
    case 'block':
    case 'else_clause':
    case 'elif_clause':
      return false;
    default:
      return true;
  }
}

/**
 * `NAME = value`, statement `child` of a part at module level, read with the cursor on the
 * statement (left there): the name, its value's type and offset (`at`), the value found again in
 * the part's tree when read (the tree outlives any node taken from it before an edit shifted it)
 * and, for a dict, its values.
 */
function moduleBinding(
  cursor: TreeCursor,
  part: ModulePart,
  child: number,
  text: SourceText,
): { name: string; value: LazyValue; at: number; dict?: string[] } | undefined {
  // The cursor's getters read where it is now: each read is kept in a constant of its own.
  const statement = cursor.nodeType;
  if (statement !== 'expression_statement' || !cursor.gotoFirstChild()) return undefined;
  try {
    const expression = cursor.nodeType;
    if (expression !== 'assignment' || !cursor.gotoFirstChild()) return undefined;
    try {
      const left = { field: cursor.currentFieldName, type: cursor.nodeType };
      if (left.field !== 'left' || left.type !== 'identifier') return undefined;
      const name = text.slice(cursor.startIndex, cursor.endIndex);
      while (cursor.gotoNextSibling()) {
        const field = cursor.currentFieldName;
        if (field !== 'right') continue;
        const type = cursor.nodeType;
        const resolve = () => part.tree.rootNode.child(child)?.firstNamedChild?.childForFieldName('right');
        const at = cursor.startIndex;
        // Most dicts map names to strings and numbers (logging, caches): one look at the text
        // says whether any value may be a name, before a node is made of each pair.
        const dict =
          type !== 'dictionary'
            ? undefined
            : NAME_VALUE.test(text.slice(at, cursor.endIndex))
              ? dictValues(cursor.currentNode)
              : [];
        return { name, value: { type, resolve }, at, dict };
      }
      return undefined;
    } finally {
      cursor.gotoParent();
    }
  } finally {
    cursor.gotoParent();
  }
}

/** A name, an attribute chain or a config subscript, as messages may quote them. */
const PLAIN_FORM =
  /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*(\[\s*["'][A-Z_]+["']\s*\]|\.(setdefault|update|from_mapping)\(("[A-Z_]+"|[A-Z_]+=\.\.\.|\{"[A-Z_]+": \.\.\.\})\))?$/;

/**
 * The setting as a message names it. Forms are built from source text, and while the user
 * types, error recovery can make that text run on from an unclosed call above, secret and
 * all; anything but a plain name or subscript is replaced by the setting's name.
 */
function displayForm(form: string, key: ConfigKey): string {
  return form.length <= 120 && PLAIN_FORM.test(form) ? form : key;
}

/** `settings.SECRET_KEY` or `get_settings().SECRET_KEY`: the object as written and the attribute. */
function settingsReference(node: PyNode): SettingsReference | undefined {
  if (node.type !== 'attribute') return undefined;
  const object = node.childForFieldName('object');
  const attribute = node.childForFieldName('attribute')?.text;
  if (!object || !attribute) return undefined;
  if (object.type === 'identifier') return { object: object.text, attribute };
  const called = settingsInstance(object);
  return called ? { object: `${called}()`, attribute } : undefined;
}

/**
 * The options of `app.add_middleware(SessionMiddleware, ...)` or `Middleware(SessionMiddleware,
 * ...)`, by keyword (a secret passed positionally counts as `secret_key`); undefined for any
 * other call.
 */
function sessionMiddlewareOptions(call: PyNode, fnText: string | undefined): Map<string, PyNode> | undefined {
  if (!fnText || !/(^|\.)(add_middleware|Middleware)$/.test(fnText)) return undefined;
  const { positional, keywords } = callArguments(call);
  const cls = dotted(positional[0]) ?? '';
  if (!/(^|\.)SessionMiddleware$/.test(cls)) return undefined;
  const options = new Map(keywords);
  if (positional[1] && !options.has('secret_key')) options.set('secret_key', positional[1]);
  return options;
}
