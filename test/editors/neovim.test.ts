import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { copyToTemp } from '../helpers/lint';
import { DIST, EXAMPLES, REPO } from '../helpers/paths';

// Debian's Neovim (0.7) over stdio: no pull diagnostics, byte columns in code-action context,
// `changes`/`documentChanges` applied by Neovim itself. scripts/setup.sh installs it.
describe('the language server in Neovim', () => {
  it('shows diagnostics and applies the move-to-env quick fix, headless', async () => {
    assert.ok(existsSync('/usr/bin/nvim'), 'Neovim is missing: run scripts/setup.sh');
    const dir = await copyToTemp(path.join(EXAMPLES, 'flask-waitress'));
    const out = path.join(dir, 'nvim-result.json');
    const r = spawnSync(
      'nvim',
      [
        '--headless',
        '--clean',
        '-u',
        path.join(REPO, 'test', 'editors', 'neovim-init.lua'),
        path.join(dir, 'shop', 'config.py'),
      ],
      {
        cwd: dir,
        env: { ...process.env, SL_ROOT: dir, SL_OUT: out, SL_SERVER: path.join(DIST, 'server.js'), HOME: dir },
        timeout: 90_000,
        encoding: 'utf8',
      },
    );
    assert.ok(existsSync(out), `Neovim wrote no result (status ${r.status}): ${r.stderr}`);
    const result = JSON.parse(await fs.readFile(out, 'utf8'));
    assert.equal(result.error, undefined, result.error);
    assert.deepEqual(result.before.map((d: { code: string }) => d.code).sort(), ['SL101', 'SL101', 'SL103']);
    assert.ok(result.titles.includes('Disable SL101 for this line'));
    assert.ok(
      !result.titles.some((t: string) => t.startsWith('Show documentation')),
      'no VS Code command actions for other editors',
    );
    assert.match(
      await fs.readFile(path.join(dir, 'shop', 'config.py'), 'utf8'),
      /SECRET_KEY = os\.environ\.get\("FLASK_SECRET_KEY"\)/,
    );
    // A file created by an edit starts as one empty line in a Neovim buffer, and 'eol' adds a
    // final newline on write: Neovim leaves one blank line at the end. Nothing else differs.
    assert.match(await fs.readFile(path.join(dir, '.env'), 'utf8'), /^FLASK_SECRET_KEY=dev-secret-do-not-use\n\n?$/);
    assert.match(await fs.readFile(path.join(dir, '.gitignore'), 'utf8'), /^\.env\n\n?$/);
  });
});
