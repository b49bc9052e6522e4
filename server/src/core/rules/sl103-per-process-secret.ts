import { isSecretKey, type SettingValue } from '../facts/python-model';
import { busiestServer, deployment } from '../deployment';
import { developmentOnly, flaskConfig } from '../flask-config';
import type { Project } from '../project';
import { keyReadChanges } from '../fixes/class-key-read';
import { readSecretFix, secretVariable } from '../fixes/secret-fixes';
import type { Rule } from './rule';
import { checkGeneratedExpressSecrets } from './express/secrets';
import { checkStarletteGeneratedSecrets } from './starlette/sessions';
import { checkDjangoGeneratedKeys } from './django/secrets';

export const rule: Rule = {
  id: 'SL103',
  name: 'per-process-secret',
  summary: 'Session key generated when the process starts',
  defaultSeverity: 'error',
  docs: {
    whatItDoes:
      "Flags a session key generated at start-up (`os.urandom`, `secrets.token_*`, `uuid.uuid4()`, `random`), directly or as the fallback of an environment read. A key generated only under an explicit debug condition (`if app.debug:`, `FLASK_DEBUG`) is the development server's and is not flagged. In Express apps it flags a session secret from `crypto.randomBytes`, `crypto.randomUUID`, `uuid`, `nanoid` or `Math.random`, directly or as the fallback of an environment read; the message names the processes pm2 (`instances`, `-i max`), compose replicas or the start script run. It follows Starlette's `SessionMiddleware(secret_key=settings.SECRET_KEY)` into a pydantic-settings class, where a field default such as `secrets.token_urlsafe(32)` is drawn in each process whenever the variable is unset.",
    whyIsThisBad:
      'Each process draws its own key, and draws a new one on every restart. A cookie signed by one process does not verify in another, and Flask then silently gives an empty session. Under `gunicorn -w 4` about three requests in four lose the session. Under waitress (one process with threads) every restart logs everyone out, and so does every request that another replica answers. Generate the key once and keep it in configuration.',
    example: `import os
from flask import Flask

app = Flask(__name__)
app.secret_key = os.urandom(24)
`,
    useInstead: `import os
from flask import Flask

app = Flask(__name__)
app.secret_key = os.environ["FLASK_SECRET_KEY"]
`,
    fixSafety:
      'Unsafe: the app then needs the environment variable at run time. The fix writes a value generated once, at fix time, into `.env` for development (git-ignored, never overwriting an existing entry); production must set the same variable on every instance.',
    references: [
      'https://flask.palletsprojects.com/en/stable/config/#SECRET_KEY',
      'https://docs.gunicorn.org/en/stable/settings.html#workers',
      'https://docs.pylonsproject.org/projects/waitress/en/stable/arguments.html',
    ],
  },
  check(ctx) {
    checkGeneratedExpressSecrets(ctx);
    const processes = processCount(ctx.project);
    checkStarletteGeneratedSecrets(ctx, processes);
    checkDjangoGeneratedKeys(ctx, processes);
    for (const reached of flaskConfig(ctx.project).sites) {
      const { file, site } = reached;
      if (!isSecretKey(site.key)) continue;
      const generated = generatedPart(site.value);
      // Generated only under an explicit debug condition (`if app.debug:`, FLASK_DEBUG): the
      // development server's one process, while production takes another branch.
      if (!generated || site.devBranch) continue;
      const value = site.value;
      const fromEnv = value.kind === 'env' ? ` as the fallback of ${value.variable}` : '';
      ctx.report({
        path: file.path,
        span: generated.call,
        message: `${site.form} is generated at start-up: sessions are lost on every restart and differ per worker process (${generated.generator}()${fromEnv}${processes}).`,
        lowered: developmentOnly(reached),
        fixes: () => {
          const variable = value.kind === 'env' ? value.variable : secretVariable(ctx, file);
          const inClass = site.owner.kind === 'class';
          return [readSecretFix(ctx, keyReadChanges(ctx, file, value.span, variable, inClass), variable)];
        },
      });
    }
  },
};

/**
 * How many processes serve the app, as the project says (gunicorn workers times compose
 * replicas), for the message: with N of them, about (N-1)/N of requests lose the session.
 */
function processCount(project: Project): string {
  const busiest = busiestServer(deployment(project));
  if (!busiest) return '';
  const { file, run, workers, replicas } = busiest;
  const most = workers * replicas;
  const where = `${run.server}${workers > 1 ? ` with ${workers} workers` : ''}${replicas > 1 ? ` in ${replicas} replicas` : ''} in ${project.relative(file.path)}`;
  return ` (${where}: ${most} processes, so about ${most - 1} in ${most} requests reach a process with another key)`;
}

function generatedPart(value: SettingValue): Extract<SettingValue, { kind: 'generated' }> | undefined {
  if (value.kind === 'generated') return value;
  if (value.kind === 'env' && value.fallback?.kind === 'generated') return value.fallback;
  return undefined;
}
