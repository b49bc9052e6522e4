import { settingSites } from '../cookies';
import { siblingSettingChange } from '../fixes/settings';
import type { Rule } from './rule';
import { checkExpressSameSiteNone } from './express/cookies';
import { checkStarletteSameSiteNone } from './starlette/sessions';
import { checkDjangoSameSiteNone } from './django/cookies';

export const rule: Rule = {
  id: 'SL301',
  name: 'samesite-none-without-secure',
  summary: 'SameSite=None without Secure: browsers reject the cookie',
  defaultSeverity: 'error',
  docs: {
    whatItDoes:
      'Flags `SESSION_COOKIE_SAMESITE = "None"` where no configuration that reaches it sets `SESSION_COOKIE_SECURE = True`. In Express apps it flags `sameSite: "none"` on an express-session cookie that is not `secure` (express-session\'s `secure` is unset by default; cookie-session\'s follows the connection, so only an explicit `secure: false` counts there).',
    whyIsThisBad:
      "Browsers reject a `SameSite=None` cookie that is not also `Secure`, so the session cookie is never stored. Flask's `SESSION_COOKIE_SECURE` defaults to False, and Werkzeug does not add `Secure` for `SameSite=None` (only for partitioned cookies). The app sets a cookie that no browser keeps, and every request starts an empty session.",
    example: 'from flask import Flask\n\napp = Flask(__name__)\napp.config["SESSION_COOKIE_SAMESITE"] = "None"\n',
    useInstead:
      'from flask import Flask\n\napp = Flask(__name__)\napp.config["SESSION_COOKIE_SAMESITE"] = "None"\napp.config["SESSION_COOKIE_SECURE"] = True\n',
    fixSafety:
      'Unsafe: a Secure cookie is not sent back over plain HTTP, so the app must be served over HTTPS (`http://localhost` counts as secure). The fix sets `SESSION_COOKIE_SECURE = True` next to the SameSite setting.',
    references: [
      'https://flask.palletsprojects.com/en/stable/config/#SESSION_COOKIE_SAMESITE',
      'https://httpwg.org/http-extensions/draft-ietf-httpbis-rfc6265bis.html#name-the-samesite-attribute',
    ],
  },
  check(ctx) {
    checkDjangoSameSiteNone(ctx);
    checkStarletteSameSiteNone(ctx);
    checkExpressSameSiteNone(ctx);
    const secure = settingSites(ctx.project, 'SESSION_COOKIE_SECURE').filter(
      (s) => s.site.value.kind === 'boolean' && s.site.value.value,
    );
    for (const reached of settingSites(ctx.project, 'SESSION_COOKIE_SAMESITE')) {
      const { file, site } = reached;
      if (site.value.kind !== 'literal' || site.value.value?.toLowerCase() !== 'none') continue;
      // Secure set for every configuration that reaches this SameSite setting?
      if (secure.some((s) => [...reached.envs].every((env) => s.envs.has(env)))) continue;
      ctx.report({
        path: file.path,
        span: site.value.span,
        message: `SESSION_COOKIE_SAMESITE is "None" without SESSION_COOKIE_SECURE: browsers reject the session cookie.`,
        fixes: () => {
          const change = siblingSettingChange(file, site, 'SESSION_COOKIE_SECURE', 'True');
          return change
            ? [
                {
                  title: 'Set SESSION_COOKIE_SECURE = True',
                  safety: 'unsafe',
                  effect: 'the cookie is then sent over HTTPS only',
                  changes: [change],
                },
              ]
            : [];
        },
      });
    }
  },
};
