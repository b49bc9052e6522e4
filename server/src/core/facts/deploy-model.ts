import type { Span } from '../types';

/** A value as written in a file, and where. */
export interface Written {
  value: string;
  span: Span;
  /** An expression whose value could not be resolved; `value` is its source text. */
  unresolved?: boolean;
}

/** A dependency the project pins (or bounds), from a requirements or lock file. */
export interface PinnedVersion {
  /** Normalized package name (`flask`, `waitress`). */
  name: string;
  /** `==3.0.3`, `>=2.2,<3`, `^2.2`. */
  specifier: string;
  span: Span;
  /** From a lock file: the version that is actually installed. */
  locked: boolean;
}

/** How new settings are written into a server invocation, for fixes. */
export type SettingInsert =
  /** `serve(app, ...)`: `, trusted_proxy="..."` before the closing parenthesis. */
  | { style: 'keyword'; offset: number }
  /**
   * A command line: flags after the program name. `array` when each argument is its own
   * quoted element (Dockerfile exec form, compose lists); `quote` when the whole command sits
   * inside that quote character (a quoted compose string), which a value must then avoid.
   */
  | { style: 'flag'; offset: number; array?: boolean; quote?: '"' | "'" }
  /** A PasteDeploy section: a `key = value` line after the section's last line. */
  | { style: 'ini'; offset: number }
  /** gunicorn.conf.py: a `name = value` line at the end. */
  | { style: 'assignment'; offset: number };

