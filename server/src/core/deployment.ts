import {
  type AsgiRun,
  type ComposeService,
  PLATFORM_PORT,
  type ProxyBlock,
  type ProxyHeader,
  type ProxyKind,
  type ServerRun,
  type Written,
} from './facts/deploy-model';
import { DEBIAN_PROXY_PARAMS, headersOf } from './facts/nginx-facts';
import type { ProxyFixUse } from './facts/python-model';
import { parseNginx } from './parse/nginx';
import { basename, dirname, resolvePath } from './paths';
import { deployOf, type Project, type ProjectFile } from './project';
import { CURRENT_RELEASES, compareVersions, highestAllowed, knownVersion, type Version } from './versions';
import type { Related } from './types';

/** The version of a package the project gets, and what says so. */
export interface VersionInfo {
  name: string;
  version: Version;
  /** Where it is pinned; undefined when nothing pins it and the current release is assumed. */
  source?: { file: ProjectFile; span: { start: number; end: number }; specifier: string };
}

/** A front-end's block (nginx, Caddy, Apache) that proxies to the app, with the headers it really sends. */
export interface AppProxy {
  file: ProjectFile;
  block: ProxyBlock;
  /** Headers it sends (nginx's inheritance and includes applied), by lower-case name. */
  headers: Map<string, ProxyHeader>;
  /** False when an `include` could not be read: the headers are then not fully known. */
  known: boolean;
  /** The proxy runs on the app's host (`proxy_pass http://127.0.0.1:...`). */
  loopback: boolean;
}

/** How requests reach the app, across every deployment file of the project. */
export interface Deployment {
  servers: { file: ProjectFile; run: ServerRun }[];
  proxies: AppProxy[];
  /** A reverse-proxy service (nginx, traefik, caddy) in a compose file. */
  composeProxies: { file: ProjectFile; service: ComposeService }[];
  /** Compose services, to tell whether the app's port is published. */
  composeServices: { file: ProjectFile; service: ComposeService }[];
  proxyFixes: { file: ProjectFile; use: ProxyFixUse }[];
}

const PROXY_NAMES: Record<ProxyKind, string> = {
  nginx: 'nginx',
  caddy: 'Caddy',
  apache: 'Apache',
  ingress: 'Ingress',
  traefik: 'Traefik',
};

/** A front-end's name for messages: `nginx`, `Caddy`, `Apache`. */
export function proxyName(proxy: AppProxy): string {
  return PROXY_NAMES[proxy.block.kind];
}

/** The front-end in front of the app, for messages: its name, or `proxy` when they differ. */
export function frontName(dep: Deployment): string {
  const names = new Set(dep.proxies.map(proxyName));
  return names.size === 1 ? [...names][0] : 'proxy';
}

