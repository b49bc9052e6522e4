import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { djangoSettings } from '../../server/src/core/django';
import { projectOf } from '../helpers/lint';

const base = 'SECRET_KEY = "x-literal-key"\nINSTALLED_APPS = ["django.contrib.sessions"]\n';

describe('Django settings modules', () => {
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