/** The port a hosting platform assigns, as a command or setting names it (`$PORT`, `${PORT}`). */
export const PLATFORM_PORT = /\$\{?PORT\b/;

/** A WSGI server started by the project, with its proxy-related settings. */
export interface ServerRun {
  server: 'waitress' | 'gunicorn' | 'uwsgi';
  /** `ini` is a uWSGI `[uwsgi]` section (`uwsgi.ini`). */
  via: 'call' | 'command' | 'paste' | 'conf' | 'ini';
  /**
   * Settings by their Python name (`trusted_proxy`, `forwarded_allow_ips`, `workers`); uWSGI's
   * options with `-` written `_` (`http_socket`, `processes`).
   */
  settings: Record<string, Written>;
  /** Where a finding about this server sits. */
  span: Span;
  /** Where and how to add settings; absent when a fix cannot be written safely. */
  insert?: SettingInsert;
  /** Port it listens on, when known. */
  port?: number;
  /** Host it binds, when known (`0.0.0.0`, `127.0.0.1`, `*`). */
  host?: string;
  /** The compose service whose command this is. */
  service?: string;
  /**
   * A Procfile `web:` process binding `$PORT`: Heroku and the platforms that follow its
   * convention put their router in front, which ends TLS and sets X-Forwarded-For and -Proto.
   */
  platformRouted?: boolean;
  /** Copies of the process the platform runs (Kubernetes `replicas`, Render `numInstances`). */
  replicas?: number;
  /**
   * Runs in a Kubernetes pod: reachable inside the cluster and through its Service or Ingress,
   * never from the internet directly, so trusting `*` there is the usual setting, not SL404.
   */
  cluster?: boolean;
}

/** A literal secret in a deployment file (compose, Dockerfile, systemd, .flaskenv, config data). */
export interface DeploySecret {
  name: string;
  nameSpan: Span;
  /** The literal value's span; the value itself is never kept. */
  valueSpan: Span;
  /** What holds it, for messages: `environment:`, `ENV`, `Environment=`. */
  holder: string;
  /** The compose file's service, for the `${VAR}` fix. */
  service?: string;
  /** In a compose service that runs only the development server. */
  devOnly?: boolean;
}

/** One compose service. */
export interface ComposeService {
  name: string;
  nameSpan: Span;
  image?: string;
  /** nginx, traefik, caddy, haproxy, envoy: a reverse proxy. */
  isProxy: boolean;
  /** Published ports (`8000:8000`): reachable from outside the compose network. */
  ports: Written[];
  replicas?: number;
  /** Runs only the development server (`flask run`, `--reload`, FLASK_DEBUG=1). */
  devOnly: boolean;
  /** `build:` context (relative to the compose file) and Dockerfile name, when it builds an image. */
  build?: { context: string; dockerfile: string };
  /** Sets its own `command:` or `entrypoint:` instead of running the image's. */
  hasCommand: boolean;
}

/** A header a proxy sends the app: an nginx `proxy_set_header` line, or one Caddy or Apache sends itself. */
export interface ProxyHeader {
  /** Lower case. */
  name: string;
  value: string;
  /** The line that sets it; for a header the proxy sends by default, the proxying line. */
  span: Span;
  /** Sent by the proxy without a line saying so (Caddy's X-Forwarded-*, Apache's X-Forwarded-For). */
  implicit?: boolean;
}

/** The front-ends whose proxying blocks are read. */
export type ProxyKind = 'nginx' | 'caddy' | 'apache' | 'ingress' | 'traefik';

/**
 * A block that proxies to an upstream: an nginx `location` (or `server`) with `proxy_pass`, a
 * Caddy `reverse_proxy`, an Apache `ProxyPass` in its virtual host.
 */
export interface ProxyBlock {
  kind: ProxyKind;
  /** `location /api`, `server`, `reverse_proxy`, `<VirtualHost *:443>`. */
  label: string;
  proxyPass: Written;
  /** Headers this block sets itself. */
  own: ProxyHeader[];
  /** Lines that change or remove a header the proxy sends by default (Caddy's `header_up`). */
  overrides?: ProxyHeader[];
  /** Headers set in enclosing blocks (nginx drops them all if `own` is not empty; none elsewhere). */
  inherited: ProxyHeader[];
  /** `include` directives in this block and its parents (`proxy_params`). */
  includes: Written[];
  /** Where a new directive line goes, and its indentation. */
  insertAt: number;
  indent: string;
  /** The enclosing server's names and whether it terminates TLS. */
  serverNames: Written[];
  tls: boolean;
  /** The span of the enclosing server block's `server` keyword. */
  serverSpan: Span;
}

/** Hosting platforms whose configuration is read. */
export type PlatformName = 'heroku' | 'render' | 'fly' | 'cloud-run' | 'kubernetes';

/** A hosting platform: its edge ends TLS and sets X-Forwarded-For and -Proto, one hop in front. */
export interface PlatformFacts {
  name: PlatformName;
  span: Span;
}

/** Caddy or Apache proxying, read from a Caddyfile or an Apache configuration. */
export interface FrontFacts {
  blocks: ProxyBlock[];
  /**
   * The proxies in front of this one whose X-Forwarded-* it passes on: Caddy's global
   * `trusted_proxies`, Traefik's `forwardedHeaders.trustedIPs`. Something ends TLS before it.
   */
  trustedProxies?: Written;
  /** Caddy: where a `servers { trusted_proxies ... }` option goes (`global` when the file has an options block). */
  optionsInsert?: { offset: number; global: boolean };
  /** Traefik in compose: where a new `command:` list item goes, and the entry points its flags declare. */
  commandInsert?: { offset: number; indent: string; entryPoints: string[] };
  /**
   * Entry points that pass on X-Forwarded-* from any client (Traefik's
   * `forwardedHeaders.insecure`), by entry point name, with the compose service that runs it.
   */
  insecureEntryPoints?: { entryPoint: string; setting: Written; service?: string }[];
}

/** A block that hands requests to uWSGI over its own protocol (`uwsgi_pass`). */
export interface NginxUwsgiBlock {
  label: string;
  uwsgiPass: Written;
  /** Effective `uwsgi_param`s (the block's own, else its parents'), names as written. */
  params: ProxyHeader[];
  /** `include` directives in this block and its parents (`uwsgi_params`). */
  includes: Written[];
  /** The block sets params itself (or includes them): a new `uwsgi_param` then drops none. */
  ownParams: boolean;
  insertAt: number;
  indent: string;
  tls: boolean;
}

/** What an nginx file says about proxying. */
export interface NginxFacts {
  blocks: ProxyBlock[];
  uwsgiBlocks: NginxUwsgiBlock[];
  /** `upstream name { server host:port; }` */
  upstreams: Record<string, string[]>;
  /** Whether the file parsed cleanly. */
  errors: number;
}

/** A Node app started by a command line (`node server.js`, `pm2 start -i max`, `npm start`). */
export interface NodeRun {
  /** `node`, `pm2`, `nodemon`, `npm`. */
  runner: string;
  span: Span;
  /** Processes serving the app: pm2 `-i max` runs one per CPU. */
  processes: number | 'many';
  /** NODE_ENV=production, or a production process manager. */
  production: boolean;
  /** A runner that restarts on file changes, or NODE_ENV=development. */
  development: boolean;
  /** `pm2 start ecosystem.config.js`: the ecosystem file says how many processes. */
  ecosystem?: boolean;
  /** A Procfile `web:` process: the platform's router is in front. */
  platformRouted?: boolean;
}

/** An ASGI server (uvicorn, `fastapi run`) started by a command line or `uvicorn.run(...)`. */
export interface AsgiRun {
  /** hypercorn reads no forwarded header itself: its ProxyFixMiddleware does. */
  server: 'uvicorn' | 'fastapi' | 'hypercorn';
  /** Settings by flag name (`forwarded-allow-ips`, `host`, `port`, `proxy-headers`). */
  settings: Record<string, Written>;
  span: Span;
  /** Where and how a new flag goes (after the program name); absent when it cannot be written safely. */
  insert?: SettingInsert;
  /** The address it binds: uvicorn's default is 127.0.0.1, `fastapi run`'s 0.0.0.0. */
  host: string;
  /** The compose service whose command this is. */
  service?: string;
  /** Started by a hosting platform whose edge proxies to it (render.yaml, fly.toml, Cloud Run). */
  platformRouted?: boolean;
}

/** Deployment facts of a non-Python file (or of a Python file that serves or configures). */
export interface DeployFacts {
  versions: PinnedVersion[];
  servers: ServerRun[];
  secrets: DeploySecret[];
  /** Node apps this file starts. */
  nodeRuns: NodeRun[];
  /** ASGI servers this file starts. */
  asgiRuns: AsgiRun[];
  /**
   * Python scripts this file starts (`python main.py`, `python -m app.main`), whose own
   * `uvicorn.run()` then runs where this command does: behind a platform's router for a
   * Procfile `web:` process, as the compose service for a Dockerfile.
   */
  pythonLaunches: { script?: string; module?: string; platformRouted?: boolean }[];
  /** `DJANGO_SETTINGS_MODULE` set in the environment here (compose, Dockerfile `ENV`, systemd). */
  djangoSettingsModules: string[];
  /** `NODE_ENV=production` set for the app here (Dockerfile `ENV`, compose, systemd). */
  nodeProduction?: Span;
  compose?: ComposeService[];
  nginx?: NginxFacts;
  /** A Caddyfile's or Apache configuration's proxying. */
  front?: FrontFacts;
  /** The hosting platform this file configures (fly.toml, render.yaml, app.json, a Kubernetes manifest). */
  platform?: PlatformFacts;
}

export function emptyDeployFacts(): DeployFacts {
  return {
    versions: [],
    servers: [],
    secrets: [],
    nodeRuns: [],
    asgiRuns: [],
    djangoSettingsModules: [],
    pythonLaunches: [],
  };
}

/** Names that hold a session or signing secret (`SECRET_KEY`, `FLASK_SECRET_KEY`, `SESSION_SECRET`). */
export function isSecretName(name: string): boolean {
  return /(^|_)SECRET(_KEY)?$|^SESSION_SECRET/i.test(name) && !/_(FILE|PATH|NAME)$/i.test(name);
}