/** Header values that pass the client's own Host on: nginx's variables, Caddy's default, Apache's ProxyPreserveHost. */
const CLIENT_HOST = /^(\$(host|http_host|server_name)|\{host\}|\{http\.request\.host\}|\(the client's Host\))$/;

/**
 * The Host a proxy's requests carry to the app: the client's (nginx `Host $host`, Caddy's
 * default, Apache's `ProxyPreserveHost On`), or the upstream's name (nginx and Apache by
 * default, Caddy's `header_up Host {upstream_hostport}`); undefined when set to anything else.
 */
export function carriedHost(
  proxy: AppProxy,
): { from: 'client'; header: ProxyHeader } | { from: 'upstream'; name?: string; header?: ProxyHeader } | undefined {
  const header = proxy.headers.get('host');
  if (header && CLIENT_HOST.test(header.value)) return { from: 'client', header };
  if (header && !/upstream/.test(header.value)) return undefined;
  const name = /^[a-z0-9+]+:\/\/([^/:]+|\[[^\]]+\])/i.exec(proxy.block.proxyPass.value)?.[1];
  return { from: 'upstream', name: name && !name.startsWith('unix') ? name : undefined, header };
}

export function deployment(project: Project): Deployment {
  return project.memo('deployment', () => analyse(project));
}

/**
 * The compose service that runs a Dockerfile's command: one that builds its image from the
 * Dockerfile's folder and sets no `command:` of its own (the FastAPI and Django templates'
 * shape: `CMD` in `backend/Dockerfile`, `build: ./backend` in compose).
 */
export function dockerfileService(project: Project, dockerfile: ProjectFile): string | undefined {
  for (const file of project.all()) {
    for (const service of deployOf(file)?.compose ?? []) {
      if (!service.build || service.hasCommand) continue;
      const path = resolvePath(resolvePath(dirname(file.path), service.build.context), service.build.dockerfile);
      if (path === dockerfile.path) return service.name;
    }
  }
  return undefined;
}

/**
 * Where a Python file that starts its own server runs: the Procfile `web:` process or the
 * Dockerfile that launches it (`python main.py`, `python -m app.main`). A Procfile web process
 * is behind the platform's router; a Dockerfile's command runs as the compose service that
 * builds it.
 */
export function launchContext(
  project: Project,
  file: ProjectFile,
): { platformRouted?: boolean; service?: string } | undefined {
  for (const launcher of project.all()) {
    for (const launch of deployOf(launcher)?.pythonLaunches ?? []) {
      const base = dirname(launcher.path);
      const target = launch.script
        ? resolvePath(base, launch.script)
        : launch.module
          ? resolvePath(base, `${launch.module.replace(/\./g, '/')}.py`)
          : undefined;
      // A Dockerfile's WORKDIR holds the build context: the script is relative to it, or to /app.
      if (
        target !== file.path &&
        !(launcher.kind === 'dockerfile' && target && file.path.endsWith(target.slice(base.length)))
      )
        continue;
      if (launch.platformRouted) return { platformRouted: true };
      if (launcher.kind === 'dockerfile') return { service: dockerfileService(project, launcher) };
    }
  }
  return undefined;
}

/**
 * A platform that runs the image the project's Dockerfile builds (fly.toml, a Cloud Run
 * service): the Dockerfile's command is the web process behind its edge.
 */
export function platformRunsImage(project: Project): boolean {
  return project.memo('platformRunsImage', () =>
    [...project.all()].some((f) => ['fly', 'cloud-run'].includes(deployOf(f)?.platform?.name ?? '')),
  );
}

/**
 * A Dockerfile's server (WSGI or ASGI) as it runs: behind a platform's edge, or as a compose service. One that
 * no compose service builds and that listens on `$PORT` follows the platforms' convention
 * (Heroku's container stack, Cloud Run, Render and Railway set PORT): their router is in front.
 */
export function inContext<R extends ServerRun | AsgiRun>(
  project: Project,
  file: ProjectFile,
  run: R,
  imageRouted: boolean,
): R {
  if (file.kind !== 'dockerfile') return run;
  if (imageRouted) return { ...run, platformRouted: true };
  const service = run.service ?? dockerfileService(project, file);
  if (service) return { ...run, service };
  return bindsPlatformPort(run.settings) ? { ...run, platformRouted: true } : run;
}

/** Whether a server's settings name the port a platform assigns (`-b 0.0.0.0:$PORT`, `--port ${PORT}`). */
export function bindsPlatformPort(settings: Record<string, Written>): boolean {
  return Object.values(settings).some((w) => PLATFORM_PORT.test(w.value));
}

function analyse(project: Project): Deployment {
  const files = [...project.all()].filter((f) => !f.isTest);
  const imageRouted = platformRunsImage(project);
  const servers = alsoPlatformRouted(
    mergeConfigFiles(
      files.flatMap((file) =>
        (deployOf(file)?.servers ?? []).map((run) => ({ file, run: inContext(project, file, run, imageRouted) })),
      ),
    ),
  );
  const compose = files.flatMap((file) => (deployOf(file)?.compose ?? []).map((service) => ({ file, service })));
  const appPorts = new Set(servers.map((s) => s.run.port).filter((p): p is number => p !== undefined));
  const appServices = new Set(servers.map((s) => s.run.service).filter((s): s is string => !!s));
  const proxies: AppProxy[] = [];
  for (const file of files) {
    const facts = deployOf(file);
    const upstreams = facts?.nginx?.upstreams ?? {};
    for (const block of [...(facts?.nginx?.blocks ?? []), ...(facts?.front?.blocks ?? [])]) {
      const targets = proxyTargets(block.proxyPass.value, upstreams);
      // Without a server whose port is known, any proxy may be the app's.
      const portsKnown = servers.length > 0 && servers.every((s) => s.run.port !== undefined || s.run.service);
      // An Ingress names a Service, whose port maps to the pod's: any Ingress may be the app's.
      const toApp =
        !portsKnown ||
        block.kind === 'ingress' ||
        targets.some((t) => (t.port !== undefined && appPorts.has(t.port)) || appServices.has(t.host));
      if (!toApp) continue;
      // Caddy's and Apache's headers are all in the block: neither inherits nor includes them here.
      const { headers, known } =
        block.kind === 'nginx'
          ? effectiveHeaders(project, block)
          : { headers: new Map(block.own.map((h) => [h.name, h])), known: true };
      proxies.push({
        file,
        block,
        headers,
        known,
        loopback: targets.length > 0 && targets.every((t) => /^(127\.\d+\.\d+\.\d+|localhost|\[?::1\]?)$/.test(t.host)),
      });
    }
  }
  return {
    servers,
    proxies,
    composeProxies: compose.filter((c) => c.service.isProxy),
    composeServices: compose,
    proxyFixes: files.flatMap((file) => (file.python?.proxyFixes ?? []).map((use) => ({ file, use }))),
  };
}

/**
 * A server command and the configuration file it reads are one server: gunicorn's `-c` module
 * (./gunicorn.conf.py by default), uWSGI's `--ini` file. Its settings come from both, the
 * command line winning, as both servers do. The merged server lives in the file, where new
 * settings belong.
 */
function mergeConfigFiles(servers: { file: ProjectFile; run: ServerRun }[]): { file: ProjectFile; run: ServerRun }[] {
  const isFile = (r: ServerRun) =>
    (r.server === 'gunicorn' && r.via === 'conf') || (r.server === 'uwsgi' && r.via === 'ini');
  const files = servers.filter((s) => isFile(s.run));
  if (files.length === 0) return servers;
  const used = new Set<ServerRun>();
  const out: { file: ProjectFile; run: ServerRun }[] = [];
  for (const s of servers) {
    if (isFile(s.run)) continue;
    const name = configFileOf(s.run);
    const conf = name && files.find((c) => c.run.server === s.run.server && basename(c.file.path) === name);
    if (!conf) {
      out.push(s);
      continue;
    }
    used.add(conf.run);
    const fromFile = bindsIn(conf.run) && !bindsIn(s.run);
    out.push({
      file: conf.file,
      run: {
        ...conf.run,
        settings: { ...conf.run.settings, ...s.run.settings },
        service: s.run.service,
        // Where the command runs decides what reaches it: a platform's router, a cluster.
        platformRouted: s.run.platformRouted,
        cluster: s.run.cluster,
        replicas: s.run.replicas,
        host: fromFile ? conf.run.host : s.run.host,
        port: fromFile ? conf.run.port : s.run.port,
      },
    });
  }
  return [...out, ...files.filter((c) => !used.has(c.run))];
}

/**
 * Where a Procfile's web process is routed by the platform, the same server binding `$PORT` in
 * an entrypoint script or a Dockerfile is that web process on the platform's container stack
 * (`gunicorn -b 0.0.0.0:$PORT` in `docker/web_entrypoint.sh`): behind the same router.
 */
function alsoPlatformRouted(servers: { file: ProjectFile; run: ServerRun }[]): { file: ProjectFile; run: ServerRun }[] {
  const routed = new Set(servers.filter((s) => s.run.platformRouted).map((s) => s.run.server));
  if (routed.size === 0) return servers;
  return servers.map((s) =>
    !s.run.platformRouted && !s.run.service && routed.has(s.run.server) && bindsPlatformPort(s.run.settings)
      ? { ...s, run: { ...s.run, platformRouted: true } }
      : s,
  );
}

/** Whether the server's own settings say where it listens. */
function bindsIn(run: ServerRun): boolean {
  const keys = run.server === 'uwsgi' ? ['http', 'http_socket', 'https', 'socket'] : ['bind'];
  return keys.some((k) => run.settings[k] !== undefined);
}

/** The name of the configuration file a server command reads, if any. */
function configFileOf(run: ServerRun): string | undefined {
  if (run.server === 'uwsgi') {
    const named = run.settings.ini ?? run.settings.yaml ?? run.settings.yml;
    return named ? basename(named.value) : undefined;
  }
  if (run.server !== 'gunicorn') return undefined;
  const named = run.settings.config?.value;
  // `-c path/to/file.py`, or `-c python:pkg.module` naming a module.
  if (!named) return 'gunicorn.conf.py';
  return named.startsWith('python:') ? `${named.slice(7).split('.').pop()}.py` : basename(named);
}

function proxyTargets(proxyPass: string, upstreams: Record<string, string[]>): { host: string; port?: number }[] {
  const m = /^[a-z]+:\/\/([^/:]+|\[[^\]]+\])(?::(\d+))?/.exec(proxyPass);
  if (!m) return [];
  const upstream = upstreams[m[1]];
  if (upstream) {
    return upstream.map((server) => {
      const u = /^([^:]+|\[[^\]]+\])(?::(\d+))?/.exec(server);
      return { host: u?.[1] ?? server, port: u?.[2] ? Number(u[2]) : 80 };
    });
  }
  return [{ host: m[1], port: m[2] ? Number(m[2]) : undefined }];
}

