import { findNodeAtLocation, parseTree } from 'jsonc-parser';
import { deployment } from './deployment';
import type { ExpressApp, JsValue, SessionCall } from './facts/js/model';
import { basename, dirname, joinPath } from './paths';
import { deployOf, type Project, type ProjectFile } from './project';
import type { Related, Span } from './types';

/** A value and the file it is written in (an option object may live in another module). */
export interface Located {
  value: JsValue;
  file: ProjectFile;
  /** Where an option names the value (`secure: isProduction`), in the same file. */
  at?: Span;
}

/** A session middleware call with its options resolved across modules. */
export interface ExpressSession {
  file: ProjectFile;
  call: SessionCall;
  /** The package (folder of the nearest package.json) the call belongs to. */
  pkg: string;
  /** An option, `unknown` when a spread or parameter may hold it, undefined when absent. */
  option(key: string): Located | 'unknown' | undefined;
  /** A cookie attribute: under `cookie` for express-session, flat for cookie-session. */
  cookie(key: string): Located | 'unknown' | undefined;
}

/** Everything the Express rules read, for one project. */
export interface ExpressModel {
  apps: { file: ProjectFile; app: ExpressApp; pkg: string }[];
  sessions: ExpressSession[];
  /** `trust proxy` settings, by package. */
  trust: { file: ProjectFile; span: { start: number; end: number }; value: Located; pkg: string }[];
}

/** Imports are followed this many modules deep: re-export chains are short in real apps. */
const MAX_HOPS = 8;
const SCRIPT_EXTENSIONS = ['.js', '.ts', '.mjs', '.cjs', '.mts', '.cts'];

export function expressModel(project: Project): ExpressModel {
  return project.memo('express', () => build(project));
}

function build(project: Project): ExpressModel {
  const model: ExpressModel = { apps: [], sessions: [], trust: [] };
  for (const file of project.all()) {
    if (!file.js || file.isTest) continue;
    const pkg = packageOf(project, file.path);
    for (const app of file.js.apps) model.apps.push({ file, app, pkg });
    for (const call of file.js.sessions) {
      const options = call.options ? resolve(project, { value: call.options, file }) : undefined;
      const option = (key: string) => (options ? lookup(project, options, key) : undefined);
      const cookie = (key: string): Located | 'unknown' | undefined => {
        if (call.library !== 'express-session') return option(key);
        const holder = option('cookie');
        return holder && holder !== 'unknown' ? lookup(project, holder, key) : holder;
      };
      model.sessions.push({ file, call, pkg, option, cookie });
    }
    for (const t of file.js.trustProxy)
      model.trust.push({ file, span: t.span, value: resolve(project, { value: t.value, file }), pkg });
  }
  return model;
}

/** Follows imports to the value they name; anything unresolvable stays as it is. */
export function resolve(project: Project, located: Located, hops = 0): Located {
  const { value, file } = located;
  if (value.kind !== 'import' || hops > MAX_HOPS) return located;
  if (value.source === 'config') return nodeConfigSetting(project, file.path, value.path) ?? located;
  const field = packageField(project, located);
  if (field) return field;
  const target = resolveModule(project, file.path, value.source);
  if (!target?.js) return located;
  let exported = exportOf(project, target, value.name, hops);
  if (!exported) return located;
  for (const key of value.path) {
    const next = lookup(project, exported, key, hops + 1);
    if (!next || next === 'unknown') return located;
    exported = next;
  }
  return resolve(project, exported, hops + 1);
}

/**
 * `pkg.name` where `pkg = require("../package.json")` (or a named import of `name`): a string
 * field of a package.json in the repository, as public as a literal written at the place that
 * reads it (`secret: pkg.name` is a pattern boilerplates copied).
 */
function packageField(project: Project, { value, file }: Located): Located | undefined {
  if (value.kind !== 'import' || !value.source.startsWith('.') || !/(^|\/)package\.json$/.test(value.source))
    return undefined;
  const keys = value.name === 'default' || value.name === '*' ? value.path : [value.name, ...value.path];
  if (keys.length !== 1) return undefined;
  const target = project.get(normalize(joinPath(dirname(file.path), value.source)));
  // A package.json its reader refused (too deeply nested) is not parsed again here.
  if (target?.kind !== 'package-json' || target.problem) return undefined;
  const root = parseTree(target.text);
  const node = root && findNodeAtLocation(root, keys);
  return node?.type === 'string'
    ? { value: { kind: 'string', span: value.span, value: node.value as string }, file }
    : undefined;
}

