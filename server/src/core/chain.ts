import { describeSecret, describeSetting, jsDescribe } from './chain-values';
import {
  busiestServer,
  carriedHost,
  deployment,
  isAsgiWorker,
  proxyName,
  workerCount,
  type AppProxy,
  type Deployment,
} from './deployment';
import { djangoSettings, effectiveSetting } from './django';
import { expressModel, nodeDeployment } from './express';
import type { PlatformName, ServerRun } from './facts/deploy-model';
import type { ConfigKey, SettingValue, StarletteSession } from './facts/python-model';
import { flaskConfig } from './flask-config';
import { settingSites } from './cookies';
import { deployOf, type Project, type ProjectFile } from './project';
import { lineSpan } from './text';
import type { Finding, Span } from './types';

/** One step of a request's way from the browser to the session, as the linter understands it. */
export interface ChainHop {
  kind: 'client' | 'platform' | 'proxy' | 'server' | 'middleware' | 'app' | 'session';
  /** `nginx`, `Caddy`, `waitress`, `ProxyFix`, `Flask app`, `Session`. */
  name: string;
  /** One line: what this hop is (`location / -> http://127.0.0.1:8080`). */
  summary: string;
  /** The file and line that configure it; absent for the browser. */
  location?: ChainLocation;
  /** What it does with TLS, Host and the forwarded headers, or the session's key and cookie, in order. */
  details: { label: string; value: string }[];
  /** Findings at this hop: where the chain breaks. */
  findings: ChainFinding[];
  /**
   * Other places that configure this hop (a `proxy_set_header`, `trusted_proxy=`, `trust proxy`,
   * a cookie setting): hovering them shows the chain. Not part of the JSON report.
   */
  anchors?: ChainLocation[];
}

export interface ChainLocation {
  path: string;
  span: Span;
}

export interface ChainFinding {
  ruleId: string;
  message: string;
  location: ChainLocation;
}

/** The chain of one app. */
export interface AppChain {
  framework: 'flask' | 'django' | 'express' | 'starlette';
  /** `app in shop/__init__.py`. */
  name: string;
  hops: ChainHop[];
}

/** Every app's chain, and the findings no hop owns. */
export interface ChainReport {
  apps: AppChain[];
  unplaced: ChainFinding[];
  /** Apps found beyond MAX_CHAIN_APPS, not drawn. */
  omittedApps: number;
}

/**
 * The apps a report draws: a real project has a few, and a file of a thousand `express()` calls
 * would otherwise make a report of every finding per app (gigabytes, found by the fuzzer).
 */
export const MAX_CHAIN_APPS = 20;

/** Where a finding belongs: a hop owns locations in the files (and spans) that configure it. */
interface Owned {
  hop: ChainHop;
  path: string;
  span?: Span;
}

/**
 * The request path of every app in the project, hop by hop, with the findings placed on the
 * hop whose file (and span) they point at. Secrets are described, never quoted.
 */
export function buildChains(project: Project, findings: readonly Finding[]): ChainReport {
  const dep = deployment(project);
  // Each app's chain is built only if it is drawn.
  const apps: (() => { chain: AppChain; owned: Owned[] })[] = [];
  for (const { file, app } of flaskConfig(project).apps) {
    const name = `${app.target ?? 'app'} in ${project.relative(file.path)}`;
    apps.push(() =>
      wsgiChain(project, dep, 'flask', name, { path: file.path, span: app.span }, flaskSession(project, dep, file)),
    );
  }
  for (const root of djangoSettings(project).filter((r) => r.role === 'production')) {
    const name = `settings ${project.relative(root.file.path)}`;
    const at = { path: root.file.path, span: { start: 0, end: 0 } };
    apps.push(() => wsgiChain(project, dep, 'django', name, at, djangoSession(project, dep, root)));
  }
  for (const file of project.all()) {
    if (file.isTest) continue;
    for (const session of file.python?.starletteSessions ?? []) {
      const name = `SessionMiddleware in ${project.relative(file.path)}`;
      const at = { path: file.path, span: session.span };
      apps.push(() => asgiChain(project, dep, name, at, starletteSession(project, file, at, session)));
    }
  }
  const express = expressModel(project);
  for (const { file, app } of express.apps) {
    const name = `${app.name ?? 'app'} in ${project.relative(file.path)}`;
    apps.push(() => expressChain(project, dep, name, { path: file.path, span: app.span }));
  }
  const drawn = apps.slice(0, MAX_CHAIN_APPS).map((build) => build());
  const placed = new Set<Finding>();
  for (const { owned } of drawn) {
    for (const f of findings) {
      const owner = ownerOf(owned, f);
      // A finding in a hop's own lines belongs to every chain through that hop (a shared
      // proxy); one placed only by its file goes to the first app that file configures.
      if (!owner || (!owner.bySpan && placed.has(f))) continue;
      owner.hop.findings.push(chainFinding(f));
      placed.add(f);
    }
  }
  return {
    apps: drawn.map((a) => a.chain),
    unplaced: findings.filter((f) => !placed.has(f)).map(chainFinding),
    omittedApps: apps.length - drawn.length,
  };
}

