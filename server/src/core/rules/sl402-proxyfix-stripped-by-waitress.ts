import {
  deployment,
  describeVersion,
  projectVersion,
  trustSettings,
  versionAtLeast,
  versionRelated,
} from '../deployment';
import { addServerSettings } from '../fixes/server-settings';
import type { Rule } from './rule';

export const rule: Rule = {
  id: 'SL402',
  name: 'proxyfix-stripped-by-waitress',
  summary: 'ProxyFix behind waitress 3 without trusted_proxy never sees the forwarded headers',
  defaultSeverity: 'error',
  docs: {
    whatItDoes:
      "Flags a waitress server (version 3.0 or later, as the project pins it) without `trusted_proxy` in a project whose app relies on werkzeug's `ProxyFix`.",
    whyIsThisBad:
      "Since waitress 3.0 `clear_untrusted_proxy_headers` defaults to true: without `trusted_proxy`, waitress deletes every `Forwarded` and `X-Forwarded-*` header before the app runs. `ProxyFix` then has nothing to read and silently does nothing. The app sees plain HTTP from the proxy's address, so `Secure` session cookies, `url_for(..., _external=True)` and redirects all go wrong. This is the usual answer to \"why aren't Flask sessions being set up with waitress\". The fix belongs in waitress's settings, not in the app.",
    example: {
      'app.py':
        'from flask import Flask\nfrom werkzeug.middleware.proxy_fix import ProxyFix\n\napp = Flask(__name__)\napp.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1)\n',
      'serve.py': 'from waitress import serve\n\nfrom app import app\n\nserve(app, host="127.0.0.1", port=8080)\n',
      'requirements.txt': 'flask==3.1.0\nwaitress==3.0.2\n',
    },
    useInstead: {
      'app.py': 'from flask import Flask\n\napp = Flask(__name__)\n',
      'serve.py':
        'from waitress import serve\n\nfrom app import app\n\nserve(app, host="127.0.0.1", port=8080, trusted_proxy="127.0.0.1", trusted_proxy_headers="x-forwarded-for x-forwarded-proto")\n',
      'requirements.txt': 'flask==3.1.0\nwaitress==3.0.2\n',
    },
    fixSafety:
      'Unsafe: it changes what the app sees. The fix adds `trusted_proxy` and `trusted_proxy_headers` to waitress, matching the headers the proxy sets. Once waitress applies them itself, `ProxyFix` is redundant; keeping both is harmless only if the counts match the proxies in front.',
    references: [
      'https://docs.pylonsproject.org/projects/waitress/en/stable/arguments.html',
      'https://docs.pylonsproject.org/projects/waitress/en/stable/reverse-proxy.html',
      'https://werkzeug.palletsprojects.com/en/stable/middleware/proxy_fix/',
    ],
  },
  check(ctx) {
    const dep = deployment(ctx.project);
    if (dep.proxyFixes.length === 0) return;
    const waitress = projectVersion(ctx.project, 'waitress');
    if (!versionAtLeast(waitress, '3.0')) return;
    for (const { file, run } of dep.servers) {
      if (
        run.server !== 'waitress' ||
        run.settings.trusted_proxy ||
        run.settings.clear_untrusted_proxy_headers?.value.toLowerCase() === 'false'
      )
        continue;
      const proxyFix = dep.proxyFixes[0];
      ctx.report({
        path: file.path,
        span: run.span,
        message: `waitress deletes the X-Forwarded-* headers before ProxyFix sees them: the app sees plain HTTP (${describeVersion(ctx.project, waitress)}, no trusted_proxy; ProxyFix in ${ctx.project.relative(proxyFix.file.path)}).`,
        related: [
          {
            path: proxyFix.file.path,
            span: proxyFix.use.span,
            message: 'ProxyFix is applied here, but waitress removes its headers first',
          },
          ...versionRelated(waitress),
        ],
        fixes: () => {
          const settings = trustSettings(dep, run) ?? [
            ['trusted_proxy', '127.0.0.1'],
            ['trusted_proxy_headers', 'x-forwarded-for x-forwarded-proto'],
          ];
          const change = addServerSettings(file, run, settings);
          return change
            ? [
                {
                  title: `Trust the proxy in waitress (${settings.map(([k, v]) => `${k}=${v}`).join(', ')})`,
                  safety: 'unsafe',
                  effect: 'the app then believes the forwarded headers from the proxy',
                  changes: [change],
                },
              ]
            : [];
        },
      });
    }
  },
};
