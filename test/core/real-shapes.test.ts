import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { lint, projectFromDisk } from '../helpers/lint';
import { FIXTURES } from '../helpers/paths';

describe('real project shapes', () => {
  it('a literal secret in a compose service that only runs the development server is one severity lower', async () => {
    const dev = lint(await projectFromDisk(path.join(FIXTURES, 'SL106', 'compose-dev-server')), ['SL106']);
    const prod = lint(await projectFromDisk(path.join(FIXTURES, 'SL106', 'compose-env')), ['SL106']);
    assert.deepEqual(
      dev.map((f) => f.severity),
      ['warning'],
    );
    assert.ok(prod.every((f) => f.severity === 'error'));
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
});