function chainFinding(f: Finding): ChainFinding {
  return { ruleId: f.ruleId, message: f.message, location: { path: f.path, span: f.span } };
}

/**
 * The hop a finding belongs to: among the hops whose span holds it (else those of its file),
 * the one its rule is about: SL1xx-SL3xx the secret and the cookie, SL4xx the trust, SL5xx
 * the proxy.
 */
function ownerOf(owned: Owned[], f: Finding): { hop: ChainHop; bySpan: boolean } | undefined {
  const inFile = owned.filter((o) => o.path === f.path);
  const inSpan = inFile.filter((o) => o.span && o.span.start <= f.span.start && f.span.end <= o.span.end);
  const bySpan = inSpan.length > 0;
  const hop = hopFor(bySpan ? inSpan : inFile, f);
  return hop ? { hop, bySpan } : undefined;
}

/** Among a finding's candidate hops, the one its rule is about. */
function hopFor(candidates: Owned[], f: Finding): ChainHop | undefined {
  const want: ChainHop['kind'][] = /^SL[123]/.test(f.ruleId)
    ? ['session', 'app']
    : /^SL4/.test(f.ruleId)
      ? ['server', 'middleware', 'app']
      : ['proxy', 'platform'];
  for (const kind of want) {
    const match = candidates.find((o) => o.hop.kind === kind);
    if (match) return match.hop;
  }
  return candidates[0]?.hop;
}

/** The hops every chain starts with: the browser, a platform's router, the proxies. */
function frontHops(project: Project, dep: Deployment, owned: Owned[]): ChainHop[] {
  const hops: ChainHop[] = [];
  // Host names only: a server_name regex or a placeholder says nothing a browser would show.
  const names = [...new Set(dep.proxies.flatMap((p) => p.block.serverNames.map((n) => n.value)))].filter((n) =>
    /^[a-z0-9-]+(\.[a-z0-9-]+)+$/i.test(n),
  );
  const tls = dep.proxies.some((p) => p.block.tls) || dep.servers.some((s) => s.run.platformRouted);
  hops.push({
    kind: 'client',
    name: 'Browser',
    summary: names.length > 0 ? `${tls ? 'https' : 'http'}://${names[0]}` : 'a client',
    details: [],
    findings: [],
  });
  const hop = platformHop(project, dep, owned);
  if (hop) hops.push(hop);
  // The blocks of one file are one hop: its locations are alternatives, not steps.
  const byFile = new Map<string, AppProxy[]>();
  for (const proxy of dep.proxies) byFile.set(proxy.file.path, [...(byFile.get(proxy.file.path) ?? []), proxy]);
  for (const [path, proxies] of byFile) {
    const hop = proxyHop(proxies);
    hops.push(hop);
    owned.push({ hop, path });
  }
  for (const { file, service } of dep.composeProxies) {
    // A compose proxy whose own configuration was read is already a hop.
    if (dep.proxies.some((p) => service.image?.toLowerCase().includes(p.block.kind))) continue;
    const hop: ChainHop = {
      kind: 'proxy',
      name: service.image?.split(':')[0] ?? service.name,
      summary: `compose service ${service.name}`,
      location: { path: file.path, span: service.nameSpan },
      details: [{ label: 'Headers', value: 'its configuration is not in the project' }],
      findings: [],
    };
    hops.push(hop);
    owned.push({ hop, path: file.path, span: service.nameSpan });
  }
  return hops;
}

