import { deployment } from '../deployment';
import { checkUwsgiPassProto } from './wsgi/uwsgi';
import { replaceNginxHeader } from '../fixes/nginx-headers';
import type { Rule } from './rule';

export const rule: Rule = {
  id: 'SL503',
  name: 'forwarded-proto-from-client',
  summary: "nginx passes the client's own X-Forwarded-Proto to the app",
  defaultSeverity: 'warning',
  docs: {
    whatItDoes:
      'Flags `proxy_set_header X-Forwarded-Proto $http_x_forwarded_proto;` in an nginx server that terminates TLS (`listen ... ssl` or `ssl_certificate`), and a plain-HTTP `uwsgi_pass` block that does not set `uwsgi_param HTTP_X_FORWARDED_PROTO`: nginx hands uWSGI every request header as an `HTTP_*` variable, and uWSGI takes `X-Forwarded-Proto` (and `X-Forwarded-SSL`) for the scheme. The fix for uWSGI adds `uwsgi_param HTTP_X_FORWARDED_PROTO $scheme;` and `uwsgi_param HTTP_X_FORWARDED_SSL "";`, which replace the client\'s headers.',
    whyIsThisBad:
      "`$http_x_forwarded_proto` is whatever the client sent in that header. At the hop that terminates TLS, nginx itself knows the scheme, `$scheme`. Forwarding the client's value lets anyone claim `https` over plain HTTP (or `http` over HTTPS), and the app trusts it for secure cookies and redirects. Passing the header on is only right behind another proxy that sets it.",
    example: {
      'app.py': 'from flask import Flask\n\napp = Flask(__name__)\n',
      'nginx/app.conf':
        'server {\n    listen 443 ssl;\n    ssl_certificate /etc/ssl/shop.pem;\n    location / {\n        proxy_pass http://127.0.0.1:8080;\n        proxy_set_header Host $host;\n        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n        proxy_set_header X-Forwarded-Proto $http_x_forwarded_proto;\n    }\n}\n',
    },
    useInstead: {
      'app.py': 'from flask import Flask\n\napp = Flask(__name__)\n',
      'nginx/app.conf':
        'server {\n    listen 443 ssl;\n    ssl_certificate /etc/ssl/shop.pem;\n    location / {\n        proxy_pass http://127.0.0.1:8080;\n        proxy_set_header Host $host;\n        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n        proxy_set_header X-Forwarded-Proto $scheme;\n    }\n}\n',
    },
    fixSafety:
      'Unsafe: requests that claimed a scheme now get the real one. The fix replaces the value with `$scheme`.',
    references: [
      'https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_set_header',
      'https://nginx.org/en/docs/http/ngx_http_core_module.html#var_scheme',
    ],
  },
  check(ctx) {
    checkUwsgiPassProto(ctx);
    for (const proxy of deployment(ctx.project).proxies) {
      if (!proxy.block.tls) continue;
      const header = proxy.headers.get('x-forwarded-proto');
      if (!header?.value.includes('$http_x_forwarded_proto')) continue;
      // An included file's header points at the include; only a header written here can be rewritten.
      const inBlock = [...proxy.block.own, ...proxy.block.inherited].some((h) => h.span.start === header.span.start);
      ctx.report({
        path: proxy.file.path,
        span: header.span,
        message: `X-Forwarded-Proto is passed on from the client behind TLS: any client can claim https ($http_x_forwarded_proto).`,
        fixes: inBlock
          ? () => [
              {
                title: 'Send X-Forwarded-Proto $scheme',
                safety: 'unsafe',
                effect: 'changes the headers nginx sends the app',
                changes: [replaceNginxHeader(proxy.file, header.span, 'x-forwarded-proto', '$scheme')],
              },
            ]
          : undefined,
      });
    }
  },
};
