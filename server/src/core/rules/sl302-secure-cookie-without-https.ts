import { settingSites } from '../cookies';
import { deployment, frontName, proxyRelated } from '../deployment';
import { caddyTrustFixes } from '../fixes/front-trust';
import { deployOf } from '../project';
import type { Rule } from './rule';
import { checkExpressSecureBehindProxy } from './express/cookies';
import { djangoSettings, effectiveSetting } from '../django';

export const rule: Rule = {
  id: 'SL302',
  name: 'secure-cookie-without-https',
  summary: 'A Secure session cookie while the app is only reachable over plain HTTP',
  defaultSeverity: 'warning',
  docs: {
    whatItDoes:
      "Flags `SESSION_COOKIE_SECURE = True` in production configuration when the nginx in front of the app terminates no TLS (no `listen ... ssl`, no `ssl_certificate`), no other proxy (such as a compose traefik or caddy service) could, and nothing declares an `https` scheme (waitress `url_scheme`, `PREFERRED_URL_SCHEME`). In Express apps it flags Express's own trap: `cookie.secure` true (or true when NODE_ENV is production) while a proxy is in front (nginx, a compose proxy, a Procfile platform router) and the app sets no `trust proxy` (nor express-session's `proxy: true`). Behind the proxy the app sees plain HTTP, so express-session silently never sends the cookie and cookie-session swallows the error: users are never logged in. With no proxy in the project, `secure: true` (always, not only in production) is flagged when the app ends no TLS itself (no `https.createServer`, `http2.createSecureServer`) and trusts no proxy: Express then never sees HTTPS, on `http://localhost` too; the fix there sets `secure: \"auto\"`. It does the same for Starlette's `https_only=True` and Django's `SESSION_COOKIE_SECURE` in the settings Django runs.",
    whyIsThisBad:
      'Flask never refuses to set a Secure cookie over HTTP, but the browser does not send it back over plain HTTP. Every request then arrives without the session: logins do not stick, and no error says why. `http://localhost` counts as a secure context, so it works in development and fails at `http://<LAN address>` or in production.',
    example: {
      'app.py': 'from flask import Flask\n\napp = Flask(__name__)\napp.config["SESSION_COOKIE_SECURE"] = True\n',
      'nginx/app.conf':
        'server {\n    listen 80;\n    server_name shop.example.com;\n    location / {\n        proxy_pass http://127.0.0.1:8080;\n        proxy_set_header Host $host;\n        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n        proxy_set_header X-Forwarded-Proto $scheme;\n    }\n}\n',
    },
    useInstead: {
      'app.py': 'from flask import Flask\n\napp = Flask(__name__)\napp.config["SESSION_COOKIE_SECURE"] = True\n',
      'nginx/app.conf':
        'server {\n    listen 443 ssl;\n    server_name shop.example.com;\n    ssl_certificate /etc/ssl/shop.pem;\n    ssl_certificate_key /etc/ssl/shop.key;\n    location / {\n        proxy_pass http://127.0.0.1:8080;\n        proxy_set_header Host $host;\n        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n        proxy_set_header X-Forwarded-Proto $scheme;\n    }\n}\n',
    },
    fixSafety:
      'No automatic fix for nginx: the answer is HTTPS at the proxy, not a weaker cookie. Behind a plain-HTTP Caddy, an unsafe fix covers the case where a load balancer ends TLS in front of Caddy: it adds `servers { trusted_proxies static private_ranges }` to the global options (Caddy 2.6.3 and later; from 2.5.0 to 2.6.2 the same option goes inside each `reverse_proxy` block), so Caddy passes on the load balancer\'s X-Forwarded-Proto instead of replacing it with http. Behind a plain-HTTP Traefik started by compose, the same case gets `--entrypoints.<name>.forwardedheaders.trustedips=` with the private ranges in its `command:` list. A front-end that already trusts a proxy before it (Caddy `trusted_proxies`, Traefik `forwardedHeaders.trustedIPs`) is taken to stand behind one that ends TLS. For express-session over plain HTTP with no proxy, an unsafe fix sets `secure: "auto"`: Secure over HTTPS, sent without the flag over HTTP.',
    references: [
      'https://flask.palletsprojects.com/en/stable/config/#SESSION_COOKIE_SECURE',
      'https://nginx.org/en/docs/http/configuring_https_servers.html',
    ],
  },
  check(ctx) {
    checkExpressSecureBehindProxy(ctx);
    const dep = deployment(ctx.project);
    // A compose proxy whose configuration is not read (Traefik, HAProxy) may end TLS itself.
    const unread = dep.composeProxies.some(
      (c) => !dep.proxies.some((p) => c.service.image?.toLowerCase().includes(p.block.kind)),
    );
    if (dep.proxies.length === 0 || unread) return;
    if (dep.proxies.some((p) => p.block.tls)) return;
    // A front-end that trusts a proxy before it (Caddy's trusted_proxies, Traefik's trustedIPs)
    // stands behind one that may end TLS.
    if (dep.proxies.some((p) => deployOf(p.file)?.front?.trustedProxies)) return;
    const fixes = () => caddyTrustFixes(dep);
    // An https scheme set on the server or the app means TLS ends somewhere the project does not show.
    if (dep.servers.some((s) => s.run.settings.url_scheme?.value.replace(/['"]/g, '') === 'https')) return;
    if (
      settingSites(ctx.project, 'PREFERRED_URL_SCHEME').some(
        (s) => s.site.value.kind === 'literal' && s.site.value.value === 'https',
      )
    )
      return;
    // Starlette's `https_only=True` and Django's SESSION_COOKIE_SECURE in the settings Django runs.
    for (const file of ctx.project.all()) {
      for (const session of file.isTest ? [] : (file.python?.starletteSessions ?? [])) {
        const httpsOnly = session.options.https_only;
        if (httpsOnly?.kind !== 'boolean' || !httpsOnly.value) continue;
        ctx.report({
          path: file.path,
          span: httpsOnly.span,
          message: `SessionMiddleware https_only=True behind plain HTTP: browsers never send the session cookie back (the ${frontName(dep)} in front serves no TLS).`,
          related: proxyRelated(ctx.project, dep),
          fixes,
        });
      }
    }
    const seen = new Set<string>();
    for (const root of djangoSettings(ctx.project)) {
      const secure = root.role === 'production' ? effectiveSetting(root, 'SESSION_COOKIE_SECURE') : undefined;
      if (
        secure?.site.value.kind !== 'boolean' ||
        !secure.site.value.value ||
        seen.has(`${secure.file.path}:${secure.site.value.span.start}`)
      )
        continue;
      seen.add(`${secure.file.path}:${secure.site.value.span.start}`);
      ctx.report({
        path: secure.file.path,
        span: secure.site.value.span,
        message: `SESSION_COOKIE_SECURE is True behind plain HTTP: browsers never send the session cookie back (the ${frontName(dep)} in front serves no TLS).`,
        related: proxyRelated(ctx.project, dep),
        fixes,
      });
    }
    for (const { file, site, envs } of settingSites(ctx.project, 'SESSION_COOKIE_SECURE')) {
      if (!envs.has('production') || site.value.kind !== 'boolean' || !site.value.value) continue;
      ctx.report({
        path: file.path,
        span: site.value.span,
        message: `SESSION_COOKIE_SECURE is True behind plain HTTP: browsers never send the session cookie back (the ${frontName(dep)} in front serves no TLS).`,
        related: proxyRelated(ctx.project, dep),
        fixes,
      });
    }
  },
};
