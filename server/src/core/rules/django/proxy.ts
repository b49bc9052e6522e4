import { deployment, directlyReachable, proxyRelated, type Deployment } from '../../deployment';
import { djangoSettings, effectiveSetting } from '../../django';
import { insertStatementEdit } from '../../fixes/environment';
import type { ServerRun } from '../../facts/deploy-model';
import type { RuleContext } from '../rule';

/** The setting Django reads the scheme from behind a proxy, as its docs write it. */
export const PROXY_SSL_HEADER = 'SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")';

/** Whether every production settings module Django runs sets SECURE_PROXY_SSL_HEADER. */
export function djangoReadsProxyHeader(ctx: RuleContext): boolean {
  const roots = djangoSettings(ctx.project).filter((r) => r.role === 'production');
  return roots.length > 0 && roots.every((r) => effectiveSetting(r, 'SECURE_PROXY_SSL_HEADER') !== undefined);
}

/** A proxy that ends TLS in front: an nginx `listen ... ssl` block, or a platform's router. */
function tlsProxyInFront(dep: Deployment): boolean {
  return dep.proxies.some((p) => p.block.tls) || dep.servers.some((s) => s.run.platformRouted);
}

/**
 * The server passes the proxy's scheme on itself (gunicorn `forwarded_allow_ips`, waitress
 * `trusted_proxy`, uWSGI always): Django then sees https in `wsgi.url_scheme` without
 * SECURE_PROXY_SSL_HEADER.
 */
export function serverTrustsProxy(dep: Deployment): boolean {
  const trusts = ({ run }: { run: ServerRun }) =>
    run.server === 'uwsgi' ||
    (run.server === 'gunicorn' ? !!run.settings.forwarded_allow_ips : !!run.settings.trusted_proxy);
  return dep.servers.length > 0 && dep.servers.every(trusts);
}

/**
 * SL401 for Django: SECURE_SSL_REDIRECT behind a proxy that ends TLS, while neither
 * SECURE_PROXY_SSL_HEADER nor the server tells Django the request was HTTPS: every request is
 * redirected to HTTPS, which arrives as HTTP again, forever.
 */
export function checkDjangoRedirectLoop(ctx: RuleContext): void {
  const dep = deployment(ctx.project);
  if (!tlsProxyInFront(dep) || serverTrustsProxy(dep)) return;
  for (const root of djangoSettings(ctx.project)) {
    if (root.role !== 'production' || effectiveSetting(root, 'SECURE_PROXY_SSL_HEADER')) continue;
    const redirect = effectiveSetting(root, 'SECURE_SSL_REDIRECT');
    if (redirect?.site.value.kind !== 'boolean' || !redirect.site.value.value) continue;
    const { file, site } = redirect;
    const statement = site.statement;
    ctx.report({
      path: file.path,
      span: site.value.span,
      message:
        'SECURE_SSL_REDIRECT redirects forever behind the proxy that ends TLS: Django sees plain HTTP from it and no SECURE_PROXY_SSL_HEADER says the request was HTTPS (ERR_TOO_MANY_REDIRECTS).',
      related: proxyRelated(ctx.project, dep),
      fixes: statement
        ? () => [
            {
              title: 'Read the scheme from X-Forwarded-Proto (SECURE_PROXY_SSL_HEADER)',
              safety: 'unsafe',
              effect: 'Django then trusts X-Forwarded-Proto: the proxy must set it on every request',
              changes: [
                {
                  path: file.path,
                  edits: [insertStatementEdit(file, statement.end, statement.indent, PROXY_SSL_HEADER)],
                },
              ],
            },
          ]
        : undefined,
    });
  }
}

/**
 * SL404 for Django: `USE_X_FORWARDED_HOST = True` with `ALLOWED_HOSTS = ["*"]`. Django then
 * takes the host from X-Forwarded-Host, and accepts any: a client chooses the host of every
 * absolute URL Django builds, password-reset links among them.
 */
export function checkDjangoForwardedHost(ctx: RuleContext): void {
  const seen = new Set<string>();
  for (const root of djangoSettings(ctx.project)) {
    if (root.role === 'test') continue;
    const forwarded = effectiveSetting(root, 'USE_X_FORWARDED_HOST');
    const hosts = effectiveSetting(root, 'ALLOWED_HOSTS');
    if (forwarded?.site.value.kind !== 'boolean' || !forwarded.site.value.value || !hosts) continue;
    const items = hosts.site.value.kind === 'list' ? hosts.site.value.items : [hosts.site.value];
    if (!items.some((i) => i.kind === 'literal' && i.value === '*')) continue;
    const id = `${forwarded.file.path}:${forwarded.site.value.span.start}`;
    if (seen.has(id)) continue;
    seen.add(id);
    ctx.report({
      path: forwarded.file.path,
      span: forwarded.site.value.span,
      message:
        'USE_X_FORWARDED_HOST with ALLOWED_HOSTS = ["*"]: any client chooses the host Django builds absolute URLs with, password-reset links among them.',
      lowered: root.role === 'development',
    });
  }
}

/**
 * SL404 for Django: SECURE_PROXY_SSL_HEADER while the server's port is reachable without the
 * proxy. Django then believes any client's `X-Forwarded-Proto: https` (Django's docs: the
 * proxy must strip it, and nothing else may reach the app).
 */
export function checkDjangoProxyHeaderReachable(ctx: RuleContext): void {
  const dep = deployment(ctx.project);
  const exposed = dep.servers.find((s) => directlyReachable(dep, s.run));
  if (!exposed) return;
  const seen = new Set<string>();
  for (const root of djangoSettings(ctx.project)) {
    const header = root.role === 'production' ? effectiveSetting(root, 'SECURE_PROXY_SSL_HEADER') : undefined;
    if (!header || seen.has(header.file.path)) continue;
    seen.add(header.file.path);
    ctx.report({
      path: header.file.path,
      span: header.site.value.span,
      message: `SECURE_PROXY_SSL_HEADER while ${exposed.run.server} in ${ctx.project.relative(exposed.file.path)} is reachable without the proxy: any client that sends X-Forwarded-Proto: https is taken for HTTPS.`,
      related: [
        {
          path: exposed.file.path,
          span: exposed.run.span,
          message: `${exposed.run.server} listens on every interface here`,
        },
      ],
    });
  }
}
