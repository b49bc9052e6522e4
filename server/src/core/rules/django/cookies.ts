import { domainFault } from '../../cookies';
import { djangoSettings, effectiveSetting, type SettingsRoot } from '../../django';
import type { ConfigKey } from '../../facts/python-model';
import type { RuleContext } from '../rule';

/** The production and development settings Django runs, each setting reported once where it is written. */
function eachSetting(
  ctx: RuleContext,
  key: ConfigKey,
  visit: (root: SettingsRoot, reached: NonNullable<ReturnType<typeof effectiveSetting>>) => void,
): void {
  const seen = new Set<string>();
  for (const root of djangoSettings(ctx.project)) {
    if (root.role === 'test') continue;
    const reached = effectiveSetting(root, key);
    if (!reached) continue;
    const id = `${reached.file.path}:${reached.site.value.span.start}`;
    if (seen.has(id)) continue;
    seen.add(id);
    visit(root, reached);
  }
}

/** SL301: SESSION_COOKIE_SAMESITE / CSRF_COOKIE_SAMESITE = "None" without the matching *_SECURE. */
export function checkDjangoSameSiteNone(ctx: RuleContext): void {
  for (const [sameSiteKey, secureKey] of [
    ['SESSION_COOKIE_SAMESITE', 'SESSION_COOKIE_SECURE'],
    ['CSRF_COOKIE_SAMESITE', 'CSRF_COOKIE_SECURE'],
  ] as const) {
    eachSetting(ctx, sameSiteKey, (root, { file, site }) => {
      if (site.value.kind !== 'literal' || site.value.value?.toLowerCase() !== 'none') return;
      const secure = effectiveSetting(root, secureKey);
      if (secure && !(secure.site.value.kind === 'boolean' && !secure.site.value.value)) return;
      ctx.report({
        path: file.path,
        span: site.value.span,
        message: `${sameSiteKey} is "None" without ${secureKey} = True: browsers reject the cookie, so ${sameSiteKey.startsWith('CSRF') ? 'every cross-site POST fails the CSRF check' : 'no session survives a request'}.`,
        lowered: root.role === 'development',
      });
    });
  }
}

/** SL303: SESSION_COOKIE_HTTPONLY = False. */
export function checkDjangoHttpOnly(ctx: RuleContext): void {
  eachSetting(ctx, 'SESSION_COOKIE_HTTPONLY', (root, { file, site }) => {
    if (site.value.kind !== 'boolean' || site.value.value) return;
    ctx.report({
      path: file.path,
      span: site.value.span,
      message: 'SESSION_COOKIE_HTTPONLY is False: any script on the page can read the session cookie.',
      lowered: root.role === 'development',
      fixes: () => [
        {
          title: 'Set SESSION_COOKIE_HTTPONLY = True',
          safety: 'unsafe',
          effect: 'scripts in the page can then no longer read the cookie',
          changes: [{ path: file.path, edits: [{ ...site.value.span, newText: 'True' }] }],
        },
      ],
    });
  });
}

/** SL201: SESSION_COOKIE_DOMAIN / CSRF_COOKIE_DOMAIN that browsers reject. */
export function checkDjangoCookieDomains(ctx: RuleContext): void {
  for (const key of ['SESSION_COOKIE_DOMAIN', 'CSRF_COOKIE_DOMAIN'] as const) {
    eachSetting(ctx, key, (root, { file, site }) => {
      if (site.value.kind !== 'literal' || !site.value.value) return;
      const fault = domainFault(site.value.value);
      if (!fault) return;
      const problem = {
        scheme: 'contains a scheme or path, so no host matches it',
        port: 'contains a port, so no host matches it',
        localhost: 'is localhost, so browsers reject the cookie under any other name',
        ip: 'is an IP address, so browsers reject the cookie under any name',
      }[fault];
      ctx.report({
        path: file.path,
        span: site.value.span,
        message: `${key} ${problem}.`,
        lowered: root.role === 'development',
      });
    });
  }
}
