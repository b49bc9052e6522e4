import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deployment } from '../../server/src/core/deployment';
import type { Project } from '../../server/src/core/project';
import type { Finding } from '../../server/src/core/types';
import { applyFix, lint, projectOf } from '../helpers/lint';

const NGINX =
  'server {\n    listen 80;\n    location / {\n        proxy_pass http://127.0.0.1:8080;\n        proxy_set_header Host $host;\n        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n        proxy_set_header X-Forwarded-Proto $scheme;\n    }\n}\n';
const APP = 'from flask import Flask\napp = Flask(__name__)\n';
const text = (p: Project, rel: string) => p.get(`/proj/${rel}`)!.text;
const only = (findings: Finding[], id: string) => findings.filter((f) => f.ruleId === id);

/** Applies the first fix of the one finding of `id`, then checks the finding is gone. */
async function fixOnce(files: Record<string, string>, id: string): Promise<Project> {
  const p = await projectOf(files);
  const findings = only(lint(p), id);
  assert.equal(
    findings.length,
    1,
    `${id}: ${lint(p)
      .map((f) => f.ruleId)
      .join()}`,
  );
  applyFix(p, findings[0].fixes()[0]);
  assert.deepEqual(only(lint(p), id), [], `${id} is still reported after its fix`);
  return p;
}

