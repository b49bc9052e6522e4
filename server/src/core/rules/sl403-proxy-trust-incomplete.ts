import { deployment, forwardedHeadersSent, frontName, proxyRelated } from '../deployment';
import { PROXYFIX_DEFAULTS } from '../facts/python-model';
import { addServerSettings } from '../fixes/server-settings';
import type { Rule } from './rule';

export const rule: Rule = {
  id: 'SL403',
  name: 'proxy-trust-incomplete',
  summary: 'Proxy trust set up only in part: headers left untrusted or counts that do not match the proxies',
  defaultSeverity: 'warning',
  docs: {
    whatItDoes:
      'Flags waitress `trusted_proxy` without `trusted_proxy_headers`, and werkzeug `ProxyFix` counts that do not match the proxy in front: `x_host=0` while nginx sends the host only as `X-Forwarded-Host`, or a count higher than the number of proxies.',
    whyIsThisBad:
      "With `trusted_proxy` but no header list, waitress warns and trusts only `X-Forwarded-Proto`: the client address stays the proxy's. `ProxyFix` reads each header only as many hops deep as its count says. With `x_host=0` (the default) the app keeps the upstream `Host` nginx sent (`127.0.0.1:8080`), so external URLs and host checks are wrong. A count higher than the number of proxies lets a client prepend its own value and spoof the address or scheme.",
    example: {
      'app.py': 'from flask import Flask\n\napp = Flask(__name__)\n',
      'serve.py':
        'from waitress import serve\n\nfrom app import app\n\nserve(app, host="127.0.0.1", port=8080, trusted_proxy="127.0.0.1")\n',
    },
    useInstead: {
      'app.py': 'from flask import Flask\n\napp = Flask(__name__)\n',
      'serve.py':
        'from waitress import serve\n\nfrom app import app\n\nserve(app, host="127.0.0.1", port=8080, trusted_proxy="127.0.0.1", trusted_proxy_headers="x-forwarded-for x-forwarded-proto")\n',
    },
    fixSafety:
      'Unsafe: trusting more headers changes what the app sees. The fix adds `trusted_proxy_headers` with the X-Forwarded-* headers the proxy in front sets (`x-forwarded-for x-forwarded-proto` when no proxy configuration is found). ProxyFix counts are reported without a fix: the right number depends on the whole proxy chain.',
    references: [
      'https://docs.pylonsproject.org/projects/waitress/en/stable/arguments.html',
      'https://werkzeug.palletsprojects.com/en/stable/middleware/proxy_fix/',
    ],
  },
  check(ctx) {
    const dep = deployment(ctx.project);
    for (const { file, run } of dep.servers) {
      const trusted = run.settings.trusted_proxy;
      if (run.server !== 'waitress' || !trusted || run.settings.trusted_proxy_headers) continue;
      ctx.report({
        path: file.path,
        span: trusted.span,
        message: `trusted_proxy without trusted_proxy_headers: waitress trusts only X-Forwarded-Proto and the client address stays the proxy's.`,
        fixes: () => {
          const sent = forwardedHeadersSent(dep);
          const headers = (sent.length > 0 ? sent : ['x-forwarded-for', 'x-forwarded-proto']).join(' ');
          const change = addServerSettings(file, run, [['trusted_proxy_headers', headers]]);
          return change
            ? [
                {
                  title: `Trust the headers the proxy sets (trusted_proxy_headers=${headers})`,
                  safety: 'unsafe',
                  effect: 'the app then believes these headers from the proxy',
                  changes: [change],
                },
              ]
            : [];
        },
      });
    }
    if (dep.proxies.length === 0) return;
    const knownProxies = dep.proxies.filter((p) => p.known);
    for (const { file, use } of dep.proxyFixes) {
      const count = (name: keyof typeof PROXYFIX_DEFAULTS) => use.counts[name]?.value ?? PROXYFIX_DEFAULTS[name];
      const hostOnlyForwarded =
        knownProxies.length > 0 &&
        knownProxies.every((p) => !p.headers.has('host') && p.headers.has('x-forwarded-host'));
      if (count('x_host') === 0 && hostOnlyForwarded) {
        ctx.report({
          path: file.path,
          span: use.counts.x_host?.span ?? use.span,
          message: `ProxyFix has x_host=0: the app sees the upstream address as its host, since ${frontName(dep)} sends the client's host only as X-Forwarded-Host.`,
          related: proxyRelated(ctx.project, dep),
        });
      }
      for (const name of ['x_for', 'x_proto', 'x_host', 'x_port', 'x_prefix'] as const) {
        const c = use.counts[name];
        if (c && c.value > 1) {
          ctx.report({
            path: file.path,
            span: c.span,
            message: `ProxyFix has ${name}=${c.value} with one proxy in front: a client can prepend its own value and spoof it.`,
            related: proxyRelated(ctx.project, dep),
          });
        }
      }
    }
  },
};
