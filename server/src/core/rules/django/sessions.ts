import { busiestServer, deployment } from '../../deployment';
import { djangoSettings, effectiveSetting } from '../../django';
import { deployOf } from '../../project';
import type { RuleContext } from '../rule';

/** The processes serving the app, and where the project says so (gunicorn workers, uvicorn workers, replicas). */
function processes(ctx: RuleContext): { count: number; where: string } {
  const dep = deployment(ctx.project);
  let best = { count: 1, where: '' };
  const consider = (count: number, where: string) => {
    if (count > best.count) best = { count, where };
  };
  const wsgi = busiestServer(dep);
  if (wsgi) consider(wsgi.workers * wsgi.replicas, `${wsgi.run.server} in ${ctx.project.relative(wsgi.file.path)}`);
  for (const file of ctx.project.all()) {
    for (const run of deployOf(file)?.asgiRuns ?? [])
      consider(Number(run.settings.workers?.value ?? 1) || 1, `${run.server} in ${ctx.project.relative(file.path)}`);
  }
  for (const c of dep.composeServices)
    consider(c.service.replicas ?? 1, `${c.service.replicas} replicas of ${c.service.name}`);
  return best;
}

/**
 * SL108 for Django: sessions in the cache (`SESSION_ENGINE = "...backends.cache"`) while the
 * cache is the local-memory one (Django's default, or `LocMemCache`) and several processes run:
 * each process keeps its own sessions, and a restart drops them all.
 */
export function checkDjangoLocalMemorySessions(ctx: RuleContext): void {
  const served = processes(ctx);
  if (served.count < 2) return;
  for (const root of djangoSettings(ctx.project)) {
    if (root.role !== 'production') continue;
    const engine = effectiveSetting(root, 'SESSION_ENGINE');
    if (engine?.site.value.kind !== 'literal' || engine.site.value.value !== 'django.contrib.sessions.backends.cache')
      continue;
    const caches = effectiveSetting(root, 'CACHES');
    const cachesText = caches
      ? caches.file.text.slice(caches.site.value.span.start, caches.site.value.span.end)
      : undefined;
    // Without CACHES, Django's default cache is LocMemCache.
    if (cachesText !== undefined && !/LocMemCache/.test(cachesText)) continue;
    ctx.report({
      path: engine.file.path,
      span: engine.site.value.span,
      message: `Sessions live in the local-memory cache of each process: with ${served.count} processes (${served.where}) a user is logged in on one request and not the next, and every restart logs everyone out${cachesText === undefined ? " (no CACHES: Django's default is LocMemCache)" : ''}.`,
    });
  }
}
