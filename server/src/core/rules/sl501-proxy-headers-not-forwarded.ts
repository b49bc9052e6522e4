import { carriedHost, deployment, droppedHeaders, proxyName, type AppProxy, type Deployment } from '../deployment';
import { detectEol, lineSpan } from '../text';
import type { Fix, Span, TextEdit } from '../types';
import { flaskConfig } from '../flask-config';
import { addNginxHeaders, HEADER_NAMES, HEADER_VALUES } from '../fixes/nginx-headers';
import type { Project } from '../project';
import type { Rule } from './rule';
import { expressModel, secureSetting } from '../express';
import { djangoSettings, effectiveSetting } from '../django';

export const rule: Rule = {
  id: 'SL501',
  name: 'proxy-headers-not-forwarded',
  summary: 'The proxy (nginx, Apache, Caddy) sends the app no X-Forwarded-For, X-Forwarded-Proto or client Host',
  defaultSeverity: 'warning',
  docs: {
    whatItDoes:
      "Flags an nginx block with `proxy_pass` to the app that does not send `X-Forwarded-For`, `X-Forwarded-Proto` (when nginx terminates TLS or the app needs the scheme), or the client's host (`Host` or `X-Forwarded-Host`). Inherited directives and `include proxy_params` are taken into account. Django settings with `SECURE_PROXY_SSL_HEADER` and Express secure session cookies count as needing X-Forwarded-Proto. Apache's `ProxyPass` sends X-Forwarded-For and -Host but never X-Forwarded-Proto (the fix adds `RequestHeader set X-Forwarded-Proto \"https\"` in a TLS virtual host), and passes the upstream's name as `Host` unless `ProxyPreserveHost On` (the fix adds it). Caddy's `reverse_proxy` sends them all itself; only a `header_up` that removes one, or rewrites `Host` to `{upstream_hostport}`, is flagged, and the fix removes that line.",
    whyIsThisBad:
      "nginx sends no `X-Forwarded-*` header unless told to, and by default it sends `Host: $proxy_host`, the upstream's name. The app then cannot know the client's address, whether the request came over HTTPS, or which host it was sent to. Redirects and external URLs point at `http://127.0.0.1:8080`, `Secure` cookie logic sees plain HTTP, and trusting the proxy in waitress or `ProxyFix` has nothing to read. `proxy_set_header Host $host;` is the normal, correct choice.",
    example: {
      'app.py': 'from flask import Flask\n\napp = Flask(__name__)\n',
      'nginx/app.conf':
        'server {\n    listen 443 ssl;\n    server_name shop.example.com;\n    ssl_certificate /etc/ssl/shop.pem;\n    location / {\n        proxy_pass http://127.0.0.1:8080;\n    }\n}\n',
    },
    useInstead: {
      'app.py': 'from flask import Flask\n\napp = Flask(__name__)\n',
      'nginx/app.conf':
        'server {\n    listen 443 ssl;\n    server_name shop.example.com;\n    ssl_certificate /etc/ssl/shop.pem;\n    location / {\n        proxy_pass http://127.0.0.1:8080;\n        proxy_set_header Host $host;\n        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n        proxy_set_header X-Forwarded-Proto $scheme;\n    }\n}\n',
    },
    fixSafety:
      'Unsafe: the app then receives headers it did not get before. The fix adds the missing `proxy_set_header` lines after `proxy_pass`. If the block had none of its own, the headers it inherited are repeated too, since one `proxy_set_header` in a block drops all the inherited ones.',
    references: [
      'https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_set_header',
      'https://flask.palletsprojects.com/en/stable/deploying/nginx/',
    ],
  },
  check(ctx) {
    const dep = deployment(ctx.project);
    const needsScheme = appNeedsScheme(ctx.project, dep);
    for (const proxy of dep.proxies) {
      if (!proxy.known) continue;
      const missing = missingHeaders(proxy, needsScheme, dep);
      if (missing.length === 0) continue;
      const label = missing.map((m) => HEADER_NAMES[m]).join(', ');
      const where = proxy.block.kind === 'nginx' ? proxy.block.label : `${proxyName(proxy)} ${proxy.block.label}`;
      ctx.report({
        path: proxy.file.path,
        span: proxy.block.proxyPass.span,
        message: `${where} proxies without ${label}: the app cannot tell the client's ${describe(missing)}.`,
        fixes: () => frontFixes(proxy, missing, label),
      });
    }
  },
};

/**
 * Headers the app needs that the proxy does not send (those lost to nginx's inheritance are
 * SL502's). Caddy and Apache send X-Forwarded-Host themselves, but the app reads `Host`
 * (ProxyFix's x_host is 0, Django's USE_X_FORWARDED_HOST off), so there the client's Host
 * itself must arrive; with a ProxyFix, SL403 asks for x_host instead.
 */