/** Headers nginx sends: the block's own or its parents', plus any `include`d file's. */
function effectiveHeaders(project: Project, block: ProxyBlock): { headers: Map<string, ProxyHeader>; known: boolean } {
  const headers = new Map<string, ProxyHeader>();
  let known = true;
  for (const h of block.own.length > 0 ? block.own : block.inherited) headers.set(h.name, h);
  for (const include of block.includes) {
    const name = basename(include.value);
    const file = [...project.all()].find((f) => basename(f.path) === name);
    const text = file?.text ?? (name === 'proxy_params' ? DEBIAN_PROXY_PARAMS : undefined);
    if (text === undefined) {
      if (!/mime\.types|\.types$|fastcgi|uwsgi|snippets\/ssl|ssl-params|letsencrypt/i.test(include.value))
        known = false;
      continue;
    }
    // An included header counts where it stands: it is in the block for nginx's purposes.
    for (const h of headersOf(parseNginx(text).directives))
      if (!headers.has(h.name)) headers.set(h.name, { ...h, span: include.span });
  }
  return { headers, known };
}

/** The version the project gets: a lock file, else a pin or range (its newest), else current. */
export function projectVersion(project: Project, name: string): VersionInfo {
  const current = knownVersion(CURRENT_RELEASES[name] ?? '0');
  const pins = [...project.all()].flatMap((file) =>
    (deployOf(file)?.versions ?? []).filter((v) => v.name === name).map((v) => ({ file, v })),
  );
  pins.sort(
    (a, b) =>
      Number(b.v.locked) - Number(a.v.locked) ||
      Number(b.v.specifier.startsWith('==')) - Number(a.v.specifier.startsWith('==')),
  );
  const best = pins[0];
  if (!best) return { name, version: current };
  return {
    name,
    version: highestAllowed(best.v.specifier, current),
    source: { file: best.file, span: best.v.span, specifier: best.v.specifier },
  };
}

