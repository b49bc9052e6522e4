import { settingSites } from '../cookies';
import { replaceValueChange } from '../fixes/settings';
import type { Rule } from './rule';
import { checkExpressHttpOnly } from './express/cookies';
import { checkDjangoHttpOnly } from './django/cookies';

export const rule: Rule = {
  id: 'SL303',
  name: 'session-cookie-httponly-disabled',
  summary: 'The session cookie is readable by JavaScript',
  defaultSeverity: 'warning',
  docs: {
    whatItDoes:
      'Flags `SESSION_COOKIE_HTTPONLY = False` in any configuration the app loads (one severity lower when only development reaches it). In Express apps it flags `httpOnly: false` on the express-session or cookie-session cookie (both default to true).',
    whyIsThisBad:
      'Flask sets `HttpOnly` on the session cookie by default, so scripts cannot read it. Turning that off lets any injected script (one XSS bug, one compromised third-party script) read the session cookie and send it away, and the attacker is then logged in as the user.',
    example: 'from flask import Flask\n\napp = Flask(__name__)\napp.config["SESSION_COOKIE_HTTPONLY"] = False\n',
    useInstead: 'from flask import Flask\n\napp = Flask(__name__)\n',
    fixSafety:
      'Unsafe: front-end code that reads the session cookie stops working (it should not). The fix sets the value to `True`.',
    references: [
      'https://flask.palletsprojects.com/en/stable/config/#SESSION_COOKIE_HTTPONLY',
      'https://owasp.org/www-community/HttpOnly',
    ],
  },
  check(ctx) {
    checkDjangoHttpOnly(ctx);
    checkExpressHttpOnly(ctx);
    for (const { file, site, envs } of settingSites(ctx.project, 'SESSION_COOKIE_HTTPONLY')) {
      if (site.value.kind !== 'boolean' || site.value.value) continue;
      ctx.report({
        path: file.path,
        span: site.value.span,
        message: `SESSION_COOKIE_HTTPONLY is False: any script on the page can read the session cookie.`,
        lowered: !envs.has('production'),
        fixes: () => {
          const change = replaceValueChange(file, site.value.span, 'True');
          return change
            ? [
                {
                  title: 'Set SESSION_COOKIE_HTTPONLY = True',
                  safety: 'unsafe',
                  effect: 'scripts in the page can then no longer read the cookie',
                  changes: [change],
                },
              ]
            : [];
        },
      });
    }
  },
};