function missingHeaders(proxy: AppProxy, needsScheme: boolean, dep: Deployment): string[] {
  const dropped = new Set(droppedHeaders(proxy.block).map((h) => h.name));
  const has = (name: string) => proxy.headers.has(name) || dropped.has(name);
  const missing: string[] = [];
  const hostLost =
    proxy.block.kind === 'nginx'
      ? !has('host') && !has('x-forwarded-host')
      : carriedHost(proxy)?.from !== 'client' && dep.proxyFixes.length === 0;
  if (hostLost) missing.push('host');
  if (!has('x-forwarded-for')) missing.push('x-forwarded-for');
  if (!has('x-forwarded-proto') && (proxy.block.tls || needsScheme)) missing.push('x-forwarded-proto');
  return missing;
}

/** Secure cookies (Flask's or Express's), an https URL scheme or a ProxyFix reading it all rely on knowing the scheme. */
function appNeedsScheme(project: Project, dep: Deployment): boolean {
  // ProxyFix reads X-Forwarded-Proto unless told x_proto=0 (its default is 1).
  if (dep.proxyFixes.some((f) => (f.use.counts.x_proto?.value ?? 1) > 0)) return true;
  // express-session decides whether to send a secure cookie from X-Forwarded-Proto.
  if (
    expressModel(project).sessions.some(
      (s) => s.call.library !== 'cookie-parser' && ['always', 'auto'].includes(secureSetting(s)),
    )
  )
    return true;
  // Django with SECURE_PROXY_SSL_HEADER reads the scheme from X-Forwarded-Proto.
  if (djangoSettings(project).some((r) => r.role === 'production' && effectiveSetting(r, 'SECURE_PROXY_SSL_HEADER')))
    return true;
  return flaskConfig(project).sites.some(
    ({ site }) =>
      (site.key === 'SESSION_COOKIE_SECURE' && site.value.kind === 'boolean' && site.value.value) ||
      (site.key === 'PREFERRED_URL_SCHEME' && site.value.kind === 'literal' && site.value.value === 'https'),
  );
}

/** The fix in the front-end's own file and syntax. */
function frontFixes(proxy: AppProxy, missing: string[], label: string): Fix[] {
  const { file, block } = proxy;
  const effect = `changes the headers ${proxyName(proxy)} sends the app`;
  if (block.kind === 'nginx') {
    // Adding the first own header drops the inherited ones: repeat them.
    const keep = block.own.length === 0 ? block.inherited.map((h) => ({ name: h.name, value: h.value })) : [];
    const add = missing.map((name) => ({ name, value: HEADER_VALUES[name] }));
    const change = addNginxHeaders(file, block, [...keep, ...add]);
    return [{ title: `Add proxy_set_header ${label}`, safety: 'unsafe', effect, changes: [change] }];
  }
  if (block.kind === 'caddy') {
    // Caddy sends them all unless a `header_up` line changes or removes them: remove that line.
    const lines = (block.overrides ?? []).filter((h) => missing.includes(h.name));
    if (lines.length === 0) return [];
    const edits = lines.map((h) => wholeLines(file.text, h.span));
    return [
      {
        title: `Remove the header_up lines that drop ${label}`,
        safety: 'unsafe',
        effect,
        changes: [{ path: file.path, edits }],
      },
    ];
  }
  const eol = detectEol(file.text);
  const lines = missing.map((name) =>
    name === 'host'
      ? 'ProxyPreserveHost On'
      : name === 'x-forwarded-proto'
        ? `RequestHeader set X-Forwarded-Proto ${block.tls ? '"https"' : 'expr=%{REQUEST_SCHEME}'}`
        : 'ProxyAddHeaders On',
  );
  const newText = lines.map((l) => `${eol}${block.indent}${l}`).join('');
  return [
    {
      title: `Add ${lines.map((l) => l.split(' ').slice(0, 2).join(' ')).join(', ')}`,
      safety: 'unsafe',
      effect,
      changes: [{ path: file.path, edits: [{ start: block.insertAt, end: block.insertAt, newText }] }],
    },
  ];
}

/** The edit that deletes the lines a span covers, line break included. */
function wholeLines(text: string, span: Span): TextEdit {
  const lines = lineSpan(text, span);
  return { start: lines.start, end: Math.min(lines.end + 1, text.length), newText: '' };
}

function describe(missing: string[]): string {
  const parts = missing.map((m) => (m === 'host' ? 'host' : m === 'x-forwarded-for' ? 'address' : 'scheme (https)'));
  return parts.length === 1 ? parts[0] : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}