export function versionAtLeast(info: VersionInfo, threshold: string): boolean {
  return compareVersions(info.version, knownVersion(threshold)) >= 0;
}

/** For messages: `waitress 3.0.0 (pinned in requirements.txt)`, or the assumption made. */
export function describeVersion(project: Project, info: VersionInfo): string {
  if (!info.source)
    return `${info.name} (no version is pinned; assuming a current release, ${CURRENT_RELEASES[info.name]} or later)`;
  const spec = info.source.specifier || 'unpinned';
  return `${info.name} ${spec.startsWith('==') ? spec.slice(2) : spec} (${project.relative(info.source.file.path)})`;
}

/** Related information pointing at where a version is pinned, when it is. */
export function versionRelated(info: VersionInfo): Related[] {
  return info.source
    ? [{ path: info.source.file.path, span: info.source.span, message: `${info.name} is pinned here` }]
    : [];
}

/**
 * X-Forwarded-* headers every known app proxy sets (empty when no proxy is known). Headers a
 * nested block drops by setting its own count as set: SL502 reports that loss once, where it is.
 */
export function forwardedHeadersSent(dep: Deployment): string[] {
  const known = dep.proxies.filter((p) => p.known);
  if (known.length === 0) return [];
  const names = ['x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host', 'x-forwarded-port'];
  return names.filter((n) => known.every((p) => p.headers.has(n) || droppedHeaders(p.block).some((h) => h.name === n)));
}