function exportOf(project: Project, file: ProjectFile, name: string, hops: number): Located | undefined {
  const js = file.js;
  if (!js) return undefined;
  // `require()` of an ES module, or a default import of a CommonJS one: the exports object.
  if (name === 'default' || name === '*') {
    const whole = js.exports.default;
    if (whole && name === 'default') return resolve(project, { value: whole, file }, hops + 1);
    const entries = Object.entries(js.exports)
      .filter(([key]) => key !== 'default')
      .map(([key, value]) => ({ key, keySpan: value.span, span: value.span, valueSpan: value.span, value }));
    return entries.length > 0
      ? { value: { kind: 'object', span: { start: 0, end: 0 }, entries, close: -1 }, file }
      : whole
        ? { value: whole, file }
        : undefined;
  }
  const own = js.exports[name];
  if (own) return resolve(project, { value: own, file }, hops + 1);
  // A named import of a CommonJS module reads a property of `module.exports`.
  if (js.exports.default) {
    const viaDefault = lookup(project, { value: js.exports.default, file }, name, hops + 1);
    if (viaDefault && viaDefault !== 'unknown') return viaDefault;
  }
  for (const source of js.reexportAll) {
    const next = resolveModule(project, file.path, source);
    if (next?.js && hops < MAX_HOPS) {
      const found = exportOf(project, next, name, hops + 1);
      if (found) return found;
    }
  }
  return undefined;
}

/**
 * A string setting of node-config (the `config` package), as it reads it in production: the
 * `config/` folder of the nearest package above the importing file, `production.json` over
 * `default.json`, and an environment variable named in `custom-environment-variables.json`
 * over both. A mapped variable with no value in the files is required: `config.get` throws
 * at start-up when it is unset.
 */
function nodeConfigSetting(project: Project, from: string, path: string[]): Located | undefined {
  if (path.length === 0) return undefined;
  const key = path.join('.');
  for (let dir = dirname(from); ; dir = dirname(dir)) {
    const at = (name: string) => project.get(joinPath(joinPath(dir, 'config'), name));
    const literal = (name: string) => {
      const file = at(name);
      const found = file?.nodeConfig?.strings[key];
      return file && found ? { file, found } : undefined;
    };
    const base = literal('production.json') ?? literal('default.json');
    const written: JsValue | undefined = base && { kind: 'string', ...base.found };
    const mappingFile = at('custom-environment-variables.json');
    const mapping = mappingFile?.nodeConfig?.strings;
    const variable = mapping?.[key] ?? mapping?.[`${key}.__name`];
    if (variable && mappingFile) {
      const span = written?.span ?? variable.span;
      const value: JsValue = { kind: 'env', span, variable: variable.value, required: !written, fallback: written };
      return { value, file: base?.file ?? mappingFile };
    }
    if (base && written) return { value: written, file: base.file };
    // The nearest `config/` folder is the package's; above the project there is none to read.
    if (at('default.json') || dir === project.root || dir === dirname(dir)) return undefined;
  }
}

/** A property of an object value, following spreads and imports; `unknown` when it may be hidden. */
export function lookup(project: Project, located: Located, key: string, hops = 0): Located | 'unknown' | undefined {
  const object = resolve(project, located, hops);
  if (object.value.kind === 'either') return 'unknown';
  if (object.value.kind !== 'object') return object.value.kind === 'undefined' ? undefined : 'unknown';
  const entries = object.value.entries;
  for (let i = entries.length - 1; i >= 0; i--) {
    const entry = entries[i];
    if ('key' in entry) {
      if (entry.key !== key) continue;
      const found = resolve(project, { value: entry.value, file: object.file }, hops + 1);
      // Where the option is written, when that is the file its value is in.
      return found.file === object.file ? { ...found, at: entry.valueSpan } : found;
    }
    if (hops > MAX_HOPS) return 'unknown';
    const spread = lookup(project, { value: entry.spread, file: object.file }, key, hops + 1);
    if (spread !== undefined) return spread;
  }
  return undefined;
}

/** The project file a relative import names (`./config/session`, `../config.js` from TypeScript). */
export function resolveModule(project: Project, from: string, source: string): ProjectFile | undefined {
  if (!source.startsWith('.')) return undefined;
  const base = normalize(joinPath(dirname(from), source));
  const stem = base.replace(/\.(c|m)?js$/, '');
  const candidates = [
    base,
    ...SCRIPT_EXTENSIONS.map((ext) => stem + ext),
    ...SCRIPT_EXTENSIONS.map((ext) => `${base}/index${ext}`),
  ];
  for (const candidate of candidates) {
    const file = project.get(candidate);
    if (file?.js) return file;
  }
  return undefined;
}

function normalize(path: string): string {
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '.') continue;
    if (part === '..' && out.length > 1) out.pop();
    else out.push(part);
  }
  return out.join('/');
}

