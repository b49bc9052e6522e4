import { parseRequirement } from '../parse/requirements';
import type { PyNode } from '../parse/tree-sitter';
import { basename } from '../paths';
import type { AsgiRun, PinnedVersion, ServerRun, Written } from './deploy-model';
import type { ImportBinding, ProxyFixCount, ProxyFixUse } from './python-model';
import { callArguments, dotted, spanOf, stringConstant } from './python-values';
import { addressOf } from './server-commands';
import { TRACKED_PACKAGES } from './versions-files';

// What Python code says about deployment: ProxyFix, waitress.serve(), gunicorn.conf.py, setup.py.

/** gunicorn settings read from a gunicorn.conf.py module. */
const GUNICORN_SETTINGS = ['workers', 'bind', 'forwarded_allow_ips', 'proxy_allow_ips', 'threads', 'worker_class'];

/** gunicorn reads its settings from `gunicorn.conf.py` (or a module given with `-c`). */
export function isGunicornConfig(path: string): boolean {
  return /^gunicorn[\w.-]*\.py$|^gunicorn_conf\w*\.py$/.test(basename(path));
}

/** `ProxyFix(app.wsgi_app, x_for=1, ...)`: what it wraps, where it goes, its counts. */
export function proxyFixUse(call: PyNode): ProxyFixUse | undefined {
  const { positional, keywords } = callArguments(call);
  const wrapped = positional[0];
  const args = call.childForFieldName('arguments');
  if (!wrapped || !args) return undefined;
  const counts: ProxyFixUse['counts'] = {};
  const names: ProxyFixCount[] = ['x_for', 'x_proto', 'x_host', 'x_port', 'x_prefix'];
  positional.slice(1).forEach((arg, i) => {
    if (names[i] && arg.type === 'integer') counts[names[i]] = { value: Number(arg.text), span: spanOf(arg) };
  });
  for (const name of names) {
    const v = keywords.get(name);
    if (v?.type === 'integer') counts[name] = { value: Number(v.text), span: spanOf(v) };
  }
  const assignment = call.parent?.type === 'assignment' ? call.parent : undefined;
  const left = assignment?.childForFieldName('left');
  const statement = assignment?.parent?.type === 'expression_statement' ? assignment.parent : call;
  return {
    span: spanOf(call),
    wrapped: { value: wrapped.text, span: spanOf(wrapped) },
    target: left ? { value: left.text, span: spanOf(left) } : undefined,
    counts,
    statement: spanOf(statement),
    closeParen: args.endIndex - 1,
  };
}

/** `waitress.serve(app, ...)` / `create_server(app, ...)`, when the name is waitress's. */
export function waitressServe(
  call: PyNode,
  imports: Record<string, ImportBinding>,
  lookup: (name: string) => PyNode | undefined = () => undefined,
): ServerRun | undefined {
  const fn = dotted(call.childForFieldName('function')) ?? '';
  // `from waitress import serve` binds serve; `import waitress` binds waitress.
  if (imports[fn.split('.')[0]]?.module !== 'waitress') return undefined;
  const { keywords } = callArguments(call);
  const settings: Record<string, Written> = {};
  for (const [name, value] of keywords) {
    // host=HOST is resolved as secrets are: HOST = "0.0.0.0", os.environ.get("HOST", "0.0.0.0").
    // What cannot be resolved is kept as written and read as an unknown address.
    const resolved = settingText(value, lookup);
    settings[name] =
      resolved !== undefined
        ? { value: resolved, span: spanOf(value) }
        : { value: value.text, span: spanOf(value), unresolved: true };
  }
  const args = call.childForFieldName('arguments');
  const callee = call.childForFieldName('function');
  if (!args || !callee) return undefined;
  return {
    server: 'waitress',
    via: 'call',
    settings,
    span: spanOf(callee),
    insert: { style: 'keyword', offset: args.endIndex - 1 },
    ...addressOf('waitress', settings),
  };
}

/** `uvicorn.run(...)` keywords as the command line's flags, for the uvicorn checks. */
const UVICORN_KEYWORDS: Record<string, string> = {
  host: 'host',
  port: 'port',
  workers: 'workers',
  forwarded_allow_ips: 'forwarded-allow-ips',
  proxy_headers: 'proxy-headers',
  reload: 'reload',
};

