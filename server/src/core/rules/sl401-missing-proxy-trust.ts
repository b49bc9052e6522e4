import {
  deployment,
  directlyReachable,
  HEROKU_BUILDPACK_TRUST,
  forwardedHeadersSent,
  isAsgiWorker,
  projectVersion,
  proxyInFront,
  proxyRelated,
  trustSettings,
  versionAtLeast,
  type Deployment,
} from '../deployment';
import { djangoSettings } from '../django';
import { flaskConfig } from '../flask-config';
import { insertProxyFixChange } from '../fixes/proxyfix';
import type { Fix } from '../types';
import { addServerSettings } from '../fixes/server-settings';
import type { Rule } from './rule';
import { checkExpressMissingTrust } from './express/proxy';
import { checkDjangoRedirectLoop, djangoReadsProxyHeader } from './django/proxy';
import { checkUvicornMissingTrust } from './asgi/uvicorn';

export const rule: Rule = {
  id: 'SL401',
  name: 'missing-proxy-trust',
  summary: 'A reverse proxy is in front but neither the server nor the app trusts its headers',
  defaultSeverity: 'warning',
  docs: {
    whatItDoes:
      "Flags a waitress or gunicorn server that a reverse proxy (nginx, Caddy, Apache, Traefik, a Kubernetes Ingress, a platform's router, or a proxy service in docker-compose) sends requests to, when neither the server nor the app trusts the proxy's `X-Forwarded-*` headers: waitress without `trusted_proxy` and no werkzeug `ProxyFix`, or gunicorn keeping its loopback-only `forwarded_allow_ips` while the proxy is another container (with `-k uvicorn.workers.UvicornWorker` too: the worker hands that setting to uvicorn, and ProxyFix, a WSGI middleware, is not offered). A Procfile `web:` process that binds `$PORT` (Heroku and the platforms that follow it; gunicorn binds `0.0.0.0:$PORT` itself when nothing else binds it), and a Dockerfile no compose service builds whose server listens on `$PORT` (Cloud Run, Render, Railway and Heroku's container stack set PORT), have the platform's router in front, which ends TLS; trusting every peer is right there. On Heroku the Python buildpack does that for gunicorn and uvicorn (it exports `FORWARDED_ALLOW_IPS='*'` on every dyno); Railway, Render, Fly.io and the other platforms that read a Procfile set nothing, so the message says so and the fix makes the setting explicit, which works everywhere. Behind proxies that neither end TLS nor send `X-Forwarded-Proto` (nginx on port 80 sending only `X-Forwarded-For`), gunicorn's trust changes nothing, since it covers only the scheme headers: a Django app is not flagged there, and a Flask app that gets `X-Forwarded-For` is told that `request.remote_addr` is the proxy's, with the ProxyFix fix alone (`x_for=1, x_proto=0`). In Express apps it flags `express()` when a proxy is in front and nothing sets `trust proxy` while the app depends on the scheme or client address: `req.ip`, `req.protocol`, `req.secure`, `req.hostname`, express-rate-limit, or a session cookie with `secure: \"auto\"`. The fix adds `app.set(\"trust proxy\", ...)` right after the app is created: `\"loopback\"` when nginx runs on the same host, else one hop. For uvicorn and `fastapi run` (command lines in compose, Dockerfiles, Procfiles, systemd units and scripts) it flags a server without `--forwarded-allow-ips` (nor `FORWARDED_ALLOW_IPS`/`UVICORN_FORWARDED_ALLOW_IPS`) behind a proxy container or a platform router: uvicorn trusts only 127.0.0.1 by default. A hypercorn server behind a proxy is flagged when no module wraps the app in hypercorn's `ProxyFixMiddleware`, since hypercorn reads no forwarded header itself.",
    whyIsThisBad:
      "Without that trust the app believes every request came over plain HTTP from the proxy's address. `url_for(..., _external=True)` builds `http://` links, redirects leave HTTPS, and logs and rate limits see one client. waitress 3 goes further: without `trusted_proxy` it deletes every `Forwarded`/`X-Forwarded-*` header before the app runs. gunicorn trusts `X-Forwarded-Proto` only from `127.0.0.1,::1` by default, which in Docker or Kubernetes is never the proxy.",
    example: {
      'app.py': 'from flask import Flask\n\napp = Flask(__name__)\n',
      Procfile: 'web: waitress-serve --listen=127.0.0.1:8080 app:app\n',
      'nginx/app.conf':
        'server {\n    listen 80;\n    server_name shop.example.com;\n    location / {\n        proxy_pass http://127.0.0.1:8080;\n        proxy_set_header Host $host;\n        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n        proxy_set_header X-Forwarded-Proto $scheme;\n    }\n}\n',
    },
    useInstead: {
      'app.py': 'from flask import Flask\n\napp = Flask(__name__)\n',
      Procfile:
        'web: waitress-serve --listen=127.0.0.1:8080 --trusted-proxy=127.0.0.1 --trusted-proxy-headers="x-forwarded-for x-forwarded-proto" app:app\n',
      'nginx/app.conf':
        'server {\n    listen 80;\n    server_name shop.example.com;\n    location / {\n        proxy_pass http://127.0.0.1:8080;\n        proxy_set_header Host $host;\n        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n        proxy_set_header X-Forwarded-Proto $scheme;\n    }\n}\n',
    },
    fixSafety:
      "Unsafe: it changes what the app sees (the client's address and scheme). The first fix adds `trusted_proxy` and `trusted_proxy_headers` (waitress) or `forwarded_allow_ips` (gunicorn) where the server is configured: `serve()` keywords, command-line flags, PasteDeploy keys or gunicorn.conf.py. It trusts `127.0.0.1` when nginx runs on the same host, and `*` only for a compose service whose port is not published; otherwise that fix is not offered. Behind gunicorn or waitress 2, a second fix applies `ProxyFix(app.wsgi_app, ...)` right after the app is created, with one hop per header the proxy sets. Behind waitress 3 ProxyFix cannot work without `trusted_proxy` (SL402), so it is not offered there.",
    references: [
      'https://docs.pylonsproject.org/projects/waitress/en/stable/reverse-proxy.html',
      'https://docs.pylonsproject.org/projects/waitress/en/stable/arguments.html',
      'https://docs.gunicorn.org/en/stable/settings.html#forwarded-allow-ips',
    ],
  },
  check(ctx) {
    checkUvicornMissingTrust(ctx);
    checkExpressMissingTrust(ctx);
    checkDjangoRedirectLoop(ctx);
    // Django with SECURE_PROXY_SSL_HEADER reads the scheme itself, whatever gunicorn trusts.
    const djangoReads = djangoReadsProxyHeader(ctx);
    const dep = deployment(ctx.project);
    if (!proxyInFront(dep) || dep.proxyFixes.length > 0) return;
    const anyLoopback = dep.proxies.some((p) => p.loopback);
    for (const { file, run } of dep.servers) {
      if (!proxyInFront(dep, run)) continue;
      // uWSGI takes the scheme from X-Forwarded-Proto without being told (SL404 when that is unsafe).
      if (run.server === 'uwsgi') continue;
      if (run.server === 'waitress' && run.settings.trusted_proxy) continue;
      // gunicorn's default trusts loopback: enough when nginx runs on the same host.
      if (
        run.server === 'gunicorn' &&
        (run.settings.forwarded_allow_ips || djangoReads || (anyLoopback && dep.composeProxies.length === 0))
      )
        continue;
      const setting = run.server === 'waitress' ? 'trusted_proxy' : 'forwarded_allow_ips';
      const asgi = isAsgiWorker(run);
      // Behind proxies that neither end TLS nor send X-Forwarded-Proto the app's http is the
      // truth, and gunicorn's trust covers only the scheme headers: what is left is the client's
      // address, which only ProxyFix reads (testdrivenio/django-on-docker's nginx on port 80).
      const addressOnly = run.server === 'gunicorn' && !asgi && !run.platformRouted && schemeUntouched(dep);
      const flaskApps = flaskConfig(ctx.project).apps.length > 0;
      if (addressOnly && !(flaskApps && forwardedHeadersSent(dep).includes('x-forwarded-for'))) continue;
      const consequence =
        run.server === 'waitress'
          ? 'waitress 3 deletes their X-Forwarded-* headers and the app sees plain HTTP from the proxy'
          : asgi
            ? "uvicorn's worker takes gunicorn's loopback-only forwarded_allow_ips, so the app sees plain HTTP (http:// redirects and URLs)"
            : 'gunicorn ignores X-Forwarded-Proto from anything but loopback and the app sees plain HTTP';
      // What else would have told the app the scheme: Django's setting, or Flask's middleware.
      const appSide = asgi
        ? []
        : djangoSettings(ctx.project).length > 0
          ? ['no SECURE_PROXY_SSL_HEADER']
          : flaskApps
            ? ['no ProxyFix']
            : [];
      const missing = [...(asgi ? [] : [`no ${setting}`]), ...appSide].join(', ');
      // A Procfile is how Heroku runs a process; a platform's Docker image gets no buildpack.
      const platform = file.kind === 'procfile' && run.server === 'gunicorn' ? HEROKU_BUILDPACK_TRUST : '';
      const detail = [missing, platform].filter(Boolean).join('; ');
      ctx.report({
        path: file.path,
        span: run.span,
        message: addressOnly
          ? "The app does not trust the proxy in front: request.remote_addr is the proxy's address for every client (rate limits, logs; no ProxyFix)."
          : `${run.server} does not trust the proxy in front: ${consequence}${detail ? ` (${detail})` : ''}.`,
        related: proxyRelated(ctx.project, dep),
        fixes: () => {
          const fixes: Fix[] = [];
          const settings = addressOnly ? undefined : trustSettings(dep, run);
          const change = settings && addServerSettings(file, run, settings);
          if (change)
            fixes.push({
              title: `Trust the proxy in ${run.server} (${settings.map(([k, v]) => `${k}=${v}`).join(', ')})`,
              safety: 'unsafe',
              effect: 'the app then believes the forwarded headers from the proxy',
              changes: [change],
            });
          // ProxyFix works behind gunicorn and waitress 2; waitress 3 deletes the headers first (SL402).
          const app = flaskConfig(ctx.project).apps.find((a) => a.app.target);
          const target = app?.app.target;
          // Nor where clients reach the app's port directly: ProxyFix would believe them (SL404).
          const exposed = run.service !== undefined && directlyReachable(dep, run);
          if (
            app &&
            target &&
            !exposed &&
            !asgi &&
            (run.server === 'gunicorn' || !versionAtLeast(projectVersion(ctx.project, 'waitress'), '3.0'))
          ) {
            const counts = proxyFixCounts(dep);
            const args = Object.entries(counts)
              .map(([k, v]) => `${k}=${v}`)
              .join(', ');
            fixes.push({
              title: `Apply werkzeug's ProxyFix in the app (${args})`,
              safety: 'unsafe',
              effect: 'the app then believes the forwarded headers from the proxy',
              changes: [insertProxyFixChange(app.file, { ...app.app, target }, counts)],
            });
          }
          return fixes;
        },
      });
    }
  },
};

/** Every proxy in front is a block read whole that neither ends TLS nor sends X-Forwarded-Proto. */
function schemeUntouched(dep: Deployment): boolean {
  return (
    dep.composeProxies.length === 0 &&
    dep.proxies.length > 0 &&
    dep.proxies.every((p) => p.known && !p.block.tls && !p.headers.has('x-forwarded-proto'))
  );
}

/** One hop per header the proxy sets; x_host only when nginx does not forward Host itself. */
function proxyFixCounts(dep: Deployment): Record<string, number> {
  const sent = new Set(forwardedHeadersSent(dep));
  const hostForwarded = dep.proxies.length > 0 && dep.proxies.every((p) => p.headers.has('host'));
  // No x_proto (ProxyFix's default is 1) where no proxy says the scheme: believing a client's
  // own X-Forwarded-Proto, which nginx passes on untouched, would be SL404.
  const counts: Record<string, number> = { x_for: 1, x_proto: schemeUntouched(dep) ? 0 : 1 };
  if (sent.has('x-forwarded-host') && !hostForwarded) counts.x_host = 1;
  if (sent.has('x-forwarded-port')) counts.x_port = 1;
  return counts;
}
