import { deployment, proxyInFront, proxyRelated, trustSettings } from '../deployment';
import { addServerSettings } from '../fixes/server-settings';
import type { Rule } from './rule';

export const rule: Rule = {
  id: 'SL401',
  name: 'missing-proxy-trust',
  summary: 'A reverse proxy is in front but neither the server nor the app trusts its headers',
  defaultSeverity: 'warning',
  docs: {
    whatItDoes:
      'Flags a waitress or gunicorn server that a reverse proxy (nginx, or a proxy service in docker-compose) sends requests to, when neither the server nor the app trusts the proxy\'s `X-Forwarded-*` headers: waitress without `trusted_proxy` and no werkzeug `ProxyFix`, or gunicorn keeping its loopback-only `forwarded_allow_ips` while the proxy is another container.',
    whyIsThisBad:
      'Without that trust the app believes every request came over plain HTTP from the proxy\'s address. `url_for(..., _external=True)` builds `http://` links, redirects leave HTTPS, and logs and rate limits see one client. waitress 3 goes further: without `trusted_proxy` it deletes every `Forwarded`/`X-Forwarded-*` header before the app runs. gunicorn trusts `X-Forwarded-Proto` only from `127.0.0.1,::1` by default, which in Docker or Kubernetes is never the proxy.',
    example: {
      'app.py': 'from flask import Flask\n\napp = Flask(__name__)\n',
      Procfile: 'web: waitress-serve --listen=127.0.0.1:8080 app:app\n',
      'nginx/app.conf':
        'server {\n    listen 80;\n    server_name shop.example.com;\n    location / {\n        proxy_pass http://127.0.0.1:8080;\n        proxy_set_header Host $host;\n        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n        proxy_set_header X-Forwarded-Proto $scheme;\n    }\n}\n',
    },
    useInstead: {
      'app.py': 'from flask import Flask\n\napp = Flask(__name__)\n',
      Procfile: 'web: waitress-serve --listen=127.0.0.1:8080 --trusted-proxy=127.0.0.1 --trusted-proxy-headers="x-forwarded-for x-forwarded-proto" app:app\n',
      'nginx/app.conf':
        'server {\n    listen 80;\n    server_name shop.example.com;\n    location / {\n        proxy_pass http://127.0.0.1:8080;\n        proxy_set_header Host $host;\n        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n        proxy_set_header X-Forwarded-Proto $scheme;\n    }\n}\n',
    },
    fixSafety:
      'Unsafe: it changes what the app sees (the client\'s address and scheme). The fix adds `trusted_proxy` and `trusted_proxy_headers` (waitress) or `forwarded_allow_ips` (gunicorn) where the server is configured: `serve()` keywords, command-line flags or PasteDeploy keys. It trusts `127.0.0.1` when nginx runs on the same host, and `*` only for a compose service whose port is not published. Otherwise no fix is offered.',
    references: [
      'https://docs.pylonsproject.org/projects/waitress/en/stable/reverse-proxy.html',
      'https://docs.pylonsproject.org/projects/waitress/en/stable/arguments.html',
      'https://docs.gunicorn.org/en/stable/settings.html#forwarded-allow-ips',
    ],
  },
  check(ctx) {
    const dep = deployment(ctx.project);
    if (!proxyInFront(dep) || dep.proxyFixes.length > 0) return;
    const anyLoopback = dep.proxies.some((p) => p.loopback);
    for (const { file, run } of dep.servers) {
      if (run.server === 'waitress' && run.settings.trusted_proxy) continue;
      // gunicorn's default trusts loopback: enough when nginx runs on the same host.
      if (run.server === 'gunicorn' && (run.settings.forwarded_allow_ips || (anyLoopback && dep.composeProxies.length === 0))) continue;
      const setting = run.server === 'waitress' ? 'trusted_proxy' : 'forwarded_allow_ips';
      const consequence =
        run.server === 'waitress'
          ? 'waitress 3 deletes their X-Forwarded-* headers and the app sees plain HTTP from the proxy'
          : 'gunicorn ignores X-Forwarded-Proto from anything but loopback and the app sees plain HTTP';
      ctx.report({
        path: file.path,
        span: run.span,
        message: `${run.server} in ${ctx.project.relative(file.path)} runs behind a reverse proxy without ${setting} and no ProxyFix is applied, so ${consequence}.`,
        related: proxyRelated(ctx.project, dep),
        fixes: () => {
          const settings = trustSettings(dep, run);
          const change = settings && addServerSettings(file, run, settings);
          return change ? [{ title: `Trust the proxy in ${run.server} (${settings.map(([k, v]) => `${k}=${v}`).join(', ')})`, safety: 'unsafe', changes: [change] }] : [];
        },
      });
    }
  },
};
