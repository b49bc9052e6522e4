import {
  describeVersion,
  deployment,
  inContext,
  launchContext,
  platformRunsImage,
  projectVersion,
  HEROKU_BUILDPACK_TRUST,
  proxyRelated,
  versionAtLeast,
} from '../../deployment';
import type { AsgiRun } from '../../facts/deploy-model';
import { addServerSettings } from '../../fixes/server-settings';
import { deployOf, type ProjectFile } from '../../project';
import type { RuleContext } from '../rule';

/**
 * Every uvicorn (or `fastapi run`) the project starts, outside test code, where it runs: a
 * Procfile's is behind the platform's router, as is a Dockerfile's that fly.toml or Cloud Run
 * runs or that listens on `$PORT`; another Dockerfile's runs as the compose service that builds it; a module's own
 * uvicorn.run() runs where the command that starts the module does.
 */
function asgiRuns(ctx: RuleContext): { file: ProjectFile; run: AsgiRun }[] {
  const imageRouted = platformRunsImage(ctx.project);
  return [...ctx.project.all()]
    .filter((f) => !f.isTest)
    .flatMap((file) =>
      (deployOf(file)?.asgiRuns ?? []).map((run) => {
        if (file.kind === 'procfile') return { file, run: { ...run, platformRouted: true } };
        if (file.kind === 'python') {
          const context = launchContext(ctx.project, file);
          return { file, run: context ? { ...run, ...context } : run };
        }
        return { file, run: inContext(ctx.project, file, run, imageRouted) };
      }),
    );
}

/**
 * SL401 for hypercorn: it reads no X-Forwarded-* header itself; behind a proxy the app must be
 * wrapped in `hypercorn.middleware.ProxyFixMiddleware` (hypercorn's "Proxy fix" docs).
 */
function checkHypercorn(ctx: RuleContext, file: ProjectFile, run: AsgiRun): void {
  const dep = deployment(ctx.project);
  const behind = run.platformRouted === true || (run.service !== undefined && dep.composeProxies.length > 0);
  if (!behind && dep.proxies.length === 0) return;
  const wrapped = [...ctx.project.all()].some((f) =>
    Object.values(f.python?.imports ?? {}).some(
      (b) => b.module === 'hypercorn.middleware' && b.name === 'ProxyFixMiddleware',
    ),
  );
  if (wrapped) return;
  ctx.report({
    path: file.path,
    span: run.span,
    message:
      'hypercorn reads no X-Forwarded-* header itself: behind the proxy in front the app sees http and the proxy\'s address unless it is wrapped in hypercorn\'s ProxyFixMiddleware (mode="legacy", trusted_hops=1).',
    related: proxyRelated(ctx.project, dep),
  });
}

const IP_OR_CIDR = /^(\d{1,3}(\.\d{1,3}){3}|[0-9a-f:]*:[0-9a-f:]*)(\/\d{1,3})?$/i;

/**
 * SL401 for uvicorn: it trusts X-Forwarded-Proto and -For only from 127.0.0.1 unless told
 * otherwise, so a proxy in another container, or a platform's router, is not believed.
 */
export function checkUvicornMissingTrust(ctx: RuleContext): void {
  const dep = deployment(ctx.project);
  for (const { file, run } of asgiRuns(ctx)) {
    if (run.server === 'hypercorn') {
      checkHypercorn(ctx, file, run);
      continue;
    }
    if (run.settings['forwarded-allow-ips'] || run.settings['no-proxy-headers']) continue;
    const platform = run.platformRouted === true;
    const container = run.service !== undefined && dep.composeProxies.length > 0;
    if (!platform && !container) continue;
    const proxy = platform ? "the platform's router" : 'the proxy container';
    // `*` is safe only where nothing but the proxy reaches the port: a platform's dyno, or a
    // compose service that publishes none.
    const private_ =
      platform || !dep.composeServices.some((c) => c.service.name === run.service && c.service.ports.length > 0);
    ctx.report({
      path: file.path,
      span: run.span,
      message: `${run.server === 'fastapi' ? 'fastapi run (uvicorn)' : 'uvicorn'} trusts X-Forwarded-Proto and -For only from 127.0.0.1, its default, but ${proxy} connects from another address: the app sees http and the proxy's address, so url_for builds http:// links and redirects downgrade${file.kind === 'procfile' ? ` (${HEROKU_BUILDPACK_TRUST})` : ''}.`,
      related: proxyRelated(ctx.project, dep),
      fixes: private_
        ? () => {
            const change = addServerSettings(file, run, [['forwarded_allow_ips', '*']]);
            return change
              ? [
                  {
                    title: 'Trust the proxy in uvicorn (--forwarded-allow-ips="*")',
                    safety: 'unsafe',
                    effect: 'the app then believes X-Forwarded-For and -Proto from any peer that reaches its port',
                    changes: [change],
                  },
                ]
              : [];
          }
        : undefined,
    });
  }
}

/** SL404 for uvicorn: `*` on a port clients reach directly, names it can never match, CIDR before 0.31. */
export function checkUvicornOverTrust(ctx: RuleContext): void {
  const dep = deployment(ctx.project);
  const uvicorn = projectVersion(ctx.project, 'uvicorn');
  for (const { file, run } of asgiRuns(ctx)) {
    if (run.server === 'hypercorn') continue;
    const allowed = run.settings['forwarded-allow-ips'];
    if (!allowed) continue;
    const entries = allowed.value
      .replace(/^['"]|['"]$/g, '')
      .split(',')
      .map((e) => e.trim())
      .filter(Boolean);
    if (entries.includes('*')) {
      const published = run.service
        ? dep.composeServices.some((c) => c.service.name === run.service && c.service.ports.length > 0)
        : !run.platformRouted && !/^(127\.|localhost$|::1$)/.test(run.host);
      if (published) {
        ctx.report({
          path: file.path,
          span: allowed.span,
          message: `uvicorn trusts X-Forwarded-* from every address ("*") while its port is reachable without the proxy: any client chooses its own scheme and address.`,
          related: proxyRelated(ctx.project, dep),
        });
      }
      continue;
    }
    const names = entries.filter((e) => !IP_OR_CIDR.test(e) && e !== 'unix:');
    if (names.length > 0) {
      ctx.report({
        path: file.path,
        span: allowed.span,
        message: `uvicorn compares --forwarded-allow-ips with the peer's address and never resolves a name: ${names.join(', ')} matches no request, so the proxy is not trusted.`,
      });
    }
    const cidrs = entries.filter((e) => e.includes('/') && IP_OR_CIDR.test(e));
    if (cidrs.length > 0 && !versionAtLeast(uvicorn, '0.31')) {
      ctx.report({
        path: file.path,
        span: allowed.span,
        message: `${describeVersion(ctx.project, uvicorn)} reads ${cidrs.join(', ')} as a literal address, not a network (CIDR ranges arrived in 0.31): no proxy in the range is trusted.`,
      });
    }
  }
}
