import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { djangoSettings } from '../../server/src/core/django';
import { applyFix, lint, projectOf } from '../helpers/lint';

const base = 'SECRET_KEY = "x-literal-key"\nINSTALLED_APPS = ["django.contrib.sessions"]\n';

describe('Django settings modules', () => {
  it('a CSRF_TRUSTED_ORIGINS entry without a scheme names the Django release once, and the origin to write', async () => {
    const project = await projectOf({
      'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "site.settings")\n',
      'site/__init__.py': '',
      'site/settings.py': `${base}CSRF_TRUSTED_ORIGINS = ["shop.example.com"]\n`,
    });
    const [finding] = lint(project, ['SL204']);
    assert.match(finding.message, /^The CSRF_TRUSTED_ORIGINS entry has no scheme: django \(/);
    assert.match(finding.message, /so write "https:\/\/shop\.example\.com"/);
  });

  it('a base that others import is not run, unless something names it', async () => {
    const files = {
      'site/__init__.py': '',
      'site/settings/__init__.py': '',
      'site/settings/base.py': base,
      'site/settings/local.py': 'from .base import *\nDEBUG = True\n',
    };
    const plain = djangoSettings(await projectOf(files)).map((r) => [r.file.path.replace('/proj/', ''), r.role]);
    assert.deepEqual(plain, [['site/settings/local.py', 'development']]);
    // compose runs the base itself in production: it is then a root, with the production role.
    const compose =
      'services:\n  web:\n    build: .\n    environment:\n      DJANGO_SETTINGS_MODULE: site.settings.base\n';
    const named = djangoSettings(await projectOf({ ...files, 'docker-compose.yml': compose }))
      .map((r) => [r.file.path.replace('/proj/', ''), r.role])
      .sort();
    assert.deepEqual(named, [
      ['site/settings/base.py', 'production'],
      ['site/settings/local.py', 'development'],
    ]);
  });

  it('test settings are roots with the test role, and what only they import is still run', async () => {
    const roots = djangoSettings(
      await projectOf({ 'settings.py': base, 'test_settings.py': 'from settings import *\n' }),
    );
    assert.deepEqual(roots.map((r) => r.role).sort(), ['production', 'test']);
  });
});

describe('Django secret fixes keep the settings module own way of reading the environment', () => {
  const fixedText = async (files: Record<string, string>, rule: string, path: string) => {
    const project = await projectOf(files);
    const finding = lint(project, [rule]).find((f) => f.path === `/proj/${path}`);
    assert.ok(finding, `${rule} in ${path}`);
    const [fix] = finding.fixes();
    assert.ok(fix, `${rule} offers a fix`);
    applyFix(project, fix);
    assert.deepEqual(lint(project, [rule]), [], 'the fix converges');
    return project.get(`/proj/${path}`)?.text;
  };

  it('django-environ: a literal key becomes env("DJANGO_SECRET_KEY"), and env(..., default=...) loses its default', async () => {
    const settings =
      'import environ\n\nenv = environ.Env(DEBUG=(bool, False))\n\nSECRET_KEY = "django-insecure-abcdefghijklmnop"\nINSTALLED_APPS = ["django.contrib.sessions"]\n';
    assert.match(
      (await fixedText({ 'mysite/settings.py': settings }, 'SL101', 'mysite/settings.py')) ?? '',
      /^SECRET_KEY = env\("DJANGO_SECRET_KEY"\)$/m,
    );
    const fallback = settings.replace(
      'SECRET_KEY = "django-insecure-abcdefghijklmnop"',
      'SECRET_KEY = env("DJANGO_SECRET_KEY", default="django-insecure-abcdefghijklmnop")',
    );
    assert.match(
      (await fixedText({ 'mysite/settings.py': fallback }, 'SL102', 'mysite/settings.py')) ?? '',
      /^SECRET_KEY = env\("DJANGO_SECRET_KEY"\)$/m,
    );
  });

  it('split settings: production.py reads through the env its base binds, and decouple keeps config(...)', async () => {
    const files = {
      'config/__init__.py': '',
      'config/settings/__init__.py': '',
      'config/settings/base.py': 'import environ\nenv = environ.Env()\nINSTALLED_APPS = ["django.contrib.sessions"]\n',
      'config/settings/production.py':
        'from .base import *  # noqa\nfrom .base import env\n\nSECRET_KEY = "a-committed-production-key-123456"\n',
      'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")\n',
    };
    assert.match(
      (await fixedText(files, 'SL101', 'config/settings/production.py')) ?? '',
      /^SECRET_KEY = env\("DJANGO_SECRET_KEY"\)$/m,
    );
    const decouple =
      'from decouple import config\n\nSECRET_KEY = config("SECRET_KEY", default=get_random_secret_key(), cast=str)\nINSTALLED_APPS = ["django.contrib.sessions"]\n';
    const text = await fixedText(
      { 'mysite/settings.py': `from django.core.management.utils import get_random_secret_key\n${decouple}` },
      'SL103',
      'mysite/settings.py',
    );
    assert.match(text ?? '', /^SECRET_KEY = config\("SECRET_KEY", cast=str\)$/m);
  });
});

describe('SL401 names what the app could have used, and what Heroku does on its own', () => {
  // Heroku's Python buildpack exports FORWARDED_ALLOW_IPS='*' (vendor/python.gunicorn.sh); the
  // platforms that copied the Procfile do not, so the finding stays and says both.
  it('a Procfile gunicorn in a Django project: SECURE_PROXY_SSL_HEADER, not ProxyFix', async () => {
    const project = await projectOf({
      'mysite/settings.py': 'import os\nSECRET_KEY = os.environ["DJANGO_SECRET_KEY"]\nDEBUG = False\n',
      'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\n',
      Procfile: 'web: gunicorn mysite.wsgi\n',
    });
    const [finding] = lint(project, ['SL401']);
    assert.equal(
      finding?.message,
      "gunicorn does not trust the proxy in front: gunicorn ignores X-Forwarded-Proto from anything but loopback and the app sees plain HTTP (no forwarded_allow_ips, no SECURE_PROXY_SSL_HEADER; Heroku's Python buildpack sets FORWARDED_ALLOW_IPS=*, other platforms do not).",
    );
  });

  it('a Procfile uvicorn says the same of the buildpack; a Flask app behind nginx still names ProxyFix', async () => {
    const fastapi = await projectOf({
      'main.py': 'from fastapi import FastAPI\napp = FastAPI()\n',
      Procfile: 'web: uvicorn main:app --host 0.0.0.0 --port $PORT\n',
    });
    assert.match(lint(fastapi, ['SL401'])[0]?.message ?? '', /\(Heroku's Python buildpack sets FORWARDED_ALLOW_IPS=\*/);
    const flask = await projectOf({
      'app.py': 'from flask import Flask\napp = Flask(__name__)\n',
      'docker-compose.yml':
        'services:\n  web:\n    build: .\n    command: gunicorn -b 0.0.0.0:8000 app:app\n  nginx:\n    image: nginx\n    ports: ["443:443"]\n    volumes: ["./nginx.conf:/etc/nginx/conf.d/default.conf"]\n',
      'nginx.conf':
        'server {\n  listen 443 ssl;\n  location / {\n    proxy_pass http://web:8000;\n    proxy_set_header X-Forwarded-Proto $scheme;\n  }\n}\n',
    });
    assert.match(lint(flask, ['SL401'])[0]?.message ?? '', /\(no forwarded_allow_ips, no ProxyFix\)\.$/);
  });
});
