import { developmentOnly, flaskConfig, literalsOf } from '../flask-config';
import { isSecretKey, type ConfigSite } from '../facts/python-model';
import type { ProjectFile } from '../project';
import type { Span } from '../types';
import { moveSecretFixes } from '../fixes/secret-fixes';
import { basename } from '../paths';
import type { Rule } from './rule';
import { checkHardcodedExpressSecrets } from './express/secrets';
import { checkStarletteLiteralSecrets } from './starlette/sessions';
import { checkDjangoLiteralKeys } from './django/secrets';
import { isDjangoSettings } from '../django';

export const rule: Rule = {
  id: 'SL101',
  name: 'hardcoded-session-secret',
  summary: 'Session signing key written as a literal in code',
  defaultSeverity: 'error',
  docs: {
    whatItDoes:
      'Flags a Flask session signing key (`SECRET_KEY`, `app.secret_key`, or an entry of `SECRET_KEY_FALLBACKS`) written as a literal in code: an assignment, `config.update()`, `config.from_mapping()`, or a module or class attribute of a config object that the app loads with `from_object`/`from_pyfile`. A literal that only a development configuration reaches is reported one severity lower; test code is never reported. A literal in a configuration named for production (`ProductionConfig`, `config_prod.py`) is reported even when nothing in the project loads it: the deployment does. In Express apps (JavaScript or TypeScript) it flags a literal `secret` of `express-session`, each literal entry of a secrets array or of cookie-session\'s `keys`, cookie-session\'s `secret`, and the secret of `cookie-parser` when it is what signs the session (an express-session without its own secret), wherever the options object is built: inline, in a variable, spread or `Object.assign`ed, or exported from another module such as `config/session.js`; a string field of the repository\'s `package.json` (`secret: pkg.name` with `pkg = require("../package.json")`, public with the code); a node-config setting (`config.get("session.secret")`) is followed to `config/production.json` or `config/default.json` and reported there, as SL102 when `custom-environment-variables.json` maps it to a variable; a convict schema\'s `default` is followed the same way, as SL102 when the setting names an `env` variable.',
    whyIsThisBad:
      'Flask signs the session cookie with this key. Anyone who can read the code (a repository, a container image, a leaked backup) can sign a cookie that Flask accepts as genuine and log in as any user. A key that has been committed must be treated as leaked and replaced.',
    example: `from flask import Flask, session

app = Flask(__name__)
app.secret_key = "change-me-in-production"
`,
    useInstead: `import os
from flask import Flask, session

app = Flask(__name__)
app.secret_key = os.environ["FLASK_SECRET_KEY"]
`,
    fixSafety:
      'Unsafe: after the fix the app needs the environment variable at run time. The first fix moves the literal into `.env` (created if absent, git-ignored, never overwriting an existing entry; `.env.example` gets the name without the value), so development keeps working and existing sessions stay valid. The second writes a new random value instead, which logs everyone out once but retires the leaked key. Production must set the variable itself: waitress and gunicorn do not read `.env`. At module level the read is `os.environ["FLASK_SECRET_KEY"]`, which stops the app at start-up when the variable is unset. A config class body runs when its module is imported, for every configuration, the test one included, so there the read is `os.environ.get(...)` and the fix adds, after the app loads its configuration, `if not app.config["SECRET_KEY"] and not (app.testing or app.debug): raise RuntimeError(...)`: tests and development import the module without the variable, and production fails fast. With django-environ or python-decouple the read is the project\'s own `env(...)` or `config(...)`.',
    references: [
      'https://flask.palletsprojects.com/en/stable/config/#SECRET_KEY',
      'https://flask.palletsprojects.com/en/stable/quickstart/#sessions',
    ],
  },
  check(ctx) {
    checkDjangoLiteralKeys(ctx);
    checkStarletteLiteralSecrets(ctx);
    checkHardcodedExpressSecrets(ctx);
    // A literal reached through several configurations is reported once.
    const seen = new Set<string>();
    const firstTime = (path: string, offset: number) => {
      const key = `${path}:${offset}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    };
    // Only a plain SECRET_KEY literal moves to the environment (not a fallback list entry).
    const moveFix = (file: ProjectFile, site: ConfigSite, literal: { span: Span; value?: string }) =>
      site.key === 'SECRET_KEY' && site.value.kind === 'literal'
        ? () => moveSecretFixes(ctx, file, literal.span, literal.value, undefined, site.owner.kind === 'class')
        : undefined;
    const config = flaskConfig(ctx.project);
    for (const reached of config.sites) {
      const { file, site } = reached;
      // Literals in TOML/JSON config files are SL106's: a deployment file, not code.
      if (!isSecretKey(site.key) || !file.python) continue;
      for (const literal of literalsOf(site.value)) {
        if (!firstTime(file.path, literal.span.start)) continue;
        const where = reached.via.length > 0 ? ` (used by ${reached.via.join(', ')})` : '';
        const devOnly = developmentOnly(reached) ? ', in development configuration only' : '';
        const setting = site.key === 'SECRET_KEY_FALLBACKS' ? `An entry of ${site.form}` : site.form;
        // The Flask tutorial's pattern: a literal default that an instance config may override.
        const overridable =
          site.owner.kind === 'app' && config.unseenLoads.has(file)
            ? ', used wherever the configuration file the app also loads is missing'
            : '';
        ctx.report({
          path: file.path,
          span: literal.span,
          message: `${setting} is a hardcoded session secret: anyone who can read the code can forge session cookies${overridable ? ' there' : ''}${where}${devOnly}${overridable}.`,
          lowered: developmentOnly(reached),
          fixes: moveFix(file, site, literal),
        });
      }
    }
    // A production configuration that nothing in the project loads (a deployment imports it,
    // or it is kept for later) still commits its key: its name says where it will be used.
    for (const file of ctx.project.all()) {
      // Django settings modules are judged as Django runs them (checkDjangoLiteralKeys).
      if (file.isTest || !file.python || isDjangoSettings(ctx.project, file)) continue;
      const productionModule = PRODUCTION_MODULE.test(basename(file.path));
      for (const site of file.python.sites) {
        if (!isSecretKey(site.key) || site.owner.kind === 'app') continue;
        if (!(site.owner.kind === 'class' ? PRODUCTION_CLASS.test(site.owner.className) : productionModule)) continue;
        for (const literal of literalsOf(site.value)) {
          if (!firstTime(file.path, literal.span.start)) continue;
          const holder = site.owner.kind === 'class' ? `${site.owner.className}.${site.key}` : site.key;
          ctx.report({
            path: file.path,
            span: literal.span,
            message: `${holder} is a hardcoded session secret: anyone who can read the code can forge session cookies (a production configuration, whatever loads it).`,
            fixes: moveFix(file, site, literal),
          });
        }
      }
    }
  },
};

/** `ProductionConfig`, `ProdSettings`, `Production`: a class named for production. */
const PRODUCTION_CLASS = /^Prod(uction)?([A-Z_]|$)|[a-z_]Prod(uction)?([A-Z_]|$)/;
/** `config_prod.py`, `production.py`, `settings-production.py`, `prod_settings.py`. */
const PRODUCTION_MODULE = /(^|[_.-])prod(uction)?([_.-]|\.py$)/i;
