import { flaskConfig } from '../flask-config';
import { keyReadChanges } from '../fixes/class-key-read';
import { environAccess, insertStatementEdit } from '../fixes/environment';
import { readSecretFix, secretVariable } from '../fixes/secret-fixes';
import { guardedNames } from '../guarded-names';
import type { AppCreation } from '../facts/python-model';
import type { ProjectFile } from '../project';
import type { FileChange, Fix } from '../types';
import type { Rule, RuleContext } from './rule';
import { checkMissingExpressSecrets } from './express/secrets';
import { checkStarletteMissingSecrets } from './starlette/sessions';

export const rule: Rule = {
  id: 'SL104',
  name: 'missing-session-secret',
  summary: 'App uses sessions but no key is configured, or the key may silently be None',
  defaultSeverity: 'error',
  docs: {
    whatItDoes:
      'Flags a Flask app that uses sessions (`flask.session`, `flash`, Flask-Login, Flask-WTF) while no `SECRET_KEY` is configured on any path the app takes; and, one severity lower, a key read with `os.environ.get()`/`os.getenv()` without a fallback when nothing checks that it is set (a check in another file, such as the app factory, counts; without any session use the key is never needed). A second app in a file of its own that uses sessions but sets no key and loads no configuration is flagged whatever the other app configures. In Express apps it flags an `express-session` without a `secret` (and no `cookie-parser` secret to fall back on: every request then fails with "secret option required for sessions"), a signed `cookie-session` without `keys` or `secret` (it throws ".keys required." at start-up), and a secret read from an environment variable that nothing checks at start-up (reported one severity lower). For Starlette\'s `SessionMiddleware` it flags `secret_key=os.getenv("K")` with no default, the same read wrapped in `str(...)`, and a pydantic-settings field whose default is None: Starlette signs with the string "None" when the variable is unset, in all three.',
    whyIsThisBad:
      'Without a secret key Flask uses a null session: reading it gives an empty session and the first write raises `RuntimeError: The session is unavailable because no secret key was set`. A key read with `os.environ.get()` is `None` whenever the variable is missing, which gives the same failure at the first request instead of a clear error at start-up.',
    example: `from flask import Flask, session

app = Flask(__name__)

@app.route("/login")
def login():
    session["user"] = "alice"
    return "ok"
`,
    useInstead: `import os
from flask import Flask, session

app = Flask(__name__)
app.config["SECRET_KEY"] = os.environ["FLASK_SECRET_KEY"]

@app.route("/login")
def login():
    session["user"] = "alice"
    return "ok"
`,
    fixSafety:
      'Unsafe: the fix makes the app read the key with `os.environ[...]`, so it needs the variable at run time; for development a value generated once, at fix time, goes into `.env` (git-ignored).',
    references: [
      'https://flask.palletsprojects.com/en/stable/config/#SECRET_KEY',
      'https://flask.palletsprojects.com/en/stable/api/#flask.sessions.NullSession',
    ],
  },
  check(ctx) {
    checkStarletteMissingSecrets(ctx);
    checkMissingExpressSecrets(ctx);
    const secrets = flaskConfig(ctx.project);
    if (!secrets.keyConfigured && secrets.sessionUses.length > 0) {
      const related = secrets.sessionUses
        .slice(0, 3)
        .map(({ file, use }) => ({ path: file.path, span: use.span, message: `Uses ${use.what}` }));
      const uses = [...new Set(secrets.sessionUses.map((u) => u.use.what))].join(', ');
      for (const { file, app } of secrets.apps) {
        ctx.report({
          path: file.path,
          span: app.span,
          message: `No SECRET_KEY for an app that uses sessions: the first session write raises RuntimeError (uses ${uses}).`,
          related,
          fixes: configureKeyFix(ctx, file, app),
        });
      }
    }
    // One judgement per app: a second app, in a file of its own, that uses sessions but neither
    // sets a key nor loads any configuration has no key, whatever the other app configures.
    if (secrets.keyConfigured && new Set(secrets.apps.map((a) => a.file.path)).size >= 2) {
      for (const { file, app } of secrets.apps) {
        const usesSession = secrets.sessionUses.some((u) => u.file === file);
        const ownsKey = file.python?.sites.some((site) => site.key === 'SECRET_KEY');
        if (!usesSession || ownsKey || (file.python?.loads.length ?? 0) > 0) continue;
        ctx.report({
          path: file.path,
          span: app.span,
          message: `No SECRET_KEY for this app, which uses sessions: its first session write raises RuntimeError (it loads no configuration, and another app's key does not count).`,
          related: secrets.sessionUses
            .filter((u) => u.file === file)
            .slice(0, 3)
            .map(({ use }) => ({ path: file.path, span: use.span, message: `Uses ${use.what}` })),
          fixes: configureKeyFix(ctx, file, app),
        });
      }
    }
    // An environment read that may be empty matters only to an app that uses sessions
    // (session, flash, Flask-Login, Flask-WTF): without them Flask never needs the key.
    if (secrets.sessionUses.length === 0) return;
    // A fail-fast check or a refill may live in another file (see guardedNames).
    const checks = guardedNames(ctx.project);
    for (const { file, site } of secrets.sites) {
      const value = site.value;
      if (site.key !== 'SECRET_KEY' || value.kind !== 'env' || value.required) continue;
      if (value.fallback && !(value.fallback.kind === 'literal' && value.fallback.empty)) continue;
      const checked = [
        value.variable,
        site.form.slice(site.form.lastIndexOf('.') + 1),
        ...site.names,
        'SECRET_KEY',
        'secret_key',
      ].some((n) => checks.has(n));
      if (checked) continue;
      ctx.report({
        path: file.path,
        span: value.span,
        message: `${site.form} is empty when ${value.variable} is unset: the first session write then raises RuntimeError, and nothing checks it at start-up.`,
        lowered: true,
        fixes: () => {
          const inClass = site.owner.kind === 'class';
          return [
            {
              title: inClass
                ? `Fail at start-up when ${value.variable} is unset, once the app has loaded its configuration`
                : `Read ${value.variable} with os.environ[...] so a missing variable fails at start-up`,
              safety: 'unsafe',
              effect: `the app then needs ${value.variable} at run time`,
              changes: keyReadChanges(ctx, file, value.span, value.variable, inClass),
            },
          ];
        },
      });
    }
  },
};

/** SL104's fix: configure the key from the environment right after the app is created. */
function configureKeyFix(ctx: RuleContext, file: ProjectFile, app: AppCreation): (() => Fix[]) | undefined {
  if (!app.target) return undefined;
  return () => {
    const variable = secretVariable(ctx, file);
    const { environ, importEdits } = environAccess(file);
    const statement = `${app.target}.config["SECRET_KEY"] = ${environ}["${variable}"]`;
    const code: FileChange = {
      path: file.path,
      edits: [...importEdits, insertStatementEdit(file, app.statementEnd, app.indent, statement)],
    };
    return [readSecretFix(ctx, code, variable)];
  };
}
