import { isSecretKey } from '../facts/python-model';
import { developmentOnly, flaskConfig } from '../flask-config';
import { keyReadChanges } from '../fixes/class-key-read';
import type { Rule } from './rule';
import { coercedSecretMessage } from './coerced-secret';
import { checkExpressSecretFallbacks } from './express/secrets';
import { checkStarletteSecretFallbacks } from './starlette/sessions';
import { checkDjangoKeyFallbacks } from './django/secrets';

export const rule: Rule = {
  id: 'SL102',
  name: 'secret-fallback-literal',
  summary: 'Session key read from the environment falls back to a literal',
  defaultSeverity: 'warning',
  docs: {
    whatItDoes:
      'Flags a session key read from the environment with a literal fallback: `os.environ.get("K", "dev")`, `os.getenv("K", "dev")`, `os.environ.get("K") or "dev"`, and, in Flask and Django, the read wrapped in `str(...)` (`str(os.environ.get("K"))`), whose fallback is the string `"None"` (in Express, `String(process.env.K)` gives `"undefined"`): a key anyone can guess, with no error (Starlette makes the same "None" of a bare read, so there both are SL104). In Express apps it flags `process.env.SESSION_SECRET || "keyboard cat"`, the `??` form, and a destructuring default (`const { SESSION_SECRET = "x" } = process.env`) used as a session secret. A pydantic-settings field read by Starlette\'s `SessionMiddleware` (`secret_key=settings.SECRET_KEY`) with a literal default (`SECRET_KEY: str = "dev"`) is the same fallback: the default is used whenever the variable is unset.',
    whyIsThisBad:
      'When the variable is missing in production (a typo, a new server, a forgotten systemd `Environment=`), the app starts anyway and signs sessions with a key that is written in the code. Nothing fails, so nobody notices that every session cookie can now be forged.',
    example: `import os
from flask import Flask

app = Flask(__name__)
app.config["SECRET_KEY"] = os.environ.get("FLASK_SECRET_KEY", "dev")
`,
    useInstead: `import os
from flask import Flask

app = Flask(__name__)
app.config["SECRET_KEY"] = os.environ["FLASK_SECRET_KEY"]
`,
    fixSafety:
      'Unsafe: the fix removes the fallback, so a process started without the variable now stops at start-up with a `KeyError` instead of running with the literal key. That is the point, but it changes what the app needs to run.',
    references: [
      'https://flask.palletsprojects.com/en/stable/config/#SECRET_KEY',
      'https://docs.python.org/3/library/os.html#os.environ',
    ],
  },
  check(ctx) {
    checkDjangoKeyFallbacks(ctx);
    checkStarletteSecretFallbacks(ctx);
    checkExpressSecretFallbacks(ctx);
    for (const reached of flaskConfig(ctx.project).sites) {
      const { file, site } = reached;
      if (!isSecretKey(site.key)) continue;
      const value = site.value;
      if (value.kind !== 'env' || value.fallback?.kind !== 'literal' || value.fallback.empty) continue;
      ctx.report({
        path: file.path,
        span: value.fallback.span,
        message: value.coerced
          ? `${coercedSecretMessage(site.form, value.variable, 'python')}.`
          : `${site.form} falls back to a hardcoded secret: without ${value.variable}, sessions are signed with a key written in the code.`,
        lowered: developmentOnly(reached),
        fixes: () => [
          {
            title: `Remove the fallback so a missing ${value.variable} fails at start-up`,
            safety: 'unsafe',
            effect: `the app then needs ${value.variable} at run time`,
            changes: keyReadChanges(ctx, file, value.span, value.variable, site.owner.kind === 'class'),
          },
        ],
      });
    }
  },
};
