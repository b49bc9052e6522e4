import { checkTraefikInsecure } from './front/traefik';
import { checkUwsgiReachable } from './wsgi/uwsgi';
import { deployment, directlyReachable, forwardedHeadersSent, frontName, proxyInFront } from '../deployment';
import { PROXYFIX_DEFAULTS } from '../facts/python-model';
import type { Rule } from './rule';
import { checkExpressOverTrust } from './express/proxy';
import { checkUvicornOverTrust } from './asgi/uvicorn';
import { checkDjangoForwardedHost, checkDjangoProxyHeaderReachable } from './django/proxy';

const COUNT_HEADERS = {
  x_host: 'x-forwarded-host',
  x_port: 'x-forwarded-port',
  x_prefix: 'x-forwarded-prefix',
} as const;

export const rule: Rule = {
  id: 'SL404',
  name: 'over-trusting-proxy',
  summary: 'Proxy headers trusted from anyone, or headers trusted that no proxy sets',
  defaultSeverity: 'warning',
  docs: {
    whatItDoes:
      'Flags waitress `trusted_proxy="*"` and gunicorn `forwarded_allow_ips="*"` when the app\'s port is reachable without the proxy (it listens on all interfaces, or its compose service publishes the port). uWSGI always takes the scheme from `X-Forwarded-Proto` (and `HTTPS` from `X-Forwarded-SSL`), with no setting to limit it: its HTTP port (`http`, `http-socket`) reachable beside the proxy, or published by compose, is flagged too. So is a Traefik entry point with `forwardedHeaders.insecure` (a compose `--entrypoints.<name>.forwardedheaders.insecure` flag or `traefik.yml`) whose port compose publishes: it passes on whatever X-Forwarded-* a client sends. Also flags trust in a forwarded header that no proxy in front sets and that SL501 does not already ask nginx to send: `x-forwarded-host`, `-port` or `-by` in waitress `trusted_proxy_headers`, or a `ProxyFix` `x_host`/`x_port`/`x_prefix` count. A `ProxyFix` is flagged too while the app\'s port is published (compose `ports:`) or a host server binds all interfaces with no proxy in front. In Express apps it flags `app.set("trust proxy", true)` while the app\'s port is reachable without the proxy, a hop count larger than the proxies the project shows, and a string (an environment variable or `"1"`): Express reads a string as a list of addresses, so `"1"` is not one hop. For uvicorn it flags `--forwarded-allow-ips="*"` on a published port, names such as a compose service (uvicorn compares addresses and never resolves a name), and CIDR ranges on uvicorn before 0.31, which read them as literal addresses. In Django it flags `SECURE_PROXY_SSL_HEADER` while waitress or gunicorn is reachable without the proxy, and `USE_X_FORWARDED_HOST = True` with `ALLOWED_HOSTS = ["*"]`: a client then chooses the host of every absolute URL, password-reset links among them.',
    whyIsThisBad:
      'Anyone who reaches the app directly can then send `X-Forwarded-For` and `X-Forwarded-Proto` and be believed: spoofed client addresses defeat logging and rate limits, and a spoofed scheme defeats HTTPS-only logic. waitress documents `*` as unsafe unless the app is firewalled. nginx passes on headers it does not set itself, so trusting `X-Forwarded-Host` that nginx never sets lets the client choose the host the app builds URLs with.',
    example: {
      'app.py': 'from flask import Flask\n\napp = Flask(__name__)\n',
      Procfile:
        'web: waitress-serve --listen=0.0.0.0:8080 --trusted-proxy=* --trusted-proxy-headers="x-forwarded-for x-forwarded-proto" app:app\n',
    },
    useInstead: {
      'app.py': 'from flask import Flask\n\napp = Flask(__name__)\n',
      Procfile:
        'web: waitress-serve --listen=127.0.0.1:8080 --trusted-proxy=127.0.0.1 --trusted-proxy-headers="x-forwarded-for x-forwarded-proto" app:app\n',
    },
    fixSafety:
      'No automatic fix: which address to trust depends on the network, and narrowing trust can lock out a proxy the project does not show.',
    references: [
      'https://docs.pylonsproject.org/projects/waitress/en/stable/arguments.html',
      'https://docs.gunicorn.org/en/stable/settings.html#forwarded-allow-ips',
      'https://werkzeug.palletsprojects.com/en/stable/middleware/proxy_fix/',
    ],
  },
  check(ctx) {
    checkDjangoForwardedHost(ctx);
    checkDjangoProxyHeaderReachable(ctx);
    checkUvicornOverTrust(ctx);
    checkExpressOverTrust(ctx);
    checkUwsgiReachable(ctx);
    checkTraefikInsecure(ctx);
    const dep = deployment(ctx.project);
    const sent = new Set(forwardedHeadersSent(dep));
    const proxiesKnown = dep.proxies.length > 0 && dep.proxies.every((p) => p.known);
    for (const { file, run } of dep.servers) {
      const star = run.server === 'waitress' ? run.settings.trusted_proxy : run.settings.forwarded_allow_ips;
      const name = run.server === 'waitress' ? 'trusted_proxy' : 'forwarded_allow_ips';
      if (star && star.value.replace(/['"]/g, '').trim() === '*' && directlyReachable(dep, run)) {
        const where = run.service
          ? `its compose service ${run.service} publishes the port`
          : `it listens on ${run.host ?? 'all interfaces'}`;
        ctx.report({
          path: file.path,
          span: star.span,
          message: `${run.server} trusts forwarded headers from any peer (${name}=*): a client that connects directly can spoof its address and scheme, since ${where}.`,
        });
      }
      const headers = run.settings.trusted_proxy_headers;
      if (run.server === 'waitress' && headers && proxiesKnown) {
        // X-Forwarded-For and -Proto that nginx does not send are SL501's: the fix is in nginx.
        for (const h of headers.value
          .toLowerCase()
          .split(/[\s,]+/)
          .filter((x) => /^x-forwarded-(host|port|by)$/.test(x))) {
          if (sent.has(h)) continue;
          ctx.report({
            path: file.path,
            span: headers.span,
            message: `waitress trusts ${h}, which the proxy in front never sets: whatever the client sends is believed.`,
          });
        }
      }
    }
    // ProxyFix believes the last hop's headers, whoever that hop is: with the app's port open
    // to clients and no proxy in between, any client sets its own address and scheme.
    // Only what the project itself shows exposed counts: a compose service publishing the
    // port, or a host server (serve(), gunicorn.conf.py, a systemd unit) bound to every
    // interface with no proxy in front. Dockerfiles, start scripts and Procfiles bind all
    // interfaces of a container or a dyno, which is reachable only as its platform allows.
    const exposed = dep.servers.find(({ file, run }) => {
      if (run.service) return directlyReachable(dep, run);
      const hostServer =
        run.via === 'call' || run.via === 'conf' || file.kind === 'systemd' || file.kind === 'supervisor';
      return hostServer && run.host !== undefined && directlyReachable(dep, run) && !proxyInFront(dep);
    });
    if (exposed) {
      const where = exposed.run.service
        ? `compose publishes the port of service ${exposed.run.service}`
        : `${exposed.run.server} listens on ${exposed.run.host ?? 'all interfaces'} with no proxy in front`;
      for (const { file, use } of dep.proxyFixes) {
        ctx.report({
          path: file.path,
          span: use.span,
          message: `ProxyFix trusts forwarded headers: a client that connects directly can spoof its address and scheme, since ${where}.`,
          related: [{ path: exposed.file.path, span: exposed.run.span, message: 'The app is reachable directly here' }],
        });
      }
      return;
    }
    if (!proxiesKnown) return;
    for (const { file, use } of dep.proxyFixes) {
      for (const [count, header] of Object.entries(COUNT_HEADERS) as [keyof typeof COUNT_HEADERS, string][]) {
        const value = use.counts[count]?.value ?? PROXYFIX_DEFAULTS[count];
        if (value > 0 && !sent.has(header)) {
          ctx.report({
            path: file.path,
            span: use.counts[count]?.span ?? use.span,
            message: `ProxyFix trusts ${header} (${count}=${value}), which ${frontName(dep)} never sets: whatever the client sends is believed.`,
          });
        }
      }
    }
  },
};