/** The folder of the nearest package.json above a file (the project root without one). */
export function packageOf(project: Project, path: string): string {
  for (let dir = dirname(path); dir.length >= project.root.length; dir = dirname(dir)) {
    if (project.get(joinPath(dir, 'package.json'))) return dir;
    if (dir === project.root || dir === '/') break;
  }
  return project.root;
}

/** Whether a value is literally `true`, or true in production (`NODE_ENV === "production"`). */
export function trueInProduction(value: JsValue): boolean {
  if (value.kind === 'boolean') return value.value;
  if (value.kind === 'production') return !value.negated;
  if (value.kind === 'either')
    return value.production !== undefined
      ? trueInProduction(value.options[value.production])
      : value.options.every(trueInProduction);
  return false;
}

/** The session's own cookie-secure setting, read as express-session and cookie-session do. */
export function secureSetting(session: ExpressSession): 'always' | 'auto' | 'never' | 'unknown' {
  const secure = session.cookie('secure');
  if (secure === 'unknown') return 'unknown';
  if (!secure) return session.call.library === 'cookie-session' ? 'auto' : 'never';
  if (secure.value.kind === 'string' && secure.value.value === 'auto') return 'auto';
  if (trueInProduction(secure.value)) return 'always';
  if (secure.value.kind === 'boolean' || secure.value.kind === 'undefined') return 'never';
  return 'unknown';
}

/** How the Node app is run: production evidence and the number of processes, with where. */
export interface NodeDeployment {
  /** Why this counts as production, for messages; undefined when nothing says so. */
  production?: string;
  processes: number | 'many';
  processesWhere?: string;
  related: Related[];
  /** Nothing but development runners (nodemon, `--watch`, NODE_ENV=development) starts the app. */
  developmentOnly: boolean;
  /** A Procfile `web:` process: a platform router is in front. */
  platformRouted: boolean;
}

export function nodeDeployment(project: Project): NodeDeployment {
  return project.memo('nodeDeployment', () => {
    const out: NodeDeployment = { processes: 1, related: [], developmentOnly: false, platformRouted: false };
    let runs = 0;
    let devRuns = 0;
    const most = (n: number | 'many', where: string) => {
      if (n === 'many' || (out.processes !== 'many' && n > out.processes)) {
        out.processes = n;
        out.processesWhere = where;
      }
    };
    for (const file of project.all()) {
      if (file.isTest) continue;
      const deploy = deployOf(file);
      const rel = project.relative(file.path);
      for (const run of deploy?.nodeRuns ?? []) {
        runs++;
        if (run.development) devRuns++;
        if (run.platformRouted) out.platformRouted = true;
        if (run.production) out.production ??= `NODE_ENV=production in ${rel}`;
        most(run.processes, `${run.runner} in ${rel}`);
      }
      if (deploy?.nodeProduction) {
        out.production ??= `NODE_ENV=production in ${rel}`;
        out.related.push({ path: file.path, span: deploy.nodeProduction, message: 'NODE_ENV=production here' });
      }
      for (const app of file.js?.pm2 ?? []) {
        runs++;
        out.production ??= `pm2 in ${rel}`;
        most(app.processes, `pm2 in ${rel}`);
        if (app.processes !== 1)
          out.related.push({ path: file.path, span: app.span, message: 'pm2 runs several processes here' });
      }
      if (
        /^(dockerfile|compose|procfile|systemd)$/.test(file.kind) &&
        (deploy?.nodeRuns?.length || file.kind !== 'procfile')
      )
        out.production ??= `${basename(file.path)} deploys it`;
    }
    for (const { service } of deployment(project).composeServices)
      if (service.replicas !== undefined && service.replicas > 1)
        most(service.replicas, `${service.replicas} replicas of ${service.name}`);
    out.developmentOnly = runs > 0 && runs === devRuns && !out.production;
    return out;
  });
}

/** A reverse proxy in front of the Node app: nginx, a compose proxy, a platform router. */
export function nodeProxyInFront(project: Project): boolean {
  const dep = deployment(project);
  return dep.proxies.length > 0 || dep.composeProxies.length > 0 || nodeDeployment(project).platformRouted;
}

/**
 * The `trust proxy` value that matches the proxies the project shows: `"loopback"` when nginx
 * proxies from the same host (only it can set the headers), else one hop (the proxy container
 * or the platform's router).
 */
export function trustValueFor(project: Project): 'loopback' | 1 {
  const dep = deployment(project);
  return dep.proxies.length > 0 && dep.proxies.every((p) => p.loopback) ? 'loopback' : 1;
}
