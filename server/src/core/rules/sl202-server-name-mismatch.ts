import { settingSites } from '../cookies';
import {
  carriedHost,
  deployment,
  describeVersion,
  projectVersion,
  proxyName,
  versionAtLeast,
  versionRelated,
} from '../deployment';
import type { Rule, RuleContext } from './rule';
import { checkDjangoAllowedHosts } from './django/hosts';

export const rule: Rule = {
  id: 'SL202',
  name: 'server-name-mismatch',
  summary: 'SERVER_NAME differs from the Host the requests carry',
  defaultSeverity: 'error',
  docs: {
    whatItDoes:
      "Compares `SERVER_NAME` with the host the requests actually carry: the `server_name` of the nginx server that proxies to the app, or the upstream address when nginx does not forward `Host`. Before Flask 3.1 a mismatch is an error. On Flask 3.1 and later the rule only notes what `SERVER_NAME` still does. With no proxy in the repository, a `SERVER_NAME` that is `localhost`, an IP address or a name with a port, in configuration production reaches, is an error before Flask 3.1: every request by the site's public name gets 404. In Django it checks `ALLOWED_HOSTS` the same way: the names nginx forwards (or the upstream name it sends when it forwards no `Host`) must be allowed, or every such request answers 400 Bad Request.",
    whyIsThisBad:
      "Before Flask 3.1, when `SERVER_NAME` is set and differs from the request's `Host`, routing matches nothing and every route answers 404. This happens behind a proxy that does not forward `Host` (nginx sends the upstream's name by default) or when the app is reached by IP. Since 3.1, `SERVER_NAME` no longer restricts routing. It is still used by `url_for(..., _external=True)` outside a request and for subdomain matching, and `TRUSTED_HOSTS` is the setting that rejects other hosts.",
    example: {
      'app.py': 'from flask import Flask\n\napp = Flask(__name__)\napp.config["SERVER_NAME"] = "shop.example.com"\n',
      'requirements.txt': 'flask==2.3.3\n',
      'nginx/app.conf':
        'server {\n    listen 80;\n    server_name shop.example.com;\n    location / {\n        proxy_pass http://127.0.0.1:8080;\n        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n    }\n}\n',
    },
    useInstead: {
      'app.py': 'from flask import Flask\n\napp = Flask(__name__)\napp.config["SERVER_NAME"] = "shop.example.com"\n',
      'requirements.txt': 'flask==2.3.3\n',
      'nginx/app.conf':
        'server {\n    listen 80;\n    server_name shop.example.com;\n    location / {\n        proxy_pass http://127.0.0.1:8080;\n        proxy_set_header Host $host;\n        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n    }\n}\n',
    },
    fixSafety:
      'No automatic fix: either nginx should forward `Host $host`, or `SERVER_NAME` should be the public name, or unset.',
    references: [
      'https://flask.palletsprojects.com/en/stable/config/#SERVER_NAME',
      'https://flask.palletsprojects.com/en/stable/changes/#version-3-1-0',
    ],
  },
  check(ctx) {
    checkDjangoAllowedHosts(ctx);
    const dep = deployment(ctx.project);
    const flask = projectVersion(ctx.project, 'flask');
    const routing = !versionAtLeast(flask, '3.1');
    if (dep.proxies.length === 0) {
      // No proxy in the repository: a SERVER_NAME that no public request carries as its Host
      // (localhost, an IP, a name with a port) answers 404 to every other host name.
      if (routing) reportLocalServerName(ctx, flask);
      return;
    }
    for (const { file, site, envs } of settingSites(ctx.project, 'SERVER_NAME')) {
      if (!envs.has('production') || site.value.kind !== 'literal' || !site.value.value) continue;
      const name = site.value.value.toLowerCase();
      for (const proxy of dep.proxies) {
        if (!proxy.known) continue;
        const host = carriedHost(proxy);
        let carried: string | undefined;
        if (host?.from === 'upstream') carried = /^[a-z0-9+]+:\/\/([^/]+)/i.exec(proxy.block.proxyPass.value)?.[1];
        else if (host?.from === 'client') {
          const names = proxy.block.serverNames.map((n) => n.value.toLowerCase()).filter((n) => n !== '_');
          if (names.length > 0 && !names.includes(name) && !names.includes(name.replace(/:\d+$/, '')))
            carried = names[0];
        }
        if (!carried) continue;
        const front = proxyName(proxy);
        ctx.report({
          path: file.path,
          span: site.value.span,
          message: routing
            ? `SERVER_NAME differs from the Host requests carry through ${front}: every route answers 404 (Host ${carried}, ${describeVersion(ctx.project, flask)}).`
            : `SERVER_NAME differs from the Host requests carry through ${front}: url_for(_external=True) outside a request and subdomain matching use the wrong name (Host ${carried}; routing is unaffected on ${describeVersion(ctx.project, flask)}).`,
          note: !routing,
          related: [
            {
              path: proxy.file.path,
              span: host?.header?.span ?? proxy.block.proxyPass.span,
              message:
                host?.from === 'client'
                  ? `${front} forwards this Host`
                  : `${front} forwards the upstream's name as the Host`,
            },
            ...versionRelated(flask),
          ],
        });
        break;
      }
    }
  },
};

/** localhost, a loopback or other IP address, or any name with a port. */
const LOCAL_SERVER_NAME = /^(localhost|127\.\d+\.\d+\.\d+|\d+\.\d+\.\d+\.\d+|\[[0-9a-f:]+\])(:\d+)?$|:\d+$/i;

function reportLocalServerName(ctx: RuleContext, flask: ReturnType<typeof projectVersion>): void {
  for (const { file, site, envs } of settingSites(ctx.project, 'SERVER_NAME')) {
    if (!envs.has('production') || site.value.kind !== 'literal' || !site.value.value) continue;
    if (!LOCAL_SERVER_NAME.test(site.value.value)) continue;
    ctx.report({
      path: file.path,
      span: site.value.span,
      message: `SERVER_NAME is a local address or has a port: every request by another host name answers 404 (${describeVersion(ctx.project, flask)}).`,
      related: versionRelated(flask),
    });
  }
}