/** What each platform's edge is called, and the trust the app behind it needs (FACTS-FRAMEWORKS.md section 6). */
const PLATFORMS: Record<Exclude<PlatformName, 'kubernetes'>, { name: string; trust: string }> = {
  heroku: {
    name: 'Heroku router',
    trust:
      'one hop, from an address that changes: gunicorn forwarded_allow_ips="*", waitress trusted_proxy="*" with trusted_proxy_count=1, ProxyFix(x_for=1, x_proto=1), Express trust proxy 1',
  },
  render: {
    name: 'Render proxy',
    trust: 'one hop: ProxyFix(x_for=1, x_proto=1), gunicorn or uvicorn forwarded allow ips "*", Express trust proxy 1',
  },
  fly: {
    name: 'Fly Proxy',
    trust:
      'one hop (it also sets X-Forwarded-SSL, which uWSGI believes, and Fly-Client-IP): ProxyFix(x_for=1, x_proto=1), uvicorn --forwarded-allow-ips="*", Express trust proxy 1',
  },
  'cloud-run': {
    name: 'Google front end (Cloud Run)',
    trust:
      'one hop, counted from the right: it keeps a client-sent X-Forwarded-For before its own entries (ProxyFix x_for=1, Express trust proxy 1)',
  },
};

/** A hosting platform's edge, when the project deploys to one: it ends TLS and sets X-Forwarded-*. */
function platformHop(project: Project, dep: Deployment, owned: Owned[]): ChainHop | undefined {
  const routed = dep.servers.find((s) => s.run.platformRouted);
  const config = [...project.all()].find((f) => {
    const name = deployOf(f)?.platform?.name;
    return name !== undefined && name !== 'kubernetes';
  });
  const facts = config && deployOf(config)?.platform;
  if (!routed && !facts) return undefined;
  const known = facts && facts.name !== 'kubernetes' ? PLATFORMS[facts.name] : undefined;
  const location =
    config && facts
      ? { path: config.path, span: facts.span }
      : routed && { path: routed.file.path, span: routed.run.span };
  const hop: ChainHop = {
    kind: 'platform',
    name: known?.name ?? 'Platform router',
    summary: known
      ? `in front of the web process (${project.relative(config?.path ?? '')})`
      : 'the router in front of the Procfile web process',
    location,
    details: [
      { label: 'TLS', value: 'ends at the platform edge' },
      { label: 'X-Forwarded-For, -Proto', value: 'set by the platform' },
      { label: 'Trust needed', value: known?.trust ?? PLATFORMS.heroku.trust },
    ],
    findings: [],
  };
  if (config) owned.push({ hop, path: config.path });
  if (routed) owned.push({ hop, path: routed.file.path, span: lineOf(routed.file, routed.run.span) });
  return hop;
}

function proxyHop(proxies: AppProxy[]): ChainHop {
  const first = proxies[0];
  const details: ChainHop['details'] = [];
  for (const proxy of proxies) {
    // With several blocks, each line says which block it is about.
    const prefix = proxies.length > 1 ? `${proxy.block.label}: ` : '';
    const header = (name: string) => {
      const h = proxy.headers.get(name);
      if (!h) return 'not sent';
      return h.implicit ? `sent by ${proxyName(proxy)} itself` : h.value;
    };
    const host = carriedHost(proxy);
    details.push(
      { label: `${prefix}TLS`, value: proxy.block.tls ? 'ends here' : 'none (plain HTTP)' },
      {
        label: `${prefix}Host`,
        value:
          host?.from === 'client'
            ? "the client's"
            : host?.from === 'upstream'
              ? `the upstream's (${host.name ?? 'its address'})`
              : header('host'),
      },
      ...['X-Forwarded-For', 'X-Forwarded-Proto', 'X-Forwarded-Host'].map((h) => ({
        label: `${prefix}${h}`,
        value: header(h.toLowerCase()),
      })),
    );
    if (!proxy.known)
      details.push({ label: `${prefix}Includes`, value: 'an included file was not found: headers partly unknown' });
  }
  const summary =
    proxies.length === 1
      ? `${first.block.label} -> ${first.block.proxyPass.value}`
      : `${proxies.map((p) => p.block.label).join(', ')} -> ${first.block.proxyPass.value}`;
  return {
    kind: 'proxy',
    name: proxyName(first),
    summary,
    location: { path: first.file.path, span: first.block.proxyPass.span },
    details,
    findings: [],
    anchors: proxies.flatMap((p) =>
      [...p.block.own, ...p.block.inherited, ...(p.block.overrides ?? [])]
        .filter((h) => !h.implicit)
        .map((h) => ({ path: p.file.path, span: h.span })),
    ),
  };
}