/** Outer headers nginx drops for a block because the block sets some of its own. */
export function droppedHeaders(block: ProxyBlock): ProxyHeader[] {
  return block.own.length > 0 ? block.inherited.filter((h) => !block.own.some((o) => o.name === h.name)) : [];
}

/** Whether clients can reach this server without the proxy (so trusting `*` is spoofable). */
export function directlyReachable(dep: Deployment, run: ServerRun): boolean {
  // A platform's dynos are reachable only through its router.
  if (run.platformRouted || run.cluster) return false;
  // A uWSGI with no HTTP listener speaks only the uwsgi protocol, to nginx's `uwsgi_pass`.
  if (run.server === 'uwsgi' && run.port === undefined) return false;
  if (run.service) return dep.composeServices.some((c) => c.service.name === run.service && c.service.ports.length > 0);
  return run.host === undefined || /^(0\.0\.0\.0|\*|::|\[::\]|)$/.test(run.host);
}

/**
 * A reverse proxy sits in front of the app (of `run`, when given): an nginx block proxying to
 * it, a compose proxy, or a platform router (a Procfile `web:` process binding `$PORT`).
 */
export function proxyInFront(dep: Deployment, run?: ServerRun): boolean {
  if (dep.proxies.length > 0 || dep.composeProxies.length > 0) return true;
  // A platform's router is in front of its own web process only, not of other deployments
  // the repository also describes (a supervisor program, a systemd unit).
  return run ? run.platformRouted === true : dep.servers.some((s) => s.run.platformRouted);
}

/**
 * The trust settings that match the proxy in front: its address (loopback when nginx runs on
 * the same host; `*` only inside a compose network that does not publish the app's port) and
 * the forwarded headers it sets. Undefined when no safe address can be named.
 */
export function trustSettings(dep: Deployment, run: ServerRun): [string, string][] | undefined {
  const loopback = dep.proxies.length > 0 && dep.proxies.every((p) => p.loopback);
  // A platform router's address changes and the dyno is reachable only through it: trust every peer.
  const address = run.platformRouted
    ? '*'
    : loopback
      ? '127.0.0.1'
      : run.service && !directlyReachable(dep, run)
        ? '*'
        : undefined;
  if (!address) return undefined;
  if (run.server === 'gunicorn') return [['forwarded_allow_ips', address]];
  const sent = forwardedHeadersSent(dep);
  const headers = sent.length > 0 ? sent : ['x-forwarded-for', 'x-forwarded-proto'];
  return [
    ['trusted_proxy', address],
    ['trusted_proxy_headers', headers.join(' ')],
  ];
}