/**
 * `uvicorn.run("main:app", host=..., forwarded_allow_ips=...)` (or `from uvicorn import run`),
 * in a module that starts its own server. `proxy_headers=False` is `--no-proxy-headers`.
 */
export function uvicornRun(
  call: PyNode,
  imports: Record<string, ImportBinding>,
  lookup: (name: string) => PyNode | undefined = () => undefined,
): AsgiRun | undefined {
  const fn = dotted(call.childForFieldName('function')) ?? '';
  const binding = imports[fn.split('.')[0]];
  const isUvicorn =
    fn === 'uvicorn.run' ? binding?.module === 'uvicorn' : binding?.module === 'uvicorn' && binding.name === 'run';
  const args = call.childForFieldName('arguments');
  const callee = call.childForFieldName('function');
  if (!isUvicorn || !args || !callee) return undefined;
  const settings: Record<string, Written> = {};
  for (const [name, value] of callArguments(call).keywords) {
    const flag = UVICORN_KEYWORDS[name];
    if (!flag) continue;
    const resolved = settingText(value, lookup) ?? value.text;
    if (flag === 'proxy-headers' && resolved === 'False')
      settings['no-proxy-headers'] = { value: 'true', span: spanOf(value) };
    else settings[flag] = { value: resolved.replace(/^['"]|['"]$/g, ''), span: spanOf(value) };
  }
  // A development server that reloads is never what a proxy fronts.
  if (settings.reload?.value === 'True') return undefined;
  return {
    server: 'uvicorn',
    settings,
    span: spanOf(callee),
    insert: { style: 'keyword', offset: args.endIndex - 1 },
    host: settings.host?.value ?? '127.0.0.1',
  };
}

/** `workers = 4`, `forwarded_allow_ips = "*"` at the top of gunicorn.conf.py. */
export function gunicornConfigRun(
  moduleBindings: { get(name: string): PyNode | undefined },
  textLength: number,
): ServerRun {
  const settings: Record<string, Written> = {};
  let first: { start: number; end: number } | undefined;
  for (const name of GUNICORN_SETTINGS) {
    const node = moduleBindings.get(name);
    if (!node) continue;
    const span = spanOf(node);
    settings[name] = { value: stringConstant(node) ?? node.text, span };
    if (!first || span.start < first.start) first = span;
  }
  return {
    server: 'gunicorn',
    via: 'conf',
    settings,
    span: first ?? { start: 0, end: 0 },
    insert: { style: 'assignment', offset: textLength },
    ...addressOf('gunicorn', settings),
  };
}

/** `setup(install_requires=[...])` in setup.py. */
export function installRequires(list: PyNode | undefined): PinnedVersion[] {
  const out: PinnedVersion[] = [];
  for (const item of list?.namedChildren ?? []) {
    if (item?.type !== 'string') continue;
    const value = stringConstant(item);
    const r = value ? parseRequirement(value, item.startIndex + 1) : undefined;
    if (r && TRACKED_PACKAGES.has(r.name))
      out.push({ name: r.name, specifier: r.specifier, span: r.span, locked: false });
  }
  return out;
}

/**
 * The text a server setting's expression stands for: a literal (string or number), a name
 * bound to one, an environment read's default (`os.environ.get("PORT", 8080)`, `os.getenv`),
 * or any of those wrapped in `int()` or `str()`. Undefined when it cannot be known.
 */
function settingText(node: PyNode, lookup: (name: string) => PyNode | undefined, depth = 0): string | undefined {
  if (depth > 8) return undefined;
  const literal = stringConstant(node);
  if (literal !== undefined) return literal;
  if (node.type === 'integer') return node.text;
  if (node.type === 'identifier') {
    const bound = lookup(node.text);
    return bound ? settingText(bound, lookup, depth + 1) : undefined;
  }
  if (node.type === 'call') {
    const fn = dotted(node.childForFieldName('function')) ?? '';
    const { positional, keywords } = callArguments(node);
    if ((fn === 'int' || fn === 'str') && positional.length === 1) return settingText(positional[0], lookup, depth + 1);
    if (/(^|\.)(environ\.get|getenv)$/.test(fn)) {
      const fallback = positional[1] ?? keywords.get('default');
      return fallback ? settingText(fallback, lookup, depth + 1) : undefined;
    }
  }
  return undefined;
}