/** What a WSGI server does with the proxy's headers. */
function serverHop(file: ProjectFile, run: ServerRun): ChainHop {
  const written = (run.settings.bind ?? run.settings.listen ?? run.settings.http_socket ?? run.settings.http)?.value;
  const address = run.port !== undefined ? `${run.host ?? '0.0.0.0'}:${run.port}` : (written ?? 'a socket');
  const trust =
    run.server === 'waitress'
      ? run.settings.trusted_proxy
        ? `trusted_proxy=${run.settings.trusted_proxy.value} (${run.settings.trusted_proxy_headers?.value ?? 'X-Forwarded-Proto only'})`
        : 'none: waitress deletes the X-Forwarded-* headers'
      : run.server === 'gunicorn'
        ? `forwarded_allow_ips=${run.settings.forwarded_allow_ips?.value ?? '127.0.0.1,::1 (default)'}${isAsgiWorker(run) ? ', passed to uvicorn' : ''}`
        : 'X-Forwarded-Proto and X-Forwarded-SSL from anyone (always)';
  return {
    kind: 'server',
    name: run.server === 'uwsgi' ? 'uWSGI' : isAsgiWorker(run) ? 'gunicorn (UvicornWorker)' : run.server,
    summary: `listens on ${address}${run.service ? ` (compose service ${run.service})` : ''}`,
    location: { path: file.path, span: run.span },
    anchors: Object.values(run.settings).map((w) => ({ path: file.path, span: w.span })),
    details: [
      { label: 'Trusts', value: trust },
      { label: 'Processes', value: String(workerCount(run)) },
    ],
    findings: [],
  };
}

function wsgiChain(
  project: Project,
  dep: Deployment,
  framework: 'flask' | 'django',
  name: string,
  at: ChainLocation,
  session: ChainHop,
): { chain: AppChain; owned: Owned[] } {
  const owned: Owned[] = [];
  const hops = frontHops(project, dep, owned);
  // A Flask app is never what uvicorn's worker serves; Django serves both ways (wsgi.py, asgi.py).
  for (const { file, run } of dep.servers.filter((s) => framework === 'django' || !isAsgiWorker(s.run))) {
    const hop = serverHop(file, run);
    hops.push(hop);
    owned.push({ hop, path: file.path, span: lineOf(file, run.span) });
  }
  for (const { file, use } of dep.proxyFixes) {
    const counts = Object.entries(use.counts)
      .map(([k, v]) => `${k}=${v?.value}`)
      .join(', ');
    const hop: ChainHop = {
      kind: 'middleware',
      name: 'ProxyFix',
      summary: counts ? `ProxyFix(${counts})` : 'ProxyFix (x_for=1, x_proto=1 by default)',
      location: { path: file.path, span: use.span },
      details: [{ label: 'Believes', value: 'the last hop of each header it counts' }],
      findings: [],
    };
    hops.push(hop);
    owned.push({ hop, path: file.path, span: use.span });
  }
  const app: ChainHop = {
    kind: 'app',
    name: framework === 'flask' ? 'Flask app' : 'Django',
    summary: name,
    location: at,
    details: [],
    findings: [],
  };
  hops.push(app, session);
  owned.push({ hop: app, path: at.path }, ...sessionOwned(session));
  return { chain: { framework, name, hops }, owned };
}

function asgiChain(
  project: Project,
  dep: Deployment,
  name: string,
  at: ChainLocation,
  session: ChainHop,
): { chain: AppChain; owned: Owned[] } {
  const owned: Owned[] = [];
  const hops = frontHops(project, dep, owned);
  for (const { file, run } of dep.servers.filter((s) => isAsgiWorker(s.run))) {
    const hop = serverHop(file, run);
    hops.push(hop);
    owned.push({ hop, path: file.path, span: lineOf(file, run.span) });
  }
  for (const file of project.all()) {
    for (const run of deployOf(file)?.asgiRuns ?? []) {
      const hop: ChainHop = {
        kind: 'server',
        name: run.server === 'fastapi' ? 'fastapi run (uvicorn)' : run.server,
        summary: `listens on ${run.host}`,
        location: { path: file.path, span: run.span },
        anchors: Object.values(run.settings).map((w) => ({ path: file.path, span: w.span })),
        details: [
          {
            label: 'Trusts',
            value:
              run.server === 'hypercorn'
                ? 'no forwarded header itself (its ProxyFixMiddleware reads them)'
                : `forwarded-allow-ips=${run.settings['forwarded-allow-ips']?.value ?? '127.0.0.1 (default)'}`,
          },
        ],
        findings: [],
      };
      hops.push(hop);
      owned.push({ hop, path: file.path, span: lineOf(file, run.span) });
    }
  }
  const app: ChainHop = { kind: 'app', name: 'Starlette app', summary: name, location: at, details: [], findings: [] };
  hops.push(app, session);
  owned.push({ hop: app, path: at.path }, ...sessionOwned(session));
  return { chain: { framework: 'starlette', name, hops }, owned };
}