describe('deployment fixes, read back by the extractors', () => {
  it('adds waitress trust as serve() keywords', async () => {
    const p = await fixOnce(
      {
        'app.py': APP,
        'serve.py': 'from waitress import serve\nfrom app import app\nserve(app, host="127.0.0.1", port=8080)\n',
        'nginx/a.conf': NGINX,
      },
      'SL401',
    );
    assert.equal(
      text(p, 'serve.py'),
      'from waitress import serve\nfrom app import app\nserve(app, host="127.0.0.1", port=8080, trusted_proxy="127.0.0.1", trusted_proxy_headers="x-forwarded-for x-forwarded-proto")\n',
    );
  });

  it('adds waitress trust as command-line flags, quoted for the shell', async () => {
    const p = await fixOnce(
      { 'app.py': APP, Procfile: 'web: waitress-serve --listen=127.0.0.1:8080 app:app\n', 'nginx/a.conf': NGINX },
      'SL401',
    );
    assert.equal(
      text(p, 'Procfile'),
      'web: waitress-serve --trusted-proxy=127.0.0.1 --trusted-proxy-headers="x-forwarded-for x-forwarded-proto" --listen=127.0.0.1:8080 app:app\n',
    );
    const run = deployment(p).servers[0].run;
    assert.equal(run.settings.trusted_proxy_headers.value, 'x-forwarded-for x-forwarded-proto');
  });

  it('adds one array element per flag in an exec-form command, and avoids the enclosing quote', async () => {
    const compose = (command: string) =>
      `services:\n  app:\n    build: .\n    command: ${command}\n  nginx:\n    image: nginx:1.27\n    ports: ["80:80"]\n`;
    const proxy = NGINX.replace('127.0.0.1:8080', 'app:8080');
    const array = await fixOnce(
      { 'app.py': APP, 'compose.yaml': compose('["waitress-serve", "--port=8080", "app:app"]'), 'nginx/a.conf': proxy },
      'SL401',
    );
    assert.match(
      text(array, 'compose.yaml'),
      /command: \["waitress-serve", "--trusted-proxy=\*", "--trusted-proxy-headers=x-forwarded-for x-forwarded-proto", "--port=8080", "app:app"\]/,
    );
    const quoted = await fixOnce(
      { 'app.py': APP, 'compose.yaml': compose('"waitress-serve --port=8080 app:app"'), 'nginx/a.conf': proxy },
      'SL401',
    );
    assert.match(
      text(quoted, 'compose.yaml'),
      /command: "waitress-serve --trusted-proxy='\*' --trusted-proxy-headers='x-forwarded-for x-forwarded-proto' --port=8080 app:app"/,
    );
  });

  it('adds PasteDeploy keys and gunicorn.conf.py settings', async () => {
    const ini = await fixOnce(
      {
        'app.py': APP,
        'production.ini':
          '[server:main]\nuse = egg:waitress#main\nlisten = 127.0.0.1:8080\n\n[app:main]\nuse = egg:shop\n',
        'nginx/a.conf': NGINX,
      },
      'SL401',
    );
    assert.equal(
      text(ini, 'production.ini'),
      '[server:main]\nuse = egg:waitress#main\nlisten = 127.0.0.1:8080\ntrusted_proxy = 127.0.0.1\ntrusted_proxy_headers = x-forwarded-for x-forwarded-proto\n\n[app:main]\nuse = egg:shop\n',
    );
    const conf = await fixOnce(
      {
        'app.py': APP,
        'gunicorn.conf.py': 'bind = "0.0.0.0:8000"\nworkers = 4',
        'compose.yaml':
          'services:\n  web:\n    command: gunicorn -c gunicorn.conf.py app:app\n  proxy:\n    image: nginx\n',
        'nginx/a.conf': NGINX.replace('127.0.0.1:8080', 'web:8000'),
      },
      'SL401',
    );
    assert.equal(text(conf, 'gunicorn.conf.py'), 'bind = "0.0.0.0:8000"\nworkers = 4\nforwarded_allow_ips = "*"\n');
  });

  it('adds missing nginx headers, repeating inherited ones so none are lost', async () => {
    const conf =
      'server {\n    listen 443 ssl;\n    ssl_certificate c.pem;\n    proxy_set_header X-Real-IP $remote_addr;\n    location / {\n        proxy_pass http://127.0.0.1:8080;\n    }\n}\n';
    const p = await fixOnce({ 'app.py': APP, 'nginx/a.conf': conf }, 'SL501');
    assert.equal(
      text(p, 'nginx/a.conf'),
      'server {\n    listen 443 ssl;\n    ssl_certificate c.pem;\n    proxy_set_header X-Real-IP $remote_addr;\n    location / {\n        proxy_pass http://127.0.0.1:8080;\n        proxy_set_header X-Real-IP $remote_addr;\n        proxy_set_header Host $host;\n        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n        proxy_set_header X-Forwarded-Proto $scheme;\n    }\n}\n',
    );
    assert.deepEqual(
      lint(p).map((f) => f.ruleId),
      [],
    );
  });

  it('rewrites app = ProxyFix(app) safely and X-Forwarded-Proto to $scheme', async () => {
    const p = await fixOnce(
      {
        'app.py':
          'from flask import Flask\nfrom werkzeug.middleware.proxy_fix import ProxyFix\napp = Flask(__name__)\napp = ProxyFix(app, x_proto=1)\n',
      },
      'SL405',
    );
    assert.match(text(p, 'app.py'), /^app\.wsgi_app = ProxyFix\(app\.wsgi_app, x_proto=1\)$/m);
    const conf = NGINX.replace('listen 80;', 'listen 443 ssl;\n    ssl_certificate c.pem;').replace(
      'X-Forwarded-Proto $scheme',
      'X-Forwarded-Proto $http_x_forwarded_proto',
    );
    const q = await fixOnce({ 'app.py': APP, 'nginx/a.conf': conf }, 'SL503');
    assert.match(text(q, 'nginx/a.conf'), /proxy_set_header X-Forwarded-Proto \$scheme;/);
  });

  it('moves a compose secret to .env behind ${VAR}, and git-ignores .env files', async () => {
    const p = await fixOnce(
      { 'app.py': APP, 'docker-compose.yml': 'services:\n  web:\n    environment:\n      SECRET_KEY: "moved-out"\n' },
      'SL106',
    );
    assert.equal(
      text(p, 'docker-compose.yml'),
      'services:\n  web:\n    environment:\n      SECRET_KEY: "${SECRET_KEY}"\n',
    );
    assert.equal(text(p, '.env'), 'SECRET_KEY=moved-out\n');
    assert.equal(text(p, '.gitignore'), '.env\n');
    const q = await projectOf({ 'deploy/.env.prod': 'SECRET_KEY=x1\n', '.gitignore': 'node_modules/\n' });
    const [finding] = only(lint(q), 'SL107');
    assert.equal(finding.fixes()[0].safety, 'safe');
    applyFix(q, finding.fixes()[0]);
    assert.equal(text(q, '.gitignore'), 'node_modules/\ndeploy/.env.prod\n');
    assert.deepEqual(only(lint(q), 'SL107'), []);
  });

  it('sets cookie settings in the style of their neighbours', async () => {
    const p = await fixOnce(
      {
        'app.py': 'from flask import Flask\napp = Flask(__name__)\napp.config.from_object("settings.Prod")\n',
        'settings.py': 'class Prod:\n    SESSION_COOKIE_SAMESITE = "None"\n',
      },
      'SL301',
    );
    assert.equal(
      text(p, 'settings.py'),
      'class Prod:\n    SESSION_COOKIE_SAMESITE = "None"\n    SESSION_COOKIE_SECURE = True\n',
    );
    const q = await fixOnce(
      {
        'app.py': 'from flask import Flask\napp = Flask(__name__)\napp.config["SESSION_COOKIE_DOMAIN"] = "127.0.0.1"\n',
      },
      'SL201',
    );
    assert.match(text(q, 'app.py'), /SESSION_COOKIE_DOMAIN"\] = None$/m);
  });

  it('applies ProxyFix in the app as the alternative behind gunicorn, with its import', async () => {
    const p = await projectOf({
      'app.py': 'import os\nfrom flask import Flask\n\napp = Flask(__name__)\napp.secret_key = os.environ["K"]\n',
      'compose.yaml':
        'services:\n  web:\n    command: gunicorn -b 0.0.0.0:8000 app:app\n    ports: ["8000:8000"]\n  proxy:\n    image: nginx\n',
      'nginx/a.conf': NGINX.replace('127.0.0.1:8080', 'web:8000'),
    });
    // With the app's port published, clients reach it directly: ProxyFix would believe them.
    assert.deepEqual(only(lint(p), 'SL401')[0].fixes(), []);
    const compose = p.get('/proj/compose.yaml')!;
    p.setFile(compose.path, compose.text.replace('    ports: ["8000:8000"]\n', ''));
    const [finding] = only(lint(p), 'SL401');
    assert.deepEqual(
      finding.fixes().map((f) => f.title),
      [
        'Trust the proxy in gunicorn (forwarded_allow_ips=*)',
        "Apply werkzeug's ProxyFix in the app (x_for=1, x_proto=1)",
      ],
    );
    applyFix(p, finding.fixes()[1]);
    assert.equal(
      text(p, 'app.py'),
      'import os\nfrom flask import Flask\nfrom werkzeug.middleware.proxy_fix import ProxyFix\n\napp = Flask(__name__)\napp.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1)\napp.secret_key = os.environ["K"]\n',
    );
    assert.deepEqual(
      lint(p).map((f) => f.ruleId),
      [],
    );
  });
});
