import { isSecretName } from '../facts/deploy-model';
import { flaskConfig, literalsOf } from '../flask-config';
import { dotenvCanHold, dotenvChanges } from '../fixes/environment';
import { basename, dirname } from '../paths';
import type { Rule } from './rule';

export const rule: Rule = {
  id: 'SL106',
  name: 'secret-in-deployment-file',
  summary: 'A literal session secret in a deployment file',
  defaultSeverity: 'error',
  docs: {
    whatItDoes:
      "Flags a literal session secret in a file that is committed with the project: docker-compose `environment:`, a Dockerfile `ENV` or `ARG`, a systemd `Environment=`, a `.flaskenv`, a TOML/JSON config file the app loads with `config.from_file()`, a platform's own file (`render.yaml` `envVars`, `fly.toml` `[env]`, Heroku's `app.json` `env` without a `generator`), or a Kubernetes manifest (a container's `env` value, a `Secret`'s `stringData` or base64 `data`). `${VAR}` references and `.env` files are not findings. A compose service that only runs the development server (`flask run`, `manage.py runserver`, `fastapi dev`, `--reload`, `FLASK_DEBUG=1`, `DJANGO_DEBUG=1`, `DJANGO_SETTINGS_MODULE` naming development or test settings) is reported one severity lower.",
    whyIsThisBad:
      'These files are committed and copied into images, so the key is readable by anyone who can read the repository or pull the image: they can sign session cookies the app accepts. `ARG` and `ENV` values also stay in the image history. `.flaskenv` is meant to be committed; `.env` is meant for secrets and must not be.',
    example: {
      'app.py':
        'import os\nfrom flask import Flask\n\napp = Flask(__name__)\napp.secret_key = os.environ["SECRET_KEY"]\n',
      'docker-compose.yml':
        'services:\n  web:\n    build: .\n    environment:\n      SECRET_KEY: "s3cr3t-in-compose"\n',
    },
    useInstead: {
      'app.py':
        'import os\nfrom flask import Flask\n\napp = Flask(__name__)\napp.secret_key = os.environ["SECRET_KEY"]\n',
      'docker-compose.yml': 'services:\n  web:\n    build: .\n    environment:\n      SECRET_KEY: ${SECRET_KEY}\n',
    },
    fixSafety:
      'Unsafe: the value must then come from the environment at deploy time. For docker-compose the fix writes `${NAME}` and moves the value into `.env` next to the compose file (compose reads it for substitution; git-ignored, never overwriting an entry). Other files are reported without a fix.',
    references: [
      'https://docs.docker.com/compose/how-tos/environment-variables/variable-interpolation/',
      'https://docs.docker.com/reference/build-checks/secrets-used-in-arg-or-env/',
      'https://flask.palletsprojects.com/en/stable/cli/#environment-variables-from-dotenv',
    ],
  },
  check(ctx) {
    for (const file of ctx.project.all()) {
      if (file.isTest) continue;
      for (const secret of file.deploy?.secrets ?? []) {
        const raw = file.text.slice(secret.valueSpan.start, secret.valueSpan.end);
        const value = /^(["']).*\1$/s.test(raw) ? raw.slice(1, -1) : raw;
        const composeFix = file.kind === 'compose' && dirname(file.path) === ctx.project.root && dotenvCanHold(value);
        ctx.report({
          path: file.path,
          span: secret.valueSpan,
          lowered: secret.devOnly === true,
          message: `${secret.name} is a literal session secret: anyone who can read the repository can forge session cookies (${secret.holder})${secret.devOnly ? ', in development configuration only' : ''}.`,
          fixes: composeFix
            ? () => [
                {
                  title: `Read ${secret.name} from .env (\${${secret.name}})`,
                  safety: 'unsafe',
                  effect: `the service then needs ${secret.name} in .env or its environment`,
                  changes: [
                    {
                      path: file.path,
                      edits: [
                        {
                          ...secret.valueSpan,
                          newText: /^["']/.test(raw) || raw === value ? `"\${${secret.name}}"` : `\${${secret.name}}`,
                        },
                      ],
                    },
                    ...dotenvChanges(ctx.project, secret.name, value),
                  ],
                },
              ]
            : undefined,
        });
      }
      if (basename(file.path) === '.flaskenv') {
        for (const e of file.dotenv?.entries ?? []) {
          if (!isSecretName(e.name) || !e.hasValue || e.isReference) continue;
          ctx.report({
            path: file.path,
            span: e.valueSpan,
            message: `${e.name} is a literal session secret in a file meant to be committed: keep it in .env, which git ignores.`,
          });
        }
      }
    }
    for (const { file, site } of flaskConfig(ctx.project).sites) {
      if (!file.dataSettings || site.key !== 'SECRET_KEY') continue;
      for (const literal of literalsOf(site.value)) {
        ctx.report({
          path: file.path,
          span: literal.span,
          message: `SECRET_KEY is a literal session secret: anyone who can read the repository can forge session cookies (the app loads this file with config.from_file()).`,
        });
      }
    }
  },
};