function expressChain(
  project: Project,
  dep: Deployment,
  name: string,
  at: ChainLocation,
): { chain: AppChain; owned: Owned[] } {
  const owned: Owned[] = [];
  const hops = frontHops(project, dep, owned);
  const model = expressModel(project);
  const node = nodeDeployment(project);
  const trust = model.trust[0];
  const app: ChainHop = {
    kind: 'app',
    name: 'Express app',
    summary: name,
    location: at,
    anchors: model.trust.map((t) => ({ path: t.file.path, span: t.span })),
    details: [
      { label: 'trust proxy', value: trust ? jsDescribe(trust.value.value) : 'not set (X-Forwarded-* ignored)' },
      { label: 'Processes', value: String(node.processes) },
    ],
    findings: [],
  };
  hops.push(app);
  owned.push({ hop: app, path: at.path });
  // A session middleware before cookie-parser, whose secret only signs cookies.
  const session = model.sessions.find((s) => s.call.library !== 'cookie-parser') ?? model.sessions[0];
  if (session) {
    const option = (key: string) => {
      const v = session.option(key);
      return v === 'unknown' ? 'unknown' : v ? jsDescribe(v.value) : 'not set';
    };
    const secretOf = (key: string) => {
      const v = session.option(key);
      return v === 'unknown' ? 'unknown' : v ? jsDescribe(v.value, true) : 'not set';
    };
    const cookie = (key: string) => {
      const v = session.cookie(key);
      return v === 'unknown' ? 'unknown' : v ? jsDescribe(v.value) : 'default';
    };
    const hop: ChainHop = {
      kind: 'session',
      name: 'Session',
      summary: session.call.library,
      location: { path: session.file.path, span: session.call.span },
      details: [
        { label: 'Key', value: secretOf(session.call.library === 'cookie-session' ? 'keys' : 'secret') },
        { label: 'Secure', value: cookie('secure') },
        { label: 'SameSite', value: cookie('sameSite') },
        { label: 'Domain', value: cookie('domain') },
        { label: 'Store', value: session.call.library === 'express-session' ? option('store') : 'the cookie itself' },
      ],
      findings: [],
    };
    hops.push(hop);
    owned.push({ hop, path: session.file.path });
    // Options may be written in another module (`config/session.js`): it is this hop's too.
    for (const key of ['secret', 'keys', 'cookie', 'store']) {
      const at = session.option(key);
      if (at && at !== 'unknown' && at.file !== session.file) owned.push({ hop, path: at.file.path });
    }
  }
  return { chain: { framework: 'express', name, hops }, owned };
}

function sessionOwned(session: ChainHop): Owned[] {
  return session.location ? [{ hop: session, path: session.location.path }] : [];
}

function flaskSession(project: Project, dep: Deployment, appFile: ProjectFile): ChainHop {
  // An app's own file first, then configuration no other app's file holds (production first).
  const others = new Set(
    flaskConfig(project)
      .apps.map((a) => a.file)
      .filter((f) => f !== appFile),
  );
  const siteOf = (name: ConfigKey) => {
    const sites = settingSites(project, name);
    return sites.find((s) => s.file === appFile) ?? sites.find((s) => !others.has(s.file)) ?? sites[0];
  };
  const key = siteOf('SECRET_KEY');
  const setting = (name: ConfigKey) => {
    const site = siteOf(name);
    return site ? describeSetting(site.site.value) : 'default';
  };
  return {
    kind: 'session',
    name: 'Session',
    summary: 'Flask signed cookie',
    location: key ? { path: key.file.path, span: key.site.value.span } : undefined,
    anchors: (['SESSION_COOKIE_SECURE', 'SESSION_COOKIE_SAMESITE', 'SESSION_COOKIE_DOMAIN'] as const).flatMap((k) => {
      const site = siteOf(k);
      return site ? [{ path: site.file.path, span: site.site.value.span }] : [];
    }),
    details: [
      { label: 'Key', value: key ? describeSecret(project, key.file, key.site.value) : 'not set' },
      { label: 'Secure', value: setting('SESSION_COOKIE_SECURE') },
      { label: 'SameSite', value: setting('SESSION_COOKIE_SAMESITE') },
      { label: 'Domain', value: setting('SESSION_COOKIE_DOMAIN') },
      { label: 'Processes sharing the key', value: processes(dep) },
    ],
    findings: [],
  };
}

