import { servedHosts, settingSites } from '../cookies';
import { projectVersion, versionAtLeast } from '../deployment';
import { flaskConfig } from '../flask-config';
import { insertStatementEdit } from '../fixes/environment';
import type { Rule } from './rule';

export const rule: Rule = {
  id: 'SL203',
  name: 'cookie-domain-needed',
  summary: 'Sessions must span subdomains but the cookie is host-only',
  defaultSeverity: 'warning',
  docs: {
    whatItDoes:
      'Flags an app with no cookie domain (no `SESSION_COOKIE_DOMAIN`, and on Flask before 2.3 no `SERVER_NAME`) only where that breaks sessions: the app routes by subdomain (`subdomain_matching=True`, `subdomain=`), or nginx serves it under several names of one parent domain (`example.com` and `www.example.com`). The second case is reported as information, since only you know whether those hosts should share a login. Everywhere else an unset domain is right.',
    whyIsThisBad:
      'An unset cookie domain makes the session cookie host-only. That is the safe default, and most linters are wrong to ask for a domain everywhere. But a login on `example.com` is then not seen on `shop.example.com` or `www.example.com`, so users who cross between them are logged out.',
    example: {
      'app.py':
        'from flask import Flask\n\napp = Flask(__name__, subdomain_matching=True)\napp.config["SERVER_NAME"] = "example.com"\n',
      'requirements.txt': 'flask==3.1.0\n',
    },
    useInstead: {
      'app.py':
        'from flask import Flask\n\napp = Flask(__name__, subdomain_matching=True)\napp.config["SERVER_NAME"] = "example.com"\napp.config["SESSION_COOKIE_DOMAIN"] = "example.com"\n',
      'requirements.txt': 'flask==3.1.0\n',
    },
    fixSafety:
      'Unsafe: the cookie then goes to every subdomain of the domain. The fix sets `SESSION_COOKIE_DOMAIN` to the common parent right after the app is created. Browsers that hold a host-only cookie then send two session cookies until it expires.',
    references: [
      'https://flask.palletsprojects.com/en/stable/config/#SESSION_COOKIE_DOMAIN',
      'https://flask.palletsprojects.com/en/stable/changes/#version-2-3-0',
    ],
  },
  check(ctx) {
    if (settingSites(ctx.project, 'SESSION_COOKIE_DOMAIN').length > 0) return;
    if (
      !versionAtLeast(projectVersion(ctx.project, 'flask'), '2.3') &&
      settingSites(ctx.project, 'SERVER_NAME').length > 0
    )
      return;
    const config = flaskConfig(ctx.project);
    const subdomains = [...ctx.project.all()]
      .filter((f) => !f.isTest)
      .flatMap((f) => (f.python?.subdomains ?? []).map((span) => ({ file: f, span })));
    const hosts = servedHosts(ctx.project);
    const parent = commonParent(hosts.map((h) => h.name));
    if (subdomains.length === 0 && !(hosts.length >= 2 && parent)) return;
    const serverName = settingSites(ctx.project, 'SERVER_NAME')[0]?.site.value;
    const domain = parent ?? (serverName?.kind === 'literal' ? serverName.value?.replace(/:\d+$/, '') : undefined);
    for (const { file, app } of config.apps) {
      const why =
        subdomains.length > 0
          ? 'the app routes by subdomain'
          : `${hosts[0].via} serves it as ${hosts.map((h) => h.name).join(' and ')}`;
      ctx.report({
        path: file.path,
        span: app.span,
        message: `No SESSION_COOKIE_DOMAIN: users are logged out between hosts, since the session cookie is host-only but ${why}.`,
        note: subdomains.length === 0,
        related: [
          ...subdomains.map((s) => ({ path: s.file.path, span: s.span, message: 'Routes by subdomain' })),
          ...hosts.map((h) => ({ path: h.path, span: h.span, message: `${h.via} serves ${h.name}` })),
        ],
        fixes:
          domain && app.target
            ? () => [
                {
                  title: `Share the session cookie with every subdomain of ${domain}`,
                  safety: 'unsafe',
                  effect: 'the cookie then goes to every subdomain',
                  changes: [
                    {
                      path: file.path,
                      edits: [
                        insertStatementEdit(
                          file,
                          app.statementEnd,
                          app.indent,
                          `${app.target}.config["SESSION_COOKIE_DOMAIN"] = "${domain}"`,
                        ),
                      ],
                    },
                  ],
                },
              ]
            : undefined,
      });
    }
  },
};

/** The parent domain several hosts share (`shop.example.com`, `example.com` -> `example.com`). */
function commonParent(hosts: string[]): string | undefined {
  const unique = [...new Set(hosts)];
  if (unique.length < 2) return undefined;
  const split = unique.map((h) => h.split('.').reverse());
  const common: string[] = [];
  for (let i = 0; split.every((p) => p[i] !== undefined && p[i] === split[0][i]); i++) common.push(split[0][i]);
  return common.length >= 2 ? common.reverse().join('.') : undefined;
}
