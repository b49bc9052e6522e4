import { deployment, droppedHeaders } from '../deployment';
import { addNginxHeaders, HEADER_NAMES } from '../fixes/nginx-headers';
import type { Rule } from './rule';

export const rule: Rule = {
  id: 'SL502',
  name: 'proxy-header-inheritance-lost',
  summary: 'A nested block with its own proxy_set_header silently drops the outer ones',
  defaultSeverity: 'warning',
  docs: {
    whatItDoes:
      'Flags an nginx block that proxies to the app and sets some `proxy_set_header` of its own while an enclosing block (`server` or `http`) sets others.',
    whyIsThisBad:
      'nginx inherits `proxy_set_header` directives from the outer level only if the inner level defines none. One `proxy_set_header` in a `location` (often added for WebSockets or a single header) drops every one set at the server level. The app then silently loses `X-Forwarded-For`, `X-Forwarded-Proto` or `Host` for that location only.',
    example: {
      'app.py': 'from flask import Flask\n\napp = Flask(__name__)\n',
      'nginx/app.conf':
        'server {\n    listen 80;\n    proxy_set_header Host $host;\n    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n    location /ws {\n        proxy_pass http://127.0.0.1:8080;\n        proxy_set_header Upgrade $http_upgrade;\n    }\n}\n',
    },
    useInstead: {
      'app.py': 'from flask import Flask\n\napp = Flask(__name__)\n',
      'nginx/app.conf':
        'server {\n    listen 80;\n    proxy_set_header Host $host;\n    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n    location /ws {\n        proxy_pass http://127.0.0.1:8080;\n        proxy_set_header Upgrade $http_upgrade;\n        proxy_set_header Host $host;\n        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n    }\n}\n',
    },
    fixSafety:
      'Unsafe: the app receives headers again that this block did not send. The fix repeats the dropped outer headers inside the block.',
    references: ['https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_set_header'],
  },
  check(ctx) {
    for (const proxy of deployment(ctx.project).proxies) {
      const dropped = droppedHeaders(proxy.block);
      if (dropped.length === 0) continue;
      const names = dropped.map((h) => HEADER_NAMES[h.name] ?? h.name).join(', ');
      ctx.report({
        path: proxy.file.path,
        span: proxy.block.own[0].span,
        message: `This proxy_set_header drops the outer ${names} for ${proxy.block.label}: nginx inherits them only into blocks that set none.`,
        related: dropped.map((h) => ({
          path: proxy.file.path,
          span: h.span,
          message: `${HEADER_NAMES[h.name] ?? h.name} is set here but not inherited`,
        })),
        fixes: () => [
          {
            title: `Repeat ${names} in this block`,
            safety: 'unsafe',
            effect: 'changes the headers nginx sends the app',
            changes: [
              addNginxHeaders(
                proxy.file,
                proxy.block,
                dropped.map((h) => ({ name: h.name, value: h.value })),
              ),
            ],
          },
        ],
      });
    }
  },
};
