import type { ServedHost } from '../cookies';
import { describeVersion, deployment, projectVersion, proxyName, versionAtLeast, type AppProxy } from '../deployment';
import { djangoSettings, effectiveSetting } from '../django';
import type { SettingValue } from '../facts/python-model';
import { appendLine } from '../fixes/edits';
import type { Rule } from './rule';
import { PROXY_SSL_HEADER, serverTrustsProxy } from './django/proxy';

export const rule: Rule = {
  id: 'SL204',
  name: 'csrf-origin-mismatch',
  summary: "Django's CSRF Origin check fails behind the proxy: every POST is refused",
  defaultSeverity: 'error',
  docs: {
    whatItDoes:
      'On Django 4.0 and later, flags an nginx server that ends TLS in front of a Django project whose production settings neither read the scheme from the proxy (`SECURE_PROXY_SSL_HEADER`, or a gunicorn/waitress that trusts the proxy) nor list the public origin in `CSRF_TRUSTED_ORIGINS`. It also flags `CSRF_TRUSTED_ORIGINS` entries without a scheme (Django 4.0 requires one) and the wildcard `"https://*"`, which matches nothing.',
    whyIsThisBad:
      'Since Django 4.0 the CSRF check compares the browser\'s `Origin` header (`https://shop.example.com`) with the scheme and host Django computes for the request. Behind a proxy that ends TLS, Django sees plain HTTP and computes `http://shop.example.com`, so every POST (log-in forms, the admin) fails with 403 "Origin checking failed - https://shop.example.com does not match any trusted origins."',
    example: {
      'shop/settings.py':
        'import os\n\nSECRET_KEY = os.environ["DJANGO_SECRET_KEY"]\nALLOWED_HOSTS = ["shop.example.com"]\nINSTALLED_APPS = ["django.contrib.sessions"]\n',
      'nginx/shop.conf':
        'server {\n    listen 443 ssl;\n    server_name shop.example.com;\n    location / {\n        proxy_pass http://127.0.0.1:8000;\n        proxy_set_header Host $host;\n        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n        proxy_set_header X-Forwarded-Proto $scheme;\n    }\n}\n',
    },
    useInstead: {
      'shop/settings.py':
        'import os\n\nSECRET_KEY = os.environ["DJANGO_SECRET_KEY"]\nALLOWED_HOSTS = ["shop.example.com"]\nINSTALLED_APPS = ["django.contrib.sessions"]\nSECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")\n',
      'nginx/shop.conf':
        'server {\n    listen 443 ssl;\n    server_name shop.example.com;\n    location / {\n        proxy_pass http://127.0.0.1:8000;\n        proxy_set_header Host $host;\n        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n        proxy_set_header X-Forwarded-Proto $scheme;\n    }\n}\n',
    },
    fixSafety:
      'Unsafe: the fix adds `SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")` to the settings module, so Django then trusts X-Forwarded-Proto; the proxy must set it on every request (nginx: `proxy_set_header X-Forwarded-Proto $scheme;`), and clients must not reach Django directly.',
    references: [
      'https://docs.djangoproject.com/en/stable/ref/settings/#csrf-trusted-origins',
      'https://docs.djangoproject.com/en/stable/ref/settings/#secure-proxy-ssl-header',
      'https://docs.djangoproject.com/en/stable/releases/4.0/#csrf-trusted-origins-changes',
    ],
  },
  check(ctx) {
    const roots = djangoSettings(ctx.project).filter((r) => r.role === 'production');
    if (roots.length === 0) return;
    const django = projectVersion(ctx.project, 'django');
    const dep = deployment(ctx.project);
    const serverTrusts = serverTrustsProxy(dep);
    const tlsHosts = tlsHostsOf(dep.proxies);
    for (const root of roots) {
      const origins = effectiveSetting(root, 'CSRF_TRUSTED_ORIGINS');
      const entries = origins ? literalItems(origins.site.value) : [];
      if (origins && versionAtLeast(django, '4.0')) {
        for (const entry of entries) {
          const problem =
            entry.value === 'https://*' || entry.value === 'http://*'
              ? 'matches no origin (a wildcard needs a domain: "https://*.example.com")'
              : !/^[a-z][a-z0-9+.-]*:\/\//i.test(entry.value)
                ? `has no scheme: ${describeVersion(ctx.project, django)} compares whole origins, so write "https://${entry.value.replace(/^\*?\.?/, '')}"`
                : undefined;
          if (problem)
            ctx.report({
              path: origins.file.path,
              span: entry.span,
              message: `The CSRF_TRUSTED_ORIGINS entry ${problem}; POSTs from that origin fail with "Origin checking failed".`,
            });
        }
      }
      if (!versionAtLeast(django, '4.0') || serverTrusts || effectiveSetting(root, 'SECURE_PROXY_SSL_HEADER')) continue;
      for (const host of tlsHosts) {
        const origin = `https://${host.name}`;
        if (
          entries.some(
            (e) => e.value === origin || (e.value.startsWith('https://*.') && host.name.endsWith(e.value.slice(9))),
          )
        )
          continue;
        ctx.report({
          path: host.path,
          span: host.span,
          message: `Every POST from ${origin} fails with "Origin checking failed": ${host.via} ends TLS, so Django takes the request for http://${host.name}, and neither SECURE_PROXY_SSL_HEADER nor CSRF_TRUSTED_ORIGINS in ${ctx.project.relative(root.file.path)} says otherwise.`,
          related: [{ path: root.file.path, span: { start: 0, end: 0 }, message: 'The settings Django runs' }],
          fixes: () => [
            {
              title: `Read the scheme from X-Forwarded-Proto in ${ctx.project.relative(root.file.path)} (SECURE_PROXY_SSL_HEADER)`,
              safety: 'unsafe',
              effect: 'Django then trusts X-Forwarded-Proto: the proxy must set it on every request',
              changes: [{ path: root.file.path, edits: [appendLine(root.file.text, PROXY_SSL_HEADER)] }],
            },
          ],
        });
      }
    }
  },
};

/** The exact names the proxies serve over TLS in front of the app, once each. */
function tlsHostsOf(proxies: AppProxy[]): ServedHost[] {
  const seen = new Set<string>();
  const out: ServedHost[] = [];
  for (const proxy of proxies) {
    if (!proxy.block.tls) continue;
    for (const n of proxy.block.serverNames) {
      const name = n.value.toLowerCase();
      if (!/^[a-z0-9.-]+\.[a-z0-9-]+$/.test(name) || seen.has(name)) continue;
      seen.add(name);
      out.push({ name, path: proxy.file.path, span: n.span, via: proxyName(proxy) });
    }
  }
  return out;
}

function literalItems(value: SettingValue): { value: string; span: { start: number; end: number } }[] {
  if (value.kind === 'list') return value.items.flatMap(literalItems);
  return value.kind === 'literal' && value.value !== undefined ? [{ value: value.value, span: value.span }] : [];
}
