import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { copyToTemp } from '../helpers/lint';
import { DIST, EXAMPLES, REPO } from '../helpers/paths';

// Debian's Emacs 28 with eglot 1.9, in batch mode: eglot answers workspace/configuration with
// null and has no pull diagnostics, so this checks the defaults and the pushes.
describe('the language server in Emacs (eglot)', () => {
  it('shows diagnostics through Flymake', async () => {
    assert.ok(existsSync('/usr/bin/emacs'), 'Emacs is missing: run scripts/setup.sh');
    const dir = await copyToTemp(path.join(EXAMPLES, 'flask-waitress'));
    // eglot finds the project through project.el, that is through version control.
    spawnSync('git', ['init', '-q'], { cwd: dir });
    const out = path.join(dir, 'eglot-result.json');
    const r = spawnSync('emacs', ['--batch', '-Q', '-l', path.join(REPO, 'test', 'editors', 'eglot-test.el')], {
      cwd: dir,
      env: {
        ...process.env,
        SL_SERVER: path.join(DIST, 'server.js'),
        SL_FILE: path.join(dir, 'shop', 'config.py'),
        SL_OUT: out,
        HOME: dir,
      },
      timeout: 120_000,
      encoding: 'utf8',
    });
    assert.ok(existsSync(out), `Emacs wrote no result (status ${r.status}): ${r.stderr.slice(-2000)}`);
    const result = JSON.parse(await fs.readFile(out, 'utf8'));
    assert.equal(result.error, undefined, result.error);
    const texts: string[] = result.diagnostics;
    assert.equal(texts.length, 3, texts.join('\n'));
    assert.ok(
      texts.some((t) =>
        /generated at start-up: sessions are lost on every restart and differ per worker process \(secrets\.token_hex\(\)/.test(
          t,
        ),
      ),
    );
  });
});