/** The WSGI server with the most processes: gunicorn's workers times its compose replicas. */
export function busiestServer(
  dep: Deployment,
): { file: ProjectFile; run: ServerRun; workers: number; replicas: number } | undefined {
  let best: { file: ProjectFile; run: ServerRun; workers: number; replicas: number } | undefined;
  for (const { file, run } of dep.servers) {
    const workers = workerCount(run);
    const replicas =
      dep.composeServices.find((c) => c.service.name === run.service)?.service.replicas ?? run.replicas ?? 1;
    if (workers * replicas > (best ? best.workers * best.replicas : 1)) best = { file, run, workers, replicas };
  }
  return best;
}

/**
 * gunicorn running uvicorn's worker class (`-k uvicorn.workers.UvicornWorker`, or the
 * `uvicorn-worker` package's): it serves an ASGI app, and hands gunicorn's
 * `forwarded_allow_ips` to uvicorn, which reads the forwarded headers (uvicorn/workers.py).
 */
export function isAsgiWorker(run: ServerRun): boolean {
  return run.server === 'gunicorn' && /(^|\.)Uvicorn(H11)?Worker$/.test(run.settings.worker_class?.value ?? '');
}

/** Processes a WSGI server runs: gunicorn's `workers`, uWSGI's `processes` (or `workers`). */
export function workerCount(run: ServerRun): number {
  if (run.server === 'gunicorn') return Number(run.settings.workers?.value ?? 1) || 1;
  if (run.server === 'uwsgi') return Number((run.settings.processes ?? run.settings.workers)?.value ?? 1) || 1;
  return 1;
}

/**
 * Said where a platform's router is in front and the server trusts no peer: Heroku's Python
 * buildpack exports `FORWARDED_ALLOW_IPS='*'` on its dynos (vendor/python.gunicorn.sh), which
 * gunicorn and uvicorn both read; Railway, Render and the others set nothing.
 */
export const HEROKU_BUILDPACK_TRUST = "Heroku's Python buildpack sets FORWARDED_ALLOW_IPS=*, other platforms do not";

/** Related information pointing at each proxy block in front of the app. */
export function proxyRelated(project: Project, dep: Deployment): Related[] {
  // A few places are enough to find the proxy; one per block of a generated file with
  // thousands would make every finding carry thousands (quadratic memory).
  return project.memo('proxyRelated', () => {
    // One place once: two commands reading one gunicorn.conf.py are one web process there.
    const seen = new Set<string>();
    const unique = proxyRelatedAll(project, dep).filter((r) => {
      const key = `${r.path}:${r.span.start}:${r.message}`;
      return !seen.has(key) && !!seen.add(key);
    });
    return unique.slice(0, MAX_RELATED);
  });
}

/** Related locations a finding carries at most. */
const MAX_RELATED = 5;

function proxyRelatedAll(project: Project, dep: Deployment): Related[] {
  const platform = dep.servers.filter((s) => s.run.platformRouted).slice(0, MAX_RELATED);
  return [
    ...dep.proxies.map((p) => ({
      path: p.file.path,
      span: p.block.proxyPass.span,
      message: `${proxyName(p)} proxies to the app here (${project.relative(p.file.path)})`,
    })),
    ...dep.composeProxies.map((c) => ({
      path: c.file.path,
      span: c.service.nameSpan,
      message: `Reverse proxy service ${c.service.name}`,
    })),
    ...platform.map((s) => ({
      path: s.file.path,
      span: s.run.span,
      message: "The platform's router ends TLS in front of this web process ($PORT)",
    })),
  ];
}