function djangoSession(project: Project, dep: Deployment, root: Parameters<typeof effectiveSetting>[0]): ChainHop {
  const key = effectiveSetting(root, 'SECRET_KEY');
  const setting = (name: Parameters<typeof effectiveSetting>[1]) => {
    const site = effectiveSetting(root, name);
    return site ? describeSetting(site.site.value) : 'default';
  };
  return {
    kind: 'session',
    name: 'Session',
    summary: `SESSION_ENGINE ${setting('SESSION_ENGINE')}`,
    anchors: (
      [
        'SECURE_PROXY_SSL_HEADER',
        'SESSION_COOKIE_SECURE',
        'SESSION_COOKIE_SAMESITE',
        'SESSION_COOKIE_DOMAIN',
        'CSRF_TRUSTED_ORIGINS',
      ] as const
    ).flatMap((k) => {
      const site = effectiveSetting(root, k);
      return site ? [{ path: site.file.path, span: site.site.value.span }] : [];
    }),
    location: key
      ? { path: key.file.path, span: key.site.value.span }
      : { path: root.file.path, span: { start: 0, end: 0 } },
    details: [
      { label: 'Key', value: key ? describeSecret(project, key.file, key.site.value) : 'not set' },
      { label: 'Secure', value: setting('SESSION_COOKIE_SECURE') },
      { label: 'SameSite', value: setting('SESSION_COOKIE_SAMESITE') },
      { label: 'Domain', value: setting('SESSION_COOKIE_DOMAIN') },
      { label: 'SECURE_PROXY_SSL_HEADER', value: setting('SECURE_PROXY_SSL_HEADER') },
      { label: 'Processes sharing the key', value: processes(dep) },
    ],
    findings: [],
  };
}

function starletteSession(project: Project, file: ProjectFile, at: ChainLocation, session: StarletteSession): ChainHop {
  const secret: SettingValue | undefined = session.options.secret_key;
  const opt = (k: string) => (session.options[k] ? describeSetting(session.options[k]) : 'default');
  return {
    kind: 'session',
    name: 'Session',
    summary: 'Starlette SessionMiddleware (signed cookie)',
    location: at,
    details: [
      { label: 'Key', value: secret ? describeSecret(project, file, secret) : 'not set' },
      { label: 'https_only', value: opt('https_only') },
      { label: 'same_site', value: opt('same_site') },
      { label: 'domain', value: opt('domain') },
    ],
    findings: [],
  };
}

function processes(dep: Deployment): string {
  const busiest = busiestServer(dep);
  return busiest ? String(busiest.workers * busiest.replicas) : '1';
}

/** The span of the line that holds `span`: a command line's findings point anywhere on it. */
function lineOf(file: ProjectFile, span: Span): Span {
  return lineSpan(file.text, span);
}

/** A chain report with its locations in another form (display paths and lines, URIs and ranges). */
export interface LocatedChains<L> {
  apps: {
    framework: string;
    name: string;
    hops: {
      kind: string;
      name: string;
      summary: string;
      location?: L;
      details: { label: string; value: string }[];
      broken: boolean;
      findings: { ruleId: string; message: string; location: L }[];
    }[];
  }[];
  unplaced: { ruleId: string; message: string; location: L }[];
  omittedApps?: number;
}

/** The report for output: each location converted by `at`; anchors (for hover) left out. */
export function locateChains<L>(report: ChainReport, at: (l: ChainLocation) => L): LocatedChains<L> {
  const finding = (f: ChainFinding) => ({ ruleId: f.ruleId, message: f.message, location: at(f.location) });
  return {
    apps: report.apps.map((app) => ({
      framework: app.framework,
      name: app.name,
      hops: app.hops.map((h) => ({
        kind: h.kind,
        name: h.name,
        summary: h.summary,
        ...(h.location ? { location: at(h.location) } : {}),
        details: h.details,
        broken: h.findings.length > 0,
        findings: h.findings.map(finding),
      })),
    })),
    unplaced: report.unplaced.map(finding),
    ...(report.omittedApps > 0 ? { omittedApps: report.omittedApps } : {}),
  };
}
