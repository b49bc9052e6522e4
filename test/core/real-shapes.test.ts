import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { applyFix, lint, projectFromDisk, projectOf } from '../helpers/lint';
import { FIXTURES } from '../helpers/paths';

describe('real project shapes', () => {
  // authlib/demo-oauth-client: Flask, Django and Starlette demos side by side, each Flask app
  // loading its own config.py of OAuth client ids.
  it('a repository of demos: each Flask app loads its own config.py, and Django settings are not a Flask configuration', async () => {
    const flask = (name: string) => ({
      [`${name}/app.py`]:
        "from flask import Flask, session\n\napp = Flask(__name__)\napp.secret_key = '!secret'\napp.config.from_object('config')\n",
      [`${name}/config.py`]: "import os\n\nGOOGLE_CLIENT_ID = os.getenv('GOOGLE_CLIENT_ID')\n",
    });
    const project = await projectOf({
      ...flask('flask-google-login'),
      ...flask('flask-twitter-tool'),
      'django-google-login/manage.py':
        'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")\n',
      'django-google-login/project/settings.py': "SECRET_KEY = 'ler9)dim^$jp9+u+1q2b(y!_rmb8'\nDEBUG = True\n",
    });
    const found = lint(project, ['SL101']).map((f) => `${project.relative(f.path)}: ${f.message}`);
    assert.deepEqual(found.sort(), [
      'django-google-login/project/settings.py: SECRET_KEY is a hardcoded secret: anyone who can read the code can forge sessions, password-reset links and signed cookies.',
      'flask-google-login/app.py: app.secret_key is a hardcoded session secret: anyone who can read the code can forge session cookies.',
      'flask-twitter-tool/app.py: app.secret_key is a hardcoded session secret: anyone who can read the code can forge session cookies.',
    ]);
  });

  // testdrivenio/django-on-docker and flask-on-docker: nginx on port 80 in front of gunicorn,
  // sending X-Forwarded-For and Host, no X-Forwarded-Proto and no TLS.
  it('behind nginx that leaves the scheme alone, gunicorn trust changes nothing: Django has no SL401, Flask hears of its client address', async () => {
    const nginx =
      'upstream app {\n    server web:8000;\n}\n\nserver {\n    listen 80;\n    location / {\n        proxy_pass http://app;\n        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n        proxy_set_header Host $host;\n    }\n}\n';
    const compose = (command: string) =>
      `services:\n  web:\n    build: ./app\n    command: ${command}\n    expose:\n      - 8000\n  nginx:\n    build: ./nginx\n    ports:\n      - 1337:80\n`;
    const django = await projectOf({
      'app/manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "hello_django.settings")\n',
      'app/hello_django/settings.py': 'import os\nSECRET_KEY = os.environ["SECRET_KEY"]\nDEBUG = False\n',
      'docker-compose.prod.yml': compose('gunicorn hello_django.wsgi:application --bind 0.0.0.0:8000'),
      'nginx/nginx.conf': nginx,
    });
    assert.deepEqual(lint(django, ['SL401']), []);
    const flask = await projectOf({
      'app/project/__init__.py':
        'import os\nfrom flask import Flask\n\napp = Flask(__name__)\napp.secret_key = os.environ["SECRET_KEY"]\n',
      'docker-compose.prod.yml': compose('gunicorn --bind 0.0.0.0:8000 project:app'),
      'nginx/nginx.conf': nginx,
    });
    const [finding, ...rest] = lint(flask, ['SL401']);
    assert.deepEqual(rest, []);
    assert.equal(
      finding?.message,
      "The app does not trust the proxy in front: request.remote_addr is the proxy's address for every client (rate limits, logs; no ProxyFix).",
    );
    assert.deepEqual(
      finding.fixes().map((f) => f.title),
      ["Apply werkzeug's ProxyFix in the app (x_for=1, x_proto=0)"],
    );
    applyFix(flask, finding.fixes()[0]);
    assert.deepEqual(
      lint(flask).map((f) => f.ruleId),
      [],
    );
  });

  // pallets/flask: the tutorial's from_pyfile("config.py") reads its instance folder, not Flask's
  // own src/flask/config.py elsewhere in the repository.
  it("from_pyfile names a file beside the app, above it or in an instance folder, not another app's", async () => {
    const project = await projectOf({
      'examples/tutorial/flaskr/__init__.py':
        'from flask import Flask\n\ndef create_app():\n    app = Flask(__name__, instance_relative_config=True)\n    app.config.from_mapping(SECRET_KEY="dev")\n    app.config.from_pyfile("config.py", silent=True)\n    return app\n',
      'src/flask/config.py': 'import os\n\nclass Config(dict):\n    SECRET_KEY = os.environ.get("SECRET_KEY")\n',
    });
    assert.match(
      lint(project, ['SL101'])[0]?.message ?? '',
      /, used wherever the configuration file the app also loads is missing\.$/,
    );
    const instance = await projectOf({
      'examples/tutorial/flaskr/__init__.py':
        'from flask import Flask\n\ndef create_app():\n    app = Flask(__name__, instance_relative_config=True)\n    app.config.from_mapping(SECRET_KEY="dev")\n    app.config.from_pyfile("config.py", silent=True)\n    return app\n',
      'examples/tutorial/instance/config.py': 'import os\nSECRET_KEY = os.environ["SECRET_KEY"]\n',
    });
    assert.match(lint(instance, ['SL101'])[0]?.message ?? '', /cookies\.$/);
  });

  it('a literal secret in a compose service that only runs the development server is one severity lower', async () => {
    const dev = lint(await projectFromDisk(path.join(FIXTURES, 'SL106', 'compose-dev-server')), ['SL106']);
    const prod = lint(await projectFromDisk(path.join(FIXTURES, 'SL106', 'compose-env')), ['SL106']);
    assert.deepEqual(
      dev.map((f) => f.severity),
      ['warning'],
    );
    assert.ok(prod.every((f) => f.severity === 'error'));
  });

  it('so is one in a Django service that runs development settings or manage.py runserver', async () => {
    const dev = lint(await projectFromDisk(path.join(FIXTURES, 'SL106', 'compose-django-dev')), ['SL106']);
    assert.deepEqual(
      dev.map((f) => [f.severity, f.message.endsWith('in development configuration only.')]),
      [
        ['warning', true],
        ['warning', true],
      ],
    );
  });

  it('a Procfile and an entrypoint script that both read gunicorn.conf.py behind the router: one SL401 there, one note', async () => {
    const project = await projectOf({
      'app.py': 'from flask import Flask\n\napp = Flask(__name__)\n',
      Procfile: 'web: gunicorn app:app\n',
      'docker/web_entrypoint.sh': '#!/bin/sh\ngunicorn app:app -b 0.0.0.0:$PORT\n',
      'gunicorn.conf.py': 'workers = 2\n',
    });
    const findings = lint(project, ['SL401']);
    assert.deepEqual(
      findings.map((f) => [f.path.replace('/proj/', ''), f.related.length]),
      [['gunicorn.conf.py', 1]],
    );
  });

  it('a supervisor program file named *.conf is read as supervisor: its gunicorn is the server', async () => {
    const project = await projectFromDisk(path.join(FIXTURES, 'SL106', 'supervisor'));
    const file = [...project.all()].find((f) => f.path.endsWith('shop.conf'))!;
    assert.equal(file.kind, 'supervisor');
    assert.deepEqual(
      file.deploy?.servers.map((s) => s.server),
      ['gunicorn'],
    );
  });

  it("app.json (Heroku's manifest) holds no comment to expect with: its literal secret is SL106, a generator is not", async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'sessionlint-appjson-'));
    await fs.writeFile(
      path.join(dir, 'app.py'),
      'import os\nfrom flask import Flask\n\napp = Flask(__name__)\napp.secret_key = os.environ["SECRET_KEY"]\n',
    );
    await fs.writeFile(
      path.join(dir, 'Procfile'),
      'web: gunicorn --bind 0.0.0.0:$PORT --forwarded-allow-ips="*" app:app\n',
    );
    const manifest = (secret: string) =>
      `{\n  "name": "shop",\n  "env": {\n    "SECRET_KEY": ${secret},\n    "WEB_CONCURRENCY": { "value": "2" }\n  }\n}\n`;
    await fs.writeFile(path.join(dir, 'app.json'), manifest('"8c1f0a7d2b3e4f5a6b7c8d9e0f1a2b3c"'));
    const literal = lint(await projectFromDisk(dir));
    assert.deepEqual(
      literal.map((f) => [path.basename(f.path), f.ruleId, f.message]),
      [
        [
          'app.json',
          'SL106',
          'SECRET_KEY is a literal session secret: anyone who can read the repository can forge session cookies (app.json env).',
        ],
      ],
    );
    await fs.writeFile(path.join(dir, 'app.json'), manifest('{ "value": "8c1f0a7d2b3e4f5a6b7c8d9e0f1a2b3c" }'));
    assert.deepEqual(
      lint(await projectFromDisk(dir)).map((f) => f.ruleId),
      ['SL106'],
    );
    await fs.writeFile(
      path.join(dir, 'app.json'),
      manifest('{ "description": "Signs sessions", "generator": "secret" }'),
    );
    assert.deepEqual(lint(await projectFromDisk(dir)), []);
  });

  it('node-config: config.get("session.secret") reads config/default.json, unless production.json or an environment mapping overrides it', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'sessionlint-node-config-'));
    await fs.mkdir(path.join(dir, 'config'));
    await fs.writeFile(
      path.join(dir, 'app.js'),
      'const express = require("express");\nconst session = require("express-session");\nconst config = require("config");\n\nconst app = express();\napp.use(session({ secret: config.get("session.secret"), resave: false, saveUninitialized: false }));\n',
    );
    const write = (name: string, secret: string) =>
      fs.writeFile(path.join(dir, 'config', name), `{\n  "session": {\n    "secret": "${secret}"\n  }\n}\n`);
    const found = async () =>
      lint(await projectFromDisk(dir)).map((f) => [path.relative(dir, f.path), f.ruleId, f.fixes().length]);
    await write('default.json', 'keyboard cat');
    // Reported where the value is written; a code fix cannot rewrite JSON.
    assert.deepEqual(await found(), [['config/default.json', 'SL101', 0]]);
    await write('production.json', 'the production key 0123456789');
    assert.deepEqual(await found(), [['config/production.json', 'SL101', 0]]);
    await write('custom-environment-variables.json', 'SESSION_SECRET');
    assert.deepEqual(await found(), [['config/production.json', 'SL102', 0]]);
    await fs.rm(path.join(dir, 'config', 'production.json'));
    await fs.rm(path.join(dir, 'config', 'default.json'));
    // Mapped and written nowhere else: config.get throws at start-up when the variable is unset.
    assert.deepEqual(await found(), []);
  });
});
